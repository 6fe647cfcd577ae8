"""The checks of the Optimization_methods notebook's mini-batches and fixed-interval decay.

(The update rules, Momentum, RMSprop and Adam, are checked in ``optimizer_updates``.)

``random_mini_batches(X, y, batch_size, rng)``: one shared permutation from ``rng``, then batches of
``batch_size`` rows and a last one of the ``m % batch_size`` leftovers. The check tries sizes that divide
m and sizes that do not, float32 and float64 X, and tests that the rows stay whole and paired with their
labels, every row comes out once, the order is shuffled, ``X`` and ``y`` are left as they were, and the
shuffle comes from ``rng`` (same seed, same batches; another seed, another order; np.random untouched).

``step_decay(learning_rate0, epoch, decay_rate, time_interval) = learning_rate0 / (1 + decay_rate *
floor(epoch / time_interval))``, at and between the boundaries, for settings that move every argument.
"""

import math

import numpy as np

from .. import schedules, training
from .harness import call, describe, exercise, fail, hint, wrong_kind
from .probes import global_rng_untouched, items, number, unchanged


def _course_mini_batches(X, y, batch_size, rng):
    return training.random_mini_batches(X, y, batch_size, rng=rng)


def _course_step_decay(learning_rate0, epoch, decay_rate, time_interval):
    schedule = schedules.InverseTimeDecay(learning_rate0, time_interval, decay_rate, staircase=True)
    return schedule(epoch)


def _data(m, n, dtype, seed):
    """X (m, n) whose column 0 holds the row's number, and y = 1000 + that number: a row's identity shows."""
    X = np.random.default_rng(seed).standard_normal((m, n)).astype(dtype)
    X[:, 0] = np.arange(m)
    return X, np.arange(m) + 1000


def _batches(fn, name, X, y, batch_size, seed):
    """The learner's batches as a list of (X_batch, y_batch) arrays, with what the spec asks of their kind."""
    X_in, y_in = X.copy(), y.copy()
    with global_rng_untouched(name):
        batches = call(fn, name, X_in, y_in, batch_size, np.random.default_rng(seed))
    unchanged(name, "X", X, X_in)
    unchanged(name, "y", y, y_in)
    if not isinstance(batches, (list, tuple)):
        wrong_kind(name, batches, "a list of (X_batch, y_batch) pairs")
    pairs = [items(b, 2, name, "a list of (X_batch, y_batch) pairs, each item a pair") for b in batches]
    for k, (Xb, yb) in enumerate(pairs):
        if not isinstance(Xb, np.ndarray) or not isinstance(yb, np.ndarray):
            fail(f"Batch {k} should hold two arrays (X_batch, y_batch); it holds {describe(Xb)} and {describe(yb)}.")
        if Xb.ndim != 2 or Xb.shape[1] != X.shape[1] or yb.shape != (Xb.shape[0],):
            fail(f"Batch {k} has X_batch of shape {Xb.shape} and y_batch of shape {yb.shape}; for X of shape "
                 f"{X.shape} they should be (b, {X.shape[1]}) and (b,): whole rows of X, and y kept 1-D.")
    return pairs


