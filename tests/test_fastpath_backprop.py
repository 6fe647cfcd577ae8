"""Tests for course_utils.fastpath.backprop: the fused training step equals the readable forward + backward."""

import copy

import numpy as np
import pytest
from numpy.testing import assert_allclose

from course_utils import model
from course_utils.fastpath import backprop as backprop_fast
from course_utils.fastpath.packing import PackedArrays

ACTIVATIONS = ["relu", "leaky_relu", "tanh", "sigmoid"]


def make_problem(dims, activation="relu", l2=0.0, keep_prob=1.0, m=40, seed=0):
    rng = np.random.default_rng(100 + seed)
    net = model.MLP(dims, hidden_activation=activation, l2=l2, keep_prob=keep_prob, seed=seed)
    for name, value in net.params.items():
        if name.startswith("b"):
            value[:] = 0.3 * rng.standard_normal(value.shape)  # zero biases would hide a bias bug
    n_classes = 2 if dims[-1] == 1 else dims[-1]
    return net, rng.standard_normal((m, dims[0])), np.arange(m) % n_classes


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("dims", [[4, 7, 5, 1], [4, 7, 5, 2], [4, 7, 5, 3], [3, 6, 4]])
@pytest.mark.parametrize("l2, keep_prob", [(0.0, 1.0), (0.7, 1.0), (0.0, 0.75), (0.4, 0.8)])
def test_fused_step_equals_forward_plus_backward(activation, dims, l2, keep_prob):
    net, X, y = make_problem(dims, activation, l2, keep_prob)
    twin = copy.deepcopy(net)  # the same dropout generator state
    loss, grads = net.loss_and_grads(X, y)
    loss_ref, grads_ref = twin.loss_and_grads_unfused(X, y)
    assert loss == pytest.approx(loss_ref, rel=1e-13)
    assert list(grads) == list(grads_ref)
    for name in grads_ref:
        assert_allclose(grads[name], grads_ref[name], rtol=1e-10, atol=1e-15, err_msg=name)
    assert net.rng.bit_generator.state == twin.rng.bit_generator.state, "both drew the same dropout masks"


def test_grads_are_packed_like_the_params():
    net, X, y = make_problem([4, 7, 5, 1])
    _, grads = net.loss_and_grads(X, y)
    assert isinstance(grads, PackedArrays) and grads.layout == net.params.layout
    assert not np.shares_memory(grads.flat, net.params.flat)
    _, again = net.loss_and_grads(X, y)
    assert not np.shares_memory(again.flat, grads.flat), "each call returns new arrays"


def test_a_plain_dict_of_params_gives_a_plain_dict_of_grads():
    net, X, y = make_problem([4, 7, 5, 3])
    loss, grads = backprop_fast.loss_and_grads(dict(net.params), X, y)
    loss_ref, grads_ref = net.loss_and_grads(X, y)
    assert type(grads) is dict and loss == loss_ref
    for name in grads_ref:
        assert_allclose(grads[name], grads_ref[name], rtol=0, atol=0)


def test_extreme_logits_stay_finite_without_warnings():
    """pytest turns warnings into errors: overflow in exp would fail this test."""
    for dims in ([2, 3, 1], [2, 3, 4]):
        net, _, y = make_problem(dims, m=6)
        X = np.array([[1e4, -1e4], [-1e4, 1e4], [3e3, 0.0], [0.0, -3e3], [1e4, 1e4], [-1e4, -1e4]])
        loss, grads = net.loss_and_grads(X, y)
        loss_ref, grads_ref = copy.deepcopy(net).loss_and_grads_unfused(X, y)
        assert np.isfinite(loss) and loss == pytest.approx(loss_ref, rel=1e-12)
        assert all(np.isfinite(value).all() for value in grads.values())


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_a_confident_net_has_a_small_positive_loss(dtype):
    """|z| of 15 to 40, every row right: the loss is tiny, and summing its terms row by row keeps it positive."""
    rng = np.random.default_rng(5)
    z = rng.uniform(15, 40, 64) * np.where(np.arange(64) % 2, 1, -1)
    net = model.MLP([1, 1], dtype=dtype)
    net.params = {"W1": np.ones((1, 1)), "b1": np.zeros(1)}
    y = np.arange(64) % 2
    loss, _ = net.loss_and_grads(z[:, None], y)
    loss_ref, _ = net.loss_and_grads_unfused(z[:, None], y)
    assert 0 < loss < 1e-6 and loss == pytest.approx(loss_ref, rel=1e-5)


