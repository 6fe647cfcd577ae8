"""Checks for the Optimization_methods exercises: mini-batches, Momentum, RMSprop, Adam, step decay.

Re-exported by ``course_utils.checks``. The update rules use the lecture's (textbook) forms, on
arrays of any shape::

    Momentum: v <- beta v + (1 - beta) g,                       W <- W - alpha v
    RMSprop:  s <- rho s + (1 - rho) g^2,                       W <- W - alpha g / (sqrt(s) + epsilon)
    Adam:     m <- beta_1 m + (1 - beta_1) g,  v <- beta_2 v + (1 - beta_2) g^2,
              W <- W - alpha m_hat / (sqrt(v_hat) + epsilon),   m_hat = m / (1 - beta_1^t), v_hat = v / (1 - beta_2^t)
    decay:    alpha = alpha_0 / (1 + decay_rate * floor(epoch / time_interval))
"""

import numpy as np

from .. import schedules, training
from .harness import array, call, close, expect_shape, exercise, fail


def _course_mini_batches(X, y, batch_size, rng):
    return training.random_mini_batches(X, y, batch_size, rng=rng)


def _course_momentum(W, dW, v, beta, learning_rate):
    v = beta * v + (1 - beta) * dW
    return W - learning_rate * v, v


def _course_rmsprop(W, dW, s, rho, learning_rate, epsilon):
    s = rho * s + (1 - rho) * dW ** 2
    return W - learning_rate * dW / (np.sqrt(s) + epsilon), s


