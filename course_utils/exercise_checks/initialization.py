"""The checks of the Initialization notebook's exercises: the four initializers.

``initialize_<name>(layer_dims, rng) -> {"W1": (n_0, n_1), "b1": (n_1,), ...}`` (``initialize_random``
also takes ``scale``). Each check tests what the spec states, on nets of depth 1 to 4 with fans that
differ from layer to layer: the keys, shapes and float dtype of every layer; zero biases; every number
drawn from ``rng`` (the same seed gives the same weights, another seed others, NumPy's global
generator untouched); and, for the random initializers, zero-mean normal weights whose variance is
the rule's in *every* layer, first on one large (800, 200) layer (where the usual mistakes are told
apart by their variance), then layer by layer in a deeper net.
"""

import numpy as np

from .. import initializers
from .harness import call, describe, exercise, fail, wrong_kind
from .probes import global_rng_untouched


def _course_initializer(method):
    """The course's ``initialize_<method>(layer_dims, rng)``: the package's variance-scaling rule."""
    def initialize(layer_dims, rng):
        return initializers.initialize(layer_dims, method=method, rng=rng)
    initialize.__name__ = f"initialize_{method}"
    return initialize


def _course_random(layer_dims, rng, scale):
    """The course's ``initialize_random(layer_dims, rng, scale)``: W ~ N(0, scale^2), b = 0."""
    return initializers.initialize(layer_dims, method="random", rng=rng, scale=scale)


_DIMS = [[5, 3], [4, 7, 3], [3, 6, 5, 2], [2, 5, 4, 3, 6]]  # depths 1 to 4, non-square layers
_DEEP = [300, 120, 50, 200]  # every fan differs: a rule applied with the wrong layer's fans shows


def _draw(init, name, dims, seed):
    """``init(dims, rng)`` from a fresh generator of ``seed``, with np.random left alone and a checked structure."""
    with global_rng_untouched(name):
        params = call(init, name, dims, np.random.default_rng(seed))
    _structure(params, dims, name)
    return params


def _structure(params, dims, name, zero_weights=False):
    """Keys, array kinds, shapes, float dtype and zero biases of ``params`` for ``dims``."""
    if not isinstance(params, dict):
        wrong_kind(name, params, "a dict of arrays {'W1': ..., 'b1': ..., ...}")
    expected = [f"{p}{l}" for l in range(1, len(dims)) for p in "Wb"]
    if sorted(params) != sorted(expected):
        missing = [k for k in expected if k not in params]
        extra = [k for k in params if k not in expected]
        fail(f"For layer_dims={dims} ({len(dims) - 1} layers) the keys should be {expected}; got {list(params)}"
             + (f" (missing {missing})" if missing else "") + (f" (unexpected {extra})" if extra else "") + ".")
    for l in range(1, len(dims)):
        shapes = {f"W{l}": (dims[l - 1], dims[l]), f"b{l}": (dims[l],)}
        for key, shape in shapes.items():
            value = params[key]
            if not isinstance(value, np.ndarray):
                fail(f"{key} should be a NumPy array of shape {shape}; it is {describe(value)}.")
            if key[0] == "W" and value.shape == shape[::-1] != shape:
                fail(f"{key} has shape {value.shape}, the lecture's column convention. Here examples are rows and "
                     f"Z = A_prev @ W + b, so {key} must have shape (n_{l - 1}, n_{l}) = {shape}.")
            if value.shape != shape:
                fail(f"For layer_dims={dims}, {key} should have shape {shape}; got {value.shape}.")
            if not np.issubdtype(value.dtype, np.floating):
                fail(f"{key} has dtype {value.dtype}; parameters must be floating-point arrays (float64 or "
                     f"float32), since training changes them by fractions.")
        if np.any(params[f"b{l}"] != 0):
            fail(f"b{l} should start at zero: the random weights already break the symmetry.")
        if zero_weights and np.any(params[f"W{l}"] != 0):
            fail(f"W{l} should be all zeros; it has non-zero entries.")


def _uses_rng(init, name):
    """Every layer's weights come from ``rng``: same seed, same weights; another seed, other weights."""
    for dims in _DIMS:
        _draw(init, name, dims, 0)
    first, again, other = (_draw(init, name, _DIMS[-1], seed) for seed in (5, 5, 6))
    for key in first:
        if not np.array_equal(first[key], again[key]):
            fail(f"Two calls with generators of the same seed gave different values of {key}: draw from the "
                 f"`rng` argument, so that a seed reproduces a run.")
        if key[0] == "W" and np.array_equal(first[key], other[key]):
            fail(f"Generators of different seeds gave the same {key}: its values do not come from the `rng` "
                 f"argument (a generator made inside the function, or a fixed seed, gives the same draws "
                 f"every time).")


