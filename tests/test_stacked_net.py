"""Tests for course_utils.stacked.net: a StackedMLP computes, net by net, what each model.MLP computes alone."""

import copy

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from course_utils import model, stacked
from course_utils.stacked import net as stacked_net

SEEDS = [0, 1, 2]


def problem(dims, m=40, seed=0):
    """Random inputs and labels of every class for a net with layer sizes ``dims``."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((m, dims[0])), np.arange(m) % max(2, dims[-1])


def with_biases(stack):
    """Non-zero biases (zero biases would hide a bias bug), in the stack and in per-seed nets alike."""
    rng = np.random.default_rng(7)
    for key, value in stack.params.items():
        if key[0] == "b":
            value[...] = 0.3 * rng.standard_normal(value.shape)
    return stack


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_each_net_starts_from_its_seeds_weights_in_one_array(dtype):
    stack = stacked.StackedMLP([3, 5, 2], [4, 0, 9], init="xavier", dtype=dtype)
    assert stack.theta.shape == (3, 3 * 5 + 5 + 5 * 2 + 2) and stack.theta.dtype == dtype
    for s, seed in enumerate([4, 0, 9]):
        alone = model.MLP([3, 5, 2], init="xavier", seed=seed, dtype=dtype)
        assert_array_equal(stack.theta[s], alone.params.flat)  # row s is net s's packed parameters
        for key, value in alone.params.items():
            assert_array_equal(stack.params[key][s], value)
            assert np.shares_memory(stack.params[key], stack.theta)
        assert stack.rngs[s].bit_generator.state == alone.rng.bit_generator.state


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("dims", [[3, 6, 4, 1], [3, 6, 4, 3], [3, 5, 2]])
@pytest.mark.parametrize("l2, keep_prob", [(0.0, 1.0), (0.4, 0.75)])
def test_loss_and_grads_equal_each_net_alone(activation, dims, l2, keep_prob):
    """Against the readable forward + backward (1e-10) and the fused step of a lone net (1e-12), dropout masks
    drawn from each net's own generator."""
    X, y = problem(dims)
    stack = with_biases(stacked.StackedMLP(dims, SEEDS, hidden_activation=activation, l2=l2, keep_prob=keep_prob))
    nets = stack.nets()
    losses, grads = stack.loss_and_grads(X, y)
    for s, net in enumerate(nets):
        twin = copy.deepcopy(net)
        loss, net_grads = net.loss_and_grads(X, y)
        loss_ref, grads_ref = twin.loss_and_grads_unfused(X, y)
        assert losses[s] == pytest.approx(loss, rel=1e-12) and losses[s] == pytest.approx(loss_ref, rel=1e-12)
        for key in net.params:
            assert_allclose(grads[key][s], net_grads[key], rtol=1e-12, atol=1e-16, err_msg=f"net {s}, {key}")
            assert_allclose(grads[key][s], grads_ref[key], rtol=1e-10, atol=1e-15, err_msg=f"net {s}, {key}")
        assert stack.rngs[s].bit_generator.state == net.rng.bit_generator.state == twin.rng.bit_generator.state


def test_a_batch_per_net_gives_each_net_its_own_batch():
    dims = [2, 4, 3, 1]
    stack = with_biases(stacked.StackedMLP(dims, SEEDS, l2=0.2))
    X, y = problem(dims, m=3 * 12)
    Xs, ys = X.reshape(3, 12, 2), y.reshape(3, 12)
    losses, grads = stack.loss_and_grads(Xs, ys)
    for s, net in enumerate(stack.nets()):
        loss, net_grads = net.loss_and_grads(Xs[s], ys[s])
        assert losses[s] == pytest.approx(loss, rel=1e-12)
        for key in net.params:
            assert_allclose(grads[key][s], net_grads[key], rtol=1e-12, atol=1e-16)


