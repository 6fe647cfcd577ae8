"""Gradient_Checking.ipynb: gradient_check_1d, params_to_vector / vector_to_params, gradient_check.

``gradient_check`` follows the new spec: for every entry of every array of ``params``, the centered
difference of ``J`` (a function of the whole dict), perturbing one entry at a time and leaving ``params``
exactly as it was; it returns ``{name: ||g - g_approx|| / (||g|| + ||g_approx||)}`` over that array's
entries (0 when both are zero), with ``grads`` as g.
"""
import copy
import math

import numpy as np

from . import Case

GC1D, VECTOR, GC = "check_gradient_check_1d", "check_params_vector", "check_gradient_check"


# ---------------------------------------------------------------- 1-D: correct

def gc1d_norm_form(J, dJ, theta, epsilon):
    # The lecture's np.linalg.norm form, with named terms.
    J_plus, J_minus = J(theta + epsilon), J(theta - epsilon)
    g_approx = (J_plus - J_minus) / (2 * epsilon)
    g = dJ(theta)
    numerator = np.linalg.norm(g - g_approx)
    denominator = np.linalg.norm(g) + np.linalg.norm(g_approx)
    return numerator / denominator


def gc1d_half_over_eps(J, dJ, theta, epsilon):
    # Multiplies by 0.5 / epsilon; math.fabs; a Python float.
    g_approx = (J(theta + epsilon) - J(theta - epsilon)) * (0.5 / epsilon)
    g = dJ(theta)
    return float(math.fabs(g - g_approx) / (math.fabs(g) + math.fabs(g_approx)))


def gc1d_zero_guard(J, dJ, theta, epsilon):
    # Guards the 0 / 0 case; np.abs.
    g_approx = (J(theta + epsilon) - J(theta - epsilon)) / (2.0 * epsilon)
    g = dJ(theta)
    denominator = np.abs(g) + np.abs(g_approx)
    return 0.0 if denominator == 0 else np.abs(g_approx - g) / denominator


def gc1d_minus_first(J, dJ, theta, epsilon):
    # Evaluates theta - epsilon first and flips the sign.
    J_minus = J(theta - epsilon)
    J_plus = J(theta + epsilon)
    g_approx = -(J_minus - J_plus) / (epsilon + epsilon)
    g = dJ(theta)
    return abs(g_approx - g) / (abs(g_approx) + abs(g))


# ---------------------------------------------------------------- 1-D: wrong

def gc1d_one_sided(J, dJ, theta, epsilon):
    # Forward difference (J(theta + eps) - J(theta)) / eps.
    g_approx = (J(theta + epsilon) - J(theta)) / epsilon
    g = dJ(theta)
    return abs(g - g_approx) / (abs(g) + abs(g_approx))


def gc1d_backward_difference(J, dJ, theta, epsilon):
    # Backward difference (J(theta) - J(theta - eps)) / eps.
    g_approx = (J(theta) - J(theta - epsilon)) / epsilon
    g = dJ(theta)
    return abs(g - g_approx) / (abs(g) + abs(g_approx))


def gc1d_no_2(J, dJ, theta, epsilon):
    # Divides by epsilon, not 2 epsilon.
    g_approx = (J(theta + epsilon) - J(theta - epsilon)) / epsilon
    g = dJ(theta)
    return abs(g - g_approx) / (abs(g) + abs(g_approx))


def gc1d_precedence(J, dJ, theta, epsilon):
    # Missing parentheses: J(theta + eps) - J(theta - eps) / (2 eps).
    g_approx = J(theta + epsilon) - J(theta - epsilon) / (2 * epsilon)
    g = dJ(theta)
    return abs(g - g_approx) / (abs(g) + abs(g_approx))


def gc1d_no_abs(J, dJ, theta, epsilon):
    # No absolute value in the numerator: negative when g < g_approx.
    g_approx = (J(theta + epsilon) - J(theta - epsilon)) / (2 * epsilon)
    g = dJ(theta)
    return (g - g_approx) / (abs(g) + abs(g_approx))


