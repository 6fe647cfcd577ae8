"""The Gradient_Checking check of the N-D gradient check: one relative error per array, params left as they were."""

import numpy as np
import pytest

from course_utils import checks, gradcheck
from check_helpers import cpu_seconds, message, passes


def nd_check(kind="centered", restore=True, relative=True, two=True, copy=True, guard=True):
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
            diff, norms = np.linalg.norm(g - approx), np.linalg.norm(g) + np.linalg.norm(approx)
            errors[key] = (diff / norms if norms or not guard else 0.0) if relative else diff
        return errors
    return gradient_check


def restore_by_arithmetic(J, params, grads, epsilon):
    """Perturbs params in place and restores by arithmetic (+eps, -2 eps, +eps): a few ulp off, and correct."""
    errors = {}
    for key, x in params.items():
        approx = np.zeros(x.shape)
        for i in np.ndindex(x.shape):
            x[i] += epsilon
            plus = J(params)
            x[i] -= 2 * epsilon
            minus = J(params)
            x[i] += epsilon
            approx[i] = (plus - minus) / (2 * epsilon)
        errors[key] = gradcheck.relative_error(grads[key], approx)
    return errors


def test_correct_styles_pass():
    assert passes(checks.check_gradient_check, nd_check())
    assert passes(checks.check_gradient_check, nd_check(copy=False))  # in place, each entry put back
    assert passes(checks.check_gradient_check, restore_by_arithmetic)
    assert passes(checks.check_gradient_check, checks.check_gradient_check.reference)


@pytest.mark.parametrize("wrong, words", [
    (nd_check(kind="forward"), "You used a one-sided difference"),
    (nd_check(relative=False), "That is ||g - g_approx|| alone"),
    (nd_check(two=False), "twice too big"),
    (nd_check(copy=False, restore=False), "Your check changed `params`"),
    (nd_check(restore=False), "put each entry back before perturbing the next"),
    (nd_check(guard=False), "0/0 = NaN; the error is 0 when both norms are 0"),
    (lambda J, params, grads, eps: {k: v for k, v in nd_check()(J, params, grads, eps).items() if k[0] == "W"},
     "missing ['b1', 'b2', 'c']: every array of params is checked"),
    (lambda J, params, grads, eps: float(np.mean(list(nd_check()(J, params, grads, eps).values()))),
     "should return a dict {name: relative error}"),
    (lambda J, params, grads, eps: {k: J(v) for k, v in params.items()}, "J takes the dict of all the parameters"),
], ids=["one-sided", "absolute", "no-2", "no-restore-in-place", "no-restore-on-copy", "nan", "weights-only",
        "one-number", "J-on-array"])
def test_names_what_it_measured(wrong, words):
    assert words in message(checks.check_gradient_check, wrong)


def test_an_opposite_sign_is_told_with_the_denominator():
    def norm_of_sum(J, params, grads, eps):
        errors = {}
        for key, value in params.items():
            approx = gradcheck.numerical_gradient(lambda x, k=key: J({**params, k: x}), value.copy(), eps)
            errors[key] = np.linalg.norm(grads[key] - approx) / max(np.linalg.norm(grads[key] + approx), 1e-300)
        return errors
    assert "||g + g_approx||" in message(checks.check_gradient_check, norm_of_sum)


def test_is_quick():
    assert cpu_seconds(checks.check_gradient_check, nd_check()) < 0.5
