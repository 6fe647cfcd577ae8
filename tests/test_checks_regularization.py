"""The Regularization exercise checks accept correct answers and reject each classic mistake, saying why."""

import numpy as np
import pytest

from course_utils import checks, regularization
from check_helpers import passes


def l2_cost_package(cross_entropy, params, l2, m):
    return cross_entropy + regularization.l2_penalty(params, l2, m)


def weights(params):
    return [v for k, v in params.items() if k.startswith("W")]


def test_l2_accepts_package():
    assert passes(checks.check_l2_cost, l2_cost_package)
    assert passes(checks.check_l2_backward, regularization.l2_gradient)
    # the Frobenius norm squared is another correct way
    assert passes(checks.check_l2_cost, 
        lambda ce, p, l2, m: ce + l2 / (2 * m) * sum(np.linalg.norm(W) ** 2 for W in weights(p)))


@pytest.mark.parametrize("wrong, message", [
    (lambda ce, p, l2, m: ce + l2 / 2 * sum(np.sum(W ** 2) for W in weights(p)), "without the 1/m"),
    (lambda ce, p, l2, m: ce + l2 / m * sum(np.sum(W ** 2) for W in weights(p)), "the penalty has a 1/2"),
    (lambda ce, p, l2, m: ce + l2 * sum(np.sum(W ** 2) for W in weights(p)), "missing its factor 1/\\(2m\\)"),
    (lambda ce, p, l2, m: ce + l2 / (2 * m) * sum(np.sum(v ** 2) for v in p.values()), "included the biases"),
    (lambda ce, p, l2, m: ce + l2 / (2 * m) * sum(np.sum(W) for W in weights(p)), "not their squares"),
    (lambda ce, p, l2, m: ce + l2 / (2 * m) * sum(np.linalg.norm(W) for W in weights(p)), "not its square"),
    (lambda ce, p, l2, m: ce + l2 / (2 * m) * np.sum(p["W1"] ** 2), "Only W1 counts"),
    (lambda ce, p, l2, m: l2 / (2 * m) * sum(np.sum(W ** 2) for W in weights(p)), "not the penalty alone"),
], ids=["no-1/m", "no-1/2", "no-factor", "biases", "not-squared", "norm-not-squared", "first-layer", "penalty-only"])
def test_l2_cost_rejects(wrong, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_l2_cost(wrong)


@pytest.mark.parametrize("wrong, message", [
    (lambda W, l2, m: l2 / (2 * m) * W, "cancels the 1/2"),
    (lambda W, l2, m: l2 * W, "missing its 1/m"),
    (lambda W, l2, m: 2 * l2 / m * W, "cancels the penalty's 1/2"),
    (lambda W, l2, m: -l2 / m * W, "The sign is wrong"),
    (lambda W, l2, m: l2 / m * W ** 2, "not W\\^2"),
    (lambda W, l2, m: l2 / m * W.T, "expected shape"),
], ids=["half", "no-1/m", "double", "sign", "squared", "transposed"])
def test_l2_backward_rejects(wrong, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_l2_backward(wrong)


# ---------------------------------------------------------------- dropout


def forward_package(A, keep_prob, rng):
    mask = regularization.dropout_mask(A.shape, keep_prob, rng)
    return regularization.apply_dropout(A, mask, keep_prob), mask


def forward(mask_fn, scale_fn=lambda A, mask, keep: A * mask / keep):
    def dropout_forward(A, keep_prob, rng):
        mask = mask_fn(A, keep_prob, rng)
        return scale_fn(A, mask, keep_prob), mask
    return dropout_forward


def good_mask(A, keep, rng):
    return rng.random(A.shape) < keep


def test_dropout_accepts_package_and_float_mask():
    assert passes(checks.check_dropout_forward, forward_package)
    assert passes(checks.check_dropout_forward, forward(lambda A, keep, rng: (rng.random(A.shape) < keep) * 1.0))
    assert passes(checks.check_dropout_backward, lambda dA, mask, keep: regularization.apply_dropout(dA, mask, keep))


@pytest.mark.parametrize("wrong, message", [
    (forward(good_mask, lambda A, mask, keep: A * mask), "not rescaled"),
    (forward(lambda A, keep, rng: rng.random(A.shape) < 1 - keep), "That is 1 - keep_prob"),
    (forward(good_mask, lambda A, mask, keep: A * mask * keep), "You multiplied by keep_prob"),
    (forward(lambda A, keep, rng: np.random.random(A.shape) < keep), "not from np.random"),
    (forward(lambda A, keep, rng: rng.random(A.shape[1]) < keep), "one number per entry"),
    (forward(lambda A, keep, rng: rng.random(A.shape) * keep), "should hold 0/1"),
    (forward(lambda A, keep, rng: rng.random(A.shape) > keep), "That is 1 - keep_prob"),
    (lambda A, keep, rng: forward_package(A, keep, rng)[0], "Return the pair"),
], ids=["no-rescale", "drop-prob", "times-keep", "global-rng", "mask-per-column", "soft-mask", "greater", "no-mask"])
def test_dropout_forward_rejects(wrong, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_dropout_forward(wrong)


@pytest.mark.parametrize("wrong, message", [
    (lambda dA, mask, keep: dA * mask, "Divide by keep_prob here too"),
    (lambda dA, mask, keep: dA / keep, "Apply the mask"),
    (lambda dA, mask, keep: dA * ~mask / keep, "mask is inverted"),
    (lambda dA, mask, keep: dA * mask * keep, "You multiplied by keep_prob"),
    (lambda dA, mask, keep: (dA * mask / keep).T, "expected shape"),
], ids=["no-rescale", "no-mask", "inverted", "times-keep", "transposed"])
def test_dropout_backward_rejects(wrong, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_dropout_backward(wrong)
