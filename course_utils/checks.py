"""Self-checks for the notebooks' exercises.

Each check runs a learner's function on cases with known answers. It accepts a correct
implementation and rejects the common wrong ones, with an ``ExerciseError`` that says what
is wrong and how to fix it. On success it returns a one-line summary.
"""

import numpy as np


class ExerciseError(AssertionError):
    """A learner's function gave a wrong answer; the message says which and why."""


def _fail(message):
    raise ExerciseError(message)


def check_he_initialization(initialize_he):
    """Check ``initialize_he(layer_dims, rng) -> params`` against He et al.'s rule.

    Expected: ``W_l`` of shape ``(n_{l-1}, n_l)`` drawn from N(0, 2 / n_{l-1}) using ``rng``,
    and ``b_l`` of shape ``(n_l,)`` equal to zero.
    """
    dims = [2, 10, 5, 1]
    params = initialize_he(dims, np.random.default_rng(0))
    if not isinstance(params, dict):
        _fail(f"Return a dict of arrays {{'W1': ..., 'b1': ...}}; got {type(params).__name__}.")
    expected_keys = [f"{p}{l}" for l in range(1, len(dims)) for p in "Wb"]
    if sorted(params) != sorted(expected_keys):
        _fail(f"The keys should be {expected_keys}; got {list(params)}.")
    for l in range(1, len(dims)):
        W, b = np.asarray(params[f"W{l}"]), np.asarray(params[f"b{l}"])
        if W.shape == (dims[l], dims[l - 1]) and W.shape != (dims[l - 1], dims[l]):
            _fail(f"W{l} has shape {W.shape}, the lecture's column convention. Here examples are rows and "
                  f"Z = A_prev @ W + b, so W{l} must have shape (n_{l - 1}, n_{l}) = {(dims[l - 1], dims[l])}.")
        if W.shape != (dims[l - 1], dims[l]):
            _fail(f"W{l} should have shape {(dims[l - 1], dims[l])}; got {W.shape}.")
        if b.shape != (dims[l],):
            _fail(f"b{l} should have shape {(dims[l],)}; got {b.shape}.")
        if np.any(b != 0):
            _fail(f"b{l} should start at zero: the random weights already break the symmetry.")
    again = initialize_he(dims, np.random.default_rng(0))
    if any(not np.array_equal(params[k], again[k]) for k in params):
        _fail("Two calls with generators of the same seed gave different weights. "
              "Draw from the `rng` argument (rng.standard_normal), not from np.random.")
    other = initialize_he(dims, np.random.default_rng(1))
    if all(np.array_equal(params[k], other[k]) for k in params):
        _fail("Different generators gave identical weights: the weights should be random draws from `rng`.")
    _check_he_variance(initialize_he)
    return "check_he_initialization: shapes, zero biases, use of rng and Var[W] = 2/fan_in all correct."


def _check_he_variance(initialize_he):
    fan_in, fan_out = 800, 200  # unequal, so fan_in and fan_out mistakes differ
    W = np.asarray(initialize_he([fan_in, fan_out], np.random.default_rng(2))["W1"])
    var, expected = float(W.var()), 2.0 / fan_in  # 160,000 draws: the sample variance is within ~1%
    if abs(W.mean()) > 0.05 * np.sqrt(expected):
        _fail(f"The weights should have mean 0; their mean is {W.mean():.3g}.")
    if abs(var / expected - 1) < 0.05:
        return
    hints = {
        1.0 / fan_in: "That is 1/fan_in (LeCun). He's rule has a 2 on top: ReLU zeroes half of each z.",
        2.0 / fan_out: "That is 2/fan_out: scale by the number of inputs n_{l-1}, the first dimension of W.",
        1.0: "That is N(0, 1): multiply the standard normal draws by sqrt(2 / n_{l-1}).",
        (2.0 / fan_in) ** 2: "That is (2/fan_in)^2: multiply by the standard deviation sqrt(2 / n_{l-1}), "
                             "not by the variance 2 / n_{l-1}.",
        2.0 / (fan_in + fan_out): "That is 2/(fan_in + fan_out) (Xavier/Glorot), not He.",
    }
    closest = min(hints, key=lambda v: abs(np.log(var / v)))
    hint = hints[closest] if abs(var / closest - 1) < 0.05 else ""
    _fail(f"For a W of shape ({fan_in}, {fan_out}), Var[W] = {var:.3g}, but He initialization gives "
          f"2/fan_in = {expected:.3g}. {hint}".strip())
