"""The check of the Gradient_Checking notebook's N-D gradient check: one relative error per array.

``gradient_check(J, params, grads, epsilon) -> {name: ||g - g_approx|| / (||g|| + ||g_approx||)}``, where
``g_approx`` holds the centered differences of ``J`` (a function of the whole dict) for every entry of the
array, one entry at a time, ``params`` is left as it was (restoring by arithmetic, within a few ulp, is
fine) and an array whose gradient and differences are both zero has error 0.

The check runs a small tanh net at two epsilons (1e-5, and 1e-2 where the differences' truncation error
shows), with ``grads`` that differ per array: slightly off, of the opposite sign, right, twice too big,
and all zero for an array ``J`` ignores. It records what ``J`` is called with.
"""

import numpy as np

from .. import gradcheck
from .gradient_checking import FLOAT32, ONE_SIDED
from .harness import call, describe, exercise, fail, hint, wrong_kind


def _course_gradient_check(J, params, grads, epsilon):
    copies = {key: np.array(value, dtype=np.float64) for key, value in params.items()}
    numeric = gradcheck.numerical_gradients(lambda: J(copies), copies, epsilon)
    return {key: gradcheck.relative_error(grads[key], numeric[key]) for key in params}


_X = np.random.default_rng(11).standard_normal((5, 3))
_WHAT = {"W1": "slightly off", "b1": "of the opposite sign", "W2": "right", "b2": "twice too big",
         "c": "zero: J does not depend on c"}


