"""Tests for course_utils.stacked: S nets trained at once equal S nets trained one by one."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from course_utils import datasets, model, optimizers, schedules, stacked, training

SEEDS = [0, 1, 2]


def moons():
    X, y, _, _ = datasets.moons(n_train=90, n_test=10, seed=2)
    return X, y


def relative(a, b):
    return np.linalg.norm(a - b) / np.linalg.norm(b)


@pytest.mark.parametrize("dims, activation, l2", [
    ([2, 5, 2, 1], "relu", 0.0),
    ([2, 6, 3], "tanh", 0.3),
    ([2, 4, 2], "leaky_relu", 0.0),
])
def test_initial_weights_losses_and_gradients_equal_the_single_nets(dims, activation, l2):
    X, y = moons()
    stack = stacked.StackedMLP(dims, SEEDS, hidden_activation=activation, l2=l2)
    nets = [model.MLP(dims, activation, l2=l2, seed=s) for s in SEEDS]
    losses, grads = stack.loss_and_grads(np.broadcast_to(X, (3, *X.shape)), np.broadcast_to(y, (3, len(y))))
    for s, net in enumerate(nets):
        loss, net_grads = net.loss_and_grads(X, y)
        assert losses[s] == pytest.approx(loss, rel=1e-13)
        for k in net.params:
            assert_array_equal(stack.params[k][s].reshape(net.params[k].shape), net.params[k])
            assert_allclose(grads[k][s].reshape(net.params[k].shape), net_grads[k], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("make_optimizer, batch_size", [
    (lambda: optimizers.Adam(0.01), 16),
    (lambda: optimizers.Momentum(0.05, beta=0.9), 32),
    (lambda: optimizers.GD(schedules.InverseTimeDecay(0.1, 10, 1.0, staircase=True)), 25),
    (lambda: optimizers.AdamW(0.01, weight_decay=0.1), None),
])
def test_training_equals_training_each_net_alone(make_optimizer, batch_size):
    """Same weights, same shuffles, same updates: parameters and loss curves agree to 1e-12."""
    X, y = moons()
    stack = stacked.StackedMLP([2, 5, 3, 1], SEEDS)
    history = stacked.train(stack, X, y, make_optimizer(), epochs=30, batch_size=batch_size)
    for s, net in zip(SEEDS, stack.nets()):
        alone = model.MLP([2, 5, 3, 1], seed=s)
        alone_history = training.train(alone, X, y, make_optimizer(), epochs=30, batch_size=batch_size, seed=s)
        for k in alone.params:
            assert relative(net.params[k], alone.params[k]) < 1e-12, (s, k)
        assert_allclose(history.loss[:, SEEDS.index(s)], alone_history.loss, rtol=1e-12)
        assert_allclose(history.learning_rate, alone_history.learning_rate, rtol=1e-15)


def test_nets_never_mix():
    """Changing one net's weights leaves every other net's loss and gradient unchanged."""
    X, y = moons()
    Xs, ys = np.broadcast_to(X, (3, *X.shape)), np.broadcast_to(y, (3, len(y)))
    stack = stacked.StackedMLP([2, 4, 1], SEEDS)
    losses, grads = stack.loss_and_grads(Xs, ys)
    before = {k: v.copy() for k, v in grads.items()}
    stack.params["W1"][1] *= 3.0
    new_losses, grads = stack.loss_and_grads(Xs, ys)
    assert new_losses[0] == losses[0] and new_losses[2] == losses[2] and new_losses[1] != losses[1]
    for k in grads:
        assert_array_equal(grads[k][[0, 2]], before[k][[0, 2]])


def test_histories_are_one_per_net():
    X, y = moons()
    history = stacked.train(stacked.StackedMLP([2, 3, 1], SEEDS), X, y, optimizers.GD(0.1), epochs=4)
    per_net = history.histories()
    assert len(per_net) == 3 and per_net[1].epochs == 4
    assert per_net[2].loss == list(history.loss[:, 2])


def test_divergence_names_the_seeds():
    X, y = moons()
    with pytest.raises(training.TrainingDivergedError, match=r"seeds \[.*\].*epoch.*smaller learning rate"):
        stacked.train(stacked.StackedMLP([2, 8, 1], SEEDS, init="random"), X * 1e3, y, optimizers.GD(1e3),
                      epochs=50)


@pytest.mark.parametrize("call, error, argument", [
    (lambda: stacked.StackedMLP([2, 3, 1], []), ValueError, "seeds"),
    (lambda: stacked.StackedMLP([2, 3, 1], [0], init="bad"), ValueError, "init"),
    (lambda: stacked.train(stacked.StackedMLP([2, 3, 1], [0]), np.zeros((5, 3)), np.zeros(5, int),
                           optimizers.GD(0.1)), ValueError, "X"),
    (lambda: stacked.train(stacked.StackedMLP([2, 3, 1], [0]), np.zeros((5, 2)), np.full(5, 2),
                           optimizers.GD(0.1)), ValueError, "y"),
    (lambda: stacked.train(stacked.StackedMLP([2, 3, 1], [0]), np.zeros((5, 2)), np.zeros(5, int),
                           optimizers.GD(0.1), batch_size=0), ValueError, "batch_size"),
])
def test_bad_input(call, error, argument):
    with pytest.raises(error, match=argument):
        call()


def test_train_nets_returns_trained_mlps_one_per_seed():
    X, y = moons()
    nets, history = stacked.train_nets([2, 4, 1], SEEDS, X, y, optimizers.GD(0.5), epochs=5, batch_size=30,
                                       hidden_activation="tanh")
    assert [net.seed for net in nets] == SEEDS and history.loss.shape == (5, 3)
    alone = model.MLP([2, 4, 1], "tanh", seed=1)
    training.train(alone, X, y, optimizers.GD(0.5), epochs=5, batch_size=30, seed=1)
    assert relative(nets[1].params["W1"], alone.params["W1"]) < 1e-12


@pytest.mark.parametrize("progress, drawn", [(True, True), (False, False), (None, False)])
def test_progress_bar_only_when_asked(monkeypatch, capsys, progress, drawn):
    """Under pytest (progress=None) nothing is written; progress=True draws the same bar as training.train."""
    monkeypatch.setattr(training, "PROGRESS_DELAY_S", 0.0)
    X, y = moons()
    stacked.train(stacked.StackedMLP([2, 3, 1], SEEDS), X, y, optimizers.GD(0.1), epochs=3, progress=progress)
    assert ("epochs" in capsys.readouterr().err) == drawn
