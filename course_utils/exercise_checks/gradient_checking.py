"""The checks of the Gradient_Checking notebook's 1-D check and dict <-> vector exercises.

(The N-D check, one relative error per array, is checked in ``gradient_check_nd``.) The centered
difference and the relative error::

    g_approx = (J(theta + epsilon) - J(theta - epsilon)) / (2 epsilon)
    error    = |g - g_approx| / (|g| + |g_approx|)

``check_gradient_check_1d`` tries right derivatives and wrong ones (off by a constant, twice too big,
of the opposite sign) at several epsilons, down to 1e-7 where float32 arithmetic breaks; it records what
``J`` is called with. ``check_params_vector`` tries nets of two and three layers (float64 and float32) in
the dict's own key order, a vector of values unlike ``like``'s, and tests that neither function changes
its inputs and that the round trip gives ``params`` back.
"""

import numpy as np

from .. import gradcheck
from .harness import call, describe, exercise, fail, hint, wrong_kind
from .probes import number, unchanged


def _course_gradient_check_1d(J, dJ, theta, epsilon):
    g_approx = gradcheck.difference_quotient(J, theta, epsilon, kind="centered")
    return gradcheck.relative_error(np.array([dJ(theta)]), np.array([g_approx]))


ONE_SIDED = ("a one-sided difference: (J(theta + eps) - J(theta)) / eps, or its backward twin, has an error of order "
             "eps; use the centered difference (J(theta + eps) - J(theta - eps)) / (2 eps), whose error is of order "
             "eps^2.")
FLOAT32 = ("J was called with {} numbers: in float32 (about 7 digits) theta ± epsilon rounds, and the differences "
           "lose their precision; compute in float64.")


class Recorded:
    """A function that notes the dtypes it was called with (``float32`` shows a learner's cast)."""

    def __init__(self, fn):
        self.fn, self.dtypes = fn, set()

    def __call__(self, x):
        self.dtypes.add(np.asarray(x).dtype.name)
        return self.fn(x)


def _rel(g, a):
    g, a = np.float64(g), np.float64(a)  # 0/0 is NaN here, not a ZeroDivisionError
    return abs(g - a) / (abs(g) + abs(a))


_FUNCTIONS = {"theta^3": (lambda t: t ** 3, lambda t: 3 * t ** 2), "sin(theta)": (np.sin, np.cos),
              "exp(theta)": (np.exp, np.exp), "cos(theta)": (np.cos, lambda t: -np.sin(t))}
_CASES = [("theta^3", 1.3, 1e-2, 1.0, 0.0, "the right derivative"),
          ("theta^3", 1.3, 1e-4, 1.0, 0.5, "a derivative off by 0.5"),
          ("sin(theta)", -0.7, 1e-4, 1.0, 0.0, "the right derivative"),
          ("exp(theta)", 0.4, 1e-3, 2.0, 0.0, "a derivative twice too big"),
          ("theta^3", 1.3, 1e-3, -0.8, 0.0, "a derivative of the opposite sign (-0.8 times the right one)"),
          ("cos(theta)", 2.0, 1e-7, 1.0, 0.0, "the right derivative")]


def _hint_1d(got, J, dJ, theta, eps, g, centered):
    """Why a 1-D relative error is wrong, from the usual mistakes it matches (or "")."""
    if got < 0:
        return ("Your error is negative: the relative error is |g - g_approx| / (|g| + |g_approx|), with absolute "
                "values, never below 0.")
    forward, backward = (J(theta + eps) - J(theta)) / eps, (J(theta) - J(theta - eps)) / eps
    tiny = (J(theta + 1e-7) - J(theta - 1e-7)) / 2e-7
    g, centered = np.float64(g), np.float64(centered)
    hints = [(abs(g - centered) / abs(g + centered),
              f"Your denominator is |g + g_approx|, which nearly vanishes when g and g_approx have opposite signs "
              f"(here g = {g:.3g}, g_approx = {centered:.3g}): use |g| + |g_approx|."),
             (_rel(g, forward), "You used " + ONE_SIDED), (_rel(g, backward), "You used " + ONE_SIDED),
             (_rel(g, 2 * centered), "Your difference is twice too big: divide by 2 * epsilon."),
             (_rel(g, J(theta + eps) - J(theta - eps) / (2 * eps)), "Your g_approx is J(theta + eps) - J(theta - eps) "
              "/ (2 eps): the whole difference is divided by 2 epsilon."),
             (abs(g - centered), "That is the absolute difference |g - g_approx|: divide it by |g| + |g_approx|."),
             (abs(g - centered) / abs(g), "Divide by |g| + |g_approx|, not by |g| alone."),
             (abs(g - centered) / abs(centered), "Divide by |g| + |g_approx|, not by |g_approx| alone."),
             (centered, "You returned the approximate derivative; return the relative error."),
             (_rel(dJ(theta + eps), centered), "That compares g_approx with dJ(theta + epsilon); g is dJ(theta)."),
             (_rel(g, tiny), f"That is the error for epsilon = 1e-7, not for the epsilon = {eps:g} passed.")]
    return hint(hints, lambda value: abs(got - value) <= 1e-6 * abs(value) + 1e-12)


