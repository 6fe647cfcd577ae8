"""Tests for course_utils.stacked.own_sets: net s trained on its own training set, all nets at once."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from course_utils import datasets, optimizers, schedules, stacked


def own_sets(n_sets, m=60, seed=0):
    """(n_sets, m, 2) points and (n_sets, m) labels: a different noisy_boundary training set per net."""
    sets = [datasets.noisy_boundary(n_train=m, n_test=2, flip=0.2, seed=seed + s)[:2] for s in range(n_sets)]
    return np.stack([s[0] for s in sets]), np.stack([s[1] for s in sets])


def gd():
    return optimizers.GD(schedules.PiecewiseConstantDecay(boundaries=[30], values=[0.3, 0.03]))


@pytest.mark.parametrize("options", [{}, {"keep_prob": 0.8}, {"l2": 0.7}], ids=["plain", "dropout", "l2"])
def test_each_net_trains_as_train_nets_trains_it_alone_with_early_stopping(options):
    """Net s on its own set = stacked.train_nets([seed_s], X[s], ...): the weights at the end, the cost per epoch,
    and, for a validation set per net and one shared by all, the best epoch, its weights and the validation costs."""
    layers, seeds, epochs, patience = [2, 8, 4, 1], [3, 4, 5], 60, 10
    X, y = own_sets(3, m=50)
    X_val, y_val = own_sets(3, m=20, seed=10)
    X_shared, y_shared = X_val[0], y_val[0]
    stack = stacked.StackedMLP(layers, seeds, **options)
    record = stacked.train_on_own_sets(stack, X, y, gd(), epochs, patience=patience,
                                              validation={"own": (X_val, y_val), "shared": (X_shared, y_shared)})
    at_end = stack.nets()
    for s, seed in enumerate(seeds):
        nets, history = stacked.train_nets(layers, [seed], X[s], y[s], gd(), epochs=epochs, **options)
        assert_array_equal(nets[0].params.flat, at_end[s].params.flat)
        assert_allclose(history.loss[:, 0], record.loss[:, s], rtol=1e-12)
        for name, (Xv, yv) in (("own", (X_val[s], y_val[s])), ("shared", (X_shared, y_shared))):
            nets, history = stacked.train_nets(layers, [seed], X[s], y[s], gd(), epochs=epochs, X_val=Xv, y_val=yv,
                                               patience=patience, **options)
            assert record.best_epoch[name][s] == history.best_epoch[0]
            assert_array_equal(record.best_nets(stack, name)[s].params.flat, nets[0].params.flat)
            watched = history[0].epochs
            assert_allclose(record.val_loss[name][:watched, s], history.val_loss[:, 0][:watched], rtol=1e-12)
            assert np.isnan(record.val_loss[name][watched:, s]).all()
    assert_array_equal(stack.theta, np.stack([net.params.flat for net in at_end]))  # best_nets put theta back


def test_mini_batches_shuffle_per_net_as_train_nets_does():
    layers, seeds = [64, 16, 10], [7, 8]
    X, y, _, _ = datasets.digits()
    X_sets, y_sets = np.stack([X[:100], X[100:200]]), np.stack([y[:100], y[100:200]])
    stack = stacked.StackedMLP(layers, seeds)
    record = stacked.train_on_own_sets(stack, X_sets, y_sets, optimizers.Adam(0.01), 4, batch_size=32)
    for s, seed in enumerate(seeds):
        nets, history = stacked.train_nets(layers, [seed], X_sets[s], y_sets[s], optimizers.Adam(0.01), epochs=4,
                                           batch_size=32)
        assert_array_equal(nets[0].params.flat, stack.theta[s])
        assert_allclose(history.loss[:, 0], record.loss[:, s], rtol=1e-12)


def test_a_lambda_per_net_is_the_stacks_own_l2_per_net():
    X, y = own_sets(4)
    lambdas = np.array([0.0, 0.7, 3.0, 0.7])
    stack = stacked.StackedMLP([2, 6, 1], range(4))
    stacked.train_on_own_sets(stack, X, y, gd(), 40, l2=lambdas)
    for s, l2 in enumerate(lambdas):
        alone = stacked.StackedMLP([2, 6, 1], [s], l2=l2)
        stacked.train_on_own_sets(alone, X[s:s + 1], y[s:s + 1], gd(), 40)
        assert_allclose(stack.theta[s], alone.theta[0], rtol=1e-10, atol=1e-13)


def test_train_on_own_sets_rejects_data_that_is_not_one_set_per_net():
    X, y = own_sets(3)
    stack = stacked.StackedMLP([2, 4, 1], range(3))
    with pytest.raises(ValueError, match="one training set per net"):
        stacked.train_on_own_sets(stack, X[:2], y[:2], gd(), 2)
    with pytest.raises(ValueError, match="one training set per net"):
        stacked.train_on_own_sets(stack, X[0], y[0], gd(), 2)
    with pytest.raises(ValueError, match="one lambda per net"):
        stacked.train_on_own_sets(stack, X, y, gd(), 2, l2=[0.1, 0.2])
    with pytest.raises(ValueError, match="one lambda per net"):
        stacked.train_on_own_sets(stacked.StackedMLP([2, 4, 1], range(3), l2=0.5), X, y, gd(), 2, l2=[1, 1, 1])
    with pytest.raises(ValueError, match="one validation set per net"):
        stacked.train_on_own_sets(stack, X, y, gd(), 2, validation={"v": (X[:2], y[:2])})
