"""Checks for the Gradient_Checking exercises: the 1-D check, dict <-> vector, the per-array N-D check.

Re-exported by ``course_utils.checks``. The centered difference and the relative error::

    g_approx = (J(theta + epsilon) - J(theta - epsilon)) / (2 epsilon)
    error    = ||g - g_approx|| / (||g|| + ||g_approx||)
"""

import numpy as np

from .. import gradcheck
from .harness import array, call, exercise, expect_shape, fail


def _course_gradient_check_1d(J, dJ, theta, epsilon):
    g_approx = gradcheck.difference_quotient(J, theta, epsilon, kind="centered")
    return gradcheck.relative_error(np.array([dJ(theta)]), np.array([g_approx]))


def _course_gradient_check(J, params, grads, epsilon):
    copies = {key: np.array(value, dtype=np.float64) for key, value in params.items()}
    numeric = gradcheck.numerical_gradients(lambda: J(copies), copies, epsilon)
    return {key: gradcheck.relative_error(grads[key], numeric[key]) for key in params}

_ONE_SIDED = ("a one-sided difference: (J(theta + eps) - J(theta)) / eps, or its backward twin, has an error of order eps; use the "
              "centered difference (J(theta + eps) - J(theta - eps)) / (2 eps), whose error is of order eps^2.")


def _relative(g, approx):
    g, approx = np.ravel(g), np.ravel(approx)
    return float(np.linalg.norm(g - approx) / (np.linalg.norm(g) + np.linalg.norm(approx)))


def _matches(got, expected):
    return abs(got - expected) <= 1e-3 * abs(expected) + 1e-9


@exercise("gradient_check_1d", reference=_course_gradient_check_1d)
def check_gradient_check_1d(gradient_check_1d):
    """``gradient_check_1d(J, dJ, theta, epsilon) -> float``: the relative error of dJ(theta) against the centered difference."""
    cases = [(lambda t: t ** 3, lambda t: 3 * t ** 2, 1.3, 1e-3, "J = theta^3, the right derivative"),
             (lambda t: t ** 3, lambda t: 3 * t ** 2 + 0.5, 1.3, 1e-3, "J = theta^3, a derivative off by 0.5"),
             (np.sin, np.cos, -0.7, 1e-4, "J = sin(theta), the right derivative"),
             (lambda t: np.exp(t), lambda t: 2 * np.exp(t), 0.4, 1e-3, "J = exp(theta), a derivative twice too big")]
    for J, dJ, theta, eps, label in cases:
        g, centered = dJ(theta), (J(theta + eps) - J(theta - eps)) / (2 * eps)
        expected = _relative(g, centered)
        got = float(array(call(gradient_check_1d, "gradient_check_1d", J, dJ, theta, eps), "the relative error"))
        if _matches(got, expected):
            continue
        forward, backward = (J(theta + eps) - J(theta)) / eps, (J(theta) - J(theta - eps)) / eps
        hints = [(_relative(g, forward), "You used " + _ONE_SIDED),
                 (_relative(g, backward), "You used " + _ONE_SIDED),
                 (_relative(g, 2 * centered), "Your difference is twice too big: divide by 2 * epsilon."),
                 (abs(g - centered), "That is the absolute difference |g - g_approx|: divide it by |g| + |g_approx|."),
                 (abs(g - centered) / abs(g), "Divide by |g| + |g_approx|, not by |g| alone."),
                 (centered, "You returned the approximate derivative; return the relative error.")]
        hint = next((text for value, text in hints if _matches(got, value)), "")
        fail(f"For {label} at theta={theta} with epsilon={eps}, the relative error should be {expected:.4g}; "
             f"you returned {got:.4g}. {hint}".strip())
    return "centered difference and relative error correct on four functions."


def _net(seed):
    rng = np.random.default_rng(seed)
    return {"W1": rng.standard_normal((3, 2)), "b1": rng.standard_normal(2),
            "W2": rng.standard_normal((2, 4)), "b2": rng.standard_normal(4)}


