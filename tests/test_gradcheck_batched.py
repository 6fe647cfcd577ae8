"""The batched perturbed losses against one whole forward pass per perturbation, and check_model's two paths."""

import copy

import numpy as np
import pytest

from course_utils import gradcheck, model
from course_utils.gradcheck import batched as gradcheck_batched
from course_utils.gradcheck import model_check as gradcheck_model

# (layer dims, hidden activation, l2, keep_prob): every activation, sigmoid and softmax outputs, L2, dropout
NETS = [
    ([3, 5, 4, 3], "relu", 0.0, 1.0),
    ([3, 5, 4, 1], "relu", 0.4, 0.7),
    ([3, 5, 4, 3], "leaky_relu", 0.4, 0.7),
    ([3, 5, 4, 1], "leaky_relu", 0.0, 1.0),
    ([3, 5, 4, 3], "tanh", 0.4, 0.7),
    ([3, 5, 4, 1], "tanh", 0.0, 1.0),
    ([3, 5, 4, 3], "sigmoid", 0.0, 1.0),
    ([3, 5, 4, 1], "sigmoid", 0.4, 0.7),
    ([3, 6, 5, 4, 3], "relu", 0.4, 0.7),  # two hidden layers after W1: the ReLU shortcut's thresholds compose
    ([3, 6, 5, 4, 3], "tanh", 0.0, 1.0),
    ([4, 3], "relu", 0.4, 1.0),  # no hidden layer
    ([16, 20, 12, 5], "relu", 0.4, 0.7),  # wider: 657 parameters
]


def make_net(dims, activation, l2, keep_prob, seed=0, m=16):
    """A net with small random biases, standard normal inputs with some exact zeros, and labels."""
    rng = np.random.default_rng(100 + seed)
    net = model.MLP(dims, hidden_activation=activation, l2=l2, keep_prob=keep_prob, seed=seed)
    for key, value in net.params.items():
        if key.startswith("b"):
            value[:] = 0.1 * rng.standard_normal(value.shape)
    X = rng.standard_normal((m, dims[0]))
    X[rng.random(X.shape) < 0.3] = 0.0  # zero inputs: rows a weight's perturbation does not move
    return net, X, np.arange(m) % max(2, dims[-1])


def one_at_a_time(net, X, y, perturbations):
    """The loss and the hidden sign patterns after each perturbation ``(key, index, value)``, one forward pass each.

    The reference: params perturbed in place, dropout masks from a copy of ``net.rng``, the net's own loss.
    Returns (losses, crossed): crossed says whether any hidden pre-activation of a unit the dropout mask keeps
    changed sign (for ReLU-type units; kinks mean nothing to a smooth g, so it is all False for tanh and sigmoid,
    as in the check).
    """
    rng = copy.deepcopy(net.rng)

    def evaluate():
        logits, caches = model.forward(net.params, X, net.hidden_activation, net.keep_prob, copy.deepcopy(rng))
        loss = net.data_loss_and_grad(logits, y)[0] + net.l2_penalty(X.shape[0])
        return loss, [(c.Z > 0) if c.mask is None else (c.Z > 0) & c.mask for c in caches[:-1]]  # kept units only

    _, base = evaluate()
    losses, crossed = [], []
    for key, index, value in perturbations:
        x = net.params[key]
        old = x[index].copy()
        x[index] = value
        loss, pattern = evaluate()
        x[index] = old
        losses.append(loss)
        kinks = net.hidden_activation in ("relu", "leaky_relu")
        crossed.append(kinks and any(np.any(a != b) for a, b in zip(pattern, base)))
    return np.array(losses), np.array(crossed)


def batched(net, X, y):
    return gradcheck_batched.PerturbedLosses(net, *net.check_data(X, y), copy.deepcopy(net.rng))


@pytest.mark.parametrize("epsilon", [1e-5, 1e-1])  # 1e-1: many perturbations cross a ReLU kink
@pytest.mark.parametrize("dims, activation, l2, keep_prob", NETS)
def test_every_entry_gives_the_loss_of_a_whole_forward_pass(dims, activation, l2, keep_prob, epsilon):
    net, X, y = make_net(dims, activation, l2, keep_prob)
    before = {key: value.copy() for key, value in net.params.items()}
    fast = batched(net, X, y)
    n_crossed = 0
    for key, x in net.params.items():
        plus, minus, crossed = fast.entries(key, epsilon)
        assert plus.shape == minus.shape == crossed.shape == x.shape
        indices = list(np.ndindex(x.shape))
        ref_plus, cross_plus = one_at_a_time(net, X, y, [(key, i, x[i] + epsilon) for i in indices])
        ref_minus, cross_minus = one_at_a_time(net, X, y, [(key, i, x[i] - epsilon) for i in indices])
        np.testing.assert_allclose(plus.ravel(), ref_plus, rtol=1e-14, atol=1e-14)
        np.testing.assert_allclose(minus.ravel(), ref_minus, rtol=1e-14, atol=1e-14)
        assert np.array_equal(crossed.ravel(), cross_plus | cross_minus), key
        numerical, reference = (plus - minus).ravel() / (2 * epsilon), (ref_plus - ref_minus) / (2 * epsilon)
        assert gradcheck.relative_error(numerical, reference) < 1e-9, key
        n_crossed += int(crossed.sum())
    assert all(np.array_equal(net.params[k], before[k]) for k in before)  # nothing perturbed in place
    if activation in ("relu", "leaky_relu") and epsilon == 1e-1 and len(dims) > 2:
        assert n_crossed > 0  # the kink detection was exercised