def gc1d_abs_of_sum(J, dJ, theta, epsilon):
    # Denominator |g + g_approx|: blows up when they have opposite signs.
    g_approx = (J(theta + epsilon) - J(theta - epsilon)) / (2 * epsilon)
    g = dJ(theta)
    return abs(g - g_approx) / abs(g + g_approx)


def gc1d_hardcoded_epsilon(J, dJ, theta, epsilon):
    # epsilon = 1e-7 from the lecture.
    g_approx = (J(theta + 1e-7) - J(theta - 1e-7)) / (2 * 1e-7)
    g = dJ(theta)
    return abs(g - g_approx) / (abs(g) + abs(g_approx))


def gc1d_absolute_error(J, dJ, theta, epsilon):
    # The absolute error |g - g_approx|, not relative.
    g_approx = (J(theta + epsilon) - J(theta - epsilon)) / (2 * epsilon)
    return abs(dJ(theta) - g_approx)


def gc1d_divides_by_g(J, dJ, theta, epsilon):
    # Divides by |g| alone.
    g_approx = (J(theta + epsilon) - J(theta - epsilon)) / (2 * epsilon)
    g = dJ(theta)
    return abs(g - g_approx) / abs(g)


def gc1d_float32(J, dJ, theta, epsilon):
    # Works in float32: theta + 1e-7 rounds back to theta.
    theta, epsilon = np.float32(theta), np.float32(epsilon)
    g_approx = (J(theta + epsilon) - J(theta - epsilon)) / (np.float32(2) * epsilon)
    g = np.float32(dJ(theta))
    return abs(g - g_approx) / (abs(g) + abs(g_approx))


def gc1d_casts_to_python_float(J, dJ, theta, epsilon):
    # float() on the way in: a float32 theta is measured in float64, so the float32 curve is not float32's.
    theta, epsilon = float(theta), float(epsilon)
    g_approx = (J(theta + epsilon) - J(theta - epsilon)) / (2 * epsilon)
    g = dJ(theta)
    return abs(g - g_approx) / (abs(g) + abs(g_approx))


def gc1d_dJ_at_shifted_theta(J, dJ, theta, epsilon):
    # Compares with dJ(theta + epsilon), not dJ(theta).
    g_approx = (J(theta + epsilon) - J(theta - epsilon)) / (2 * epsilon)
    g = dJ(theta + epsilon)
    return abs(g - g_approx) / (abs(g) + abs(g_approx))


def gc1d_returns_verdict(J, dJ, theta, epsilon):
    # Wrong kind: returns True / False (error < 1e-7) instead of the error.
    g_approx = (J(theta + epsilon) - J(theta - epsilon)) / (2 * epsilon)
    g = dJ(theta)
    return abs(g - g_approx) / (abs(g) + abs(g_approx)) < 1e-7


def gc1d_returns_pair(J, dJ, theta, epsilon):
    # Wrong kind: returns (difference, g_approx).
    g_approx = (J(theta + epsilon) - J(theta - epsilon)) / (2 * epsilon)
    g = dJ(theta)
    return abs(g - g_approx) / (abs(g) + abs(g_approx)), g_approx


def gc1d_indexes_J(J, dJ, theta, epsilon):
    # Treats J's value as an array: J(...)[0] raises on a number.
    g_approx = (J(theta + epsilon)[0] - J(theta - epsilon)[0]) / (2 * epsilon)
    g = dJ(theta)
    return abs(g - g_approx) / (abs(g) + abs(g_approx))


# ---------------------------------------------------------------- dict <-> vector: correct

def p2v_hstack(params):
    # np.hstack of reshaped arrays.
    return np.hstack([np.reshape(params[key], -1) for key in params])


def v2p_split_cumsum(vector, like):
    # np.split at the cumulative sizes, then copies.
    sizes = [np.size(v) for v in like.values()]
    pieces = np.split(np.asarray(vector), np.cumsum(sizes)[:-1])
    return {key: piece.reshape(np.shape(value)).copy() for (key, value), piece in zip(like.items(), pieces)}


def p2v_loop_flatten(params):
    # A loop appending flattened arrays.
    pieces = []
    for key, value in params.items():
        pieces.append(np.asarray(value).flatten())
    return np.concatenate(pieces)