def test_nets_never_mix():
    """Changing one net's weights leaves every other net's loss and gradient unchanged, bit for bit."""
    X, y = problem([2, 4, 1])
    stack = stacked.StackedMLP([2, 4, 1], SEEDS)
    losses, grads = stack.loss_and_grads(X, y)
    before = {key: value.copy() for key, value in grads.items()}
    stack.params["W1"][1] *= 3.0
    new_losses, grads = stack.loss_and_grads(X, y)
    assert new_losses[0] == losses[0] and new_losses[2] == losses[2] and new_losses[1] != losses[1]
    for key in grads:
        assert_array_equal(grads[key][[0, 2]], before[key][[0, 2]])
        assert not np.array_equal(grads[key][1], before[key][1]) or key == "b2"


@pytest.mark.parametrize("dims", [[2, 5, 3, 1], [2, 5, 3, 4]])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_evaluation_equals_each_net_across_chunks(monkeypatch, dims, dtype):
    """predict, predict_proba, accuracy, loss and logits, net by net, with chunks of 7 rows (a short last one)."""
    monkeypatch.setattr(stacked_net, "EVAL_ROWS", 7)
    X, y = problem(dims, m=40)
    stack = with_biases(stacked.StackedMLP(dims, SEEDS, l2=0.3, keep_prob=0.5, dtype=dtype))
    tol = 1e-12 if dtype == "float64" else 1e-5
    accuracy, loss, proba = stack.accuracy(X, y), stack.loss(X, y), stack.predict_proba(X)
    assert accuracy.shape == loss.shape == (3,) and stack.predict(X).shape == (3, 40)
    assert proba.dtype == dtype and proba.shape == ((3, 40) if dims[-1] == 1 else (3, 40, dims[-1]))
    for s, net in enumerate(stack.nets()):
        assert_array_equal(stack.predict(X)[s], net.predict(X))
        assert accuracy[s] == net.accuracy(X, y)
        assert loss[s] == pytest.approx(net.loss(X, y), rel=tol)  # no dropout, L2 penalty included
        assert_allclose(proba[s], net.predict_proba(X), rtol=tol, atol=tol)
        assert_allclose(stack.logits(X)[s], net.forward(X)[0], rtol=tol, atol=tol)
    assert 0.2 < accuracy.mean() < 0.9, "a test of predictions that are all alike could not fail"


def test_a_list_of_nets_is_evaluated_together():
    X, y = problem([2, 6, 3], m=50)
    nets = [model.MLP([2, 6, 3], "tanh", seed=seed, l2=0.1) for seed in (5, 1)]
    nets[1].params = {key: value.copy() for key, value in nets[1].params.items()}  # a plain dict: not packed
    assert_array_equal(stacked.accuracies(nets, X, y), [net.accuracy(X, y) for net in nets])
    assert_allclose(stacked.losses(nets, X, y), [net.loss(X, y) for net in nets], rtol=1e-12)
    assert_allclose(stacked.predict_proba(nets, X), [net.predict_proba(X) for net in nets], rtol=1e-12, atol=1e-15)
    stack = stacked.StackedMLP.from_nets(nets)
    assert stack.seeds == [5, 1] and stack.hidden_activation == "tanh" and stack.l2 == 0.1
    stack.theta[...] = 0.0
    assert not np.all(nets[0].params["W1"] == 0), "the stack holds copies"


def test_nets_round_trip():
    stack = with_biases(stacked.StackedMLP([2, 3, 1], SEEDS, keep_prob=0.5, dtype="float32"))
    stack.rngs[1].random(5)  # a generator that has moved on
    nets = stack.nets()
    assert [net.seed for net in nets] == SEEDS and all(net.dtype == np.float32 and net.keep_prob == 0.5 for net in nets)
    assert nets[1].rng.bit_generator.state == stack.rngs[1].bit_generator.state
    assert nets[1].rng is not stack.rngs[1]
    again = stacked.StackedMLP.from_nets(nets)
    assert_array_equal(again.theta, stack.theta)
    assert again.rngs[1].bit_generator.state == stack.rngs[1].bit_generator.state


