"""The checks of the Regularization notebook's exercises: the L2 cost and its gradient, dropout forward and backward.

With ``m`` examples and lambda = ``l2``::

    cost     = cross_entropy + lambda / (2m) * sum_l ||W_l||_F^2     (weights only, no biases)
    dW_l    += (lambda / m) W_l
    forward:  mask = (rng.random(A.shape) < keep_prob),  A_drop = A * mask / keep_prob
    backward: dA_prev = dA * mask / keep_prob

Each check runs settings that move every argument (no l2, m or keep_prob of the lecture's passes by
luck), nets of one to four layers, float32 and float64 arrays, and tests that the inputs are left as
they were; dropout's mask must come from ``rng`` (same seed, same mask; another seed, another;
np.random untouched) and keep each entry with probability ``keep_prob``. A wrong value is named from
what was measured: the factor the learner's result implies, the layers it counts, the scale it applies.
"""

import itertools

import numpy as np

from .. import regularization
from .harness import call, exercise, fail, hint
from .probes import agree, as_float, copies, global_rng_untouched, items, ndarray, number, tolerance, unchanged


def _course_l2_cost(cross_entropy, params, l2, m):
    return cross_entropy + regularization.l2_penalty(params, l2, m)


def _course_dropout_forward(A, keep_prob, rng):
    mask = regularization.dropout_mask(A.shape, keep_prob, rng)
    return regularization.apply_dropout(A, mask, keep_prob), mask


def _params(dims, seed, dtype=np.float64):
    """Weights of a different size in each layer (so that a missing layer shows) and non-zero biases."""
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = (rng.standard_normal((dims[l - 1], dims[l])) * (0.5 + l)).astype(dtype)
        params[f"b{l}"] = (rng.standard_normal(dims[l]) + 1.0).astype(dtype)
    return params


def _factor_words(c, l2, m):
    """What a measured factor c (where lambda / (2m) is expected) equals, in words, or ""."""
    known = [(l2 / m, "lambda/m"), (l2 / 2, "lambda/2, without m"), (l2 * m / 2, "lambda*m/2"), (l2, "lambda alone"),
             (-l2 / (2 * m), "minus lambda/(2m)"), (l2 / (2 * m) / 2, "lambda/(4m)")]
    known += [(0.7 / (2 * m), "lambda = 0.7, the lecture's value, not the l2 argument")] if l2 != 0.7 else []
    words = hint(known, lambda value: np.isclose(c, value, rtol=1e-4))
    return f" (that is {words})" if words else ""


def _l2_hint(got, ce, params, l2, m, rtol):
    """Why an L2 cost is wrong, from the ways it can be made of the weights and biases (or "")."""
    W = [k for k in params if k[0] == "W"]
    squares = {k: float(np.sum(as_float(params[k]) ** 2)) for k in params}
    total, penalty, factor = sum(squares[k] for k in W), got - ce, l2 / (2 * m)
    ok = lambda value: np.isclose(got, value, rtol=rtol, atol=0)  # noqa: E731
    if ok(factor * total):
        return "That is the penalty alone: the cost is the cross-entropy plus the penalty."
    for size in range(1, len(W)):
        for subset in itertools.combinations(W, size):
            if ok(ce + factor * sum(squares[k] for k in subset)):
                left = [k for k in W if k not in subset]
                return f"Your penalty counts {', '.join(subset)} but not {', '.join(left)}: it sums over every layer."
    if ok(ce + factor * sum(squares.values())):
        return "Your penalty includes the biases: it sums the squared weights W1, W2, ... only."
    for value, words in [(sum(np.sqrt(squares[k]) for k in W), "the norms ||W_l||, not their squares"),
                         (sum(float(np.sum(np.abs(as_float(params[k])))) for k in W), "the absolute values |W| (L1)"),
                         (sum(float(np.sum(as_float(params[k]))) ** 2 for k in W), "the square of each sum of W, not "
                                                                                  "the sum of the squares")]:
        if ok(ce + factor * value):
            return f"Your penalty sums {words}: ||W||_F^2 is the sum of the squared entries."
    c = penalty / total
    return (f"Your penalty is {c:.4g} × sum_l ||W_l||_F^2{_factor_words(c, l2, m)}; with l2 = {l2} and m = {m} "
            f"the factor lambda/(2m) is {factor:.4g}.")


