"""Regularization.ipynb: l2_cost, l2_backward, dropout_forward, dropout_backward."""
import numpy as np

from . import Case

L2_COST, L2_BACKWARD, DROP_FORWARD, DROP_BACKWARD = ("check_l2_cost", "check_l2_backward",
                                                     "check_dropout_forward", "check_dropout_backward")


# ---------------------------------------------------------------- L2 cost: correct

def l2_cost_layer_count(cross_entropy, params, l2, m):
    # The course's L = len(params) // 2 layers, W1 ... WL by name.
    L = len(params) // 2
    total = 0.0
    for l in range(1, L + 1):
        total += np.sum(np.square(params["W" + str(l)]))
    return cross_entropy + (l2 / (2 * m)) * total


def l2_cost_einsum(cross_entropy, params, l2, m):
    # np.einsum("ij,ij->", W, W) for each weight matrix.
    squares = [np.einsum("ij,ij->", W, W) for name, W in params.items() if name[0] == "W"]
    return cross_entropy + l2 * sum(squares) / (2 * m)


def l2_cost_frobenius(cross_entropy, params, l2, m):
    # The Frobenius norm, squared.
    penalty = 0
    for key in params:
        if key.startswith("W"):
            penalty = penalty + np.linalg.norm(params[key], "fro") ** 2
    return float(cross_entropy + l2 / 2 / m * penalty)


def l2_cost_float32_dot(cross_entropy, params, l2, m):
    # Raveled dot products in float32.
    penalty = np.float32(0)
    for key, W in params.items():
        if "W" in key:
            w = np.ravel(W).astype(np.float32)
            penalty += np.dot(w, w)
    return cross_entropy + np.float32(l2) / np.float32(2 * m) * penalty


# ---------------------------------------------------------------- L2 cost: wrong

def l2_cost_W1_W2_only(cross_entropy, params, l2, m):
    # The lecture's 3-layer code with W3 left out: only W1 and W2 by name.
    squares = np.sum(np.square(params["W1"])) + np.sum(np.square(params["W2"]))
    return cross_entropy + l2 / (2 * m) * squares


def l2_cost_skips_last_layer(cross_entropy, params, l2, m):
    # Off by one: range(1, L) misses W_L.
    L = len(params) // 2
    squares = sum(np.sum(params[f"W{l}"] ** 2) for l in range(1, L))
    return cross_entropy + l2 / (2 * m) * squares


def l2_cost_includes_biases(cross_entropy, params, l2, m):
    # Penalizes the biases too.
    squares = sum(np.sum(value ** 2) for value in params.values())
    return cross_entropy + l2 / (2 * m) * squares


def l2_cost_no_half(cross_entropy, params, l2, m):
    # lambda / m, the 2 forgotten.
    squares = sum(np.sum(W ** 2) for k, W in params.items() if k.startswith("W"))
    return cross_entropy + l2 / m * squares


def l2_cost_precedence(cross_entropy, params, l2, m):
    # l2 / 2 * m: multiplies by m.
    squares = sum(np.sum(W ** 2) for k, W in params.items() if k.startswith("W"))
    return cross_entropy + l2 / 2 * m * squares


def l2_cost_norm_not_squared(cross_entropy, params, l2, m):
    # ||W||_F, not its square.
    norms = sum(np.linalg.norm(W) for k, W in params.items() if k.startswith("W"))
    return cross_entropy + l2 / (2 * m) * norms


def l2_cost_l1(cross_entropy, params, l2, m):
    # Sums |W| (L1), not W ** 2.
    total = sum(np.sum(np.abs(W)) for k, W in params.items() if k.startswith("W"))
    return cross_entropy + l2 / (2 * m) * total


def l2_cost_square_of_sum(cross_entropy, params, l2, m):
    # np.sum(W) ** 2: the square of the sum, not the sum of squares.
    total = sum(np.sum(W) ** 2 for k, W in params.items() if k.startswith("W"))
    return cross_entropy + l2 / (2 * m) * total


def l2_cost_penalty_only(cross_entropy, params, l2, m):
    # Returns the penalty alone, without the cross-entropy.
    return l2 / (2 * m) * sum(np.sum(W ** 2) for k, W in params.items() if k.startswith("W"))


