"""Checks for the Regularization exercises: the L2 cost and its gradient term, dropout forward and backward.

Re-exported by ``course_utils.checks``. With ``m`` examples and lambda = ``l2``::

    cost     = cross_entropy + lambda / (2m) * sum_l ||W_l||_F^2     (weights only, no biases)
    dW_l    += (lambda / m) W_l
    forward:  mask = (rng.random(A.shape) < keep_prob),  A_drop = A * mask / keep_prob
    backward: dA_prev = dA * mask / keep_prob
"""

import numpy as np

from .. import regularization
from .harness import array, call, close, expect_shape, exercise, fail


def _course_l2_cost(cross_entropy, params, l2, m):
    return cross_entropy + regularization.l2_penalty(params, l2, m)


def _course_dropout_forward(A, keep_prob, rng):
    mask = regularization.dropout_mask(A.shape, keep_prob, rng)
    return regularization.apply_dropout(A, mask, keep_prob), mask


def _params(seed, dims=(3, 5, 2)):
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = rng.standard_normal((dims[l - 1], dims[l]))
        params[f"b{l}"] = rng.standard_normal(dims[l]) + 1.0  # non-zero, so including them shows
    return params


@exercise("l2_cost", reference=_course_l2_cost)
def check_l2_cost(l2_cost):
    """``l2_cost(cross_entropy, params, l2, m) -> float``: the cross-entropy plus the L2 penalty."""
    for seed, l2, m, ce in [(0, 0.7, 30, 0.4), (1, 0.05, 7, 1.3)]:
        params = _params(seed)
        squares = sum(float(np.sum(params[k] ** 2)) for k in params if k[0] == "W")
        expected = ce + l2 / (2 * m) * squares
        got = float(array(call(l2_cost, "l2_cost", ce, {k: v.copy() for k, v in params.items()}, l2, m), "the cost"))
        if np.isclose(got, expected, rtol=1e-9):
            continue
        penalty = got - ce
        hints = [
            (l2 / 2 * squares, "That is lambda/2 * sum ||W||^2 without the 1/m: divide by m, as the cross-entropy is."),
            (l2 / m * squares, "That is lambda/m * sum ||W||^2: the penalty has a 1/2, lambda / (2m)."),
            (l2 * squares, "The penalty is missing its factor 1/(2m): lambda / (2m) * sum ||W||^2."),
            (l2 / (2 * m) * sum(float(np.sum(v ** 2)) for v in params.values()),
             "You included the biases: the penalty sums the squared weights W1, W2, ... only."),
            (l2 / (2 * m) * sum(float(np.sum(params[k])) for k in params if k[0] == "W"),
             "You summed the weights, not their squares: ||W||_F^2 = np.sum(W ** 2)."),
            (l2 / (2 * m) * sum(float(np.linalg.norm(params[k])) for k in params if k[0] == "W"),
             "You used ||W||, not its square: ||W||_F^2 = np.sum(W ** 2)."),
            (l2 / (2 * m) * float(np.sum(params["W1"] ** 2)), "Only W1 counts in your penalty: sum over every layer."),
            (-ce + l2 / (2 * m) * squares, "Return the cross-entropy plus the penalty, not the penalty alone."),
        ]
        hint = next((text for value, text in hints if np.isclose(penalty, value, rtol=1e-6)), "")
        fail(f"With l2={l2}, m={m} and a cross-entropy of {ce}, the cost should be {expected:.6g}; "
             f"you returned {got:.6g}. {hint}".strip())
    return "the penalty lambda/(2m) sum ||W_l||^2 over the weights is correct for two nets."


@exercise("l2_backward", reference=regularization.l2_gradient)
def check_l2_backward(l2_backward):
    """``l2_backward(W, l2, m) -> array``: the penalty's gradient (lambda / m) W, same shape as W."""
    for seed, l2, m in [(2, 0.7, 30), (3, 2.5, 9)]:
        W = _params(seed)["W1"]
        expected = l2 / m * W
        got = array(call(l2_backward, "l2_backward", W.copy(), l2, m), "the gradient term")
        expect_shape(got, W.shape, "the gradient term", "It has the shape of W.")
        if close(got, expected):
            continue
        hints = [(l2 / (2 * m) * W, "That is lambda/(2m) W: the derivative of W^2 is 2W, which cancels the 1/2."),
                 (l2 * W, "The term is missing its 1/m: (lambda / m) * W."),
                 (2 * l2 / m * W, "That is 2 lambda/m W: the 2 from the derivative cancels the penalty's 1/2."),
                 (-expected, "The sign is wrong: the term adds (lambda / m) * W to dW."),
                 (l2 / m * W ** 2, "That is (lambda/m) W^2: the derivative of W^2 is 2W, not W^2.")]
        hint = next((text for value, text in hints if close(got, value)), "")
        fail(f"With l2={l2} and m={m} the term should be (lambda / m) W; the largest difference is "
             f"{np.abs(got - expected).max():.3g}. {hint}".strip())
    return "(lambda / m) W is correct for two settings."