class LoudMLP(model.MLP):
    """A subclass with its own backward pass: loss_and_grads must call it, not the fused step."""

    def backward(self, dlogits, caches):
        grads = super().backward(dlogits, caches)
        return {name: 2 * value for name, value in grads.items()}


def test_a_subclass_backward_is_used():
    X, y = make_problem([3, 4, 1])[1:]
    plain, loud = model.MLP([3, 4, 1], seed=1), LoudMLP([3, 4, 1], seed=1)
    _, grads = plain.loss_and_grads(X, y)
    _, doubled = loud.loss_and_grads(X, y)
    for name in grads:
        assert_allclose(doubled[name], 2 * grads[name], rtol=1e-10, atol=1e-15)


class HeavyL2(model.MLP):
    def l2_penalty(self, m):
        return 10 * super().l2_penalty(m)


def test_an_overridden_penalty_or_an_instance_backward_is_used():
    X, y = make_problem([3, 4, 1])[1:]
    heavy, plain = HeavyL2([3, 4, 1], l2=0.5, seed=1), model.MLP([3, 4, 1], l2=0.5, seed=1)
    penalty = plain.l2_penalty(X.shape[0])
    assert heavy.loss_and_grads(X, y)[0] == pytest.approx(plain.loss_and_grads(X, y)[0] + 9 * penalty, rel=1e-12)
    assert heavy.loss_and_grads(X, y)[0] == pytest.approx(heavy.loss(X, y), rel=1e-12)
    calls = []
    plain.backward = lambda dlogits, caches: calls.append(1) or model.MLP.backward(plain, dlogits, caches)
    plain.loss_and_grads(X, y)
    assert calls == [1]


# ---------------------------------------------------------------- MLP.loss_and_grads_checked


@pytest.mark.parametrize("dims", [[4, 7, 5, 1], [4, 7, 5, 3]])
def test_checked_step_equals_loss_and_grads_and_writes_into_out(dims):
    net, X, y = make_problem(dims)
    loss, grads = net.loss_and_grads(X, y)
    X_checked, y_checked = net.check_data(X, y)
    out = PackedArrays.empty_like(net.params)
    out.flat[...] = np.nan  # every entry must be written
    loss_checked, grads_checked = net.loss_and_grads_checked(X_checked, y_checked, out=out)
    assert grads_checked is out and loss_checked == loss
    np.testing.assert_array_equal(out.flat, grads.flat)
    _, fresh = net.loss_and_grads_checked(X_checked, y_checked)  # without out: a new buffer
    assert fresh.flat is not out.flat
    np.testing.assert_array_equal(fresh.flat, grads.flat)


def test_checked_step_ignores_an_out_that_is_not_laid_out_like_the_params():
    net, X, y = make_problem([4, 7, 5, 1])
    X, y = net.check_data(X, y)
    _, old_grads = net.loss_and_grads_checked(X, y)
    float32_out = PackedArrays(old_grads, dtype=np.float32)
    net.params = {name: value.copy() for name, value in net.params.items()}  # a plain dict now: not packed
    loss, grads = net.loss_and_grads_checked(X, y, out=old_grads)
    assert not isinstance(grads, PackedArrays) and set(grads) == set(net.params)
    twin, _, _ = make_problem([4, 7, 5, 1])
    _, grads32 = twin.loss_and_grads_checked(X, y, out=float32_out)  # another dtype: not written into
    assert grads32 is not float32_out and grads32.flat.dtype == np.float64


def test_checked_step_runs_an_overriding_subclass_with_its_checks():
    class Override(model.MLP):
        def loss_and_grads(self, X, y):
            self.seen = (X.dtype, y.dtype)
            return super().loss_and_grads(X, y)

    net = Override([3, 4, 1], seed=0)
    _, grads = net.loss_and_grads_checked(np.ones((5, 3)), np.array([0, 1, 0, 1, 1]), out=None)
    assert net.seen == (np.float64, np.int64) and set(grads) == {"W1", "b1", "W2", "b2"}

    net = model.MLP([3, 4, 1], seed=0)
    net.backward = lambda dlogits, caches: {"W1": 1, "b1": 1, "W2": 1, "b2": 1}  # an instance override
    assert net.loss_and_grads_checked(np.ones((5, 3)), np.array([0, 1, 0, 1, 1]))[1]["W1"] == 1


