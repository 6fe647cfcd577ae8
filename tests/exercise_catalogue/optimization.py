"""Optimization_methods.ipynb: random_mini_batches, momentum_update, rmsprop_update, adam_update, step_decay."""
import math

import numpy as np

from . import Case

BATCHES, MOMENTUM, RMSPROP, ADAM, DECAY = ("check_random_mini_batches", "check_momentum_update",
                                           "check_rmsprop_update", "check_adam_update", "check_step_decay")


# ---------------------------------------------------------------- mini-batches: correct

def mb_shuffle_arange_while(X, y, batch_size, rng):
    # rng.shuffle of an index array (the same permutation as rng.permutation(m)), a while loop, lists.
    m = X.shape[0]
    order = np.arange(m)
    rng.shuffle(order)
    batches, start = [], 0
    while start < m:
        rows = order[start:start + batch_size]
        batches.append([X[rows], y[rows]])
        start += batch_size
    return batches


def mb_np_split(X, y, batch_size, rng):
    # np.split at the multiples of batch_size.
    order = rng.permutation(len(y))
    cuts = list(range(batch_size, len(y), batch_size))
    return list(zip(np.split(X[order], cuts), np.split(y[order], cuts)))


def mb_take_ceil(X, y, batch_size, rng):
    # math.ceil(m / b) batches, cut with np.take.
    m = X.shape[0]
    order = rng.permutation(m)
    n_batches = math.ceil(m / batch_size)
    return [(np.take(X, order[k * batch_size:(k + 1) * batch_size], axis=0),
             np.take(y, order[k * batch_size:(k + 1) * batch_size], axis=0)) for k in range(n_batches)]


def mb_full_then_last(X, y, batch_size, rng):
    # The lecture's two steps: the full batches, then the leftover batch if m % b != 0.
    m = X.shape[0]
    perm = list(rng.permutation(m))
    X_s, y_s = X[perm, :], y[perm]
    n_full = m // batch_size
    batches = [(X_s[k * batch_size:(k + 1) * batch_size, :], y_s[k * batch_size:(k + 1) * batch_size])
               for k in range(n_full)]
    if m % batch_size != 0:
        batches.append((X_s[n_full * batch_size:, :], y_s[n_full * batch_size:]))
    return batches


# ---------------------------------------------------------------- mini-batches: wrong

def mb_two_permutations(X, y, batch_size, rng):
    # X and y shuffled with two different permutations: labels no longer match rows.
    X, y = X[rng.permutation(len(X))], y[rng.permutation(len(y))]
    return [(X[k:k + batch_size], y[k:k + batch_size]) for k in range(0, len(X), batch_size)]


def mb_y_not_shuffled(X, y, batch_size, rng):
    # Shuffled X, forgot y.
    X = X[rng.permutation(len(X))]
    return [(X[k:k + batch_size], y[k:k + batch_size]) for k in range(0, len(X), batch_size)]


def mb_no_shuffle(X, y, batch_size, rng):
    # No shuffle at all.
    return [(X[k:k + batch_size], y[k:k + batch_size]) for k in range(0, len(X), batch_size)]