@exercise("l2_cost", reference=_course_l2_cost)
def check_l2_cost(l2_cost):
    """``l2_cost(cross_entropy, params, l2, m) -> float``: the cross-entropy plus the L2 penalty."""
    for dims, l2, m, ce, dtype in [([3, 5, 2], 0.7, 30, 0.4, np.float64), ([4, 6, 3, 5], 0.1, 8, 1.3, np.float64),
                                   ([2, 3, 4, 3, 2], 2.5, 64, 0.25, np.float32), ([6, 2], 1.3, 3, 0.9, np.float64)]:
        params = _params(dims, len(dims), dtype)
        given = {k: v.copy() for k, v in params.items()}
        got = number(call(l2_cost, "l2_cost", ce, given, l2, m), "l2_cost", "the cost, one number")
        unchanged("l2_cost", "params", params, given)
        expected = ce + l2 / (2 * m) * sum(float(np.sum(as_float(params[k]) ** 2)) for k in params if k[0] == "W")
        rtol = tolerance(*params.values())
        if np.isclose(got, expected, rtol=rtol, atol=0):
            continue
        fail(f"For a net with layer_dims={dims}, l2={l2}, m={m} and a cross-entropy of {ce}, the cost should be "
             f"{expected:.6g}; you returned {got:.6g}. {_l2_hint(got, ce, params, l2, m, rtol)}")
    return ("the penalty lambda/(2m) sum ||W_l||^2 over every layer's weights correct for nets of 1 to 4 "
            "layers; params left unchanged.")


@exercise("l2_backward", reference=regularization.l2_gradient)
def check_l2_backward(l2_backward):
    """``l2_backward(W, l2, m) -> array``: the penalty's gradient (lambda / m) W, same shape as W."""
    for (n_in, n_out), l2, m, dtype in [((4, 3), 0.7, 30, np.float64), ((5, 2), 2.5, 9, np.float32),
                                        ((3, 6), 0.1, 4, np.float64)]:
        W = np.random.default_rng(n_in).standard_normal((n_in, n_out)).astype(dtype)
        given = W.copy()
        got = call(l2_backward, "l2_backward", given, l2, m)
        unchanged("l2_backward", "W", W, given)
        ndarray(got, "l2_backward", W.shape, "the gradient term", "the shape of W.")
        expected = l2 / m * as_float(W)
        if agree(got, expected, tolerance(W, got)):
            continue
        coef = np.linalg.lstsq(as_float(W).reshape(-1, 1), as_float(got).ravel(), rcond=None)[0][0]
        if agree(got, coef * as_float(W), tolerance(W, got)):
            words = {1: "", -1: " (the opposite sign: it points along +W)", 0.5: " (that is lambda/(2m), the "
                     "penalty's own factor: the derivative of W^2 is 2W)", 2: " (twice lambda/m)"}
            ratio = coef / (l2 / m)
            note = hint([(r, w) for r, w in words.items()], lambda r: np.isclose(ratio, r, rtol=1e-4))
            note = note or (" (that is lambda without the division by m)" if np.isclose(coef, l2, rtol=1e-4) else
                            " (that is lambda = 0.7, the lecture's value, not the l2 argument)"
                            if l2 != 0.7 and np.isclose(coef, 0.7 / m, rtol=1e-4) else "")
            fail(f"With l2={l2} and m={m} your term is {coef:.4g} · W{note}; it should be (lambda/m) · W = "
                 f"{l2 / m:.4g} · W.")
        square = " Yours is (lambda/m) · W^2." if agree(got, l2 / m * as_float(W) ** 2, tolerance(W, got)) else ""
        fail(f"With l2={l2} and m={m} the term should be (lambda/m) · W; the largest difference is "
             f"{np.max(np.abs(as_float(got) - expected)):.3g}.{square}")
    return "(lambda / m) W correct for several settings; W left unchanged."


def _dropout_call(fn, A, keep_prob, seed):
    """(A_drop, mask) from the learner's ``fn`` on a copy of A, with np.random and A left alone."""
    given = A.copy()
    with global_rng_untouched("dropout_forward"):
        out = call(fn, "dropout_forward", given, keep_prob, np.random.default_rng(seed))
    unchanged("dropout_forward", "A", A, given)
    A_drop, mask = items(out, 2, "dropout_forward", "the pair (A_drop, mask)")
    ndarray(mask, "dropout_forward", A.shape, "the mask", "the shape of A: one draw per entry, so that every "
            "example gets its own mask.")
    ndarray(A_drop, "dropout_forward", A.shape, "A_drop", "the shape of A.")
    return A_drop, mask