@pytest.mark.parametrize("dims, activation, l2, keep_prob", NETS)
def test_every_direction_gives_the_loss_of_a_whole_forward_pass(dims, activation, l2, keep_prob):
    net, X, y = make_net(dims, activation, l2, keep_prob)
    fast = batched(net, X, y)
    rng = np.random.default_rng(0)
    for epsilon in (1e-5, 0.3):
        for key, x in net.params.items():
            V = rng.standard_normal((4,) + x.shape)
            plus, minus, crossed = fast.along(key, V, epsilon)
            ref_plus, cross_plus = one_at_a_time(net, X, y, [(key, ..., x + epsilon * v) for v in V])
            ref_minus, cross_minus = one_at_a_time(net, X, y, [(key, ..., x - epsilon * v) for v in V])
            np.testing.assert_allclose(plus, ref_plus, rtol=1e-14, atol=1e-14)
            np.testing.assert_allclose(minus, ref_minus, rtol=1e-14, atol=1e-14)
            assert np.array_equal(crossed, cross_plus | cross_minus), key


def test_small_chunks_and_no_relu_shortcut_give_the_same_losses(monkeypatch):
    """CHUNK_BYTES = 1: one entry per chunk, and U too large for the shortcut: every pair takes the exact path."""
    net, X, y = make_net([3, 6, 5, 4, 3], "relu", 0.4, 0.7)
    default = {key: batched(net, X, y).entries(key, 1e-2) for key in net.params}
    monkeypatch.setattr(gradcheck_batched, "CHUNK_BYTES", 1)
    fast = batched(net, X, y)
    for key in net.params:
        plus, minus, crossed = fast.entries(key, 1e-2)
        if int(key[1:]) < 3:  # layers 1 and 2: the map from A_l to the logits would exceed 16 bytes
            assert fast.linear_map(int(key[1:])) is None
        np.testing.assert_allclose(plus, default[key][0], rtol=1e-14)
        np.testing.assert_allclose(minus, default[key][1], rtol=1e-14)
        assert np.array_equal(crossed, default[key][2])


def reports(net, X, y, **kwargs):
    return gradcheck.check_model(net, X, y, **kwargs), gradcheck.check_model(net, X, y, vectorized=False, **kwargs)


def assert_same_report(fast, slow):
    assert fast.method == slow.method and fast.n_evaluations == slow.n_evaluations
    assert fast.loss_drift == slow.loss_drift and fast.failed == slow.failed and fast.passed == slow.passed
    assert fast.unchecked == slow.unchecked
    for key, a in fast.arrays.items():
        b = slow.arrays[key]
        assert a.n_kinks == b.n_kinks and a.verdict() == b.verdict() and len(a.worst) == len(b.worst), key
        if a.error > 1e-6:  # a real error, not rounding noise: the same value and the same worst entries
            assert a.error == pytest.approx(b.error, rel=1e-6)
            for (index_a, _, numerical_a), (index_b, _, numerical_b) in zip(a.worst, b.worst):
                assert index_a == index_b and numerical_a == pytest.approx(numerical_b, rel=1e-7, abs=1e-9)


@pytest.mark.parametrize("directions", [None, 3])
@pytest.mark.parametrize("dims, activation, l2, keep_prob", NETS)
def test_check_model_gives_the_same_report_on_both_paths(dims, activation, l2, keep_prob, directions):
    net, X, y = make_net(dims, activation, l2, keep_prob)
    fast, slow = reports(net, X, y, directions=directions)
    assert fast.passed and fast.max_error < 1e-7
    assert_same_report(fast, slow)
    if directions is not None:  # the same random directions: the same analytic directional derivatives
        for key, a in fast.arrays.items():  # n_worst = 3 = k: every direction is listed
            assert sorted(w[1] for w in a.worst) == sorted(w[1] for w in slow.arrays[key].worst), key