def v2p_offset_loop(vector, like):
    # Explicit offsets.
    out, offset = {}, 0
    for key in like:
        shape = np.shape(like[key])
        n = int(np.prod(shape))
        out[key] = np.reshape(vector[offset:offset + n], shape).copy()
        offset += n
    return out


def p2v_entry_list(params):
    # Every entry into one list, row by row.
    return np.array([float(x) for value in params.values() for x in np.ravel(value, order="C")])


def v2p_iterator(vector, like):
    # Consumes an iterator over the vector.
    entries = iter(vector)
    return {key: np.array([next(entries) for _ in range(np.size(value))]).reshape(np.shape(value))
            for key, value in like.items()}


def p2v_concatenate_ravel(params):
    # np.concatenate of .ravel() of each array.
    return np.concatenate([np.asarray(params[k]).ravel() for k in params.keys()])


def v2p_zeros_then_fill(vector, like):
    # np.zeros_like of each array, then filled.
    out, start = {}, 0
    for key, value in like.items():
        new = np.zeros_like(value, dtype=float)
        new[...] = np.reshape(vector[start:start + new.size], new.shape)
        out[key] = new
        start += new.size
    return out


# ---------------------------------------------------------------- dict <-> vector: wrong

def p2v_column_major(params):
    # Column by column (order="F").
    return np.concatenate([np.ravel(v, order="F") for v in params.values()])


def v2p_column_major(vector, like):
    # The matching inverse (order="F"): the round trip works, the layout is not the spec's.
    out, start = {}, 0
    for key, value in like.items():
        out[key] = np.reshape(vector[start:start + np.size(value)], np.shape(value), order="F").copy()
        start += np.size(value)
    return out


def p2v_sorted_keys(params):
    # Sorted keys (b1, b2, ..., W1, W2, ...) instead of the dict's order.
    return np.concatenate([np.ravel(params[k]) for k in sorted(params)])


def v2p_sorted_keys(vector, like):
    # The matching inverse in sorted key order.
    out, start = {}, 0
    for key in sorted(like):
        size = np.size(like[key])
        out[key] = np.array(vector[start:start + size]).reshape(np.shape(like[key]))
        start += size
    return {key: out[key] for key in like}


def p2v_weights_only(params):
    # Only the weights: the biases are left out.
    return np.concatenate([np.ravel(v) for k, v in params.items() if k.startswith("W")])


def p2v_column_vector(params):
    # The lecture's (n, 1) column vector, not a 1-D vector.
    return np.concatenate([np.reshape(v, (-1, 1)) for v in params.values()], axis=0)


def v2p_from_column(vector, like):
    # The matching inverse, raveling the column first.
    return v2p_offset_loop(np.ravel(vector), like)


def p2v_reshapes_in_dict(params):
    # Replaces the caller's arrays by their raveled copies, then concatenates.
    for key in params:
        params[key] = np.reshape(params[key], -1)
    return np.concatenate(list(params.values()))


def v2p_returns_like(vector, like):
    # Returns copies of `like`: the vector's values are never used.
    return {key: np.array(value, dtype=float) for key, value in like.items()}


def v2p_writes_into_like(vector, like):
    # Writes the values into the arrays of `like` and returns it.
    start = 0
    for key, value in like.items():
        value[...] = np.reshape(vector[start:start + value.size], value.shape)
        start += value.size
    return like


def v2p_offset_by_rows(vector, like):
    # Advances the offset by the number of rows, not the size.
    out, start = {}, 0
    for key, value in like.items():
        out[key] = np.array(vector[start:start + value.size]).reshape(value.shape)
        start += value.shape[0]
    return out


def v2p_flat_pieces(vector, like):
    # Forgot the reshape: 1-D pieces.
    out, start = {}, 0
    for key, value in like.items():
        out[key] = np.array(vector[start:start + np.size(value)])
        start += np.size(value)
    return out


def p2v_returns_list(params):
    # Wrong kind: a Python list of numbers.
    return [x for value in params.values() for x in np.ravel(value).tolist()]