@exercise("params_to_vector", reference=(gradcheck.params_to_vector, gradcheck.vector_to_params))
def check_params_vector(params_to_vector, vector_to_params):
    """``params_to_vector(params) -> (n,)`` in the dict's key order, each array row by row; ``vector_to_params(vector, like)`` inverts it."""
    for seed in (0, 1):
        params = _net(seed)
        expected = np.concatenate([v.ravel() for v in params.values()])
        vector = call(params_to_vector, "params_to_vector", {k: v.copy() for k, v in params.items()})
        if np.shape(vector) == (expected.size, 1):
            fail(f"params_to_vector returned a column of shape {np.shape(vector)}; return a 1-D vector of "
                 f"shape ({expected.size},) (ravel each array, then np.concatenate).")
        expect_shape(vector, expected.shape, "params_to_vector's result", "One entry per parameter, 1-D.")
        vector = array(vector, "params_to_vector's result")
        if not np.array_equal(vector, expected):
            if np.array_equal(vector, np.concatenate([v.ravel(order="F") for v in params.values()])):
                fail("You flattened each array column by column (order='F'); the course flattens row by row, "
                     "W.ravel() (or W.reshape(-1)).")
            if np.array_equal(vector, np.concatenate([params[k].ravel() for k in sorted(params)])):
                fail("Your vector follows the sorted keys (W1, W2, b1, b2); keep the dict's own order W1, b1, W2, b2.")
            fail("params_to_vector should concatenate W1, b1, W2, b2 (the dict's order), each raveled row by row.")
        like = {k: v.copy() for k, v in params.items()}
        back = call(vector_to_params, "vector_to_params", expected.copy(), like)
        if not isinstance(back, dict) or list(back) != list(params):
            fail(f"vector_to_params should return a dict with the keys of `like`, in its order {list(params)}.")
        for key, value in params.items():
            if np.shape(back[key]) != value.shape:
                fail(f"vector_to_params gave {key} the shape {np.shape(back[key])}; reshape each piece to "
                     f"like[{key!r}].shape = {value.shape}.")
            if not np.array_equal(np.asarray(back[key]), value):
                fail(f"vector_to_params put the wrong numbers in {key}: take the next like[{key!r}].size entries "
                     f"of the vector, in order, and reshape them row by row.")
        if np.shares_memory(np.asarray(back["W1"]), like["W1"]):
            fail("vector_to_params returned an array of `like` itself: build new arrays from the vector.")
    return "order, shapes and the round trip params -> vector -> params all correct."


def _J(p):
    return float(np.sum(p["W1"] ** 3) / 3 + np.sum(np.sin(p["b1"])) + np.sum(p["W2"] ** 2) * np.sum(p["b2"]))


def _dJ(p):
    return {"W1": p["W1"] ** 2, "b1": np.cos(p["b1"]), "W2": 2 * p["W2"] * np.sum(p["b2"]),
            "b2": np.full(p["b2"].shape, np.sum(p["W2"] ** 2))}


def _numerical(p, eps, kind):
    out = {}
    for key, value in p.items():
        g = np.zeros_like(value)
        for i in np.ndindex(value.shape):
            plus, minus = {k: v.copy() for k, v in p.items()}, {k: v.copy() for k, v in p.items()}
            plus[key][i] += eps
            minus[key][i] -= eps if kind == "centered" else 0.0
            g[i] = (_J(plus) - _J(minus)) / (2 * eps if kind == "centered" else eps)
        out[key] = g
    return out


@exercise("gradient_check", reference=_course_gradient_check)
def check_gradient_check(gradient_check):
    """``gradient_check(J, params, grads, epsilon) -> {name: relative error}``, one error per array of ``params``.

    For each array, the centered differences of J (a function of the whole dict), one entry at a time,
    and ``||g - g_approx|| / (||g|| + ||g_approx||)`` over that array's entries; ``params`` left as it was.
    """
    for seed, eps in [(2, 1e-4), (3, 1e-5)]:
        params = _net(seed)
        good = _dJ(params)
        bad = {k: v.copy() for k, v in good.items()}
        bad["W2"][1, 2] += 0.3  # one wrong entry, the planted bug
        numeric = _numerical(params, eps, "centered")
        for grads, label in [(good, "the right gradients"), (bad, "gradients with one wrong entry in W2")]:
            expected = {k: _relative(grads[k], numeric[k]) for k in params}
            mine = {k: v.copy() for k, v in params.items()}
            got = call(gradient_check, "gradient_check", _J, mine, grads, eps)
            if any(not np.array_equal(mine[k], params[k]) for k in params):
                fail("Your check changed `params`: perturb copies, or put every entry back after evaluating J.")
            if not isinstance(got, dict) or sorted(got) != sorted(params):
                fail(f"Return a dict with one relative error per array, keys {list(params)}; "
                     f"got {type(got).__name__}{' with keys ' + str(list(got)) if isinstance(got, dict) else ''}.")
            for key in params:
                value = float(array(got[key], f"the relative error of {key}"))
                ok = value < 1e-7 if expected[key] < 1e-8 else _matches(value, expected[key])
                if ok:
                    continue
                hints = [(_relative(grads[key], _numerical(params, eps, "forward")[key]), "You used " + _ONE_SIDED),
                         (np.linalg.norm(np.ravel(grads[key]) - np.ravel(numeric[key])),
                          "That is ||g - g_approx|| alone: divide it by ||g|| + ||g_approx||."),
                         (_relative(grads[key], 2 * numeric[key]),
                          "Your differences are twice too big: divide by 2 * epsilon.")]
                hint = next((text for v, text in hints if _matches(value, v)), "")
                if not hint and expected[key] < 1e-8:
                    hint = ("A correct gradient should give an error below 1e-7. Perturb one entry at a time, and "
                            "restore it before perturbing the next.")
                fail(f"For {label} (epsilon={eps}) the relative error of {key} should be {expected[key]:.3g}; "
                     f"you returned {value:.3g}. {hint}".strip())
    return "one relative error per array, from centered differences of every entry; params left as they were."
