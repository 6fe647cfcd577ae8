"""The Gradient_Checking exercise checks accept correct answers and reject each classic mistake, saying why."""

import numpy as np
import pytest

from course_utils import checks, gradcheck
from check_helpers import passes


def check_1d(approx_fn, error_fn=lambda g, a: abs(g - a) / (abs(g) + abs(a))):
    def gradient_check_1d(J, dJ, theta, epsilon):
        return error_fn(dJ(theta), approx_fn(J, theta, epsilon))
    return gradient_check_1d


def centered(J, theta, eps):
    return (J(theta + eps) - J(theta - eps)) / (2 * eps)


def test_1d_accepts_correct_and_package():
    assert passes(checks.check_gradient_check_1d, check_1d(centered))
    package = check_1d(lambda J, t, e: gradcheck.difference_quotient(J, t, e, kind="centered"),
                       lambda g, a: gradcheck.relative_error(np.array([g]), np.array([a])))
    assert passes(checks.check_gradient_check_1d, package)


@pytest.mark.parametrize("wrong, message", [
    (check_1d(lambda J, t, e: (J(t + e) - J(t)) / e), "You used a one-sided difference"),
    (check_1d(lambda J, t, e: (J(t) - J(t - e)) / e), "or its backward twin"),
    (check_1d(lambda J, t, e: (J(t + e) - J(t - e)) / e), "divide by 2 \\* epsilon"),
    (check_1d(centered, lambda g, a: abs(g - a)), "absolute difference"),
    (check_1d(centered, lambda g, a: abs(g - a) / abs(g)), "not by \\|g\\| alone"),
    (lambda J, dJ, t, e: centered(J, t, e), "returned the approximate derivative"),
], ids=["one-sided", "backward", "no-2", "absolute", "denominator-g", "returns-approx"])
def test_1d_rejects(wrong, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_gradient_check_1d(wrong)


# ---------------------------------------------------------------- dict <-> vector


def to_vector(order="C", keys=lambda p: list(p), column=False):
    def params_to_vector(params):
        v = np.concatenate([np.ravel(params[k], order=order) for k in keys(params)])
        return v[:, None] if column else v
    return params_to_vector


def test_params_vector_accepts_package():
    assert passes(checks.check_params_vector, gradcheck.params_to_vector, gradcheck.vector_to_params)


def back_flat(vector, like):
    sizes = np.cumsum([np.size(v) for v in like.values()])[:-1]
    return dict(zip(like, np.split(vector, sizes)))


def back_same_array(vector, like):
    return {k: v for k, v in like.items()}  # returns `like` unchanged: the numbers happen to be right


def back_column_major(vector, like):
    out, start = {}, 0
    for k, v in like.items():
        out[k] = vector[start:start + v.size].reshape(v.shape, order="F")
        start += v.size
    return out


@pytest.mark.parametrize("to, back, message", [
    (to_vector(order="F"), gradcheck.vector_to_params, "column by column"),
    (to_vector(keys=sorted), gradcheck.vector_to_params, "sorted keys"),
    (to_vector(column=True), gradcheck.vector_to_params, "returned a column"),
    (gradcheck.params_to_vector, back_flat, "reshape each piece"),
    (gradcheck.params_to_vector, back_column_major, "wrong numbers in W1"),
    (gradcheck.params_to_vector, back_same_array, "an array of `like` itself"),
    (gradcheck.params_to_vector, lambda v, like: dict(sorted(gradcheck.vector_to_params(v, like).items())),
     "keys of `like`, in its order"),
], ids=["fortran-order", "sorted-keys", "column-vector", "no-reshape", "reshape-F", "returns-like", "key-order"])
def test_params_vector_rejects(to, back, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_params_vector(to, back)


# ---------------------------------------------------------------- N-D check


def nd_check(kind="centered", restore=True, relative=True, two=True, copy=True):
    def gradient_check(J, params, grads, epsilon):
        work = {k: np.array(v, dtype=float) for k, v in params.items()} if copy else params
        errors = {}
        for key, value in work.items():
            g, approx = [], []
            for i in np.ndindex(value.shape):
                old = value[i]
                value[i] = old + epsilon
                plus = J(work)
                value[i] = old - epsilon if kind == "centered" else old
                minus = J(work)
                if restore:
                    value[i] = old
                approx.append((plus - minus) / ((2 if two else 1) * epsilon if kind == "centered" else epsilon))
                g.append(grads[key][i])
            g, approx = np.array(g), np.array(approx)
            diff = np.linalg.norm(g - approx)
            errors[key] = diff / (np.linalg.norm(g) + np.linalg.norm(approx)) if relative else diff
        return errors
    return gradient_check


def test_nd_accepts_correct_and_package_based():
    assert passes(checks.check_gradient_check, nd_check())

    def with_package(J, params, grads, epsilon):
        work = {k: v.copy() for k, v in params.items()}
        numeric = gradcheck.numerical_gradients(lambda: J(work), work, epsilon=epsilon)
        return {key: gradcheck.relative_error(grads[key], numeric[key]) for key in params}
    assert passes(checks.check_gradient_check, with_package)


@pytest.mark.parametrize("wrong, message", [
    (nd_check(kind="forward"), "You used a one-sided difference"),
    (nd_check(relative=False), "divide it by \\|\\|g\\|\\| \\+ \\|\\|g_approx\\|\\|"),
    (nd_check(two=False), "twice too big"),
    (nd_check(copy=False, restore=False), "Your check changed `params`"),
    (nd_check(restore=False), "restore it before perturbing the next"),
], ids=["one-sided", "absolute", "no-2", "mutates-params-no-restore", "copy-no-restore"])
def test_nd_rejects(wrong, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_gradient_check(wrong)