def v2p_returns_list(vector, like):
    # Wrong kind: a list of arrays, not a dict.
    out, start = [], 0
    for value in like.values():
        out.append(np.array(vector[start:start + value.size]).reshape(value.shape))
        start += value.size
    return out


# ---------------------------------------------------------------- N-D: correct

def _ratio(g, g_approx):
    """||g - g_approx|| / (||g|| + ||g_approx||), 0 when both are zero (shared by the wrong cases)."""
    denominator = np.linalg.norm(g) + np.linalg.norm(g_approx)
    return 0.0 if denominator == 0 else float(np.linalg.norm(g - g_approx) / denominator)


def gc_inplace_arithmetic(J, params, grads, epsilon):
    # Perturbs params in place and restores by arithmetic (+eps, -2 eps, +eps).
    errors = {}
    for key, x in params.items():
        g_approx = np.zeros(x.shape)
        for i in np.ndindex(x.shape):
            x[i] += epsilon
            J_plus = J(params)
            x[i] -= 2 * epsilon
            J_minus = J(params)
            x[i] += epsilon
            g_approx[i] = (J_plus - J_minus) / (2 * epsilon)
        g = np.asarray(grads[key])
        denominator = np.linalg.norm(g) + np.linalg.norm(g_approx)
        errors[key] = 0.0 if denominator == 0 else np.linalg.norm(g - g_approx) / denominator
    return errors


def gc_save_restore(J, params, grads, epsilon):
    # Saves each entry and puts it back exactly; math.sqrt of sums of squares.
    errors = {}
    for key, x in params.items():
        diff2 = g2 = a2 = 0.0
        for i in np.ndindex(x.shape):
            old = x[i]
            x[i] = old + epsilon
            J_plus = J(params)
            x[i] = old - epsilon
            J_minus = J(params)
            x[i] = old
            a = (J_plus - J_minus) / (2 * epsilon)
            g = float(grads[key][i])
            diff2, g2, a2 = diff2 + (g - a) ** 2, g2 + g * g, a2 + a * a
        total = math.sqrt(g2) + math.sqrt(a2)
        errors[key] = math.sqrt(diff2) / total if total > 0 else 0.0
    return errors


def gc_deepcopy(J, params, grads, epsilon):
    # A deep copy of the dict for every evaluation.
    errors = {}
    for key in params:
        approx = []
        for i in range(np.size(params[key])):
            plus, minus = copy.deepcopy(params), copy.deepcopy(params)
            plus[key].flat[i] += epsilon
            minus[key].flat[i] -= epsilon
            approx.append((J(plus) - J(minus)) / (2 * epsilon))
        errors[key] = _ratio(np.ravel(grads[key]), np.array(approx))
    return errors


def gc_flat_vector(J, params, grads, epsilon):
    # One flat theta for everything, a helper to rebuild dicts, errors split per array.
    keys, shapes = list(params), [np.shape(params[k]) for k in params]
    sizes = [int(np.prod(s)) for s in shapes]
    theta = np.concatenate([np.ravel(params[k]) for k in keys]).astype(float)

    def as_dict(vector):
        pieces = np.split(vector, np.cumsum(sizes)[:-1])
        return {k: p.reshape(s) for k, p, s in zip(keys, pieces, shapes)}

    g_approx = np.empty_like(theta)
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += epsilon
        minus[i] -= epsilon
        g_approx[i] = (J(as_dict(plus)) - J(as_dict(minus))) / (2 * epsilon)
    approx = as_dict(g_approx)
    return {k: _ratio(np.asarray(grads[k], dtype=float), approx[k]) for k in keys}


# ---------------------------------------------------------------- N-D: wrong

def _centered(J, params, key, i, epsilon, plus_step=None, minus_step=None):
    """Centered difference along entry i of params[key], on copies (for the wrong cases)."""
    plus = {k: np.array(v, dtype=float) for k, v in params.items()}
    minus = {k: np.array(v, dtype=float) for k, v in params.items()}
    plus[key][i] += epsilon if plus_step is None else plus_step
    minus[key][i] -= epsilon if minus_step is None else minus_step
    return J(plus), J(minus)