@exercise("dropout_forward", reference=_course_dropout_forward)
def check_dropout_forward(dropout_forward):
    """``dropout_forward(A, keep_prob, rng) -> (A_drop, mask)``: inverted dropout with a mask drawn from ``rng``."""
    name = "dropout_forward"
    for seed, keep_prob, shape in [(4, 0.8, (400, 250)), (5, 0.35, (301, 117))]:
        A = np.abs(np.random.default_rng(seed + 10).standard_normal(shape)) + 0.5  # no zeros
        out = call(dropout_forward, name, A.copy(), keep_prob, np.random.default_rng(seed))
        if not isinstance(out, tuple) or len(out) != 2:
            fail("Return the pair (A_drop, mask).")
        A_drop, mask = array(out[0], "A_drop"), np.asarray(out[1])
        expect_shape(mask, shape, "mask", "Draw one number per entry of A: rng.random(A.shape).")
        expect_shape(A_drop, shape, "A_drop")
        if not np.all((mask == 0) | (mask == 1)):
            fail("The mask should hold 0/1 (or False/True): compare the uniform draws with keep_prob.")
        kept = float(np.mean(mask))
        if abs(kept - keep_prob) > 0.02:
            hint = (" That is 1 - keep_prob: keep an entry when rng.random(...) < keep_prob."
                    if abs(kept - (1 - keep_prob)) < 0.02 else "")
            fail(f"With keep_prob={keep_prob} your mask keeps {kept:.1%} of the entries; it should keep about "
                 f"{keep_prob:.0%}.{hint}")
        expected = A * mask / keep_prob
        if not close(A_drop, expected):
            if close(A_drop, A * mask):
                fail("A_drop = A * mask is not rescaled: divide by keep_prob (inverted dropout) so that the "
                     "expected activation stays A and nothing changes at test time.")
            if close(A_drop, A * mask * keep_prob):
                fail("You multiplied by keep_prob: divide by it, A_drop = A * mask / keep_prob.")
            fail("A_drop should be A * mask / keep_prob, with the mask you return.")
        again = call(dropout_forward, name, A.copy(), keep_prob, np.random.default_rng(seed))
        if not np.array_equal(np.asarray(again[1]), mask):
            fail("Two calls with generators of the same seed gave different masks: draw from the `rng` argument "
                 "(rng.random), not from np.random.")
    return "mask shape and keep rate, rescaling by 1/keep_prob and use of rng all correct."


@exercise("dropout_backward", reference=regularization.apply_dropout)
def check_dropout_backward(dropout_backward):
    """``dropout_backward(dA, mask, keep_prob) -> dA_prev``: the forward pass's mask and scale applied to dA."""
    for seed, keep_prob in [(6, 0.8), (7, 0.5)]:
        rng = np.random.default_rng(seed)
        dA, mask = rng.standard_normal((13, 6)), rng.random((13, 6)) < keep_prob
        expected = dA * mask / keep_prob
        got = array(call(dropout_backward, "dropout_backward", dA.copy(), mask.copy(), keep_prob), "dA")
        expect_shape(got, dA.shape, "dA")
        if close(got, expected):
            continue
        hints = [(dA * mask, "Divide by keep_prob here too: the forward pass scaled A by 1/keep_prob."),
                 (dA / keep_prob, "Apply the mask: the dropped units got no gradient in the forward pass."),
                 (dA * ~mask / keep_prob, "Your mask is inverted: keep the gradient where the mask is True."),
                 (dA * mask * keep_prob, "You multiplied by keep_prob: divide by it, dA * mask / keep_prob.")]
        hint = next((text for value, text in hints if close(got, value)), "")
        fail(f"With keep_prob={keep_prob}, dA should be dA * mask / keep_prob. {hint}".strip())
    return "the mask and the 1/keep_prob scale are applied to dA correctly."