def _moments(W):
    """(mean, variance, excess kurtosis) of the entries of ``W``, in float64."""
    W = np.asarray(W, dtype=np.float64).ravel()
    mean, var = float(W.mean()), float(W.var())
    kurtosis = float(np.mean((W - mean) ** 4) / var ** 2 - 3) if var > 0 else 0.0
    return mean, var, kurtosis


def _zero_mean(W, key):
    mean, var, _ = _moments(W)
    if var == 0 or abs(mean) > 6 * np.sqrt(var / W.size):  # six standard errors of the mean
        fail(f"The entries of {key} have mean {mean:.3g} (and standard deviation {np.sqrt(var):.3g}); they should "
             f"be zero-mean normal draws, rng.standard_normal(shape) times the rule's standard deviation.")


def _first_layer(init, name, expected_fn, label, hints, seed):
    """Var[W] of one (800, 200) layer against ``expected_fn(fan_in, fan_out)``; ``hints`` name wrong variances."""
    fan_in, fan_out = 800, 200  # unequal, so fan_in and fan_out mistakes differ
    W = _draw(init, name, [fan_in, fan_out], seed)["W1"]
    _zero_mean(W, "W1")
    var, expected = _moments(W)[1], expected_fn(fan_in, fan_out)  # 160,000 draws: within ~1%
    if abs(var / expected - 1) < 0.05:
        return
    hints = {v(fan_in, fan_out): text for v, text in hints}
    closest = min(hints, key=lambda v: abs(np.log(var / v)) if v > 0 and var > 0 else np.inf)
    words = hints[closest] if var > 0 and abs(var / closest - 1) < 0.05 else ""
    fail(f"For a W of shape ({fan_in}, {fan_out}), Var[W] = {var:.3g}, but {label} = {expected:.3g}. {words}".strip())


def _every_layer(init, name, expected_fn, label):
    """Each layer of a deeper net: zero mean, normal shape and the variance of its own fans."""
    params = _draw(init, name, _DEEP, 7)
    for l in range(1, len(_DEEP)):
        key, fans = f"W{l}", (_DEEP[l - 1], _DEEP[l])
        _zero_mean(params[key], key)
        mean, var, kurtosis = _moments(params[key])
        expected = expected_fn(*fans)
        if abs(var / expected - 1) > 0.1:  # at least 6,000 draws a layer: 0.1 is over five standard errors
            first = expected_fn(_DEEP[0], _DEEP[1])
            same = (" That is layer 1's value: each layer's rule uses that layer's own fans."
                    if l > 1 and abs(var / first - 1) < 0.1 else "")
            right = "W1 has the right variance, but " if l > 1 else ""
            fail(f"In a net with layer_dims={_DEEP}, {right}Var[{key}] = {var:.3g}, while {label} gives "
                 f"{expected:.3g} for its fans (n_{l - 1}, n_{l}) = {fans}.{same}")
        if abs(kurtosis) > 0.4:  # a normal sample of 6,000 has |excess kurtosis| < 0.4 but once in 10^8
            fail(f"The entries of {key} have the right variance but are not normally distributed (excess "
                 f"kurtosis {kurtosis:.2f}; a normal distribution has 0): draw them with rng.standard_normal.")


def _drawn_in_order(init, name, std_fn):
    """Each W_l is ``rng.standard_normal((n_{l-1}, n_l)) * std_fn(n_{l-1}, n_l)``, layer 1 first: the notebook
    compares two initializers given the same seed (×10 against He), so they must draw the same numbers."""
    params = _draw(init, name, _DEEP, 11)
    rng = np.random.default_rng(11)
    for l in range(1, len(_DEEP)):
        key, shape = f"W{l}", (_DEEP[l - 1], _DEEP[l])
        z = rng.standard_normal(shape)
        if np.allclose(params[key], z * std_fn(*shape), rtol=1e-5, atol=0):  # float32 results allowed
            continue
        how = ("was drawn in the shape (n_l, n_{l-1}) and transposed" if l == 1 and
               np.allclose(params[key], np.random.default_rng(11).standard_normal(shape[::-1]).T * std_fn(*shape),
                           rtol=1e-5, atol=0) else "does not hold the numbers of these draws")
        fail(f"{key} has the right distribution, but it {how}. Draw each W_l as rng.standard_normal((n_{{l-1}}, "
             f"n_l)) times its scale, layer 1 first, in float64: the notebook compares initializers given the same "
             f"seed, and they start as the same function only if they draw the same numbers in the same order.")


@exercise("initialize_zeros", reference=_course_initializer("zeros"))
def check_zeros_initialization(initialize_zeros):
    """``initialize_zeros(layer_dims, rng) -> params``: every W_l and b_l zero, float, with the right shapes."""
    for dims in _DIMS + [_DEEP]:
        _structure(call(initialize_zeros, "initialize_zeros", dims, np.random.default_rng(0)), dims,
                   "initialize_zeros", zero_weights=True)
    return "keys, shapes and float zeros correct for nets of several depths."