def gc_no_restore(J, params, grads, epsilon):
    # Perturbs in place and forgets the final += epsilon: params end shifted by -epsilon.
    errors = {}
    for key, x in params.items():
        g_approx = np.zeros(x.shape)
        for i in np.ndindex(x.shape):
            x[i] += epsilon
            J_plus = J(params)
            x[i] -= 2 * epsilon
            J_minus = J(params)
            g_approx[i] = (J_plus - J_minus) / (2 * epsilon)
        errors[key] = _ratio(np.asarray(grads[key]), g_approx)
    return errors


def gc_shallow_copies(J, params, grads, epsilon):
    # dict.copy() copies the dict, not the arrays: the "minus" side undoes the "plus" side.
    errors = {}
    for key in params:
        g_approx = np.zeros(np.shape(params[key]))
        for i in np.ndindex(g_approx.shape):
            plus = params.copy()
            plus[key][i] += epsilon
            J_plus = J(plus)
            minus = params.copy()
            minus[key][i] -= epsilon
            J_minus = J(minus)
            g_approx[i] = (J_plus - J_minus) / (2 * epsilon)
        errors[key] = _ratio(np.asarray(grads[key]), g_approx)
    return errors


def gc_one_sided(J, params, grads, epsilon):
    # Forward differences (J(theta + eps) - J(theta)) / eps.
    J0 = J(params)
    errors = {}
    for key in params:
        g_approx = np.zeros(np.shape(params[key]))
        for i in np.ndindex(g_approx.shape):
            J_plus, _ = _centered(J, params, key, i, epsilon)
            g_approx[i] = (J_plus - J0) / epsilon
        errors[key] = _ratio(np.asarray(grads[key]), g_approx)
    return errors


def gc_no_2(J, params, grads, epsilon):
    # Divides by epsilon, not 2 epsilon.
    errors = {}
    for key in params:
        g_approx = np.zeros(np.shape(params[key]))
        for i in np.ndindex(g_approx.shape):
            J_plus, J_minus = _centered(J, params, key, i, epsilon)
            g_approx[i] = (J_plus - J_minus) / epsilon
        errors[key] = _ratio(np.asarray(grads[key]), g_approx)
    return errors


def gc_norm_of_sum(J, params, grads, epsilon):
    # Denominator ||g + g_approx||.
    errors = {}
    for key in params:
        g_approx = np.zeros(np.shape(params[key]))
        for i in np.ndindex(g_approx.shape):
            J_plus, J_minus = _centered(J, params, key, i, epsilon)
            g_approx[i] = (J_plus - J_minus) / (2 * epsilon)
        g = np.asarray(grads[key])
        denominator = np.linalg.norm(g + g_approx)
        errors[key] = 0.0 if denominator == 0 else np.linalg.norm(g - g_approx) / denominator
    return errors


def gc_hardcoded_epsilon(J, params, grads, epsilon):
    # epsilon = 1e-7 from the lecture.
    errors = {}
    for key in params:
        g_approx = np.zeros(np.shape(params[key]))
        for i in np.ndindex(g_approx.shape):
            J_plus, J_minus = _centered(J, params, key, i, 1e-7)
            g_approx[i] = (J_plus - J_minus) / (2 * 1e-7)
        errors[key] = _ratio(np.asarray(grads[key]), g_approx)
    return errors


def gc_whole_rows(J, params, grads, epsilon):
    # for i in range(len(x)): x[i] perturbs a whole row of a matrix at once.
    errors = {}
    for key in params:
        g_approx = np.zeros(np.shape(params[key]))
        for i in range(len(g_approx)):
            J_plus, J_minus = _centered(J, params, key, i, epsilon)
            g_approx[i] = (J_plus - J_minus) / (2 * epsilon)
        errors[key] = _ratio(np.asarray(grads[key]), g_approx)
    return errors