def _float32_kept(gradient_check_1d):
    """Given float32 theta and epsilon, the differences must be taken in float32 (the notebook's float32 curve)."""
    theta, eps = np.float32(1.3), np.float32(1e-3)
    J, dJ = Recorded(lambda t: t ** 3), Recorded(lambda t: 3 * t ** 2)
    got = number(call(gradient_check_1d, "gradient_check_1d", J, dJ, theta, eps), "gradient_check_1d",
                 "the relative error, one number")
    g = dJ.fn(theta)
    expected = _rel(g, (J.fn(theta + eps) - J.fn(theta - eps)) / (np.float32(2) * eps))  # float32 rounding: ~1e-4
    if "float64" in J.dtypes:
        fail("Given theta and epsilon as float32 numbers, your function called J with float64 ones (a float() or "
             "np.float64 cast, or float64 arithmetic): keep theta's precision, so that a float32 experiment "
             "measures float32's rounding.")
    if not abs(got - expected) <= 1e-2 * expected:
        fail(f"For J = theta^3 at theta=1.3 with theta and epsilon=0.001 in float32, the relative error should be "
             f"{expected:.4g} (float32 rounding); you returned {got:.4g}.")


@exercise("gradient_check_1d", reference=_course_gradient_check_1d)
def check_gradient_check_1d(gradient_check_1d):
    """``gradient_check_1d(J, dJ, theta, epsilon) -> float``: the relative error of dJ(theta) against g_approx."""
    for label, theta, eps, factor, offset, which in _CASES:
        J0, dJ0 = _FUNCTIONS[label]
        J, dJ = Recorded(J0), Recorded(lambda t, d=dJ0: factor * d(t) + offset)
        g, centered = float(dJ.fn(theta)), float((J0(theta + eps) - J0(theta - eps)) / (2 * eps))
        expected = _rel(g, centered)
        got = number(call(gradient_check_1d, "gradient_check_1d", J, dJ, theta, eps), "gradient_check_1d",
                     "the relative error, one number")
        if abs(got - expected) <= 1e-6 * expected + 1e-9:
            continue
        words = (FLOAT32.format("float32") if "float32" in J.dtypes | dJ.dtypes else
                 _hint_1d(got, J0, dJ.fn, theta, eps, g, centered))
        fail(f"For J = {label} and {which}, at theta={theta} with epsilon={eps:g}, the relative error should be "
             f"{expected:.4g}; you returned {got:.4g}. {words}".strip())
    _float32_kept(gradient_check_1d)
    return ("centered difference and relative error correct for several functions and steps, with right and "
            "wrong derivatives.")


# ---------------------------------------------------------------- dict <-> vector

_NETS = [({"W1": (3, 2), "b1": (2,), "W2": (2, 4), "b2": (4,)}, np.float64),
         ({"W1": (4, 3), "b1": (3,), "W2": (3, 5), "b2": (5,), "W3": (5, 1), "b3": (1,)}, np.float32)]


def _net(shapes, dtype, seed):
    rng = np.random.default_rng(seed)
    return {key: rng.standard_normal(shape).astype(dtype) for key, shape in shapes.items()}


def _to_vector(params_to_vector, params):
    given = {k: v.copy() for k, v in params.items()}
    arrays = dict(given)
    vector = call(params_to_vector, "params_to_vector", given)
    if list(given) != list(params) or any(given[k] is not arrays[k] for k in params):
        fail("params_to_vector changed its input `params` in place (it replaced or reshaped arrays of the dict); "
             "leave the caller's dict as it was and build the vector from copies.")
    unchanged("params_to_vector", "params", params, given)
    if not isinstance(vector, np.ndarray):
        wrong_kind("params_to_vector", vector, "a 1-D NumPy array")
    return vector