def l2_cost_hardcoded_lambda(cross_entropy, params, l2, m):
    # lambd = 0.7 from the lecture.
    squares = sum(np.sum(W ** 2) for k, W in params.items() if k.startswith("W"))
    return cross_entropy + 0.7 / (2 * m) * squares


def l2_cost_per_layer_array(cross_entropy, params, l2, m):
    # Wrong kind: an array of per-layer costs, not one number.
    squares = np.array([np.sum(W ** 2) for k, W in params.items() if k.startswith("W")])
    return cross_entropy + l2 / (2 * m) * squares


def l2_cost_returns_pair(cross_entropy, params, l2, m):
    # Wrong kind: returns (cost, penalty).
    penalty = l2 / (2 * m) * sum(np.sum(W ** 2) for k, W in params.items() if k.startswith("W"))
    return cross_entropy + penalty, penalty


# ---------------------------------------------------------------- L2 backward: correct

def l2_backward_reordered(W, l2, m):
    # l2 * W / m.
    return l2 * W / m


def l2_backward_np_multiply(W, l2, m):
    # np.multiply with the factor.
    return np.multiply(W, l2 / m)


def l2_backward_copy_inplace(W, l2, m):
    # Scales a copy in place.
    grad = W.copy()
    grad *= l2 / m
    return grad


def l2_backward_float32_factor(W, l2, m):
    # The factor computed in float32 (the result keeps W's dtype).
    return (np.float32(l2) / np.float32(m)) * W


# ---------------------------------------------------------------- L2 backward: wrong

def l2_backward_inplace(W, l2, m):
    # Scales the caller's W in place and returns it.
    W *= l2 / m
    return W


def l2_backward_over_2m(W, l2, m):
    # lambda / (2m), the penalty's factor, not its derivative's.
    return l2 / (2 * m) * W


def l2_backward_doubled(W, l2, m):
    # 2 lambda / m: d(W^2) = 2W, but the 1/2 of the penalty forgotten.
    return 2 * l2 / m * W


def l2_backward_no_m(W, l2, m):
    # lambda W: forgot to divide by m.
    return l2 * W


def l2_backward_negative(W, l2, m):
    # -(lambda / m) W: the sign of the update, not of the gradient.
    return -(l2 / m) * W


def l2_backward_hardcoded_lambda(W, l2, m):
    # lambd = 0.7 from the lecture.
    return 0.7 / m * W


def l2_backward_penalty(W, l2, m):
    # Returns the penalty (a number), not its gradient.
    return l2 / (2 * m) * np.sum(W ** 2)


def l2_backward_column_sums(W, l2, m):
    # Sums over the rows, as for db.
    return l2 / m * np.sum(W, axis=0)


def l2_backward_returns_none(W, l2, m):
    # Wrong kind: computes the gradient and forgets to return it.
    grad = (l2 / m) * W  # noqa: F841 (the mistake: no return)


# ---------------------------------------------------------------- dropout forward: correct

def dropout_binomial(A, keep_prob, rng):
    # Bernoulli draws with rng.binomial(1, keep_prob) (an integer mask).
    mask = rng.binomial(1, keep_prob, size=A.shape)
    return A * mask / keep_prob, mask


def dropout_uniform_where(A, keep_prob, rng):
    # rng.uniform and np.where; returns a list.
    mask = rng.uniform(0.0, 1.0, size=A.shape) < keep_prob
    return [np.where(mask, A / keep_prob, 0.0), mask]


def dropout_float32_mask(A, keep_prob, rng):
    # float32 uniforms, the mask stored as 0.0 / 1.0 floats.
    mask = (rng.random(A.shape, dtype=np.float32) < keep_prob).astype(np.float32)
    return (A * mask) / keep_prob, mask


def dropout_scaled_copy(A, keep_prob, rng):
    # Multiplies a copy in place.
    mask = rng.random(size=A.shape) < keep_prob
    A_drop = A.copy()
    A_drop *= mask
    A_drop /= keep_prob
    return A_drop, mask


# ---------------------------------------------------------------- dropout forward: wrong

def dropout_global_rand(A, keep_prob, rng):
    # np.random.rand, not rng.
    mask = np.random.rand(*A.shape) < keep_prob
    return A * mask / keep_prob, mask