def gc_weights_only(J, params, grads, epsilon):
    # Checks the weights W1, W2, ... and skips the biases.
    errors = {}
    for key in [k for k in params if k.startswith("W")]:
        g_approx = np.zeros(np.shape(params[key]))
        for i in np.ndindex(g_approx.shape):
            J_plus, J_minus = _centered(J, params, key, i, epsilon)
            g_approx[i] = (J_plus - J_minus) / (2 * epsilon)
        errors[key] = _ratio(np.asarray(grads[key]), g_approx)
    return errors


def _approx_dict(J, params, epsilon):
    """The right centered differences, as a dict (for the cases that only get the error wrong)."""
    out = {}
    for key in params:
        out[key] = np.zeros(np.shape(params[key]))
        for i in np.ndindex(out[key].shape):
            J_plus, J_minus = _centered(J, params, key, i, epsilon)
            out[key][i] = (J_plus - J_minus) / (2 * epsilon)
    return out


def gc_mean_of_entry_ratios(J, params, grads, epsilon):
    # The mean of the entries' relative errors, not the ratio of norms.
    approx = _approx_dict(J, params, epsilon)
    errors = {}
    for key, a in approx.items():
        g = np.asarray(grads[key])
        ratios = np.abs(g - a) / np.maximum(np.abs(g) + np.abs(a), 1e-300)
        errors[key] = float(np.mean(ratios))
    return errors


def gc_max_abs_difference(J, params, grads, epsilon):
    # The largest absolute difference, not a relative error.
    approx = _approx_dict(J, params, epsilon)
    return {key: float(np.max(np.abs(np.asarray(grads[key]) - a))) for key, a in approx.items()}


def gc_nan_when_both_zero(J, params, grads, epsilon):
    # No guard: 0 / 0 gives NaN for an array whose gradient is exactly zero.
    approx = _approx_dict(J, params, epsilon)
    errors = {}
    for key, a in approx.items():
        g = np.asarray(grads[key], dtype=float)
        with np.errstate(invalid="ignore"):
            errors[key] = float(np.linalg.norm(g - a) / (np.linalg.norm(g) + np.linalg.norm(a)))
    return errors


def gc_float32_copies(J, params, grads, epsilon):
    # Float32 copies: a step of 1e-7 is below float32's resolution.
    errors = {}
    for key in params:
        g_approx = np.zeros(np.shape(params[key]))
        for i in np.ndindex(g_approx.shape):
            plus = {k: np.array(v, dtype=np.float32) for k, v in params.items()}
            minus = {k: np.array(v, dtype=np.float32) for k, v in params.items()}
            plus[key][i] += epsilon
            minus[key][i] -= epsilon
            g_approx[i] = (J(plus) - J(minus)) / (2 * epsilon)
        errors[key] = _ratio(np.asarray(grads[key]), g_approx)
    return errors


def gc_calls_J_on_array(J, params, grads, epsilon):
    # Calls J on the perturbed array instead of the dict.
    errors = {}
    for key, x in params.items():
        g_approx = np.zeros(x.shape)
        for i in np.ndindex(x.shape):
            plus, minus = x.copy(), x.copy()
            plus[i] += epsilon
            minus[i] -= epsilon
            g_approx[i] = (J(plus) - J(minus)) / (2 * epsilon)
        errors[key] = _ratio(np.asarray(grads[key]), g_approx)
    return errors


def gc_single_number(J, params, grads, epsilon):
    # Wrong kind: the old spec's single relative error over all the entries.
    approx = _approx_dict(J, params, epsilon)
    g = np.concatenate([np.ravel(grads[k]) for k in params])
    a = np.concatenate([np.ravel(approx[k]) for k in params])
    return _ratio(g, a)


def gc_returns_g_approx(J, params, grads, epsilon):
    # Wrong kind: returns the numerical gradients instead of the errors.
    return _approx_dict(J, params, epsilon)



# ---------------------------------------------------------------- added with the checks' rewrite (issue 25)

def gc1d_divides_by_g_approx(J, dJ, theta, epsilon):
    # Divides by |g_approx| alone.
    g_approx = (J(theta + epsilon) - J(theta - epsilon)) / (2 * epsilon)
    return abs(dJ(theta) - g_approx) / abs(g_approx)