def test_float32_stays_float32():
    X, y = problem([3, 4, 3])
    stack = stacked.StackedMLP([3, 4, 3], SEEDS, dtype="float32", l2=0.1)
    losses, grads = stack.loss_and_grads(X, y)
    assert losses.dtype == grads["W1"].dtype == stack.theta.dtype == np.float32
    assert stack.loss(X, y).shape == (3,) and "dtype='float32'" in repr(stack)


def test_workspace_reuse_does_not_change_the_numbers():
    X, y = problem([2, 5, 1])
    stack = stacked.StackedMLP([2, 5, 1], SEEDS)
    first = stack.loss_and_grads(X, y)[0], stack.dtheta.copy()
    stack.loss_and_grads(X[:7], y[:7])  # another shape in between
    second = stack.loss_and_grads(X, y)[0], stack.dtheta.copy()
    assert_array_equal(first[0], second[0]) and assert_array_equal(first[1], second[1])


@pytest.mark.parametrize("call, error, match", [
    (lambda: stacked.StackedMLP([2, 3, 1], []), ValueError, r"`seeds` must list at least one seed; received \[\]"),
    (lambda: stacked.StackedMLP([2, 3, 1], 3), ValueError, r"`seeds` must list .* received 3"),
    (lambda: stacked.StackedMLP([2, 3, 1], [0, 1.5]), TypeError, r"`seeds` must be an integer; received 1.5"),
    (lambda: stacked.StackedMLP([2, 3, 1], [0, -1]), ValueError, r"`seeds` must be >= 0; received seeds=-1"),
    (lambda: stacked.StackedMLP([2, 3, 1], [0], init="bad"), ValueError, r"init 'bad'"),
    (lambda: stacked.StackedMLP([2, 3, 1], [0], keep_prob=0), ValueError, r"keep_prob"),
    (lambda: stacked.StackedMLP([2, 3, 1], [0]).accuracy(np.zeros((4, 3)), np.zeros(4, int)), ValueError,
     r"`X` must have shape \(m, 2\) for these nets; received shape \(4, 3\)"),
    (lambda: stacked.StackedMLP([2, 3, 1], [0]).loss(np.zeros((4, 2)), np.full(4, 2)), ValueError,
     r"`y` must hold labels in \[0, 1\]; received values from 2 to 2"),
    (lambda: stacked.StackedMLP([2, 3, 1], [0]).predict(np.full((4, 2), np.nan)), ValueError, r"`X` must be finite"),
    (lambda: stacked.StackedMLP([2, 3, 1], [0, 1]).loss_and_grads(np.zeros((3, 4, 2)), np.zeros((3, 4), int)),
     ValueError, r"`X` and `y` must have shapes .* \(2, b, n_0\) .* received \(3, 4, 2\)"),
    (lambda: stacked.StackedMLP.from_nets([]), TypeError, r"`nets` must be a non-empty list of model.MLP"),
    (lambda: stacked.StackedMLP.from_nets(model.MLP([2, 1])), TypeError, r"`nets` must be a non-empty list"),
    (lambda: stacked.StackedMLP.from_nets([model.MLP([2, 3, 1]), "net"]), TypeError, r"`nets` must be"),
    (lambda: stacked.accuracies([model.MLP([2, 3, 1]), model.MLP([2, 4, 1])], np.zeros((2, 2)), [0, 1]), ValueError,
     r"nets\[1\].layer_dims is \[2, 4, 1\], but nets\[0\].layer_dims is \[2, 3, 1\]"),
    (lambda: stacked.StackedMLP.from_nets([model.MLP([2, 1]), model.MLP([2, 1], dtype="float32")]), ValueError,
     r"nets\[1\].dtype"),
])
def test_bad_input_gets_a_clear_error(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_repr():
    assert repr(stacked.StackedMLP([2, 3, 1], [1, 2], hidden_activation="tanh", l2=0.5)) == (
        "StackedMLP([2, 3, 1], seeds=[1, 2], hidden_activation='tanh', init='he', l2=0.5, keep_prob=1)")