@exercise("dropout_forward", reference=_course_dropout_forward)
def check_dropout_forward(dropout_forward):
    """``dropout_forward(A, keep_prob, rng) -> (A_drop, mask)``: inverted dropout with a mask drawn from ``rng``."""
    for seed, keep_prob, shape, dtype in [(4, 0.8, (400, 250), np.float64), (5, 0.35, (301, 117), np.float32)]:
        A = (np.abs(np.random.default_rng(seed + 10).standard_normal(shape)) + 0.5).astype(dtype)  # no zeros
        A_drop, mask = _dropout_call(dropout_forward, A, keep_prob, seed)
        values = np.unique(as_float(mask))
        if not set(values.tolist()) <= {0.0, 1.0}:
            fail(f"The mask should hold 0s and 1s (or False and True); yours holds values such as "
                 f"{', '.join(f'{v:.3g}' for v in values[:3])}.")
        kept, sd = float(np.mean(mask)), np.sqrt(keep_prob * (1 - keep_prob) / mask.size)
        if abs(kept - keep_prob) > 5 * sd:
            words = (" That is 1 - keep_prob: an entry is kept with probability keep_prob."
                    if abs(kept - (1 - keep_prob)) < 5 * sd else "")
            fail(f"With keep_prob={keep_prob} your mask keeps {kept:.1%} of the entries; it should keep each one with "
                 f"probability keep_prob ({keep_prob:.0%} ± {5 * sd:.1%} here).{words}")
        x, rtol = as_float(A) * as_float(mask), tolerance(A, A_drop)
        if not agree(A_drop, x / keep_prob, rtol):
            words = hint([
                (x, "A_drop = A * mask is not rescaled: divide by keep_prob (inverted dropout), so that the expected "
                    "activation stays A."),
                (x * keep_prob, "A_drop = A * mask * keep_prob: divide by keep_prob instead.")],
                lambda value: agree(A_drop, value, rtol))
            fail(f"With keep_prob={keep_prob}, A_drop should be A * mask / keep_prob with the mask you return. {words}"
                 .strip())
        again, other = (_dropout_call(dropout_forward, A, keep_prob, s)[1] for s in (seed, seed + 100))
        if not np.array_equal(again, mask):
            fail("Two calls with generators of the same seed gave different masks: draw the mask from the `rng` "
                 "argument, so that a seed reproduces a run.")
        if np.array_equal(other, mask):
            fail("Generators of different seeds gave the same mask: it does not come from the `rng` argument (a "
                 "generator made inside the function, or a fixed seed, drops the same units at every step).")
    return "mask shape and keep rate, rescaling by 1/keep_prob, masks from rng only; A left unchanged."


@exercise("dropout_backward", reference=regularization.apply_dropout)
def check_dropout_backward(dropout_backward):
    """``dropout_backward(dA, mask, keep_prob) -> dA_prev``: the forward pass's mask and scale applied to dA."""
    for seed, keep_prob, shape, dtype, mask_dtype in [(6, 0.8, (13, 6), np.float64, bool),
                                                      (7, 0.5, (9, 11), np.float32, np.float64),
                                                      (8, 0.35, (4, 21), np.float64, bool)]:
        rng = np.random.default_rng(seed)
        dA, mask = rng.standard_normal(shape).astype(dtype), (rng.random(shape) < keep_prob).astype(mask_dtype)
        given = copies(dA, mask)
        with global_rng_untouched("dropout_backward", "the backward pass reuses the forward pass's `mask` and "
                                  "draws no random numbers"):
            got = call(dropout_backward, "dropout_backward", *given[:1], given[1], keep_prob)
        unchanged("dropout_backward", "dA", dA, given[0])
        unchanged("dropout_backward", "mask", mask, given[1])
        ndarray(got, "dropout_backward", shape, "dA_prev", "the shape of dA.")
        kept, rtol = as_float(dA) * as_float(mask), tolerance(dA, got)
        if agree(got, kept / keep_prob, rtol):
            continue
        hints = [(kept, "It is dA * mask, not rescaled: the forward pass divided by keep_prob, so the gradient is "
                        "divided too."),
                 (kept * keep_prob, "It is dA * mask * keep_prob: divide by keep_prob."),
                 (as_float(dA) * (1 - as_float(mask)) / keep_prob, "It passes the dropped units and blocks the kept "
                                                                   "ones: the gradient flows where the mask is 1."),
                 (as_float(dA) / keep_prob, "It ignores the mask: the dropped units get no gradient.")]
        words = hint(hints, lambda value: agree(got, value, rtol))
        if not words and np.any(kept):
            c = float(np.sum(as_float(got) * kept) / np.sum(kept * kept))
            if agree(got, c * kept, rtol):
                words = f"It is dA * mask * {c:.4g} = dA * mask / {1 / c:.4g}, but keep_prob = {keep_prob}."
        fail(f"With keep_prob={keep_prob}, dA_prev should be dA * mask / keep_prob, with the mask it is given. {words}"
             .strip())
    return "the forward pass's mask and the 1/keep_prob scale applied to dA; inputs left unchanged."