def gc_l1_norms(J, params, grads, epsilon):
    # Sums of absolute values (L1) instead of Euclidean norms.
    approx = _approx_dict(J, params, epsilon)
    errors = {}
    for key, a in approx.items():
        g = np.asarray(grads[key], dtype=float)
        total = np.sum(np.abs(g)) + np.sum(np.abs(a))
        errors[key] = 0.0 if total == 0 else float(np.sum(np.abs(g - a)) / total)
    return errors


CORRECT = [
    Case(GC1D, "gc1d_norm_form", gc1d_norm_form),
    Case(GC1D, "gc1d_half_over_eps", gc1d_half_over_eps),
    Case(GC1D, "gc1d_zero_guard", gc1d_zero_guard),
    Case(GC1D, "gc1d_minus_first", gc1d_minus_first),
    Case(VECTOR, "vector_hstack_split", (p2v_hstack, v2p_split_cumsum)),
    Case(VECTOR, "vector_loop_offsets", (p2v_loop_flatten, v2p_offset_loop)),
    Case(VECTOR, "vector_entry_list_iterator", (p2v_entry_list, v2p_iterator)),
    Case(VECTOR, "vector_ravel_zeros_fill", (p2v_concatenate_ravel, v2p_zeros_then_fill)),
    Case(GC, "gc_inplace_arithmetic", gc_inplace_arithmetic),
    Case(GC, "gc_save_restore", gc_save_restore),
    Case(GC, "gc_deepcopy", gc_deepcopy),
    Case(GC, "gc_flat_vector", gc_flat_vector),
]

