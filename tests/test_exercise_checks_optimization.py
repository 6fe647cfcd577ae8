"""The Optimization_methods checks of random_mini_batches and step_decay."""

import math

import numpy as np
import pytest

from course_utils import checks, schedules, training
from check_helpers import cpu_seconds, message, passes


def batches_correct(X, y, batch_size, rng):
    return training.random_mini_batches(X, y, batch_size, rng=rng)


def by_index(X, y, batch_size, rng):  # index lists instead of slices of a shuffled copy; lists for pairs
    order = rng.permutation(X.shape[0])
    return [[X[order[k:k + batch_size]], y[order[k:k + batch_size]]] for k in range(0, len(order), batch_size)]


def test_mini_batches_accepts_the_package_and_other_styles():
    assert passes(checks.check_random_mini_batches, batches_correct)
    assert passes(checks.check_random_mini_batches, by_index)
    assert passes(checks.check_random_mini_batches, checks.check_random_mini_batches.reference)


def shuffled(fn):
    def random_mini_batches(X, y, batch_size, rng):
        order = rng.permutation(len(y))
        return fn(X[order], y[order], batch_size, rng)
    return random_mini_batches


@pytest.mark.parametrize("wrong, words", [
    (lambda X, y, b, rng: [p for p in batches_correct(X, y, b, rng) if len(p[1]) == b], "leftover examples, is missing"),
    (lambda X, y, b, rng: [(X[rng.permutation(len(y))][k:k + b], y[k:k + b]) for k in range(0, len(y), b)],
     "no longer belong together"),
    (lambda X, y, b, rng: [(X[k:k + b], y[k:k + b]) for k in range(0, len(y), b)], "original order"),
    (lambda X, y, b, rng: batches_correct(X, y, b, np.random.default_rng(0)), "different seeds gave the same order"),
    (lambda X, y, b, rng: training.random_mini_batches(X, y, b, seed=np.random.randint(9)), "global generator"),
    (shuffled(lambda X, y, b, rng: [(X[k:k + 64], y[k:k + 64]) for k in range(0, len(y), 64)]), "batch sizes should be"),
    (lambda X, y, b, rng: [(X[i:i + b], y[i:i + b]) for i in rng.integers(0, len(y), len(y) // b + 1)], "sizes"),
    (lambda X, y, b, rng: [(Xb, yb[:, None]) for Xb, yb in batches_correct(X, y, b, rng)], "y kept 1-D"),
    (lambda X, y, b, rng: (np.random.default_rng(0).shuffle(X), batches_correct(X, y, b, rng))[1], "in place"),
    (lambda X, y, b, rng: {"X": X, "y": y}, "should return a list of (X_batch, y_batch) pairs"),
], ids=["drops-last", "two-permutations", "no-shuffle", "fixed-seed", "global-rng", "hard-coded-64",
        "random-starts", "column-y", "shuffles-input", "dict"])
def test_mini_batches_rejects_with_the_property_named(wrong, words):
    assert words in message(checks.check_random_mini_batches, wrong)


def test_mini_batches_with_replacement_are_caught():
    def with_replacement(X, y, batch_size, rng):
        order = rng.integers(0, len(y), len(y))
        return [(X[order][k:k + batch_size], y[order][k:k + batch_size]) for k in range(0, len(y), batch_size)]
    assert "exactly once" in message(checks.check_random_mini_batches, with_replacement)


def test_step_decay_accepts_the_package_float32_and_integer_division():
    assert passes(checks.check_step_decay, lambda lr0, e, r, k: schedules.InverseTimeDecay(lr0, k, r, True)(e))
    assert passes(checks.check_step_decay, lambda lr0, e, r, k: lr0 / (1 + r * (e // k)))
    assert passes(checks.check_step_decay, lambda lr0, e, r, k: np.float32(lr0) / (1 + np.float32(r) * np.float32(e // k)))


@pytest.mark.parametrize("wrong, words", [
    (lambda lr0, e, r, k: lr0 / (1 + r * e / k), "constant within each interval"),
    (lambda lr0, e, r, k: lr0 / (1 + r * round(e / k)), "round(epoch / time_interval)"),
    (lambda lr0, e, r, k: lr0 / (1 + r * math.ceil(e / k)), "ceil(epoch / time_interval)"),
    (lambda lr0, e, r, k: lr0 / (1 + r * e // k), "decay_rate multiplies the floor"),
    (lambda lr0, e, r, k: lr0 / (1 + r * np.floor(e)), "drops at every epoch"),
    (lambda lr0, e, r, k: lr0 * r ** np.floor(e / k), "exponential decay"),
    (lambda lr0, e, r, k: lr0 / (1 + r * np.floor((e + 1) / k)), "epochs count from 0"),
    (lambda lr0, e, r, k: lr0 / (1 + r * np.floor(e / 1000)), "time_interval = 1000, not the time_interval = 7"),
    (lambda lr0, e, r, k: lr0 / (1 + np.floor(e / k)), "decay_rate = 1, not the decay_rate = 0.3"),
    (lambda lr0, e, r, k: 0.5 / (1 + r * np.floor(e / k)), "at epoch 0 the rate should be 0.1"),
    (lambda lr0, e, r, k: (lr0 / (1 + r * (e // k)),), "should return the learning rate, one number; it returned a tuple"),
], ids=["no-floor", "round", "ceil", "precedence", "floor-epoch", "exponential", "off-by-one", "hard-coded-interval",
        "no-decay-rate", "hard-coded-lr0", "tuple"])
def test_step_decay_rejects_with_the_measurement(wrong, words):
    assert words in message(checks.check_step_decay, wrong)


@pytest.mark.parametrize("check", [checks.check_random_mini_batches, checks.check_step_decay])
def test_each_check_is_quick(check):
    assert cpu_seconds(check, check.reference) < 0.5
