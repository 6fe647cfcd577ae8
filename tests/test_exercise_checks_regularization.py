"""The Regularization checks: the L2 cost over every layer, its gradient term, dropout forward and backward."""

import numpy as np
import pytest

from course_utils import checks, regularization
from check_helpers import cpu_seconds, message, passes


def weights(params):
    return [v for k, v in params.items() if k.startswith("W")]


def test_the_package_and_other_correct_styles_pass():
    assert passes(checks.check_l2_cost, lambda ce, p, l2, m: ce + regularization.l2_penalty(p, l2, m))
    assert passes(checks.check_l2_cost, lambda ce, p, l2, m: ce + l2 / (2 * m) * sum(np.linalg.norm(W) ** 2
                                                                                    for W in weights(p)))
    assert passes(checks.check_l2_backward, regularization.l2_gradient)
    assert passes(checks.check_l2_backward, lambda W, l2, m: (np.float32(l2) / np.float32(m)) * W)
    assert passes(checks.check_dropout_forward, checks.check_dropout_forward.reference)
    assert passes(checks.check_dropout_forward, lambda A, keep, rng: [A * (m := rng.random(A.shape) < keep) / keep,
                                                                      m.astype(np.float32)])
    assert passes(checks.check_dropout_backward, regularization.apply_dropout)


@pytest.mark.parametrize("wrong, words", [
    (lambda ce, p, l2, m: ce + l2 / (2 * m) * (np.sum(p["W1"] ** 2) + np.sum(p["W2"] ** 2)), "but not W3"),
    (lambda ce, p, l2, m: ce + l2 / (2 * m) * sum(np.sum(v ** 2) for v in p.values()), "includes the biases"),
    (lambda ce, p, l2, m: ce + l2 / m * sum(np.sum(W ** 2) for W in weights(p)), "(that is lambda/m)"),
    (lambda ce, p, l2, m: ce + l2 / 2 * sum(np.sum(W ** 2) for W in weights(p)), "(that is lambda/2, without m)"),
    (lambda ce, p, l2, m: ce + 0.7 / (2 * m) * sum(np.sum(W ** 2) for W in weights(p)), "not the l2 argument"),
    (lambda ce, p, l2, m: ce + l2 / (2 * m) * sum(np.linalg.norm(W) for W in weights(p)), "not their squares"),
    (lambda ce, p, l2, m: l2 / (2 * m) * sum(np.sum(W ** 2) for W in weights(p)), "the penalty alone"),
    (lambda ce, p, l2, m: (ce, 0.0), "should return the cost, one number; it returned a tuple"),
], ids=["two-layers-only", "biases", "no-half", "no-m", "hard-coded-lambda", "norms", "penalty-only", "tuple"])
def test_l2_cost_names_what_it_measured(wrong, words):
    assert words in message(checks.check_l2_cost, wrong)


def test_l2_cost_must_not_change_params():
    def squares_in_place(ce, params, l2, m):
        for W in weights(params):
            W **= 2
        return ce + l2 / (2 * m) * sum(np.sum(W) for W in weights(params))
    assert "changed its input `params` in place" in message(checks.check_l2_cost, squares_in_place)


@pytest.mark.parametrize("wrong, words", [
    (lambda W, l2, m: l2 / (2 * m) * W, "the penalty's own factor"),
    (lambda W, l2, m: 2 * l2 / m * W, "twice lambda/m"),
    (lambda W, l2, m: l2 * W, "without the division by m"),
    (lambda W, l2, m: -l2 / m * W, "the opposite sign"),
    (lambda W, l2, m: l2 / m * W ** 2, "Yours is (lambda/m) · W^2"),
    (lambda W, l2, m: (l2 / m * W).T, "it should have shape (4, 3), the shape of W"),
    (lambda W, l2, m: W.__imul__(l2 / m), "changed its input `W` in place"),
], ids=["half", "double", "no-m", "sign", "squared", "transposed", "in-place"])
def test_l2_backward_names_what_it_measured(wrong, words):
    assert words in message(checks.check_l2_backward, wrong)


def forward(mask_fn, scale_fn=lambda A, mask, keep: A * mask / keep):
    def dropout_forward(A, keep_prob, rng):
        mask = mask_fn(A, keep_prob, rng)
        return scale_fn(A, mask, keep_prob), mask
    return dropout_forward


def good_mask(A, keep, rng):
    return rng.random(A.shape) < keep


@pytest.mark.parametrize("wrong, words", [
    (forward(good_mask, lambda A, mask, keep: A * mask), "not rescaled"),
    (forward(lambda A, keep, rng: rng.random(A.shape) > keep), "That is 1 - keep_prob"),
    (forward(good_mask, lambda A, mask, keep: A * mask * keep), "divide by keep_prob instead"),
    (forward(lambda A, keep, rng: np.random.random(A.shape) < keep), "global generator"),
    (forward(lambda A, keep, rng: np.random.default_rng(1).random(A.shape) < keep), "different seeds gave the same mask"),
    (forward(lambda A, keep, rng: rng.random(A.shape[1]) < keep), "one draw per entry"),
    (forward(lambda A, keep, rng: rng.random(A.shape) * keep), "should hold 0s and 1s"),
    (forward(lambda A, keep, rng: rng.random(A.shape) < 0.8), "keeps 80"),
    (forward(lambda A, keep, rng: rng.standard_normal(A.shape) < keep), "it should keep each one with probability"),
    (lambda A, keep, rng: forward(good_mask)(A, keep, rng)[0], "should return the pair (A_drop, mask)"),
], ids=["no-rescale", "greater", "times-keep", "global-rng", "fixed-seed", "mask-per-column", "soft-mask",
        "hard-coded-keep", "normal-draws", "no-mask"])
def test_dropout_forward_names_what_it_measured(wrong, words):
    assert words in message(checks.check_dropout_forward, wrong)


@pytest.mark.parametrize("wrong, words", [
    (lambda dA, mask, keep: dA * mask, "not rescaled"),
    (lambda dA, mask, keep: dA / keep, "It ignores the mask"),
    (lambda dA, mask, keep: dA * (1 - mask) / keep, "passes the dropped units"),
    (lambda dA, mask, keep: dA * mask / 0.8, "dA * mask / 0.8, but keep_prob = 0.5"),
    (lambda dA, mask, keep: dA * (np.random.rand(*dA.shape) < keep) / keep, "draws no random numbers"),
    (lambda dA, mask, keep: (dA * mask / keep).T, "the shape of dA"),
], ids=["no-rescale", "no-mask", "complement", "hard-coded-keep", "new-mask", "transposed"])
def test_dropout_backward_names_what_it_measured(wrong, words):
    assert words in message(checks.check_dropout_backward, wrong)


@pytest.mark.parametrize("check", [checks.check_l2_cost, checks.check_l2_backward, checks.check_dropout_forward,
                                   checks.check_dropout_backward])
def test_each_check_is_quick(check):
    assert cpu_seconds(check, check.reference) < 0.5