def _check_vector(vector, params):
    expected = np.concatenate([v.ravel() for v in params.values()])
    if vector.shape == (expected.size, 1):
        fail(f"params_to_vector returned a column of shape {vector.shape}; return a 1-D vector of shape "
             f"({expected.size},), one entry per parameter.")
    weights = np.concatenate([v.ravel() for k, v in params.items() if k[0] == "W"])
    if vector.shape == weights.shape and np.array_equal(vector, weights):
        fail("params_to_vector's vector holds the weights only: every array of params goes in, the biases too.")
    if vector.shape != expected.shape:
        fail(f"params_to_vector returned shape {vector.shape}; for {list(params)} with {expected.size} entries in "
             f"all it should be ({expected.size},).")
    if not np.array_equal(vector, expected):
        if np.array_equal(vector, np.concatenate([v.ravel(order="F") for v in params.values()])):
            fail("You flattened each array column by column (order='F'); the course flattens row by row, "
                 "W.ravel() (or W.reshape(-1)).")
        if np.array_equal(vector, np.concatenate([params[k].ravel() for k in sorted(params)])):
            fail(f"Your vector follows the sorted keys {sorted(params)}; keep the dict's own order {list(params)}.")
        fail(f"params_to_vector should concatenate {', '.join(params)} (the dict's order), each raveled row by row.")


def _check_back(vector_to_params, vector, like):
    given_vector, given_like = vector.copy(), {k: v.copy() for k, v in like.items()}
    arrays = dict(given_like)
    back = call(vector_to_params, "vector_to_params", given_vector, given_like)
    if list(given_like) != list(like) or any(given_like[k] is not arrays[k] for k in like):
        fail("vector_to_params changed its input `like` in place; leave it as it was and build new arrays.")
    unchanged("vector_to_params", "like", like, given_like)
    unchanged("vector_to_params", "vector", vector, given_vector)
    if not isinstance(back, dict):
        wrong_kind("vector_to_params", back, f"a dict with the keys of `like`, {list(like)}")
    if list(back) != list(like):
        fail(f"vector_to_params should return a dict with the keys of `like`, in its order {list(like)}; "
             f"got {list(back)}.")
    start = 0
    for key, value in like.items():
        piece = vector[start:start + value.size]
        start += value.size
        if not isinstance(back[key], np.ndarray) or back[key].shape != value.shape:
            fail(f"vector_to_params gave {key} {describe(back[key])}; it should be an array of like[{key!r}]'s "
                 f"shape {value.shape}.")
        if np.array_equal(back[key], value) and not np.array_equal(piece, value.ravel()):
            fail(f"vector_to_params returned like's own values for {key}: the values come from `vector` (the check "
                 f"passes a vector unlike `like`).")
        if not np.array_equal(back[key].ravel(), piece):
            fail(f"vector_to_params put the wrong numbers in {key}: it takes the next like[{key!r}].size = "
                 f"{value.size} entries of the vector, in order, reshaped row by row.")
        if np.shares_memory(back[key], given_like[key]):
            fail(f"vector_to_params returned an array of `like` itself for {key}: build new arrays from the vector.")
    return back


@exercise("params_to_vector", reference=(gradcheck.params_to_vector, gradcheck.vector_to_params))
def check_params_vector(params_to_vector, vector_to_params):
    """``params_to_vector(params) -> (n,)``, the arrays in the dict's key order, each row by row, and its inverse
    ``vector_to_params(vector, like) -> dict``."""
    for seed, (shapes, dtype) in enumerate(_NETS):
        params = _net(shapes, dtype, seed)
        vector = _to_vector(params_to_vector, params)
        _check_vector(vector, params)
        _check_back(vector_to_params, (2 * vector + 1).astype(vector.dtype), params)
        back = _check_back(vector_to_params, vector, params)
        if any(not np.array_equal(back[k], params[k]) for k in params):
            fail("The round trip vector_to_params(params_to_vector(params), params) does not give params back.")
    return "order, shapes, values and the round trip params -> vector -> params correct; inputs left unchanged."