class _J:
    """J(params) of a one-hidden-layer tanh net (``c`` unused); notes the dtypes of the arrays it is given."""

    def __init__(self):
        self.dtypes = set()

    def __call__(self, p):
        if not isinstance(p, dict):
            raise TypeError(f"J takes the dict of all the parameters; it was given {describe(p)}")
        self.dtypes |= {np.asarray(v).dtype.name for v in p.values()}
        out = np.tanh(_X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
        return float(0.5 * np.mean(np.sum(out ** 2, axis=1)) + 0.1 * np.sum(np.sin(p["W1"])))


def _params():
    rng = np.random.default_rng(3)
    return {"W1": rng.standard_normal((3, 4)), "b1": rng.standard_normal(4), "W2": rng.standard_normal((4, 2)),
            "b2": rng.standard_normal(2), "c": np.zeros(2)}


def _differences(J, params, eps, kind="centered", rows=False):
    """Centered (or forward) differences of J for every entry (or every row, ``rows``) of every array."""
    J0, out = J(params), {}
    for key, value in params.items():
        out[key] = np.zeros(value.shape)
        for i in (range(len(value)) if rows else np.ndindex(value.shape)):
            plus = {k: v.copy() for k, v in params.items()}
            minus = {k: v.copy() for k, v in params.items()}
            plus[key][i] += eps
            minus[key][i] -= eps
            out[key][i] = (J(plus) - J(minus)) / (2 * eps) if kind == "centered" else (J(plus) - J0) / eps
    return out


def _unrestored(J, params, eps):
    """The centered differences of a check that perturbs one copy of params and never puts the entries back."""
    work, out = {k: v.copy() for k, v in params.items()}, {}
    for key, value in work.items():
        out[key] = np.zeros(value.shape)
        for i in np.ndindex(value.shape):
            old = value[i]
            value[i] = old + eps
            plus = J(work)
            value[i] = old - eps
            out[key][i] = (plus - J(work)) / (2 * eps)
    return out


def _relative(g, a):
    denominator = np.linalg.norm(g) + np.linalg.norm(a)
    return 0.0 if denominator == 0 else float(np.linalg.norm(g - a) / denominator)


def _hint(value, key, g, approx, J, params, eps):
    """Why the error of ``key`` is wrong, from the usual mistakes it matches (or "")."""
    if J.dtypes - {"float64"}:
        return FLOAT32.format("/".join(sorted(J.dtypes - {"float64"})))
    a = approx[key]
    if np.isnan(value) and not np.any(g) and not np.any(a):
        return (f"{key}'s gradient and its centered differences are both all zero, so the ratio is 0/0 = NaN; the "
                f"error is 0 when both norms are 0.")
    with np.errstate(all="ignore"):
        candidates = [
            (np.linalg.norm(g - a) / np.linalg.norm(g + a), "Your denominator is ||g + g_approx||, which nearly "
             "vanishes when g and g_approx have opposite signs: use ||g|| + ||g_approx||."),
            (_relative(g, _differences(J, params, eps, "forward")[key]), "You used " + ONE_SIDED),
            (_relative(g, 2 * a), "Your differences are twice too big: divide by 2 * epsilon."),
            (np.linalg.norm(g - a), "That is ||g - g_approx|| alone: divide it by ||g|| + ||g_approx||."),
            (np.max(np.abs(g - a)), "That is the largest absolute difference; the error is the relative one, "
                                    "||g - g_approx|| / (||g|| + ||g_approx||), over the whole array."),
            (np.mean(np.abs(g - a) / (np.abs(g) + np.abs(a))), "That is the mean of the entries' relative errors; "
             "the error is one ratio of norms over the whole array, ||g - g_approx|| / (||g|| + ||g_approx||)."),
            (_relative(g, _differences(J, params, 1e-7)[key]), f"That is the error for epsilon = 1e-7, not for "
                                                              f"the epsilon = {eps:g} passed."),
            (_relative(g, _differences(J, params, eps, rows=True)[key]), f"That is what perturbing a whole row "
             f"{key}[i] at once gives: perturb one entry at a time (every index of np.ndindex(shape))."),
            (_relative(g, _unrestored(J, params, eps)[key]), "That is what perturbations never undone give: put each "
             "entry back before perturbing the next."),
        ]
    return hint(candidates, lambda v: abs(value - v) <= 1e-6 * abs(v) + 1e-9)


@exercise("gradient_check", reference=_course_gradient_check)
def check_gradient_check(gradient_check):
    """``gradient_check(J, params, grads, epsilon) -> {name: relative error}``, one error per array of ``params``."""
    name = "gradient_check"
    for eps in (1e-5, 1e-2):
        J, params = _J(), _params()
        approx = _differences(J, params, eps)
        exact = _differences(J, params, 1e-6)
        noise = np.random.default_rng(4).standard_normal(params["W1"].shape)
        grads = {"W1": exact["W1"] * (1 + 1e-3 * noise), "b1": -exact["b1"], "W2": exact["W2"],
                 "b2": 2 * exact["b2"], "c": np.zeros(2)}
        expected = {k: _relative(grads[k], approx[k]) for k in params}
        given, given_grads = {k: v.copy() for k, v in params.items()}, {k: v.copy() for k, v in grads.items()}
        arrays = dict(given)
        J.dtypes.clear()
        got = call(gradient_check, name, J, given, given_grads, eps)
        if list(given) != list(params) or any(given[k] is not arrays[k] for k in params):
            fail("Your check replaced arrays of `params` (or its keys): leave the dict and its arrays as they were.")
        for k in params:
            moved = np.abs(given[k] - params[k])
            if not np.all(moved <= 4 * np.spacing(np.abs(params[k]) + eps)):
                fail(f"Your check changed `params`: after it, {k} differs from before by up to {np.max(moved):.3g}. "
                     f"Perturb copies, or put every entry back after evaluating J.")
            if not np.array_equal(given_grads[k], grads[k]):
                fail(f"Your check changed `grads` ({k}): leave it as it was.")
        if not isinstance(got, dict):
            wrong_kind(name, got, f"a dict {{name: relative error}} with one number per array of params, "
                                  f"keys {list(params)}")
        if set(got) != set(params):
            missing = [k for k in params if k not in got]
            fail(f"Return one relative error per array of params, keys {list(params)}; got keys {list(got)}"
                 + (f" (missing {missing}: every array of params is checked)." if missing else "."))
        for key in params:
            value = got[key]
            if isinstance(value, (bool, np.bool_)) or np.ndim(value) != 0 or \
                    not np.issubdtype(np.asarray(value).dtype, np.number):
                fail(f"`{name}` should return one number, the relative error, for each array; for {key} it returned "
                     f"{describe(value)}.")
            value = float(value)
            if abs(value - expected[key]) <= 1e-6 * expected[key] + 1e-8:
                continue
            words = _hint(value, key, grads[key], approx, J, params, eps)
            fail(f"With epsilon={eps:g}, for {key} (its gradient is {_WHAT[key]}) the relative error should be "
                 f"{expected[key]:.3g}; you returned {value:.3g}. {words}".strip())
    return ("one relative error per array, from centered differences of every entry, correct for right and "
            "buggy gradients; params left as they were.")