@exercise("random_mini_batches", reference=_course_mini_batches)
def check_random_mini_batches(random_mini_batches):
    """``random_mini_batches(X, y, batch_size, rng) -> [(X_batch, y_batch), ...]``, X (m, n), y (m,)."""
    name = "random_mini_batches"
    cases = [(37, 3, 8, np.float64, 0), (32, 2, 8, np.float32, 1), (5, 4, 7, np.float64, 2), (23, 2, 1, np.float64, 3),
             (50, 5, 16, np.float32, 4)]  # (m, n, batch_size, dtype, seed): sizes that divide m and sizes that do not
    for m, n, batch_size, dtype, seed in cases:
        X, y = _data(m, n, dtype, seed)
        batches = _batches(random_mini_batches, name, X, y, batch_size, seed)
        sizes = [len(yb) for _, yb in batches]
        expected = [batch_size] * (m // batch_size) + ([m % batch_size] if m % batch_size else [])
        if sizes != expected:
            where = f"With m={m} and batch_size={batch_size} the batch sizes should be {expected}; got {sizes}"
            if sizes == expected[:-1] and m % batch_size:
                fail(f"{where}: the last mini-batch, with the m % batch_size = {m % batch_size} leftover examples, "
                     f"is missing.")
            fail(f"{where}.")
        for k, (Xb, yb) in enumerate(batches):
            if not np.array_equal(Xb[:, 0] + 1000, yb):
                fail(f"In batch {k} the rows of X_batch and the labels of y_batch no longer belong together: X and y "
                     f"must be shuffled with the same permutation.")
            rows = Xb[:, 0].astype(int)
            if not np.array_equal(Xb, X[np.clip(rows, 0, m - 1)]):
                fail(f"Batch {k} holds rows that are not rows of X: take whole rows, X[indices].")
        order = np.concatenate([yb for _, yb in batches]) - 1000
        if sorted(order) != list(range(m)):
            fail(f"With m={m} the batches together should hold every example exactly once (a permutation of the "
                 f"rows); {m - len(set(order.tolist()))} are missing or repeated.")
        if m > 8 and np.array_equal(order, np.arange(m)):
            fail("The examples come out in their original order: shuffle the rows (one permutation from `rng`) "
                 "before cutting the batches.")
    X, y = _data(20, 2, np.float64, 5)
    first, again, other = (_batches(random_mini_batches, name, X, y, 6, seed) for seed in (7, 7, 8))
    orders = [np.concatenate([yb for _, yb in b]) for b in (first, again, other)]
    if not np.array_equal(orders[0], orders[1]):
        fail("Two calls with generators of the same seed shuffled differently: draw the permutation from the "
             "`rng` argument, so that a seed reproduces a run.")
    if np.array_equal(orders[0], orders[2]):
        fail("Generators of different seeds gave the same order: the permutation does not come from the `rng` "
             "argument (a generator made inside the function, or a fixed seed, shuffles the same way every epoch).")
    return "batch sizes (with the leftover batch), one shared shuffle from rng, every row once; inputs left unchanged."


_DECAY = [(0.5, 1.0, 1000), (0.1, 0.3, 7), (0.02, 2.5, 1), (0.7, 0.5, 3)]  # (learning_rate0, decay_rate, time_interval)


def _decay_candidates(lr0, rate, interval, epochs):
    """(rates, words) of the usual wrong schedules, for ``epochs``."""
    e = epochs.astype(float)
    return [
        (lr0 / (1 + rate * e / interval),
         "Your rate decays between the boundaries: it must stay constant within each interval, "
         "floor(epoch / time_interval)."),
        (lr0 / (1 + rate * np.ceil(e / interval)), "Your rate drops one interval early: that is ceil(epoch / "
                                                    "time_interval), the schedule uses floor."),
        (lr0 / (1 + rate * np.round(e / interval)), "Your rate drops halfway through each interval: that is "
                                                     "round(epoch / time_interval), the schedule uses floor."),
        (lr0 / (1 + np.floor(rate * e / interval)), "That is floor(decay_rate * epoch / time_interval): decay_rate "
                                                     "multiplies the floor, floor(epoch / time_interval)."),
        (lr0 / (1 + rate * np.floor((e + 1) / interval)), "Your rate drops one epoch early at every boundary: "
                                                           "epochs count from 0."),
        (lr0 / (1 + rate * np.floor(e)), "Your rate drops at every epoch: the epoch is divided by time_interval "
                                         "inside the floor."),
        (lr0 * rate ** np.floor(e / interval), "That is an exponential decay, learning_rate0 * decay_rate**k; this "
                                               "schedule divides, learning_rate0 / (1 + decay_rate * k)."),
        (lr0 * (1 + rate * np.floor(e / interval)), "Your rate grows: the schedule divides learning_rate0 by "
                                                    "1 + decay_rate * floor(epoch / time_interval)."),
        (lr0 / (1 + np.floor(e / interval)), f"That is the schedule for decay_rate = 1, not the decay_rate = {rate} "
                                             f"passed."),
        (lr0 / (1 + rate * np.floor(e / 1000)), f"That is the schedule for time_interval = 1000, not the "
                                                f"time_interval = {interval} passed."),
    ]


@exercise("step_decay", reference=_course_step_decay)
def check_step_decay(step_decay):
    """``step_decay(learning_rate0, epoch, decay_rate, time_interval) -> learning_rate``, fixed-interval decay."""
    for lr0, rate, interval in _DECAY:
        epochs = np.array(sorted({0, 1, 2, interval - 1, interval, interval + interval // 2, 2 * interval + 1,
                                  5 * interval - 1, 5 * interval + 3}))
        expected = lr0 / (1 + rate * np.floor(epochs / interval))
        got = np.array([number(call(step_decay, "step_decay", lr0, int(e), rate, interval), "step_decay",
                               "the learning rate, one number") for e in epochs])
        wrong = ~np.isclose(got, expected, rtol=1e-5, atol=0)  # 1e-5: a schedule computed in float32 is right too
        if not wrong.any():
            continue
        k = int(np.flatnonzero(wrong)[0])
        words = hint(_decay_candidates(lr0, rate, interval, epochs), lambda values: np.allclose(
            got, values, rtol=1e-5, atol=0) and not math.isclose(values[k], expected[k]))
        fail(f"With learning_rate0={lr0}, decay_rate={rate}, time_interval={interval}, at epoch {epochs[k]} the "
             f"rate should be {expected[k]:.6g}; you returned {got[k]:.6g}. {words}".strip())
    return "the rate at and between the boundaries correct for several schedules."