def _course_adam(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    m = beta_1 * m + (1 - beta_1) * dW
    v = beta_2 * v + (1 - beta_2) * dW ** 2
    m_hat, v_hat = m / (1 - beta_1 ** t), v / (1 - beta_2 ** t)
    return W - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v


def _course_step_decay(learning_rate0, epoch, decay_rate, time_interval):
    schedule = schedules.InverseTimeDecay(learning_rate0, time_interval, decay_rate, staircase=True)
    return schedule(epoch)


@exercise("random_mini_batches", reference=_course_mini_batches)
def check_random_mini_batches(random_mini_batches):
    """``random_mini_batches(X, y, batch_size, rng) -> [(X_batch, y_batch), ...]``, X (m, n), y (m,)."""
    name = "random_mini_batches"
    for m, batch_size, seed in [(37, 8, 0), (32, 8, 1), (5, 7, 2), (64, 1, 3)]:
        X = np.stack([np.arange(m), -np.arange(m), np.full(m, 0.5)], axis=1).astype(float)  # row i holds i
        y = np.arange(m) * 10.0
        batches = call(random_mini_batches, name, X.copy(), y.copy(), batch_size, np.random.default_rng(seed))
        if not isinstance(batches, (list, tuple)):
            fail(f"Return a list of (X_batch, y_batch) pairs; got {type(batches).__name__}.")
        sizes = [len(np.asarray(b[1])) for b in batches]
        expected = [batch_size] * (m // batch_size) + ([m % batch_size] if m % batch_size else [])
        if sizes != expected:
            if sizes == [batch_size] * (m // batch_size):
                fail(f"With m={m} and batch_size={batch_size} you returned {len(sizes)} batches and dropped the "
                     f"last {m % batch_size} examples: the last mini-batch holds the m % batch_size leftovers.")
            if sizes and sizes[-1] == 0:
                fail(f"With m={m} and batch_size={batch_size} your last batch is empty: add the leftover batch "
                     f"only when m % batch_size > 0.")
            fail(f"With m={m} and batch_size={batch_size} the batch sizes should be {expected}; got {sizes}.")
        for Xb, yb in batches:
            expect_shape(Xb, (len(np.asarray(yb)), 3), "X_batch", "Take whole rows: X[indices] or X[k:k + batch_size].")
            expect_shape(yb, (len(np.asarray(yb)),), "y_batch", "y stays 1-D, shape (batch,).")
        Xs = np.concatenate([np.asarray(b[0]) for b in batches])
        ys = np.concatenate([np.asarray(b[1]) for b in batches])
        if not np.array_equal(Xs[:, 0] * 10.0, ys):
            fail("The rows of X_batch and the labels of y_batch no longer belong together: X and y were shuffled "
                 "with different permutations. Draw one permutation and index both X and y with it.")
        if sorted(Xs[:, 0]) != list(range(m)):
            fail("The batches together should hold every example exactly once (a permutation of the rows); "
                 "some are missing or repeated.")
        if m > 8 and np.array_equal(Xs[:, 0], np.arange(m)):
            fail("The examples come out in their original order: shuffle them first, with rng.permutation(m).")
    X, y = np.arange(40.0).reshape(20, 2), np.arange(20.0)
    first = call(random_mini_batches, name, X, y, 6, np.random.default_rng(5))
    again = call(random_mini_batches, name, X, y, 6, np.random.default_rng(5))
    if any(not np.array_equal(a[1], b[1]) for a, b in zip(first, again)):
        fail("Two calls with generators of the same seed shuffled differently: use the `rng` argument "
             "(rng.permutation), not np.random.")
    return "sizes (with the leftover batch), one shared shuffle and use of rng all correct."


def _cases(seed, shape=(3, 4)):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape), [rng.standard_normal(shape) * 10.0 ** rng.uniform(-1, 1) for _ in range(4)]


@exercise("momentum_update", reference=_course_momentum)
def check_momentum_update(momentum_update):
    """``momentum_update(W, dW, v, beta, learning_rate) -> (W, v)``, one step of the lecture's Momentum."""
    for seed, beta, lr in [(0, 0.9, 0.1), (1, 0.75, 0.03)]:
        W, grads = _cases(seed)
        W_ref, v_ref = W.copy(), np.zeros_like(W)
        W_you, v_you = W.copy(), np.zeros_like(W)
        for t, g in enumerate(grads, start=1):
            v_ref = beta * v_ref + (1 - beta) * g
            W_ref = W_ref - lr * v_ref
            out = call(momentum_update, "momentum_update", W_you.copy(), g.copy(), v_you.copy(), beta, lr)
            if not isinstance(out, tuple) or len(out) != 2:
                fail("Return the pair (W, v): the new parameters and the new velocity.")
            W_you, v_you = array(out[0], "W"), array(out[1], "v")
            expect_shape(W_you, W.shape, "W")
            expect_shape(v_you, W.shape, "v", "v has the shape of W.")
            if close(v_you, v_ref) and close(W_you, W_ref):
                continue
            if t == 1 and close(v_you, g):
                fail("After one step from v = 0, v should be (1 - beta) * dW; yours equals dW. "
                     "The lecture's average is v = beta * v + (1 - beta) * dW.")
            if t == 1 and close(v_you, beta * g):
                fail("After one step from v = 0, v should be (1 - beta) * dW; yours is beta * dW: "
                     "beta multiplies the old v, (1 - beta) the new gradient.")
            if close(v_you, v_ref) and close(W_you, W_ref + 2 * lr * v_ref):
                fail("W moved up the gradient: subtract, W = W - learning_rate * v.")
            if close(v_you, v_ref) and close(W_you, W_ref + lr * v_ref - lr * g):
                fail("W moved by learning_rate * dW: step with the velocity, W = W - learning_rate * v.")
            fail(f"At step {t} (beta={beta}, learning_rate={lr}) W or v differs from v = beta v + (1 - beta) dW, "
                 f"W = W - learning_rate v (largest difference in W {np.abs(W_you - W_ref).max():.3g}).")
    return "four steps with two settings of beta and learning_rate all correct."


@exercise("rmsprop_update", reference=_course_rmsprop)
def check_rmsprop_update(rmsprop_update):
    """``rmsprop_update(W, dW, s, rho, learning_rate, epsilon) -> (W, s)``, one RMSprop step."""
    for seed, rho, lr in [(2, 0.9, 0.01), (3, 0.8, 0.2)]:
        W, grads = _cases(seed)
        W_ref, s_ref, W_you, s_you = W.copy(), np.zeros_like(W), W.copy(), np.zeros_like(W)
        for t, g in enumerate(grads, start=1):
            s_ref = rho * s_ref + (1 - rho) * g * g
            W_ref, W_prev = W_ref - lr * g / (np.sqrt(s_ref) + 1e-8), W_you
            out = call(rmsprop_update, "rmsprop_update", W_you.copy(), g.copy(), s_you.copy(), rho, lr, 1e-8)
            if not isinstance(out, tuple) or len(out) != 2:
                fail("Return the pair (W, s): the new parameters and the new average of squared gradients.")
            W_you, s_you = array(out[0], "W"), array(out[1], "s")
            expect_shape(s_you, W.shape, "s", "s has the shape of W.")
            if close(s_you, s_ref) and close(W_you, W_ref, rtol=1e-5, atol=1e-5):  # either epsilon form
                continue
            if t == 1 and close(s_you, (1 - rho) * g):
                fail("s should average the *squared* gradients: s = rho * s + (1 - rho) * dW**2.")
            if t == 1 and close(s_you, rho * g * g):
                fail("After one step from s = 0, s should be (1 - rho) * dW**2; yours is rho * dW**2: "
                     "rho multiplies the old s.")
            if close(s_you, s_ref) and close(W_you, W_prev - lr * g / (s_ref + 1e-8)):
                fail("W moved by learning_rate * dW / s: divide by the square root, sqrt(s) + epsilon.")
            fail(f"At step {t} (rho={rho}, learning_rate={lr}) W or s differs from s = rho s + (1 - rho) dW^2, "
                 f"W = W - learning_rate dW / (sqrt(s) + epsilon) (largest difference in W "
                 f"{np.abs(W_you - W_ref).max():.3g}).")
    return "four steps with two settings of rho and learning_rate all correct."


@exercise("adam_update", reference=_course_adam)
def check_adam_update(adam_update):
    """``adam_update(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon) -> (W, m, v)``; t = 1, 2, ..."""
    for seed, b1, b2, lr in [(4, 0.9, 0.999, 0.01), (5, 0.8, 0.99, 0.3)]:
        W, grads = _cases(seed)
        m_ref, v_ref = np.zeros_like(W), np.zeros_like(W)
        W_you, m_you, v_you = W.copy(), np.zeros_like(W), np.zeros_like(W)
        for t, g in enumerate(grads, start=1):
            m_ref = b1 * m_ref + (1 - b1) * g
            v_ref = b2 * v_ref + (1 - b2) * g * g
            with np.errstate(all="ignore"):
                out = call(adam_update, "adam_update", W_you.copy(), g.copy(), m_you.copy(), v_you.copy(), t,
                           lr, b1, b2, 1e-8)
            if not isinstance(out, tuple) or len(out) != 3:
                fail("Return the triple (W, m, v).")
            W_new, m_you, v_you = (array(x, k) for x, k in zip(out, ("W", "m", "v")))
            if not np.all(np.isfinite(W_new)):
                fail(f"At t={t} W became inf or nan: the corrections divide by 1 - beta**t, and t counts steps "
                     f"from 1 (did you use t - 1?).")
            if not (close(m_you, m_ref) and close(v_you, v_ref)):
                if t == 1 and close(v_you, (1 - b2) * g):
                    fail("v should average the *squared* gradients: v = beta_2 * v + (1 - beta_2) * dW**2.")
                fail(f"At t={t} m or v differs from m = beta_1 m + (1 - beta_1) dW, v = beta_2 v + (1 - beta_2) dW^2: "
                     f"they are the uncorrected averages (keep m_hat and v_hat out of the returned m and v).")
            step_you = W_you - W_new  # the step taken from the learner's own W
            step_ref = lr * (m_ref / (1 - b1 ** t)) / (np.sqrt(v_ref / (1 - b2 ** t)) + 1e-8)
            same = close(step_you, step_ref, rtol=1e-4, atol=1e-7 * lr)  # either epsilon form passes
            if not same and close(step_you, -step_ref):
                fail("W moved up the gradient: subtract the step, W = W - learning_rate * m_hat / (...).")
            if not same:
                ratio = float(np.median(np.abs(step_you)) / lr)
                if t == 1:
                    fail(f"The first Adam step moved W by {ratio:.2g}x the learning rate, but with bias correction "
                         f"every entry moves by about 1x on step 1: "
                         + ("did you forget bias correction, m / (1 - beta_1**t) and v / (1 - beta_2**t)?"
                            if abs(ratio - (1 - b1) / np.sqrt(1 - b2)) < 0.05 * ratio else
                            "is t right in the corrections? t is the step number, 1 on the first step."))
                fail(f"At t={t} the step differs from learning_rate * m_hat / (sqrt(v_hat) + epsilon) "
                     f"(largest difference {np.abs(step_you - step_ref).max():.3g}).")
            W_you = W_new
    return "four steps with bias correction, two settings of the betas, all correct."


@exercise("step_decay", reference=_course_step_decay)
def check_step_decay(step_decay):
    """``step_decay(learning_rate0, epoch, decay_rate, time_interval) -> learning_rate``, fixed-interval decay."""
    for lr0, rate, interval in [(0.5, 1.0, 1000), (0.1, 0.3, 7)]:
        epochs = np.array(sorted({0, 1, interval - 1, interval, interval + interval // 2, 2 * interval + 1,
                                  5 * interval - 1, 5 * interval + 3}))
        expected = lr0 / (1 + rate * np.floor(epochs / interval))
        got = np.array([float(array(call(step_decay, "step_decay", lr0, int(e), rate, interval), "the learning rate"))
                        for e in epochs])
        if np.allclose(got, expected, rtol=1e-9, atol=0):
            continue
        candidates = [
            (lr0 / (1 + rate * epochs / interval),
             "Between two boundaries the rate must stay constant: use floor(epoch / time_interval) (np.floor or //)."),
            (lr0 / (1 + rate * np.round(epochs / interval)),
             "You rounded epoch / time_interval; the schedule uses floor, which only steps at a boundary."),
            (lr0 / (1 + rate * np.ceil(epochs / interval)), "You rounded up; the schedule uses floor(epoch / time_interval)."),
            (lr0 / (1 + rate * np.floor(epochs)), "Divide the epoch by time_interval before taking the floor."),
            (lr0 * rate ** np.floor(epochs / interval),
             "That is an exponential decay; this one is learning_rate0 / (1 + decay_rate * floor(...))."),
        ]
        hint = next((text for values, text in candidates if np.allclose(got, values, rtol=1e-9, atol=0)), "")
        k = int(np.flatnonzero(~np.isclose(got, expected, rtol=1e-9, atol=0))[0])
        fail(f"With learning_rate0={lr0}, decay_rate={rate}, time_interval={interval}, at epoch {epochs[k]} the "
             f"rate should be {expected[k]:.6g}; you returned {got[k]:.6g}. {hint}".strip())
    return "the rate at and between the boundaries is correct for two schedules."