def dropout_new_generator(A, keep_prob, rng):
    # A generator seeded 1 inside: the same mask at every step.
    mask = np.random.default_rng(1).random(A.shape) < keep_prob
    return A * mask / keep_prob, mask


def dropout_not_scaled(A, keep_prob, rng):
    # Forgot to divide by keep_prob (not inverted dropout).
    mask = rng.random(A.shape) < keep_prob
    return A * mask, mask


def dropout_times_keep_prob(A, keep_prob, rng):
    # Multiplies by keep_prob instead of dividing.
    mask = rng.random(A.shape) < keep_prob
    return A * mask * keep_prob, mask


def dropout_mask_inverted(A, keep_prob, rng):
    # > instead of <: keeps each unit with probability 1 - keep_prob.
    mask = rng.random(A.shape) > keep_prob
    return A * mask / keep_prob, mask


def dropout_normal_draws(A, keep_prob, rng):
    # randn, not rand: P(z < keep_prob) is not keep_prob.
    mask = rng.standard_normal(A.shape) < keep_prob
    return A * mask / keep_prob, mask


def dropout_hardcoded_keep_prob(A, keep_prob, rng):
    # keep_prob = 0.8 from the lecture.
    mask = rng.random(A.shape) < 0.8
    return A * mask / 0.8, mask


def dropout_one_mask_per_unit(A, keep_prob, rng):
    # One draw per unit, shared by every example.
    mask = rng.random(A.shape[1]) < keep_prob
    return A * mask / keep_prob, mask


def dropout_returns_scaled_mask(A, keep_prob, rng):
    # Returns mask / keep_prob as the mask: the backward pass then scales twice.
    mask = (rng.random(A.shape) < keep_prob) / keep_prob
    return A * mask, mask


def dropout_inplace(A, keep_prob, rng):
    # Drops units of the caller's A in place.
    mask = rng.random(A.shape) < keep_prob
    A *= mask
    A /= keep_prob
    return A, mask


def dropout_returns_A_only(A, keep_prob, rng):
    # Wrong kind: returns A_drop without the mask.
    return A * (rng.random(A.shape) < keep_prob) / keep_prob


# ---------------------------------------------------------------- dropout backward: correct

def dropout_backward_where(dA, mask, keep_prob):
    # np.where on the mask.
    return np.where(mask, dA / keep_prob, 0.0)


def dropout_backward_float_mask(dA, mask, keep_prob):
    # The mask as floats, divided first.
    return dA / keep_prob * np.asarray(mask, dtype=float)


def dropout_backward_np_multiply(dA, mask, keep_prob):
    # np.multiply, then np.divide.
    return np.divide(np.multiply(dA, mask), keep_prob)


def dropout_backward_copy_inplace(dA, mask, keep_prob):
    # In place on a copy.
    dA = np.array(dA, dtype=float)
    dA *= mask
    dA /= keep_prob
    return dA


# ---------------------------------------------------------------- dropout backward: wrong

def dropout_backward_not_scaled(dA, mask, keep_prob):
    # Forgot the division by keep_prob.
    return dA * mask


def dropout_backward_times_keep_prob(dA, mask, keep_prob):
    # Multiplies by keep_prob.
    return dA * mask * keep_prob


def dropout_backward_complement(dA, mask, keep_prob):
    # Passes the dropped units instead of the kept ones.
    return dA * (1 - mask) / keep_prob


def dropout_backward_no_mask(dA, mask, keep_prob):
    # Scales but ignores the mask.
    return dA / keep_prob


def dropout_backward_new_mask(dA, mask, keep_prob):
    # Draws a new mask instead of reusing the forward pass's.
    new_mask = np.random.rand(*dA.shape) < keep_prob
    return dA * new_mask / keep_prob


def dropout_backward_inplace(dA, mask, keep_prob):
    # Scales the caller's dA in place.
    dA *= mask
    dA /= keep_prob
    return dA


def dropout_backward_hardcoded_keep_prob(dA, mask, keep_prob):
    # keep_prob = 0.8 from the lecture.
    return dA * mask / 0.8


def dropout_backward_returns_pair(dA, mask, keep_prob):
    # Wrong kind: returns (dA, mask).
    return dA * mask / keep_prob, mask



# ---------------------------------------------------------------- added with the checks' rewrite (issue 25)