WRONG = [
    Case(GC1D, "gc1d_one_sided", gc1d_one_sided, "value: centered difference",
         r"one.?sided|centered|central|forward|two.?sided"),
    Case(GC1D, "gc1d_backward_difference", gc1d_backward_difference, "value: centered difference",
         r"one.?sided|centered|central|backward|two.?sided"),
    Case(GC1D, "gc1d_no_2", gc1d_no_2, "value: divided by 2 epsilon", r"2 ?\*? ?eps|2ε|factor|twice|half"),
    Case(GC1D, "gc1d_precedence", gc1d_precedence, "value: centered difference",
         r"centered|difference|precedence|g_approx|approx|relative error"),
    Case(GC1D, "gc1d_no_abs", gc1d_no_abs, "sign", r"sign|negative|opposite|abs"),
    Case(GC1D, "gc1d_abs_of_sum", gc1d_abs_of_sum, "sign", r"sign|opposite|negative"),
    Case(GC1D, "gc1d_hardcoded_epsilon", gc1d_hardcoded_epsilon, "argument: epsilon", r"epsilon"),
    Case(GC1D, "gc1d_absolute_error", gc1d_absolute_error, "value: relative error",
         r"relative|denominator|scale"),
    Case(GC1D, "gc1d_divides_by_g", gc1d_divides_by_g, "value: relative error denominator |g| + |g_approx|",
         r"denominator|relative|g_approx"),
    Case(GC1D, "gc1d_float32", gc1d_float32, "value: float64 precision", r"float32|precision|round|dtype"),
    Case(GC1D, "gc1d_casts_to_python_float", gc1d_casts_to_python_float, "value: theta's precision kept", r"float32"),
    Case(GC1D, "gc1d_dJ_at_shifted_theta", gc1d_dJ_at_shifted_theta, "value: g = dJ(theta)",
         r"dJ|theta|\bg\b"),
    Case(GC1D, "gc1d_returns_verdict", gc1d_returns_verdict, "wrong kind",
         r"number|float|bool|return|expected|got"),
    Case(GC1D, "gc1d_returns_pair", gc1d_returns_pair, "wrong kind", r"number|float|tuple|return|expected|got"),
    Case(GC1D, "gc1d_indexes_J", gc1d_indexes_J, "learner error", r"raise|error|TypeError|IndexError"),

    Case(VECTOR, "vector_column_major", (p2v_column_major, v2p_column_major), "value: row-by-row layout",
         r"row|order|ravel|layout"),
    Case(VECTOR, "vector_sorted_keys", (p2v_sorted_keys, v2p_sorted_keys), "value: the dict's key order",
         r"order|key"),
    Case(VECTOR, "vector_weights_only", (p2v_weights_only, v2p_offset_loop), "value: every array (biases too)",
         r"b\d|bias|key|size|length|entr|missing|shape"),
    Case(VECTOR, "vector_column_vector", (p2v_column_vector, v2p_from_column), "value: a 1-D vector",
         r"1-D|shape|column|ndim|dimension"),
    Case(VECTOR, "vector_p2v_reshapes_in_dict", (p2v_reshapes_in_dict, v2p_offset_loop), "inputs left alone",
         r"modif|chang|mutat|in place"),
    Case(VECTOR, "vector_v2p_returns_like", (p2v_hstack, v2p_returns_like), "argument: vector",
         r"vector|values"),
    Case(VECTOR, "vector_v2p_writes_into_like", (p2v_hstack, v2p_writes_into_like), "inputs left alone",
         r"modif|chang|mutat|in place|new|like"),
    Case(VECTOR, "vector_v2p_offset_by_rows", (p2v_hstack, v2p_offset_by_rows), "value: offsets by size",
         r"size|offset|values?|entries"),
    Case(VECTOR, "vector_v2p_flat_pieces", (p2v_hstack, v2p_flat_pieces), "value: shapes of like", r"shape"),
    Case(VECTOR, "vector_p2v_returns_list", (p2v_returns_list, v2p_offset_loop), "wrong kind",
         r"array|list|return|expected|got"),
    Case(VECTOR, "vector_v2p_returns_list", (p2v_hstack, v2p_returns_list), "wrong kind",
         r"dict|list|return|expected|got"),

    Case(GC, "gc_no_restore", gc_no_restore, "inputs left alone", r"modif|chang|mutat|in place|restor"),
    Case(GC, "gc_shallow_copies", gc_shallow_copies, "value: g_approx (dict.copy shares the arrays)",
         r"g_approx|approx|centered|copy|relative error|expected"),
    Case(GC, "gc_one_sided", gc_one_sided, "value: centered difference",
         r"one.?sided|centered|central|forward|two.?sided"),
    Case(GC, "gc_no_2", gc_no_2, "value: divided by 2 epsilon", r"2 ?\*? ?eps|2ε|factor|twice|half"),
    Case(GC, "gc_norm_of_sum", gc_norm_of_sum, "sign", r"sign|opposite|negative"),
    Case(GC, "gc_hardcoded_epsilon", gc_hardcoded_epsilon, "argument: epsilon", r"epsilon"),
    Case(GC, "gc_whole_rows", gc_whole_rows, "value: one entry at a time", r"entr|one at a time|row|element"),
    Case(GC, "gc_weights_only", gc_weights_only, "value: every array (biases too)",
         r"b\d|bias|key|missing|every"),
    Case(GC, "gc_mean_of_entry_ratios", gc_mean_of_entry_ratios, "value: ratio of norms per array",
         r"norm|relative"),
    Case(GC, "gc_max_abs_difference", gc_max_abs_difference, "value: ratio of norms per array",
         r"norm|relative|denominator"),
    Case(GC, "gc_nan_when_both_zero", gc_nan_when_both_zero, "value: 0 when both are zero",
         r"zero|nan|0 ?/ ?0|invalid|divide"),
    Case(GC, "gc_float32_copies", gc_float32_copies, "value: float64 precision", r"float32|precision|round|dtype"),
    Case(GC, "gc_calls_J_on_array", gc_calls_J_on_array, "learner error",
         r"raise|error|TypeError|IndexError|KeyError|dict"),
    Case(GC, "gc_single_number", gc_single_number, "wrong kind", r"dict|return|expected|got"),
    Case(GC, "gc_returns_g_approx", gc_returns_g_approx, "wrong kind",
         r"relative|number|float|scalar|return|expected|got"),
    Case(GC1D, "gc1d_divides_by_g_approx", gc1d_divides_by_g_approx, "value: relative error denominator",
         r"relative|denominator"),
    Case(GC, "gc_l1_norms", gc_l1_norms, "value: ratio of norms per array", r"norm|relative"),
]
