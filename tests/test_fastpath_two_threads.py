"""Tests for course_utils.fastpath.two_threads: a large stack's step in two halves gives the one-thread numbers."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from course_utils import datasets, optimizers, stacked
from course_utils.fastpath import two_threads


def train(monkeypatch, split, build, fit):
    monkeypatch.setattr(two_threads, "SPLIT_FROM", 1 if split else 10**12)
    monkeypatch.setattr(two_threads, "cores", lambda: 2)
    stack = build()
    out = fit(stack)
    return stack, out


@pytest.mark.parametrize("keep_prob, l2", [(1.0, 0.0), (0.8, 0.0), (1.0, 0.3)])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_two_halves_train_the_same_nets_bit_for_bit(monkeypatch, keep_prob, l2, dtype):
    X, y, _, _ = datasets.moons(n_train=60, n_test=10, seed=3)
    seeds = [0, 1, 2, 3, 4]  # an odd number: halves of 3 and 2

    def build():
        return stacked.StackedMLP([2, 7, 5, 1], seeds, keep_prob=keep_prob, l2=l2, dtype=dtype)

    def fit(stack):
        return stacked.train(stack, X, y, optimizers.Adam(0.02), epochs=6, batch_size=16).loss

    one, loss_one = train(monkeypatch, False, build, fit)
    two, loss_two = train(monkeypatch, True, build, fit)
    assert_array_equal(one.theta, two.theta)
    assert_array_equal(loss_one, loss_two)
    assert [r.bit_generator.state for r in one.rngs] == [r.bit_generator.state for r in two.rngs]


def test_two_halves_on_own_training_sets_with_a_lambda_per_net(monkeypatch):
    sets = [datasets.noisy_boundary(n_train=50, n_test=10, seed=s) for s in range(4)]
    X, y = np.stack([s[0] for s in sets]), np.stack([s[1] for s in sets])

    def build():
        return stacked.StackedMLP([2, 9, 1], range(4), dtype="float32")

    def fit(stack):
        return stacked.train_on_own_sets(stack, X, y, optimizers.GD(0.3), 30, l2=[0.0, 0.7, 0.0, 3.0]).loss

    one, loss_one = train(monkeypatch, False, build, fit)
    two, loss_two = train(monkeypatch, True, build, fit)
    assert_array_equal(one.theta, two.theta)
    assert_array_equal(loss_one, loss_two)


def test_only_large_stacks_on_two_or_more_cores_split(monkeypatch):
    monkeypatch.setattr(two_threads, "cores", lambda: 2)
    assert two_threads.worth_splitting(40, 200, [2, 40, 10, 1])          # 424,000
    assert not two_threads.worth_splitting(20, 64, [2, 5, 2, 1])         # 10,240
    assert not two_threads.worth_splitting(1, 10**6, [2, 40, 10, 1])     # one net: nothing to split
    monkeypatch.setattr(two_threads, "cores", lambda: 1)
    assert not two_threads.worth_splitting(40, 200, [2, 40, 10, 1])


def test_an_error_in_a_half_reaches_the_caller():
    def step_half(k, nets):
        if k == 1:
            raise FloatingPointError("second half")
        return np.zeros(nets.stop - nets.start)

    with pytest.raises(FloatingPointError, match="second half"):
        two_threads.in_halves(step_half, 4)
    assert [len(part) for part in two_threads.in_halves(lambda k, nets: np.ones(nets.stop - nets.start), 5)] == [3, 2]
