"""float32 end to end: a float32 net stays float32 everywhere, and its gradients match the float64 net's."""

import copy

import numpy as np
import pytest

from course_utils import activations, gradcheck, initializers, losses, model, optimizers, training

F32 = np.dtype("float32")
OPTIMIZERS = [optimizers.GD(0.1), optimizers.Momentum(0.1), optimizers.SGD(0.1, momentum=0.9, nesterov=True),
              optimizers.Adagrad(0.1), optimizers.RMSprop(0.01), optimizers.Adam(0.01),
              optimizers.Adam(0.01, epsilon_form="keras"), optimizers.AdamW(0.01),
              optimizers.RMSprop(0.01, epsilon_form="textbook")]


def problem(dims=(5, 8, 6, 3), m=32, seed=0):
    rng = np.random.default_rng(seed)
    n_classes = 2 if dims[-1] == 1 else dims[-1]
    return rng.standard_normal((m, dims[0])), np.arange(m) % n_classes


@pytest.mark.parametrize("name", sorted(activations.HIDDEN_ACTIVATIONS))
def test_activations_and_their_derivatives_keep_float32(name):
    z = np.linspace(-3, 3, 7, dtype=np.float32)
    g, g_grad = activations.get(name)
    assert g(z).dtype == F32 and g_grad(z).dtype == F32
    assert activations.softmax(z).dtype == F32 and activations.log_softmax(z).dtype == F32


def test_losses_keep_float32_gradients():
    z = np.array([[-30.0], [0.0], [2.0]], dtype=np.float32)
    loss, grad = losses.sigmoid_cross_entropy_with_grad(z, [0, 1, 1])
    assert grad.dtype == F32 and isinstance(loss, float)
    _, grad = losses.softmax_cross_entropy_with_grad(np.ones((3, 4), np.float32), [0, 1, 3])
    assert grad.dtype == F32


def test_a_float32_net_starts_from_the_float64_weights_rounded():
    p64 = initializers.initialize([3, 4, 2], seed=5)
    p32 = initializers.initialize([3, 4, 2], seed=5, dtype="float32")
    for name in p64:
        assert p32[name].dtype == F32
        np.testing.assert_array_equal(p32[name], p64[name].astype(np.float32))


@pytest.mark.parametrize("activation", sorted(activations.HIDDEN_ACTIVATIONS))
@pytest.mark.parametrize("dims", [(5, 8, 6, 1), (5, 8, 6, 3)])
def test_forward_backward_and_predictions_stay_float32(activation, dims):
    X, y = problem(dims)
    net = model.MLP(list(dims), hidden_activation=activation, l2=0.1, keep_prob=0.8, dtype="float32")
    assert net.params.flat.dtype == F32
    loss, grads = net.loss_and_grads(X, y)  # float64 X is converted to the net's dtype
    assert isinstance(loss, float) and np.isfinite(loss)
    assert grads.flat.dtype == F32 and all(value.dtype == F32 for value in grads.values())
    loss, grads = net.loss_and_grads_unfused(X, y)
    assert all(value.dtype == F32 for value in grads.values())
    logits, caches = net.forward(X, training=True)
    assert logits.dtype == F32 and all(c.A_prev.dtype == F32 and c.Z.dtype == F32 for c in caches)
    assert net.predict_proba(X).dtype == F32


@pytest.mark.parametrize("opt", OPTIMIZERS, ids=repr)
def test_every_optimizer_keeps_float32_through_training(opt):
    X, y = problem()
    net = model.MLP([5, 8, 6, 3], dtype="float32", seed=1)
    opt = copy.deepcopy(opt)
    history = training.train(net, X, y, opt, epochs=5, batch_size=10)
    assert all(np.isfinite(history.loss))
    assert net.params.flat.dtype == F32 and all(value.dtype == F32 for value in net.params.values())
    assert opt.slots == {} or all(v.dtype == F32 for arrays in opt.slots.values() for v in arrays.values())
    assert history.loss[-1] < history.loss[0]


@pytest.mark.parametrize("activation", ["relu", "tanh"])
@pytest.mark.parametrize("dims", [(5, 8, 6, 1), (5, 8, 6, 3)])
def test_float32_gradients_match_float64_to_float32_precision(activation, dims):
    X, y = problem(dims, m=64)
    net64 = model.MLP(list(dims), hidden_activation=activation, l2=0.05, seed=2)
    net32 = model.MLP(list(dims), hidden_activation=activation, l2=0.05, seed=2, dtype="float32")
    net64.params = {name: value.astype(np.float32) for name, value in net64.params.items()}  # the same weights
    loss64, grads64 = net64.loss_and_grads(X, y)
    loss32, grads32 = net32.loss_and_grads(X, y)
    assert loss32 == pytest.approx(loss64, rel=1e-6)
    for name in grads64:
        error = gradcheck.relative_error(grads32[name], grads64[name])
        assert error < 1e-6, (name, error)  # float32 rounds at 6e-8; the float64 result is the reference


def test_a_float32_training_run_follows_the_float64_run():
    X, y = problem((5, 8, 6, 1), m=64)
    runs = {}
    for dtype in ("float64", "float32"):
        net = model.MLP([5, 8, 6, 1], seed=3, dtype=dtype)
        runs[dtype] = training.train(net, X, y, optimizers.Adam(0.01), epochs=50).loss
    np.testing.assert_allclose(runs["float32"], runs["float64"], rtol=1e-4)


def test_float32_inputs_beyond_its_range_are_refused_by_name():
    net = model.MLP([2, 3, 1], dtype="float32")
    with pytest.raises(ValueError, match=r"`X` must be finite in float32 \(whose largest value is 3.4e\+38\); received 1"):
        net.loss_and_grads(np.array([[1e39, 0.0]]), [1])


@pytest.mark.parametrize("dtype, error", [("float16", ValueError), ("int64", ValueError), (3, TypeError),
                                          ("single precision", TypeError), (None, TypeError)])
def test_bad_dtype_is_refused_by_name(dtype, error):
    with pytest.raises(error, match="`dtype` must be 'float32' or 'float64'"):
        model.MLP([2, 3, 1], dtype=dtype)


def test_gradcheck_refuses_float32_params_by_name():
    net = model.MLP([2, 3, 1], dtype="float32")
    X, y = problem((2, 3, 1), m=4)
    _, grads = net.loss_and_grads(X, y)
    with pytest.raises(TypeError, match=r"`params\['W1'\]` must be float64 for a gradient check.*float32"):
        gradcheck.check_gradients(lambda: net.loss(X, y), net.params, grads)