def mb_drops_leftovers(X, y, batch_size, rng):
    # Only the m // b full batches: the leftover rows are lost.
    order = rng.permutation(len(X))
    X, y = X[order], y[order]
    return [(X[k * batch_size:(k + 1) * batch_size], y[k * batch_size:(k + 1) * batch_size])
            for k in range(len(X) // batch_size)]


def mb_global_permutation(X, y, batch_size, rng):
    # np.random.permutation, not rng.
    order = np.random.permutation(len(X))
    X, y = X[order], y[order]
    return [(X[k:k + batch_size], y[k:k + batch_size]) for k in range(0, len(X), batch_size)]


def mb_fixed_seed(X, y, batch_size, rng):
    # A new generator seeded 0 inside: the same order at every epoch.
    order = np.random.default_rng(0).permutation(len(X))
    X, y = X[order], y[order]
    return [(X[k:k + batch_size], y[k:k + batch_size]) for k in range(0, len(X), batch_size)]


def mb_hardcoded_64(X, y, batch_size, rng):
    # The lecture's 64, not batch_size.
    order = rng.permutation(len(X))
    X, y = X[order], y[order]
    return [(X[k:k + 64], y[k:k + 64]) for k in range(0, len(X), 64)]


def mb_slice_off_by_one(X, y, batch_size, rng):
    # Slices of batch_size - 1 rows, stepping by batch_size: one row per batch lost.
    order = rng.permutation(len(X))
    X, y = X[order], y[order]
    return [(X[k:k + batch_size - 1], y[k:k + batch_size - 1]) for k in range(0, len(X), batch_size)]


def mb_shuffles_inputs_in_place(X, y, batch_size, rng):
    # Shuffles the caller's arrays in place (X[:] = X[order]).
    order = rng.permutation(len(X))
    X[:], y[:] = X[order], y[order]
    return [(X[k:k + batch_size], y[k:k + batch_size]) for k in range(0, len(X), batch_size)]


def mb_permutes_columns(X, y, batch_size, rng):
    # Permutes the columns with a permutation of the rows: IndexError when m > n.
    order = rng.permutation(X.shape[0])
    X, y = X[:, order], y[order]
    return [(X[k:k + batch_size], y[k:k + batch_size]) for k in range(0, len(y), batch_size)]


def mb_returns_two_lists(X, y, batch_size, rng):
    # Wrong kind: (list of X batches, list of y batches), not a list of pairs.
    order = rng.permutation(len(X))
    X, y = X[order], y[order]
    starts = range(0, len(X), batch_size)
    return [X[k:k + batch_size] for k in starts], [y[k:k + batch_size] for k in starts]


# ---------------------------------------------------------------- Momentum: correct

def momentum_copy_inplace(W, dW, v, beta, learning_rate):
    # In-place arithmetic on copies; returns a list.
    v = v.copy()
    v *= beta
    v += (1 - beta) * dW
    W = W.copy()
    W -= learning_rate * v
    return [W, v]


def momentum_lerp(W, dW, v, beta, learning_rate):
    # The average written as an interpolation: v + (1 - beta) (dW - v).
    v_new = v + (1.0 - beta) * (dW - v)
    return W - learning_rate * v_new, v_new


def momentum_np_functions(W, dW, v, beta, learning_rate):
    # NumPy functions instead of operators.
    v = np.add(np.multiply(beta, v), np.multiply(1 - beta, dW))
    return np.subtract(W, np.multiply(learning_rate, v)), v


def momentum_elementwise_loop(W, dW, v, beta, learning_rate):
    # An explicit loop over the entries.
    W_new, v_new = np.empty_like(W), np.empty_like(v)
    for i in np.ndindex(W.shape):
        v_new[i] = beta * v[i] + (1 - beta) * dW[i]
        W_new[i] = W[i] - learning_rate * v_new[i]
    return W_new, v_new


# ---------------------------------------------------------------- Momentum: wrong

def momentum_inplace_v(W, dW, v, beta, learning_rate):
    # Updates the caller's v in place (v *= beta).
    v *= beta
    v += (1 - beta) * dW
    return W - learning_rate * v, v


def momentum_inplace_W(W, dW, v, beta, learning_rate):
    # Updates the caller's W in place (W -= ...).
    v = beta * v + (1 - beta) * dW
    W -= learning_rate * v
    return W, v


def momentum_classical(W, dW, v, beta, learning_rate):
    # Classical momentum v = beta v + dW, not the lecture's average.
    v = beta * v + dW
    return W - learning_rate * v, v


def momentum_swapped_beta(W, dW, v, beta, learning_rate):
    # beta and 1 - beta swapped.
    v = (1 - beta) * v + beta * dW
    return W - learning_rate * v, v


def momentum_steps_with_dW(W, dW, v, beta, learning_rate):
    # Updates v but steps along dW.
    v = beta * v + (1 - beta) * dW
    return W - learning_rate * dW, v


def momentum_hardcoded_beta(W, dW, v, beta, learning_rate):
    # beta = 0.9, the lecture's value.
    v = 0.9 * v + 0.1 * dW
    return W - learning_rate * v, v


def momentum_hardcoded_lr(W, dW, v, beta, learning_rate):
    # learning_rate = 0.01, the lecture's value.
    v = beta * v + (1 - beta) * dW
    return W - 0.01 * v, v


def momentum_plus_sign(W, dW, v, beta, learning_rate):
    # W + learning_rate * v: climbs the gradient.
    v = beta * v + (1 - beta) * dW
    return W + learning_rate * v, v


def momentum_returns_old_v(W, dW, v, beta, learning_rate):
    # Returns the v it was given, not the new one.
    v_new = beta * v + (1 - beta) * dW
    return W - learning_rate * v_new, v


def momentum_returns_v_W(W, dW, v, beta, learning_rate):
    # Returns (v, W), the wrong order.
    v = beta * v + (1 - beta) * dW
    return v, W - learning_rate * v


def momentum_returns_W_only(W, dW, v, beta, learning_rate):
    # Wrong kind: returns W alone.
    v = beta * v + (1 - beta) * dW
    return W - learning_rate * v


def momentum_returns_dict(W, dW, v, beta, learning_rate):
    # Wrong kind: returns {"W": ..., "v": ...}.
    v = beta * v + (1 - beta) * dW
    return {"W": W - learning_rate * v, "v": v}


# ---------------------------------------------------------------- RMSprop: correct

def rmsprop_np_functions(W, dW, s, rho, learning_rate, epsilon):
    # np.square and np.divide; returns a list.
    s = rho * s + (1 - rho) * np.square(dW)
    return [W - learning_rate * np.divide(dW, np.sqrt(s) + epsilon), s]


def rmsprop_lerp(W, dW, s, rho, learning_rate, epsilon):
    # The average as an interpolation s + (1 - rho)(dW^2 - s), and ** 0.5.
    s = s + (1 - rho) * (dW * dW - s)
    return W - learning_rate * dW / (s ** 0.5 + epsilon), s


def rmsprop_named_steps(W, dW, s, rho, learning_rate, epsilon):
    # The denominator and the step as named intermediate arrays.
    s_new = rho * s + (1.0 - rho) * dW ** 2
    denominator = np.sqrt(s_new) + epsilon
    step = learning_rate * (dW / denominator)
    return W - step, s_new


def rmsprop_copy_inplace(W, dW, s, rho, learning_rate, epsilon):
    # In-place arithmetic on copies.
    s = s * rho
    s += (1 - rho) * dW ** 2
    W = np.array(W, copy=True)
    W -= learning_rate * dW / (np.sqrt(s) + epsilon)
    return W, s


# ---------------------------------------------------------------- RMSprop: wrong

def rmsprop_no_epsilon(W, dW, s, rho, learning_rate, epsilon):
    # No epsilon: divides by sqrt(s) alone.
    s = rho * s + (1 - rho) * dW ** 2
    return W - learning_rate * dW / np.sqrt(s), s


def rmsprop_epsilon_added_to_step(W, dW, s, rho, learning_rate, epsilon):
    # Missing parentheses: W - lr * dW / np.sqrt(s) + epsilon.
    s = rho * s + (1 - rho) * dW ** 2
    return W - learning_rate * dW / np.sqrt(s) + epsilon, s


def rmsprop_epsilon_inside_sqrt(W, dW, s, rho, learning_rate, epsilon):
    # Keras's form sqrt(s + epsilon), not the lecture's sqrt(s) + epsilon.
    s = rho * s + (1 - rho) * dW ** 2
    return W - learning_rate * dW / np.sqrt(s + epsilon), s


def rmsprop_hardcoded_epsilon(W, dW, s, rho, learning_rate, epsilon):
    # epsilon = 1e-8, not the argument.
    s = rho * s + (1 - rho) * dW ** 2
    return W - learning_rate * dW / (np.sqrt(s) + 1e-8), s


def rmsprop_hardcoded_rho(W, dW, s, rho, learning_rate, epsilon):
    # rho = 0.9, not the argument.
    s = 0.9 * s + 0.1 * dW ** 2
    return W - learning_rate * dW / (np.sqrt(s) + epsilon), s


def rmsprop_no_square(W, dW, s, rho, learning_rate, epsilon):
    # Averages dW, not dW ** 2 (sqrt of a negative gives NaN).
    s = rho * s + (1 - rho) * dW
    return W - learning_rate * dW / (np.sqrt(s) + epsilon), s


def rmsprop_no_sqrt(W, dW, s, rho, learning_rate, epsilon):
    # Divides by s + epsilon: no square root.
    s = rho * s + (1 - rho) * dW ** 2
    return W - learning_rate * dW / (s + epsilon), s


def rmsprop_old_s_in_step(W, dW, s, rho, learning_rate, epsilon):
    # Steps with the old s, then updates it.
    W = W - learning_rate * dW / (np.sqrt(s) + epsilon)
    return W, rho * s + (1 - rho) * dW ** 2


def rmsprop_inplace_s(W, dW, s, rho, learning_rate, epsilon):
    # Updates the caller's s in place.
    s *= rho
    s += (1 - rho) * dW ** 2
    return W - learning_rate * dW / (np.sqrt(s) + epsilon), s


def rmsprop_returns_W_only(W, dW, s, rho, learning_rate, epsilon):
    # Wrong kind: returns W alone.
    s = rho * s + (1 - rho) * dW ** 2
    return W - learning_rate * dW / (np.sqrt(s) + epsilon)


# ---------------------------------------------------------------- Adam: correct

def adam_paper_efficient_form(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    # Kingma & Ba's reordering: alpha_t = lr sqrt(1 - b2^t) / (1 - b1^t), epsilon scaled to match.
    m = beta_1 * m + (1 - beta_1) * dW
    v = beta_2 * v + (1 - beta_2) * dW ** 2
    alpha_t = learning_rate * math.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
    return W - alpha_t * m / (np.sqrt(v) + epsilon * math.sqrt(1 - beta_2 ** t)), m, v


def adam_np_power_list(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    # np.power, np.square; returns a list.
    m = beta_1 * m + (1 - beta_1) * dW
    v = beta_2 * v + (1 - beta_2) * np.square(dW)
    m_hat = m / (1 - np.power(beta_1, t))
    v_hat = v / (1 - np.power(beta_2, t))
    return [W - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v]


def adam_lerp(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    # Averages as interpolations; corrections as divisions of the step.
    m = m + (1 - beta_1) * (dW - m)
    v = v + (1 - beta_2) * (dW * dW - v)
    step = (m / (1 - beta_1 ** t)) / ((v / (1 - beta_2 ** t)) ** 0.5 + epsilon)
    return W - learning_rate * step, m, v


def adam_copy_inplace(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    # In-place arithmetic on copies.
    m, v, W = m.copy(), v.copy(), W.copy()
    m *= beta_1
    m += (1 - beta_1) * dW
    v *= beta_2
    v += (1 - beta_2) * dW ** 2
    W -= learning_rate * (m / (1 - beta_1 ** t)) / (np.sqrt(v / (1 - beta_2 ** t)) + epsilon)
    return W, m, v


# ---------------------------------------------------------------- Adam: wrong

def _adam(W, dW, m, v, t, lr, b1, b2, eps):
    """The right update, for the wrong cases that change one argument."""
    m = b1 * m + (1 - b1) * dW
    v = b2 * v + (1 - b2) * dW ** 2
    return W - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps), m, v


def adam_no_bias_correction(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    # Forgot the bias correction.
    m = beta_1 * m + (1 - beta_1) * dW
    v = beta_2 * v + (1 - beta_2) * dW ** 2
    return W - learning_rate * m / (np.sqrt(v) + epsilon), m, v


def adam_returns_corrected(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    # Returns the corrected m_hat, v_hat as the new state.
    m = beta_1 * m + (1 - beta_1) * dW
    v = beta_2 * v + (1 - beta_2) * dW ** 2
    m_hat, v_hat = m / (1 - beta_1 ** t), v / (1 - beta_2 ** t)
    return W - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m_hat, v_hat


def adam_epsilon_inside_sqrt(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    # sqrt(v_hat + epsilon), not sqrt(v_hat) + epsilon.
    m = beta_1 * m + (1 - beta_1) * dW
    v = beta_2 * v + (1 - beta_2) * dW ** 2
    m_hat, v_hat = m / (1 - beta_1 ** t), v / (1 - beta_2 ** t)
    return W - learning_rate * m_hat / np.sqrt(v_hat + epsilon), m, v


def adam_keras_epsilon(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    # Keras's form: epsilon added to sqrt(v) before the correction.
    m = beta_1 * m + (1 - beta_1) * dW
    v = beta_2 * v + (1 - beta_2) * dW ** 2
    alpha_t = learning_rate * np.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
    return W - alpha_t * m / (np.sqrt(v) + epsilon), m, v


def adam_no_epsilon(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    # No epsilon.
    m = beta_1 * m + (1 - beta_1) * dW
    v = beta_2 * v + (1 - beta_2) * dW ** 2
    return W - learning_rate * (m / (1 - beta_1 ** t)) / np.sqrt(v / (1 - beta_2 ** t)), m, v


def adam_t_plus_one(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    # Thinks t counts from 0 and corrects with t + 1.
    return _adam(W, dW, m, v, t + 1, learning_rate, beta_1, beta_2, epsilon)


def adam_correction_without_power(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    # 1 - beta (no ** t) in the corrections.
    m = beta_1 * m + (1 - beta_1) * dW
    v = beta_2 * v + (1 - beta_2) * dW ** 2
    return W - learning_rate * (m / (1 - beta_1)) / (np.sqrt(v / (1 - beta_2)) + epsilon), m, v


def adam_hardcoded_betas(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    # beta_1 = 0.9 and beta_2 = 0.999, the defaults, not the arguments.
    return _adam(W, dW, m, v, t, learning_rate, 0.9, 0.999, epsilon)


def adam_hardcoded_lr(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    # learning_rate = 0.001, the default.
    return _adam(W, dW, m, v, t, 0.001, beta_1, beta_2, epsilon)


def adam_swapped_betas(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    # beta_2 for m and beta_1 for v.
    return _adam(W, dW, m, v, t, learning_rate, beta_2, beta_1, epsilon)


def adam_v_not_squared(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    # v averages dW, not dW ** 2 (NaN where it goes negative).
    m = beta_1 * m + (1 - beta_1) * dW
    v = beta_2 * v + (1 - beta_2) * dW
    return W - learning_rate * (m / (1 - beta_1 ** t)) / (np.sqrt(v / (1 - beta_2 ** t)) + epsilon), m, v


def adam_inplace_state(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    # Updates the caller's m and v in place.
    m *= beta_1
    m += (1 - beta_1) * dW
    v *= beta_2
    v += (1 - beta_2) * dW ** 2
    return W - learning_rate * (m / (1 - beta_1 ** t)) / (np.sqrt(v / (1 - beta_2 ** t)) + epsilon), m, v


def adam_returns_W_m(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    # Wrong kind: returns (W, m), forgetting v.
    W, m, v = _adam(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon)
    return W, m


# ---------------------------------------------------------------- fixed-interval decay: correct

def decay_math_floor(learning_rate0, epoch, decay_rate, time_interval):
    # math.floor.
    return learning_rate0 / (1 + decay_rate * math.floor(epoch / time_interval))


def decay_floor_division(learning_rate0, epoch, decay_rate, time_interval):
    # Integer division // (epochs and intervals are whole numbers).
    return learning_rate0 / (1.0 + decay_rate * (epoch // time_interval))


def decay_counting_loop(learning_rate0, epoch, decay_rate, time_interval):
    # Counts the boundaries passed.
    drops = 0
    for e in range(1, epoch + 1):
        if e % time_interval == 0:
            drops += 1
    return learning_rate0 / (1 + decay_rate * drops)


def decay_keras_schedule(learning_rate0, epoch, decay_rate, time_interval):
    # Keras's own InverseTimeDecay with staircase=True (computes in float32).
    import keras
    schedule = keras.optimizers.schedules.InverseTimeDecay(learning_rate0, time_interval, decay_rate, staircase=True)
    return float(schedule(epoch))


def decay_int_truncation(learning_rate0, epoch, decay_rate, time_interval):
    # int() truncation, which is the floor for epochs >= 0; float32 result.
    return np.float32(learning_rate0 / (1 + decay_rate * int(epoch / time_interval)))


# ---------------------------------------------------------------- fixed-interval decay: wrong

def decay_no_floor(learning_rate0, epoch, decay_rate, time_interval):
    # No floor: decays smoothly between the boundaries.
    return learning_rate0 / (1 + decay_rate * epoch / time_interval)


def decay_ceil(learning_rate0, epoch, decay_rate, time_interval):
    # ceil instead of floor: drops one interval early.
    return learning_rate0 / (1 + decay_rate * math.ceil(epoch / time_interval))


def decay_floor_of_product(learning_rate0, epoch, decay_rate, time_interval):
    # Precedence: decay_rate * epoch // time_interval floors (decay_rate * epoch) / time_interval.
    return learning_rate0 / (1 + decay_rate * epoch // time_interval)


def decay_exponential(learning_rate0, epoch, decay_rate, time_interval):
    # Exponential staircase decay, another schedule.
    return learning_rate0 * decay_rate ** (epoch // time_interval)


def decay_epochs_from_one(learning_rate0, epoch, decay_rate, time_interval):
    # Counts epochs from 1: floor((epoch + 1) / time_interval).
    return learning_rate0 / (1 + decay_rate * math.floor((epoch + 1) / time_interval))


def decay_hardcoded_interval(learning_rate0, epoch, decay_rate, time_interval):
    # time_interval = 1000, the lecture's value.
    return learning_rate0 / (1 + decay_rate * math.floor(epoch / 1000))


def decay_ignores_decay_rate(learning_rate0, epoch, decay_rate, time_interval):
    # decay_rate left out (as if it were 1).
    return learning_rate0 / (1 + math.floor(epoch / time_interval))


def decay_multiplies(learning_rate0, epoch, decay_rate, time_interval):
    # Multiplies instead of dividing: the rate grows.
    return learning_rate0 * (1 + decay_rate * math.floor(epoch / time_interval))


def decay_returns_pair(learning_rate0, epoch, decay_rate, time_interval):
    # Wrong kind: returns (learning_rate, epoch).
    return learning_rate0 / (1 + decay_rate * math.floor(epoch / time_interval)), epoch


def decay_prints_rate(learning_rate0, epoch, decay_rate, time_interval):
    # Wrong kind: prints the rate and returns None.
    print(learning_rate0 / (1 + decay_rate * math.floor(epoch / time_interval)))



# ---------------------------------------------------------------- added with the checks' rewrite (issue 25)

def mb_y_as_column(X, y, batch_size, rng):
    # y batches reshaped to the lecture's (b, 1) column.
    order = rng.permutation(len(X))
    X, y = X[order], y[order]
    return [(X[k:k + batch_size], y[k:k + batch_size].reshape(-1, 1)) for k in range(0, len(X), batch_size)]


def rmsprop_plus_sign(W, dW, s, rho, learning_rate, epsilon):
    # W + ...: climbs the gradient.
    s = rho * s + (1 - rho) * dW ** 2
    return W + learning_rate * dW / (np.sqrt(s) + epsilon), s


def adam_only_m_corrected(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    # Corrects m but forgets v's correction.
    m = beta_1 * m + (1 - beta_1) * dW
    v = beta_2 * v + (1 - beta_2) * dW ** 2
    return W - learning_rate * (m / (1 - beta_1 ** t)) / (np.sqrt(v) + epsilon), m, v


def decay_round(learning_rate0, epoch, decay_rate, time_interval):
    # round() instead of floor: drops halfway through each interval.
    return learning_rate0 / (1 + decay_rate * round(epoch / time_interval))


CORRECT = [
    Case(BATCHES, "mb_shuffle_arange_while", mb_shuffle_arange_while),
    Case(BATCHES, "mb_np_split", mb_np_split),
    Case(BATCHES, "mb_take_ceil", mb_take_ceil),
    Case(BATCHES, "mb_full_then_last", mb_full_then_last),
    Case(MOMENTUM, "momentum_copy_inplace", momentum_copy_inplace),
    Case(MOMENTUM, "momentum_lerp", momentum_lerp),
    Case(MOMENTUM, "momentum_np_functions", momentum_np_functions),
    Case(MOMENTUM, "momentum_elementwise_loop", momentum_elementwise_loop),
    Case(RMSPROP, "rmsprop_np_functions", rmsprop_np_functions),
    Case(RMSPROP, "rmsprop_lerp", rmsprop_lerp),
    Case(RMSPROP, "rmsprop_named_steps", rmsprop_named_steps),
    Case(RMSPROP, "rmsprop_copy_inplace", rmsprop_copy_inplace),
    Case(ADAM, "adam_paper_efficient_form", adam_paper_efficient_form),
    Case(ADAM, "adam_np_power_list", adam_np_power_list),
    Case(ADAM, "adam_lerp", adam_lerp),
    Case(ADAM, "adam_copy_inplace", adam_copy_inplace),
    Case(DECAY, "decay_math_floor", decay_math_floor),
    Case(DECAY, "decay_floor_division", decay_floor_division),
    Case(DECAY, "decay_counting_loop", decay_counting_loop),
    Case(DECAY, "decay_keras_schedule", decay_keras_schedule, needs_tf=True),
    Case(DECAY, "decay_int_truncation", decay_int_truncation),
]

WRONG = [
    Case(BATCHES, "mb_two_permutations", mb_two_permutations, "value: X and y shuffled together",
         r"pair|align|together|same permutation|match|label"),
    Case(BATCHES, "mb_y_not_shuffled", mb_y_not_shuffled, "value: X and y shuffled together",
         r"pair|align|together|same permutation|match|label"),
    Case(BATCHES, "mb_no_shuffle", mb_no_shuffle, "value: rows shuffled", r"shuffl|order|permut"),
    Case(BATCHES, "mb_drops_leftovers", mb_drops_leftovers, "value: last, smaller batch",
         r"last|leftover|remainder|m % |missing|incomplete"),
    Case(BATCHES, "mb_global_permutation", mb_global_permutation, "uses rng", r"rng"),
    Case(BATCHES, "mb_fixed_seed", mb_fixed_seed, "uses rng", r"rng|seed"),
    Case(BATCHES, "mb_hardcoded_64", mb_hardcoded_64, "argument: batch_size", r"batch_size|batch size"),
    Case(BATCHES, "mb_slice_off_by_one", mb_slice_off_by_one, "value: batch sizes",
         r"batch_size|batch size|rows|size"),
    Case(BATCHES, "mb_shuffles_inputs_in_place", mb_shuffles_inputs_in_place, "inputs left alone",
         r"modif|chang|mutat|in place"),
    Case(BATCHES, "mb_permutes_columns", mb_permutes_columns, "learner error", r"raise|error|IndexError"),
    Case(BATCHES, "mb_returns_two_lists", mb_returns_two_lists, "wrong kind", r"list|pair|return|expected|got"),

    Case(MOMENTUM, "momentum_inplace_v", momentum_inplace_v, "inputs left alone", r"modif|chang|mutat|in place"),
    Case(MOMENTUM, "momentum_inplace_W", momentum_inplace_W, "inputs left alone", r"modif|chang|mutat|in place"),
    Case(MOMENTUM, "momentum_classical", momentum_classical, "value: v = beta v + (1 - beta) dW",
         r"1 - beta|\bv\b|velocity|average"),
    Case(MOMENTUM, "momentum_swapped_beta", momentum_swapped_beta, "value: v = beta v + (1 - beta) dW",
         r"beta|\bv\b|velocity"),
    Case(MOMENTUM, "momentum_steps_with_dW", momentum_steps_with_dW, "value: W steps along v",
         r"\bW\b|\bv\b|velocity|step"),
    Case(MOMENTUM, "momentum_hardcoded_beta", momentum_hardcoded_beta, "argument: beta", r"beta"),
    Case(MOMENTUM, "momentum_hardcoded_lr", momentum_hardcoded_lr, "argument: learning_rate",
         r"learning_rate|learning rate"),
    Case(MOMENTUM, "momentum_plus_sign", momentum_plus_sign, "sign",
         r"sign|opposite|negative|direction|ascent|up the gradient|uphill|subtract"),
    Case(MOMENTUM, "momentum_returns_old_v", momentum_returns_old_v, "value: the new v returned",
         r"\bv\b|velocity"),
    Case(MOMENTUM, "momentum_returns_v_W", momentum_returns_v_W, "value: (W, v) in that order",
         r"order|swap|\(W, v\)|\bW\b"),
    Case(MOMENTUM, "momentum_returns_W_only", momentum_returns_W_only, "wrong kind",
         r"return|tuple|pair|expected|got"),
    Case(MOMENTUM, "momentum_returns_dict", momentum_returns_dict, "wrong kind", r"return|tuple|pair|expected|got"),

    Case(RMSPROP, "rmsprop_no_epsilon", rmsprop_no_epsilon, "epsilon", r"epsilon"),
    Case(RMSPROP, "rmsprop_epsilon_added_to_step", rmsprop_epsilon_added_to_step, "epsilon", r"epsilon"),
    Case(RMSPROP, "rmsprop_epsilon_inside_sqrt", rmsprop_epsilon_inside_sqrt, "epsilon", r"epsilon"),
    Case(RMSPROP, "rmsprop_hardcoded_epsilon", rmsprop_hardcoded_epsilon, "argument: epsilon", r"epsilon"),
    Case(RMSPROP, "rmsprop_hardcoded_rho", rmsprop_hardcoded_rho, "argument: rho", r"rho"),
    Case(RMSPROP, "rmsprop_no_square", rmsprop_no_square, "value: s averages dW**2",
         r"square|dW ?\*\* ?2|dW\^2|\bs\b|nan"),
    Case(RMSPROP, "rmsprop_no_sqrt", rmsprop_no_sqrt, "value: divide by sqrt(s)", r"sqrt|root|\bs\b"),
    Case(RMSPROP, "rmsprop_old_s_in_step", rmsprop_old_s_in_step, "value: the step uses the new s",
         r"\bs\b|new|order|update"),
    Case(RMSPROP, "rmsprop_inplace_s", rmsprop_inplace_s, "inputs left alone", r"modif|chang|mutat|in place"),
    Case(RMSPROP, "rmsprop_returns_W_only", rmsprop_returns_W_only, "wrong kind", r"return|tuple|pair|expected|got"),

    Case(ADAM, "adam_no_bias_correction", adam_no_bias_correction, "value: bias correction", r"bias|correct"),
    Case(ADAM, "adam_returns_corrected", adam_returns_corrected, "value: uncorrected m, v returned",
         r"uncorrected|corrected|m_hat|v_hat|\bm\b|\bv\b"),
    Case(ADAM, "adam_epsilon_inside_sqrt", adam_epsilon_inside_sqrt, "epsilon", r"epsilon"),
    Case(ADAM, "adam_keras_epsilon", adam_keras_epsilon, "epsilon", r"epsilon"),
    Case(ADAM, "adam_no_epsilon", adam_no_epsilon, "epsilon", r"epsilon"),
    Case(ADAM, "adam_t_plus_one", adam_t_plus_one, "value: t starts at 1", r"\bt\b|step|bias|correct"),
    Case(ADAM, "adam_correction_without_power", adam_correction_without_power, "value: bias correction 1 - beta**t",
         r"bias|correct|\bt\b"),
    Case(ADAM, "adam_hardcoded_betas", adam_hardcoded_betas, "argument: beta_1, beta_2", r"beta"),
    Case(ADAM, "adam_hardcoded_lr", adam_hardcoded_lr, "argument: learning_rate", r"learning_rate|learning rate"),
    Case(ADAM, "adam_swapped_betas", adam_swapped_betas, "value: beta_1 for m, beta_2 for v", r"beta"),
    Case(ADAM, "adam_v_not_squared", adam_v_not_squared, "value: v averages dW**2",
         r"square|dW ?\*\* ?2|dW\^2|\bv\b|nan"),
    Case(ADAM, "adam_inplace_state", adam_inplace_state, "inputs left alone", r"modif|chang|mutat|in place"),
    Case(ADAM, "adam_returns_W_m", adam_returns_W_m, "wrong kind", r"return|tuple|three|expected|got"),

    Case(DECAY, "decay_no_floor", decay_no_floor, "value: floor(epoch / time_interval)",
         r"floor|between|constant|interval"),
    Case(DECAY, "decay_ceil", decay_ceil, "value: floor(epoch / time_interval)", r"floor|ceil|boundar|interval"),
    Case(DECAY, "decay_floor_of_product", decay_floor_of_product, "value: floor(epoch / time_interval)",
         r"floor|precedence|interval|decay_rate"),
    Case(DECAY, "decay_exponential", decay_exponential, "value: lr0 / (1 + r floor(epoch / T))",
         r"learning rate|rate|decay|expected"),
    Case(DECAY, "decay_epochs_from_one", decay_epochs_from_one, "value: epochs count from 0",
         r"epoch|boundar|early|off by one"),
    Case(DECAY, "decay_hardcoded_interval", decay_hardcoded_interval, "argument: time_interval",
         r"time_interval|interval"),
    Case(DECAY, "decay_ignores_decay_rate", decay_ignores_decay_rate, "argument: decay_rate", r"decay_rate|decay rate"),
    Case(DECAY, "decay_multiplies", decay_multiplies, "value: the rate decreases",
         r"decreas|increas|grow|decay|divide"),
    Case(DECAY, "decay_returns_pair", decay_returns_pair, "wrong kind", r"number|float|scalar|return|expected|got"),
    Case(DECAY, "decay_prints_rate", decay_prints_rate, "wrong kind", r"None|return"),
    Case(BATCHES, "mb_y_as_column", mb_y_as_column, "value: y_batch stays 1-D", r"1-D|shape"),
    Case(RMSPROP, "rmsprop_plus_sign", rmsprop_plus_sign, "sign", r"sign|opposite|up the gradient|subtract"),
    Case(ADAM, "adam_only_m_corrected", adam_only_m_corrected, "value: bias correction of v", r"bias|correct"),
    Case(DECAY, "decay_round", decay_round, "value: floor(epoch / time_interval)", r"floor|round|interval"),
]