@exercise("initialize_random", reference=_course_random)
def check_random_initialization(initialize_random):
    """``initialize_random(layer_dims, rng, scale) -> params``: W_l ~ N(0, scale^2) from ``rng``, b_l = 0."""
    name = "initialize_random"
    _uses_rng(lambda dims, rng: initialize_random(dims, rng, 10.0), name)
    for scale in (10.0, 0.3):  # the lecture's 10, and a scale below 1 (squaring it makes it smaller)
        init = lambda dims, rng, scale=scale: initialize_random(dims, rng, scale)  # noqa: E731
        hints = [(lambda fi, fo: 1.0, "That is N(0, 1): multiply the standard normal draws by `scale`."),
                 (lambda fi, fo: scale ** 4, "That is scale^4: multiply by `scale`, not by scale**2."),
                 (lambda fi, fo: scale, "That is Var = scale: multiply by `scale`, not by sqrt(scale).")]
        if scale != 10:
            hints.append((lambda fi, fo: 100.0, "That is 10^2, the lecture's scale, not the `scale` argument."))
        _first_layer(init, name, lambda fi, fo: scale ** 2, f"scale={scale} gives scale^2", hints, seed=2)
        _every_layer(init, name, lambda fi, fo: scale ** 2, f"scale={scale}")
        _drawn_in_order(init, name, lambda fi, fo: scale)
    return "shapes, zero biases, draws from rng only, and Var[W] = scale^2 in every layer."


@exercise("initialize_he", reference=_course_initializer("he"))
def check_he_initialization(initialize_he):
    """``initialize_he(layer_dims, rng) -> params``: W_l ~ N(0, 2 / n_{l-1}) of shape (n_{l-1}, n_l); b_l = 0."""
    _uses_rng(initialize_he, "initialize_he")
    for seed in (2, 3):
        _first_layer(initialize_he, "initialize_he", lambda fi, fo: 2.0 / fi, "He initialization gives 2/fan_in", [
            (lambda fi, fo: 1.0 / fi,
             "That is 1/fan_in (LeCun). He's rule has a 2 on top: ReLU zeroes half of each z."),
            (lambda fi, fo: 2.0 / fo,
             "That is 2/fan_out: scale by the number of inputs n_{l-1}, the first dimension of W."),
            (lambda fi, fo: 1.0, "That is N(0, 1): multiply the standard normal draws by sqrt(2 / n_{l-1})."),
            (lambda fi, fo: (2.0 / fi) ** 2, "That is (2/fan_in)^2: multiply by the standard deviation "
                                              "sqrt(2 / n_{l-1}), not by the variance 2 / n_{l-1}."),
            (lambda fi, fo: 2.0 / (fi + fo), "That is 2/(fan_in + fan_out) (Xavier/Glorot), not He.")], seed)
    _every_layer(initialize_he, "initialize_he", lambda fi, fo: 2.0 / fi, "He's 2/n_{l-1}")
    _drawn_in_order(initialize_he, "initialize_he", lambda fi, fo: np.sqrt(2.0 / fi))
    return "shapes, zero biases, draws from rng only, and Var[W] = 2/fan_in in every layer."


@exercise("initialize_xavier", reference=_course_initializer("xavier"))
def check_xavier_initialization(initialize_xavier):
    """``initialize_xavier(layer_dims, rng) -> params``: W_l ~ N(0, 2 / (n_{l-1} + n_l)) from ``rng``; b_l = 0."""
    _uses_rng(initialize_xavier, "initialize_xavier")
    for seed in (2, 3):
        _first_layer(initialize_xavier, "initialize_xavier", lambda fi, fo: 2.0 / (fi + fo),
                     "Xavier initialization gives 2/(fan_in + fan_out)", [
            (lambda fi, fo: 2.0 / fi, "That is 2/fan_in (He). Xavier averages the two fans: 2/(n_{l-1} + n_l)."),
            (lambda fi, fo: 1.0 / (fi + fo), "That is 1/(fan_in + fan_out): the rule has a 2 on top."),
            (lambda fi, fo: 1.0 / fi, "That is 1/fan_in (LeCun): Xavier uses both fans, 2/(n_{l-1} + n_l)."),
            (lambda fi, fo: 1.0 / fo, "That is 1/fan_out: Xavier uses both fans, 2/(n_{l-1} + n_l)."),
            (lambda fi, fo: (2.0 / (fi + fo)) ** 2, "That is the variance squared: multiply by its square root."),
            (lambda fi, fo: 1.0, "That is N(0, 1): multiply the draws by sqrt(2 / (n_{l-1} + n_l)).")], seed)
    _every_layer(initialize_xavier, "initialize_xavier", lambda fi, fo: 2.0 / (fi + fo), "Xavier's 2/(n_{l-1} + n_l)")
    _drawn_in_order(initialize_xavier, "initialize_xavier", lambda fi, fo: np.sqrt(2.0 / (fi + fo)))
    return "shapes, zero biases, draws from rng only, and Var[W] = 2/(fan_in + fan_out) in every layer."
