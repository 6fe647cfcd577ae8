"""The checks of the Initialization notebook's exercises: the four initializers.

Each ``check_<name>(fn)`` runs a learner's function on several cases with known answers (several
seeds, non-square layers), compares with tolerances, and returns a one-line summary; a wrong answer
raises ``ExerciseError`` with what is wrong and how to fix it. Checks use only their argument, never
the notebook's globals, so they work in any cell order.
"""

import numpy as np

from .. import initializers
from .harness import call, exercise, fail


def _course_initializer(method):
    """The course's ``initialize_<method>(layer_dims, rng)``: the package's variance-scaling rule."""
    def initialize(layer_dims, rng):
        return initializers.initialize(layer_dims, method=method, rng=rng)
    initialize.__name__ = f"initialize_{method}"
    return initialize


def _course_random(layer_dims, rng, scale):
    """The course's ``initialize_random(layer_dims, rng, scale)``: W ~ N(0, scale^2), b = 0."""
    return initializers.initialize(layer_dims, method="random", rng=rng, scale=scale)

_DIMS = [[2, 10, 5, 1], [3, 7, 4]]  # non-square layers, two depths


def _structure(params, dims, zero_bias=True):
    """Keys, shapes and zero biases of ``params`` for ``dims``."""
    if not isinstance(params, dict):
        fail(f"Return a dict of arrays {{'W1': ..., 'b1': ...}}; got {type(params).__name__}.")
    expected_keys = [f"{p}{l}" for l in range(1, len(dims)) for p in "Wb"]
    if sorted(params) != sorted(expected_keys):
        fail(f"For layer_dims={dims} the keys should be {expected_keys}; got {list(params)}.")
    for l in range(1, len(dims)):
        W, b = np.asarray(params[f"W{l}"]), np.asarray(params[f"b{l}"])
        if W.shape == (dims[l], dims[l - 1]) and W.shape != (dims[l - 1], dims[l]):
            fail(f"W{l} has shape {W.shape}, the lecture's column convention. Here examples are rows and "
                 f"Z = A_prev @ W + b, so W{l} must have shape (n_{l - 1}, n_{l}) = {(dims[l - 1], dims[l])}.")
        if W.shape != (dims[l - 1], dims[l]):
            fail(f"W{l} should have shape {(dims[l - 1], dims[l])}; got {W.shape}.")
        if b.shape != (dims[l],):
            fail(f"b{l} should have shape {(dims[l],)}; got {b.shape}.")
        if zero_bias and np.any(b != 0):
            fail(f"b{l} should start at zero: the random weights already break the symmetry.")


def _uses_rng(init, name):
    """Same seed, same weights; different seeds, different weights."""
    dims = _DIMS[0]
    first = call(init, name, dims, np.random.default_rng(0))
    again = call(init, name, dims, np.random.default_rng(0))
    if any(not np.array_equal(first[k], again[k]) for k in first):
        fail("Two calls with generators of the same seed gave different weights. "
             "Draw from the `rng` argument (rng.standard_normal), not from np.random.")
    other = call(init, name, dims, np.random.default_rng(1))
    if all(np.array_equal(first[k], other[k]) for k in first):
        fail("Different generators gave identical weights: the weights should be random draws from `rng`.")


def _variance(init, name, expected_fn, label, hints, seed=2):
    """Var[W] of a (800, 200) layer against ``expected_fn(fan_in, fan_out)``; ``hints`` maps wrong variances."""
    fan_in, fan_out = 800, 200  # unequal, so fan_in and fan_out mistakes differ
    W = np.asarray(call(init, name, [fan_in, fan_out], np.random.default_rng(seed))["W1"], dtype=float)
    var, expected = float(W.var()), expected_fn(fan_in, fan_out)  # 160,000 draws: within ~1%
    if abs(W.mean()) > 0.05 * np.sqrt(expected):
        fail(f"The weights should have mean 0; their mean is {W.mean():.3g}. Draw from rng.standard_normal.")
    if abs(var / expected - 1) < 0.05:
        return
    hints = {v(fan_in, fan_out): text for v, text in hints}
    closest = min(hints, key=lambda v: abs(np.log(var / v)) if v > 0 and var > 0 else np.inf)
    hint = hints[closest] if var > 0 and abs(var / closest - 1) < 0.05 else ""
    fail(f"For a W of shape ({fan_in}, {fan_out}), Var[W] = {var:.3g}, but {label} = {expected:.3g}. {hint}".strip())


