"""Weight initializers, every one a special case of a single variance-scaling rule.

The rule (as in ``keras.initializers.VarianceScaling``)::

    Var[w] = scale / n,   n = fan_in | fan_out | (fan_in + fan_out) / 2 | 1   (the ``mode``)

and ``w`` is drawn from N(0, Var[w]), from a normal truncated at two standard deviations and
rescaled to keep Var[w], or from U(-limit, limit) with limit = sqrt(3 Var[w]).

For a weight matrix ``W`` of shape ``(fan_in, fan_out)`` (this course's ``Z = A_prev @ W + b``):

=========  =====================  ==================================================
method     Var[w]                 why
=========  =====================  ==================================================
zeros      0                      every unit identical: symmetry is never broken
random     scale^2 (scale = 10)   the lecture's "too large" N(0, 10^2)
lecun      1 / fan_in             keeps Var[z] = Var[a] for linear / SELU units
xavier     2 / (fan_in + fan_out) Glorot & Bengio (2010): balances forward and backward, for tanh
he         2 / fan_in             He et al. (2015): ReLU zeroes half of z, the factor 2 restores it
=========  =====================  ==================================================

Each has a ``"<method>_uniform"`` twin with the same variance. Biases always start at zero.

Keras's ``glorot_normal``, ``he_normal`` and ``lecun_normal`` have the same variances as ``xavier``,
``he`` and ``lecun``, but draw from a normal truncated at two standard deviations (rescaled to keep
the variance); ``variance_scaling(..., distribution="truncated_normal")`` does the same here.
"""

import numpy as np

from ._validation import check_choice, check_float_dtype, check_int, check_positive, make_rng

MODES = ("fan_in", "fan_out", "fan_avg", "none")
DISTRIBUTIONS = ("normal", "truncated_normal", "uniform")

# Std of N(0, 1) truncated to [-2, 2]; dividing by it keeps the variance after truncation.
_TRUNCATED_NORMAL_STD = 0.87962566103423978

# method -> (scale, mode); "random" uses scale = random_scale ** 2.
_METHODS = {
    "zeros": (0.0, "none"),
    "random": (None, "none"),
    "lecun": (1.0, "fan_in"),
    "xavier": (1.0, "fan_avg"),
    "he": (2.0, "fan_in"),
}
METHODS = tuple(_METHODS) + tuple(f"{name}_uniform" for name in _METHODS if name != "zeros")


def variance_scaling(shape, scale=1.0, mode="fan_in", distribution="normal", rng=None, seed=None):
    """Draw a ``(fan_in, fan_out)`` array with Var[w] = scale / n (see the module docstring).

    Args:
        shape: ``(fan_in, fan_out)``.
        scale: the numerator; 0 gives zeros.
        mode: ``"fan_in"``, ``"fan_out"``, ``"fan_avg"`` or ``"none"`` (n = 1).
        distribution: ``"normal"``, ``"truncated_normal"`` (cut at 2 std, as Keras) or ``"uniform"``.
        rng, seed: a ``np.random.Generator``, or a seed for a new one.
    """
    if len(shape) != 2:
        raise ValueError(f"`shape` must be (fan_in, fan_out); received {shape!r}.")
    fan_in, fan_out = (check_int(d, "shape", 1) for d in shape)
    scale = check_positive(scale, "scale", allow_zero=True)
    check_choice(mode, "mode", MODES)
    check_choice(distribution, "distribution", DISTRIBUTIONS)
    rng = make_rng(rng, seed)
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0, "none": 1.0}[mode]
    if scale == 0.0:
        return np.zeros(shape)
    std = np.sqrt(scale / n)
    if distribution == "normal":
        return std * rng.standard_normal(shape)
    if distribution == "uniform":
        limit = np.sqrt(3.0) * std  # Var[U(-a, a)] = a^2 / 3
        return rng.uniform(-limit, limit, size=shape)
    return (std / _TRUNCATED_NORMAL_STD) * _truncated_standard_normal(shape, rng)


def _truncated_standard_normal(shape, rng):
    """N(0, 1) samples restricted to [-2, 2], by redrawing those outside."""
    x = rng.standard_normal(shape)
    outside = np.abs(x) > 2.0
    while outside.any():
        x[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(x) > 2.0
    return x


def weight_variance(method, fan_in, fan_out, random_scale=10.0):
    """The theoretical Var[w] of ``method`` for a ``(fan_in, fan_out)`` matrix."""
    scale, mode = _resolve(method, random_scale)
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0, "none": 1.0}[mode]
    return scale / n


def _resolve(method, random_scale):
    check_choice(method, "initializer method", METHODS)
    base = method.removesuffix("_uniform")
    scale, mode = _METHODS[base]
    if base == "random":
        scale = check_positive(random_scale, "scale", allow_zero=True) ** 2
    return scale, mode


def initialize(layer_dims, method="he", rng=None, seed=None, scale=10.0, dtype=np.float64):
    """Parameters for a fully connected net with sizes ``layer_dims = [n_0, n_1, ..., n_L]``.

    Returns:
        ``{"W1": (n_0, n_1), "b1": (n_1,), ..., "WL": (n_{L-1}, n_L), "bL": (n_L,)}``, with
        weights drawn by ``method`` (see the module docstring) and zero biases.

    Args:
        layer_dims: input size, then the width of every layer; at least two entries.
        method: one of ``METHODS``, e.g. ``"he"``, ``"xavier_uniform"``, ``"random"``.
        rng, seed: a ``np.random.Generator``, or a seed for a new one (default seed 0).
        scale: the standard deviation of ``"random"`` (10: the lecture's "too large" case). Unlike
            ``variance_scaling``'s ``scale`` (the numerator of the variance), this is a std.
        dtype: ``"float64"`` (default) or ``"float32"``. Weights are drawn in float64 and then rounded,
            so a float32 net starts from the float64 net's weights rounded to float32, seed for seed.
    """
    if isinstance(layer_dims, (str, bytes)) or not hasattr(layer_dims, "__len__") or len(layer_dims) < 2:
        raise ValueError(f"`layer_dims` must list at least 2 sizes [n_0, ..., n_L]; received {layer_dims!r}.")
    dims = [check_int(n, "layer_dims", 1) for n in layer_dims]
    check_positive(scale, "scale", allow_zero=True)
    var_scale, mode = _resolve(method, scale)
    distribution = "uniform" if method.endswith("_uniform") else "normal"
    dtype = check_float_dtype(dtype)
    rng = make_rng(rng, seed)
    params = {}
    for l in range(1, len(dims)):
        W = variance_scaling((dims[l - 1], dims[l]), var_scale, mode, distribution, rng=rng)
        params[f"W{l}"] = W.astype(dtype, copy=False)
        params[f"b{l}"] = np.zeros(dims[l], dtype=dtype)
    return params