def l2_cost_squares_in_place(cross_entropy, params, l2, m):
    # Squares the caller's weights in place (params[k] **= 2), then sums them.
    total = 0.0
    for key in params:
        if key.startswith("W"):
            params[key] **= 2
            total += np.sum(params[key])
    return cross_entropy + l2 / (2 * m) * total


CORRECT = [
    Case(L2_COST, "l2_cost_layer_count", l2_cost_layer_count),
    Case(L2_COST, "l2_cost_einsum", l2_cost_einsum),
    Case(L2_COST, "l2_cost_frobenius", l2_cost_frobenius),
    Case(L2_COST, "l2_cost_float32_dot", l2_cost_float32_dot),
    Case(L2_BACKWARD, "l2_backward_reordered", l2_backward_reordered),
    Case(L2_BACKWARD, "l2_backward_np_multiply", l2_backward_np_multiply),
    Case(L2_BACKWARD, "l2_backward_copy_inplace", l2_backward_copy_inplace),
    Case(L2_BACKWARD, "l2_backward_float32_factor", l2_backward_float32_factor),
    Case(DROP_FORWARD, "dropout_binomial", dropout_binomial),
    Case(DROP_FORWARD, "dropout_uniform_where", dropout_uniform_where),
    Case(DROP_FORWARD, "dropout_float32_mask", dropout_float32_mask),
    Case(DROP_FORWARD, "dropout_scaled_copy", dropout_scaled_copy),
    Case(DROP_BACKWARD, "dropout_backward_where", dropout_backward_where),
    Case(DROP_BACKWARD, "dropout_backward_float_mask", dropout_backward_float_mask),
    Case(DROP_BACKWARD, "dropout_backward_np_multiply", dropout_backward_np_multiply),
    Case(DROP_BACKWARD, "dropout_backward_copy_inplace", dropout_backward_copy_inplace),
]