@pytest.mark.parametrize("directions", [None, 5])
def test_both_paths_blame_a_wrong_backward_pass_the_same_way(directions):
    net, X, y = make_net([3, 5, 4, 3], "relu", 0.4, 0.7)

    def backward(dZ, caches, params, hidden_activation, keep_prob, l2):
        grads = model.backward(dZ, caches, params, hidden_activation, keep_prob, l2)
        grads["W2"] = grads["W2"] * 1.01  # 1% off
        return grads

    fast, slow = reports(net, X, y, directions=directions, backward=backward)
    assert fast.failed == ["W2"]
    assert_same_report(fast, slow)


def test_kinks_are_set_aside_the_same_way():
    """Zero biases and a row of zeros put that row exactly on the kinks of layers 1 and 2; a large step crosses more."""
    net = model.MLP([3, 5, 4, 3], seed=0)
    X, y = np.random.default_rng(0).standard_normal((12, 3)), np.arange(12) % 3
    X[0] = 0.0
    fast, slow = reports(net, X, y)
    assert {k: c.n_kinks for k, c in fast.arrays.items()} == {"W1": 0, "b1": 5, "W2": 0, "b2": 4, "W3": 0, "b3": 0}
    assert_same_report(fast, slow)
    fast, slow = reports(net, X, y, epsilon=0.05)
    assert sum(c.n_kinks for c in fast.arrays.values()) > 9
    assert_same_report(fast, slow)


@pytest.mark.parametrize("directions", [None, 4])
def test_a_unit_dropped_by_dropout_crosses_no_kink(directions):
    """Zero biases and a row of zeros put that row on the kinks of layer 1 (and a row whose every layer-1 output is 0
    on the kinks of layer 2); under dropout, only the units the mask keeps count. A dropped unit outputs 0 on both
    sides of its kink, so perturbing its bias there changes nothing: setting the entry aside would leave it
    unscored (the detector used to flag every unit of those rows)."""
    net = model.MLP([3, 5, 4, 3], keep_prob=0.5, seed=0)
    X, y = np.random.default_rng(0).standard_normal((12, 3)), np.arange(12) % 3
    X[0] = 0.0
    _, caches = model.forward(net.params, X, "relu", 0.5, copy.deepcopy(net.rng))
    # unit j of layer l sits on its kink, kept, in some row: then perturbing b_l[j] crosses it
    on_kink = [np.any((c.Z == 0) & c.mask, axis=0) for c in caches[:2]]
    assert np.all(caches[0].Z[0] == 0) and 0 < on_kink[0].sum() < 5  # some units of row 0 kept, some dropped
    fast, slow = reports(net, X, y, directions=directions)
    assert_same_report(fast, slow)
    if directions is None:
        assert {k: c.n_kinks for k, c in fast.arrays.items()} == {"W1": 0, "b1": on_kink[0].sum(), "W2": 0,
                                                                  "b2": on_kink[1].sum(), "W3": 0, "b3": 0}
        assert fast.arrays["b1"].checked and fast.failed == []  # the dropped units' entries are scored, and agree
    else:  # every direction of b1 moves a kept unit of row 0 across its kink
        assert fast.arrays["b1"].n_kinks == directions


def test_the_loop_runs_where_the_batched_path_cannot(monkeypatch):
    """fix_mask=False (masks re-drawn: the check must fail), a net with its own loss, float32 params: the loop."""
    net, X, y = make_net([3, 5, 4, 3], "relu", 0.4, 0.7)

    class Scaled(model.MLP):
        def data_loss_and_grad(self, logits, y):
            loss, grad = super().data_loss_and_grad(logits, y)
            return 2 * loss, 2 * grad

    scaled = Scaled([3, 5, 4, 3], l2=0.4, keep_prob=0.7, seed=0)
    scaled.params = copy.deepcopy(net.params)
    assert gradcheck.check_model(scaled, X, y).passed  # its own loss, whose gradient is also doubled

    def refuse(*args):
        raise AssertionError("the batched path ran")

    monkeypatch.setattr(gradcheck_batched, "PerturbedLosses", refuse)
    assert not gradcheck.check_model(net, X, y, fix_mask=False).passed
    assert gradcheck.check_model(scaled, X, y).passed
    assert gradcheck.check_model(net, X, y, vectorized=False).passed
    with pytest.raises(AssertionError, match="the batched path ran"):
        gradcheck.check_model(net, X, y)
    single = copy.deepcopy(net)
    single.params = {key: value.astype(np.float32) for key, value in net.params.items()}  # converted to float64
    assert all(value.dtype == np.float64 for value in single.params.values()) and gradcheck_model._batchable(single, X)
    with pytest.raises(TypeError, match="`net` must compute in float64.*dtype='float32'"):
        gradcheck.check_model(model.MLP([3, 5, 4, 3], dtype="float32"), X, y)
