"""The Gradient_Checking checks of the 1-D gradient check and of params_to_vector / vector_to_params."""

import numpy as np
import pytest

from course_utils import checks, gradcheck
from check_helpers import cpu_seconds, message, passes


def check_1d(approx_fn, error_fn=lambda g, a: abs(g - a) / (abs(g) + abs(a))):
    def gradient_check_1d(J, dJ, theta, epsilon):
        return error_fn(dJ(theta), approx_fn(J, theta, epsilon))
    return gradient_check_1d


def centered(J, theta, eps):
    return (J(theta + eps) - J(theta - eps)) / (2 * eps)


def test_1d_accepts_correct_styles_and_the_package():
    assert passes(checks.check_gradient_check_1d, check_1d(centered))
    assert passes(checks.check_gradient_check_1d, check_1d(lambda J, t, e: (J(t + e) - J(t - e)) * (0.5 / e)))
    package = check_1d(lambda J, t, e: gradcheck.difference_quotient(J, t, e, kind="centered"),
                       lambda g, a: gradcheck.relative_error(np.array([g]), np.array([a])))
    assert passes(checks.check_gradient_check_1d, package)


@pytest.mark.parametrize("wrong, words", [
    (check_1d(lambda J, t, e: (J(t + e) - J(t)) / e), "You used a one-sided difference"),
    (check_1d(lambda J, t, e: (J(t + e) - J(t - e)) / e), "divide by 2 * epsilon"),
    (check_1d(centered, lambda g, a: abs(g - a)), "absolute difference"),
    (check_1d(centered, lambda g, a: abs(g - a) / abs(g)), "not by |g| alone"),
    (check_1d(centered, lambda g, a: (g - a) / (abs(g) + abs(a))), "Your error is negative"),
    (check_1d(centered, lambda g, a: abs(g - a) / abs(g + a)), "opposite signs"),
    (check_1d(lambda J, t, e: centered(J, t, 1e-7)), "epsilon = 1e-7, not for the epsilon = 0.01 passed"),
    (check_1d(lambda J, t, e: centered(J, np.float32(t), np.float32(e))), "float32"),
    (lambda J, dJ, t, e: centered(J, t, e), "returned the approximate derivative"),
    (lambda J, dJ, t, e: check_1d(centered)(J, dJ, t, e) < 1e-7, "it returned the bool"),
], ids=["one-sided", "no-2", "absolute", "denominator-g", "no-abs", "abs-of-sum", "hard-coded-epsilon", "float32",
        "returns-approx", "verdict"])
def test_1d_names_what_it_measured(wrong, words):
    assert words in message(checks.check_gradient_check_1d, wrong)


def to_vector(order="C", keys=lambda p: list(p), column=False):
    def params_to_vector(params):
        v = np.concatenate([np.ravel(params[k], order=order) for k in keys(params)])
        return v[:, None] if column else v
    return params_to_vector


def back_flat(vector, like):
    sizes = np.cumsum([np.size(v) for v in like.values()])[:-1]
    return dict(zip(like, np.split(vector, sizes)))


def test_params_vector_accepts_the_package_and_float32_params():
    assert passes(checks.check_params_vector, gradcheck.params_to_vector, gradcheck.vector_to_params)
    ref = checks.check_params_vector.reference
    assert passes(checks.check_params_vector, *ref)


@pytest.mark.parametrize("to, back, words", [
    (to_vector(order="F"), gradcheck.vector_to_params, "column by column"),
    (to_vector(keys=sorted), gradcheck.vector_to_params, "sorted keys"),
    (to_vector(column=True), gradcheck.vector_to_params, "returned a column"),
    (lambda p: np.concatenate([v.ravel() for k, v in p.items() if k[0] == "W"]), gradcheck.vector_to_params,
     "the weights only"),
    (lambda p: [float(x) for v in p.values() for x in v.ravel()], gradcheck.vector_to_params, "1-D NumPy array"),
    (gradcheck.params_to_vector, back_flat, "it should be an array of like['W1']'s shape"),
    (gradcheck.params_to_vector, lambda v, like: {k: x.copy() for k, x in like.items()}, "like's own values"),
    (gradcheck.params_to_vector, lambda v, like: like, "like's own values"),
    (gradcheck.params_to_vector, lambda v, like: dict(sorted(gradcheck.vector_to_params(v, like).items())),
     "keys of `like`, in its order"),
    (gradcheck.params_to_vector, lambda v, like: like.update(gradcheck.vector_to_params(v, like)) or like,
     "changed its input `like`"),
], ids=["fortran-order", "sorted-keys", "column-vector", "weights-only", "list", "no-reshape", "returns-like-values",
        "returns-like", "key-order", "writes-into-like"])
def test_params_vector_names_what_it_measured(to, back, words):
    assert words in message(checks.check_params_vector, to, back)


@pytest.mark.parametrize("check", [checks.check_gradient_check_1d, checks.check_params_vector])
def test_each_check_is_quick(check):
    reference = check.reference if isinstance(check.reference, tuple) else (check.reference,)
    assert cpu_seconds(check, *reference) < 0.5