# ---------------------------------------------------------------- the stacked layout, its loss and its workspace


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_a_zero_initialized_net_on_balanced_labels_gets_exactly_zero_gradients(dtype):
    """Residuals +-1/2 summed before the 1/m: exactly 0 in any order of the rows (the Initialization notebook's claim)."""
    rng = np.random.default_rng(3)
    X = rng.standard_normal((300, 2))
    y = np.arange(300) % 2
    for order in (np.arange(300), rng.permutation(300), np.argsort(y, kind="stable")):
        net = model.MLP([2, 10, 5, 1], init="zeros", dtype=dtype)
        loss, grads = net.loss_and_grads(X[order], y[order])
        assert all(np.all(value == 0) for value in grads.values()), {k: np.abs(v).max() for k, v in grads.items()}
        assert loss == pytest.approx(np.log(2), rel=1e-6)
    _, grads = model.MLP([2, 10, 5, 1], init="zeros", dtype=dtype).loss_and_grads(X[:101], y[:101])
    assert grads["b3"][0] == pytest.approx(1 / 202, rel=1e-6), "one more 0 than 1: the test can fail"


@pytest.mark.parametrize("dims, keep_prob", [([4, 7, 5, 1], 1.0), ([4, 7, 5, 3], 0.8)])
def test_a_workspace_gives_the_same_numbers_and_reuses_its_arrays(dims, keep_prob):
    from course_utils.fastpath.workspace import Workspace

    net, X, y = make_problem(dims, keep_prob=keep_prob)
    twin = copy.deepcopy(net)
    workspace = Workspace()
    args = (net.hidden_activation, keep_prob)
    loss, grads = backprop_fast.loss_and_grads(net.params, X, y, *args, net.rng, 0.3, workspace=workspace)
    loss_fresh, fresh = backprop_fast.loss_and_grads(twin.params, X, y, *args, twin.rng, 0.3)
    assert loss == loss_fresh
    np.testing.assert_array_equal(grads.flat, fresh.flat)
    arrays = dict(workspace._arrays)
    assert len(arrays) > 5
    backprop_fast.loss_and_grads(net.params, X, y, *args, net.rng, 0.3, workspace=workspace)
    assert all(workspace._arrays[key] is value for key, value in arrays.items()), "the second step allocated anew"


def test_an_mlp_copy_gets_an_empty_workspace():
    import pickle

    net, X, y = make_problem([4, 7, 1])
    net.loss_and_grads(X, y)
    assert net._workspace._arrays
    assert not copy.deepcopy(net)._workspace._arrays and not pickle.loads(pickle.dumps(net))._workspace._arrays


def test_the_step_sees_parameters_assigned_after_an_earlier_step():
    """The workspace keeps views of the packed buffer; an assignment gives the dict a new buffer, and the step
    must read that one (a save / perturb / restore gradient check does this)."""
    net, X, y = make_problem([4, 7, 5, 1], l2=0.2)
    net.loss_and_grads(X, y)
    net.params["W2"] = net.params["W2"] * 2.0
    loss, grads = net.loss_and_grads(X, y)
    loss_ref, grads_ref = copy.deepcopy(net).loss_and_grads_unfused(X, y)
    assert loss == pytest.approx(loss_ref, rel=1e-13)
    for name in grads_ref:
        assert_allclose(grads[name], grads_ref[name], rtol=1e-10, atol=1e-15, err_msg=name)


@pytest.mark.parametrize("copy_from", [0, 10**12])
@pytest.mark.parametrize("dims, keep_prob", [([4, 7, 5, 1], 0.8), ([4, 7, 5, 3], 1.0)])
def test_both_kinds_of_weight_gradient_product_give_the_reference(monkeypatch, copy_from, dims, keep_prob):
    """Large layers copy R^T to rows before [A; 1] R^T (see COPY_R_FROM); small ones do not. Both paths, on one net."""
    monkeypatch.setattr(backprop_fast, "COPY_R_FROM", copy_from)
    net, X, y = make_problem(dims, "tanh", l2=0.3, keep_prob=keep_prob)
    twin = copy.deepcopy(net)  # the same dropout masks
    loss, grads = net.loss_and_grads(X, y)
    loss_ref, grads_ref = twin.loss_and_grads_unfused(X, y)
    assert loss == pytest.approx(loss_ref, rel=1e-13)
    for name in grads_ref:
        assert_allclose(grads[name], grads_ref[name], rtol=1e-10, atol=1e-15, err_msg=name)