WRONG = [
    Case(L2_COST, "l2_cost_W1_W2_only", l2_cost_W1_W2_only, "every layer", r"layer|W3|W\d"),
    Case(L2_COST, "l2_cost_skips_last_layer", l2_cost_skips_last_layer, "every layer", r"layer|W\d"),
    Case(L2_COST, "l2_cost_includes_biases", l2_cost_includes_biases, "value: biases not penalized", r"bias|b\d"),
    Case(L2_COST, "l2_cost_no_half", l2_cost_no_half, "value: factor lambda / (2m)",
         r"2 ?m|half|factor|penalty"),
    Case(L2_COST, "l2_cost_precedence", l2_cost_precedence, "value: factor lambda / (2m)",
         r"2 ?m|\bm\b|factor|penalty"),
    Case(L2_COST, "l2_cost_norm_not_squared", l2_cost_norm_not_squared, "value: squared norms",
         r"square|norm|penalty|cost"),
    Case(L2_COST, "l2_cost_l1", l2_cost_l1, "value: squared entries", r"square|L1|abs|penalty|cost"),
    Case(L2_COST, "l2_cost_square_of_sum", l2_cost_square_of_sum, "value: sum of squares", r"square|penalty|cost"),
    Case(L2_COST, "l2_cost_penalty_only", l2_cost_penalty_only, "value: cross-entropy included",
         r"cross.?entropy"),
    Case(L2_COST, "l2_cost_hardcoded_lambda", l2_cost_hardcoded_lambda, "argument: l2", r"\bl2\b|lambda"),
    Case(L2_COST, "l2_cost_per_layer_array", l2_cost_per_layer_array, "wrong kind",
         r"number|scalar|shape|return|expected|got"),
    Case(L2_COST, "l2_cost_returns_pair", l2_cost_returns_pair, "wrong kind",
         r"number|scalar|tuple|return|expected|got"),

    Case(L2_BACKWARD, "l2_backward_inplace", l2_backward_inplace, "inputs left alone", r"modif|chang|mutat|in place"),
    Case(L2_BACKWARD, "l2_backward_over_2m", l2_backward_over_2m, "value: factor lambda / m",
         r"factor|2 ?m|half|lambda ?/ ?m|l2 ?/ ?m"),
    Case(L2_BACKWARD, "l2_backward_doubled", l2_backward_doubled, "value: factor lambda / m",
         r"factor|twice|double|lambda ?/ ?m|l2 ?/ ?m"),
    Case(L2_BACKWARD, "l2_backward_no_m", l2_backward_no_m, "argument: m", r"\bm\b|factor"),
    Case(L2_BACKWARD, "l2_backward_negative", l2_backward_negative, "sign", r"sign|opposite|negative"),
    Case(L2_BACKWARD, "l2_backward_hardcoded_lambda", l2_backward_hardcoded_lambda, "argument: l2", r"\bl2\b|lambda"),
    Case(L2_BACKWARD, "l2_backward_penalty", l2_backward_penalty, "value: an array shaped like W",
         r"shape|scalar|array|gradient"),
    Case(L2_BACKWARD, "l2_backward_column_sums", l2_backward_column_sums, "value: an array shaped like W",
         r"shape"),
    Case(L2_BACKWARD, "l2_backward_returns_none", l2_backward_returns_none, "wrong kind", r"None|return"),

    Case(DROP_FORWARD, "dropout_global_rand", dropout_global_rand, "uses rng", r"rng"),
    Case(DROP_FORWARD, "dropout_new_generator", dropout_new_generator, "uses rng", r"rng"),
    Case(DROP_FORWARD, "dropout_not_scaled", dropout_not_scaled, "value: inverted scaling by 1/keep_prob",
         r"scal|keep_prob|invert|expect"),
    Case(DROP_FORWARD, "dropout_times_keep_prob", dropout_times_keep_prob, "value: inverted scaling by 1/keep_prob",
         r"scal|keep_prob|invert|expect"),
    Case(DROP_FORWARD, "dropout_mask_inverted", dropout_mask_inverted, "value: P(keep) = keep_prob",
         r"keep_prob|probab|fraction|kept"),
    Case(DROP_FORWARD, "dropout_normal_draws", dropout_normal_draws, "value: P(keep) = keep_prob",
         r"keep_prob|probab|fraction|kept"),
    Case(DROP_FORWARD, "dropout_hardcoded_keep_prob", dropout_hardcoded_keep_prob, "argument: keep_prob",
         r"keep_prob"),
    Case(DROP_FORWARD, "dropout_one_mask_per_unit", dropout_one_mask_per_unit, "value: one draw per entry of A",
         r"shape|mask|independen|example"),
    Case(DROP_FORWARD, "dropout_returns_scaled_mask", dropout_returns_scaled_mask, "value: mask of 0s and 1s",
         r"mask|0 (and|or) 1|bool"),
    Case(DROP_FORWARD, "dropout_inplace", dropout_inplace, "inputs left alone", r"modif|chang|mutat|in place"),
    Case(DROP_FORWARD, "dropout_returns_A_only", dropout_returns_A_only, "wrong kind",
         r"return|pair|tuple|mask|expected|got"),

    Case(DROP_BACKWARD, "dropout_backward_not_scaled", dropout_backward_not_scaled,
         "value: scaled by 1/keep_prob", r"scal|keep_prob"),
    Case(DROP_BACKWARD, "dropout_backward_times_keep_prob", dropout_backward_times_keep_prob,
         "value: scaled by 1/keep_prob", r"scal|keep_prob"),
    Case(DROP_BACKWARD, "dropout_backward_complement", dropout_backward_complement, "value: kept units pass",
         r"mask|kept|dropped"),
    Case(DROP_BACKWARD, "dropout_backward_no_mask", dropout_backward_no_mask, "argument: mask", r"mask"),
    Case(DROP_BACKWARD, "dropout_backward_new_mask", dropout_backward_new_mask, "argument: mask",
         r"mask|rng|random"),
    Case(DROP_BACKWARD, "dropout_backward_inplace", dropout_backward_inplace, "inputs left alone",
         r"modif|chang|mutat|in place"),
    Case(DROP_BACKWARD, "dropout_backward_hardcoded_keep_prob", dropout_backward_hardcoded_keep_prob,
         "argument: keep_prob", r"keep_prob"),
    Case(DROP_BACKWARD, "dropout_backward_returns_pair", dropout_backward_returns_pair, "wrong kind",
         r"return|array|tuple|expected|got"),
    Case(L2_COST, "l2_cost_squares_in_place", l2_cost_squares_in_place, "inputs left alone",
         r"modif|chang|mutat|in place"),
]