@exercise("initialize_zeros", reference=_course_initializer("zeros"))
def check_zeros_initialization(initialize_zeros):
    """``initialize_zeros(layer_dims, rng) -> params``: every W_l and b_l zero, with the right shapes."""
    for dims in _DIMS:
        params = call(initialize_zeros, "initialize_zeros", dims, np.random.default_rng(0))
        _structure(params, dims)
        for l in range(1, len(dims)):
            if np.any(np.asarray(params[f"W{l}"]) != 0):
                fail(f"W{l} should be all zeros (np.zeros((n_{l - 1}, n_{l}))); it has non-zero entries.")
    return "shapes and all-zero weights and biases correct."


@exercise("initialize_random", reference=_course_random)
def check_random_initialization(initialize_random):
    """``initialize_random(layer_dims, rng, scale) -> params``: W_l ~ N(0, scale^2) from ``rng``, b_l = 0."""
    for dims in _DIMS:
        _structure(call(initialize_random, "initialize_random", dims, np.random.default_rng(0), 10.0), dims)
    _uses_rng(lambda dims, rng: initialize_random(dims, rng, 10.0), "initialize_random")
    for scale in (10.0, 0.3):  # the lecture's 10, and a scale below 1 (squaring it makes it smaller)
        _variance(lambda dims, rng: initialize_random(dims, rng, scale), "initialize_random",
                  lambda fi, fo: scale ** 2, f"scale={scale} gives scale^2",
                  [(lambda fi, fo: 1.0, "That is N(0, 1): multiply the standard normal draws by `scale`."),
                   (lambda fi, fo: scale ** 4, "That is scale^4: multiply by `scale`, not by scale**2."),
                   (lambda fi, fo: scale, "That is Var = scale: multiply by `scale`, not by sqrt(scale).")])
    return "shapes, zero biases, use of rng and Var[W] = scale^2 all correct."


@exercise("initialize_he", reference=_course_initializer("he"))
def check_he_initialization(initialize_he):
    """``initialize_he(layer_dims, rng) -> params``: W_l ~ N(0, 2 / n_{l-1}) from ``rng``, shape (n_{l-1}, n_l); b_l = 0."""
    for dims in _DIMS:
        _structure(call(initialize_he, "initialize_he", dims, np.random.default_rng(0)), dims)
    _uses_rng(initialize_he, "initialize_he")
    for seed in (2, 3):
        _variance(initialize_he, "initialize_he", lambda fi, fo: 2.0 / fi, "He initialization gives 2/fan_in", [
            (lambda fi, fo: 1.0 / fi, "That is 1/fan_in (LeCun). He's rule has a 2 on top: ReLU zeroes half of each z."),
            (lambda fi, fo: 2.0 / fo, "That is 2/fan_out: scale by the number of inputs n_{l-1}, the first dimension of W."),
            (lambda fi, fo: 1.0, "That is N(0, 1): multiply the standard normal draws by sqrt(2 / n_{l-1})."),
            (lambda fi, fo: (2.0 / fi) ** 2, "That is (2/fan_in)^2: multiply by the standard deviation "
                                              "sqrt(2 / n_{l-1}), not by the variance 2 / n_{l-1}."),
            (lambda fi, fo: 2.0 / (fi + fo), "That is 2/(fan_in + fan_out) (Xavier/Glorot), not He.")], seed)
    return "shapes, zero biases, use of rng and Var[W] = 2/fan_in all correct."


@exercise("initialize_xavier", reference=_course_initializer("xavier"))
def check_xavier_initialization(initialize_xavier):
    """``initialize_xavier(layer_dims, rng) -> params``: W_l ~ N(0, 2 / (n_{l-1} + n_l)) from ``rng``; b_l = 0."""
    for dims in _DIMS:
        _structure(call(initialize_xavier, "initialize_xavier", dims, np.random.default_rng(0)), dims)
    _uses_rng(initialize_xavier, "initialize_xavier")
    for seed in (2, 3):
        _variance(initialize_xavier, "initialize_xavier", lambda fi, fo: 2.0 / (fi + fo),
                  "Xavier initialization gives 2/(fan_in + fan_out)", [
            (lambda fi, fo: 2.0 / fi, "That is 2/fan_in (He). Xavier averages the two fans: 2/(n_{l-1} + n_l)."),
            (lambda fi, fo: 1.0 / (fi + fo), "That is 1/(fan_in + fan_out): the rule has a 2 on top."),
            (lambda fi, fo: 1.0 / fi, "That is 1/fan_in (LeCun): Xavier uses both fans, 2/(n_{l-1} + n_l)."),
            (lambda fi, fo: (2.0 / (fi + fo)) ** 2, "That is the variance squared: multiply by its square root."),
            (lambda fi, fo: 1.0, "That is N(0, 1): multiply the draws by sqrt(2 / (n_{l-1} + n_l)).")], seed)
    return "shapes, zero biases, use of rng and Var[W] = 2/(fan_in + fan_out) all correct."
