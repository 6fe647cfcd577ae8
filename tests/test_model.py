"""Tests for course_utils.model: shapes, backprop (numerical and TensorFlow), L2, dropout, bad input."""

import copy

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from course_utils import gradcheck, model, optimizers, training

ACTIVATIONS = ["relu", "leaky_relu", "tanh", "sigmoid"]
OUTPUTS = {"sigmoid": [3, 5, 4, 1], "softmax": [3, 5, 4, 3]}


def make_data(dims, m=8, seed=1):
    """X (m, n_0) standard normal, and labels that cover every class of a net with sizes ``dims``."""
    rng = np.random.default_rng(seed)
    n_classes = 2 if dims[-1] == 1 else dims[-1]
    return rng.standard_normal((m, dims[0])), np.arange(m) % n_classes


def randomize_biases(net, seed=3):
    """Give every bias a small random value: zero biases are a special case backprop could get wrong."""
    rng = np.random.default_rng(seed)
    for k, b in net.params.items():
        if k.startswith("b"):
            b[:] = 0.5 * rng.standard_normal(b.shape)
    return net


def hidden_preactivations(net, X, training):
    """Z_1 .. Z_{L-1} of a forward pass on a copy of ``net`` (so its dropout generator is not advanced)."""
    _, caches = copy.deepcopy(net).forward(X, training=training)
    return [cache.Z for cache in caches[:-1]]


GRADCHECK_EPSILON = 1e-5  # at 1e-7 round-off alone gives ~1e-6 here; at 1e-5 the error is ~1e-8


def relative_errors_vs_numerical(net, X, y):
    """Per-parameter relative error of ``loss_and_grads`` against centered differences, same dropout masks."""
    _, analytic = copy.deepcopy(net).loss_and_grads(X, y)
    numerical = gradcheck.numerical_gradients(lambda: copy.deepcopy(net).loss_and_grads(X, y)[0], net.params,
                                              epsilon=GRADCHECK_EPSILON)
    return {k: gradcheck.relative_error(analytic[k], numerical[k]) for k in net.params}


# ---------------------------------------------------------------- shapes and outputs


@pytest.mark.parametrize("dims, expected", [
    ([2, 10, 5, 1], {"W1": (2, 10), "b1": (10,), "W2": (10, 5), "b2": (5,), "W3": (5, 1), "b3": (1,)}),
    ([4, 6, 3], {"W1": (4, 6), "b1": (6,), "W2": (6, 3), "b2": (3,)}),
])
def test_param_keys_and_shapes(dims, expected):
    net = model.MLP(dims, seed=0)
    assert list(net.params) == list(expected)
    assert {k: v.shape for k, v in net.params.items()} == expected
    assert all(not v.any() for k, v in net.params.items() if k.startswith("b")), "biases must start at zero"


@pytest.mark.parametrize("dims, n_classes", [([2, 10, 5, 1], 2), ([2, 5, 2], 2), ([4, 6, 3], 3)])
def test_n_classes(dims, n_classes):
    assert model.MLP(dims).n_classes == n_classes


def test_predict_proba_binary_shape_and_range():
    X, _ = make_data([3, 5, 1], m=7)
    p = model.MLP([3, 5, 1], seed=0).predict_proba(X)
    assert p.shape == (7,)
    assert np.all((p > 0) & (p < 1))


def test_predict_proba_softmax_rows_sum_to_one():
    X, _ = make_data([4, 6, 3], m=7)
    P = model.MLP([4, 6, 3], seed=0).predict_proba(X)
    assert P.shape == (7, 3)
    assert np.all(P > 0)
    assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)


@pytest.mark.parametrize("dims", OUTPUTS.values(), ids=OUTPUTS.keys())
def test_predict_returns_int_labels_consistent_with_proba(dims):
    X, _ = make_data(dims, m=20)
    net = model.MLP(dims, seed=0)
    labels = net.predict(X)
    assert labels.shape == (20,)
    assert np.issubdtype(labels.dtype, np.integer)
    P = net.predict_proba(X)
    expected = (P > 0.5).astype(int) if dims[-1] == 1 else P.argmax(axis=1)
    assert_array_equal(labels, expected)


def test_accuracy_by_hand():
    """A one-layer net with W = 1, b = 0 predicts x > 0: 3 of these 4 labels agree."""
    net = model.MLP([1, 1])
    net.params["W1"][:] = 1.0
    net.params["b1"][:] = 0.0
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    assert_array_equal(net.predict(X), [0, 0, 1, 1])
    assert net.accuracy(X, [0, 1, 1, 1]) == 0.75


@pytest.mark.parametrize("dims, expected", [([3, 4, 1], np.log(2)), ([3, 4, 5], np.log(5))])
def test_zero_weights_give_uniform_prediction_loss(dims, expected):
    """All-zero parameters predict uniform probabilities, so the cross-entropy is log K."""
    X, y = make_data(dims)
    net = model.MLP(dims, init="zeros")
    assert net.loss(X, y) == pytest.approx(expected, rel=1e-12)
    assert net.loss_and_grads(X, y)[0] == pytest.approx(expected, rel=1e-12)


# ---------------------------------------------------------------- seeds and symmetry


def test_same_seed_gives_identical_params():
    a, b = model.MLP([2, 10, 5, 1], seed=3), model.MLP([2, 10, 5, 1], seed=3)
    for k in a.params:
        assert_array_equal(a.params[k], b.params[k])


def test_different_seeds_give_different_weights():
    a, b = model.MLP([2, 10, 5, 1], seed=3), model.MLP([2, 10, 5, 1], seed=4)
    assert not np.array_equal(a.params["W1"], b.params["W1"])


def test_zeros_init_never_breaks_symmetry():
    """With zero init every unit of a layer gets the same gradient, so after GD all units stay identical."""
    X, _ = make_data([2, 4, 3, 1], m=16)
    y = (X[:, 0] > -0.5).astype(int)  # unbalanced: with balanced labels zero init is a stationary point
    net = model.MLP([2, 4, 3, 1], hidden_activation="sigmoid", init="zeros")
    for _ in range(50):
        _, grads = net.loss_and_grads(X, y)
        for k in net.params:
            net.params[k] -= 0.5 * grads[k]
    for l in (1, 2):
        W = net.params[f"W{l}"]
        assert np.abs(W).max() > 1e-4, "the weights should have moved, or the test proves nothing"
        assert_allclose(W, np.repeat(W[:, :1], W.shape[1], axis=1), rtol=1e-12, err_msg=f"units of W{l} differ")
        assert_allclose(net.params[f"b{l}"], net.params[f"b{l}"][0], rtol=1e-12)


# ---------------------------------------------------------------- gradients vs centered differences


@pytest.mark.parametrize("l2, keep_prob", [(0.0, 1.0), (0.3, 1.0), (0.0, 0.7), (0.3, 0.7)],
                         ids=["plain", "l2", "dropout", "l2+dropout"])
@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradients_match_numerical(activation, output, l2, keep_prob):
    dims = OUTPUTS[output]
    X, y = make_data(dims)
    net = model.MLP(dims, hidden_activation=activation, init="xavier", l2=l2, keep_prob=keep_prob, seed=2)
    randomize_biases(net)
    # ReLU's kink: no pre-activation may sit within reach of the perturbation (|dZ| <~ 1e-4) of 0.
    assert min(np.abs(Z).min() for Z in hidden_preactivations(net, X, training=True)) > 1e-3
    if keep_prob < 1:
        _, caches = copy.deepcopy(net).forward(X, training=True)
        assert not all(c.mask.all() for c in caches[:-1]), "dropout should drop some unit"
    errors = relative_errors_vs_numerical(net, X, y)
    assert max(errors.values()) < 1e-6, errors


def test_gradcheck_detects_a_wrong_mask():
    """Without holding the dropout mask fixed, the numerical gradient disagrees: the deepcopy matters."""
    X, y = make_data(OUTPUTS["sigmoid"])
    net = model.MLP(OUTPUTS["sigmoid"], keep_prob=0.7, seed=2)
    _, analytic = copy.deepcopy(net).loss_and_grads(X, y)
    numerical = gradcheck.numerical_gradients(lambda: net.loss_and_grads(X, y)[0], net.params)
    assert gradcheck.relative_error(analytic["W1"], numerical["W1"]) > 1e-2


# ---------------------------------------------------------------- L2


@pytest.mark.parametrize("dims", OUTPUTS.values(), ids=OUTPUTS.keys())
def test_l2_adds_penalty_to_loss_and_weight_gradients_only(dims):
    l2 = 0.7
    X, y = make_data(dims, m=10)
    plain, reg = model.MLP(dims, l2=0.0, seed=5), model.MLP(dims, l2=l2, seed=5)
    loss0, grads0 = plain.loss_and_grads(X, y)
    loss1, grads1 = reg.loss_and_grads(X, y)
    weights = [W for k, W in reg.params.items() if k.startswith("W")]
    penalty = l2 / (2 * 10) * sum(np.sum(W ** 2) for W in weights)
    assert loss1 - loss0 == pytest.approx(penalty, rel=1e-10)
    assert reg.loss(X, y) - plain.loss(X, y) == pytest.approx(penalty, rel=1e-10)
    for k, W in reg.params.items():
        expected = grads0[k] + (l2 / 10) * W if k.startswith("W") else grads0[k]
        assert_allclose(grads1[k], expected, rtol=1e-12, atol=1e-15, err_msg=k)


# ---------------------------------------------------------------- dropout


def test_inverted_dropout_keeps_expected_logits():
    """With one hidden layer, logits are linear in A_1, so their mean over many masks equals the no-dropout logits."""
    n_masks, keep_prob = 4000, 0.7
    X, _ = make_data([3, 8, 1], m=5)
    net = model.MLP([3, 8, 1], keep_prob=keep_prob, seed=0)
    exact, caches = net.forward(X, training=False)
    assert all(c.mask is None for c in caches)
    dropped, caches = net.forward(np.tile(X, (n_masks, 1)), training=True)
    assert caches[0].mask.mean() == pytest.approx(keep_prob, abs=0.01)
    mean_logits = dropped.reshape(n_masks, 5, 1).mean(axis=0)
    mean_A1 = caches[1].A_prev.reshape(n_masks, 5, 8).mean(axis=0)
    assert_allclose(mean_A1, np.maximum(X @ net.params["W1"], 0), rtol=0.1, atol=0.02)
    assert_allclose(mean_logits, exact, rtol=0.05, atol=0.05)


def test_dropout_scales_kept_units_by_one_over_keep_prob():
    X, _ = make_data([3, 8, 1])
    net = model.MLP([3, 8, 1], hidden_activation="sigmoid", keep_prob=0.5, seed=0)
    _, caches = net.forward(X, training=True)
    mask, A1 = caches[0].mask, caches[1].A_prev
    assert_allclose(A1, mask * (1 / (1 + np.exp(-X @ net.params["W1"]))) / 0.5, rtol=1e-12)


def test_dropout_masks_differ_between_calls():
    X, _ = make_data([3, 8, 1])
    net = model.MLP([3, 8, 1], keep_prob=0.5, seed=0)
    first = net.forward(X, training=True)[1][0].mask
    second = net.forward(X, training=True)[1][0].mask
    assert not np.array_equal(first, second)


def test_same_seed_gives_same_dropout_masks():
    X, _ = make_data([3, 8, 1])
    a, b = model.MLP([3, 8, 1], keep_prob=0.5, seed=4), model.MLP([3, 8, 1], keep_prob=0.5, seed=4)
    assert_array_equal(a.forward(X, training=True)[1][0].mask, b.forward(X, training=True)[1][0].mask)
    assert a.loss_and_grads(X, [0, 1] * 4)[0] == b.loss_and_grads(X, [0, 1] * 4)[0]


@pytest.mark.parametrize("method", ["predict", "predict_proba", "loss"])
def test_inference_never_uses_dropout(method):
    """predict, predict_proba and loss give the same answer every call, and the same as with dropout off."""
    X, y = make_data([3, 8, 8, 1])
    dropout, plain = model.MLP([3, 8, 8, 1], keep_prob=0.5, seed=0), model.MLP([3, 8, 8, 1], seed=0)
    args = (X, y) if method == "loss" else (X,)
    first = getattr(dropout, method)(*args)
    assert_array_equal(getattr(dropout, method)(*args), first)
    assert_array_equal(getattr(plain, method)(*args), first)


# ---------------------------------------------------------------- TensorFlow autodiff


def tf_loss_and_grads(tf, params, X, y, activation, l2):
    """The same cost as MLP.loss_and_grads, built in TensorFlow float64 and differentiated by GradientTape."""
    # tf.nn.leaky_relu stores alpha as a float32 attribute (0.00999999977...), which alone moves the
    # loss by ~1e-11; tf.maximum keeps alpha = 0.01 in float64.
    g = {"relu": tf.nn.relu, "tanh": tf.nn.tanh, "sigmoid": tf.nn.sigmoid,
         "leaky_relu": lambda z: tf.maximum(z, 0.01 * z)}[activation]
    variables = {k: tf.Variable(v, dtype=tf.float64) for k, v in params.items()}
    L, m = len(params) // 2, X.shape[0]
    with tf.GradientTape() as tape:
        A = tf.constant(X, dtype=tf.float64)
        for l in range(1, L + 1):
            Z = A @ variables[f"W{l}"] + variables[f"b{l}"]
            A = g(Z)
        if Z.shape[1] == 1:
            per_example = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.constant(y, tf.float64), logits=Z[:, 0])
        else:
            per_example = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant(y), logits=Z)
        penalty = tf.add_n([tf.reduce_sum(W ** 2) for k, W in variables.items() if k.startswith("W")])
        loss = tf.reduce_mean(per_example) + l2 / (2 * m) * penalty
    grads = tape.gradient(loss, variables)
    return float(loss), {k: v.numpy() for k, v in grads.items()}


@pytest.mark.parametrize("l2", [0.0, 0.5])
@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradients_match_tensorflow(tf, activation, output, l2):
    dims = OUTPUTS[output]
    X, y = make_data(dims, m=12)
    net = randomize_biases(model.MLP(dims, hidden_activation=activation, init="he", l2=l2, seed=7))
    loss, grads = net.loss_and_grads(X, y)
    tf_loss, tf_grads = tf_loss_and_grads(tf, net.params, X, y, activation, l2)
    assert loss == pytest.approx(tf_loss, rel=1e-12)
    assert list(grads) == list(tf_grads)
    errors = {k: gradcheck.relative_error(grads[k], tf_grads[k]) for k in grads}
    assert max(errors.values()) < 1e-10, errors  # both are exact float64 backprop: ~1e-16 in practice


# ---------------------------------------------------------------- every output width

OUTPUT_WIDTHS = [1, 2, 3, 10]


def by_hand_outputs(net, X, y):
    """Loss, probabilities and labels computed directly from the logits, outside the model's code paths."""
    logits, _ = net.forward(X)
    K = logits.shape[1]
    if K == 1:
        p = 1.0 / (1.0 + np.exp(-logits[:, 0]))
        loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
        return loss, p, (p > 0.5).astype(int)
    P = np.exp(logits - logits.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    return -np.mean(np.log(P[np.arange(len(y)), y])), P, P.argmax(axis=1)


@pytest.mark.parametrize("n_out", OUTPUT_WIDTHS)
def test_every_output_width_loss_predict_and_proba(n_out):
    """1 unit is a sigmoid over {0, 1}; K >= 2 units (K = 2 included) a softmax over 0..K-1."""
    dims = [3, 6, n_out]
    X, y = make_data(dims, m=30)
    net = randomize_biases(model.MLP(dims, seed=1))
    assert net.n_classes == max(2, n_out)
    assert net.output == ("sigmoid" if n_out == 1 else "softmax")
    loss, P, labels = by_hand_outputs(net, X, y)
    assert net.loss(X, y) == pytest.approx(loss, rel=1e-12)
    assert net.loss_and_grads(X, y)[0] == pytest.approx(loss, rel=1e-12)
    assert_allclose(net.predict_proba(X), P, rtol=1e-12)
    assert net.predict_proba(X).shape == ((30,) if n_out == 1 else (30, n_out))
    assert_array_equal(net.predict(X), labels)
    errors = relative_errors_vs_numerical(net, X, y)
    assert max(errors.values()) < 1e-6, errors


def test_two_unit_softmax_rejects_label_2():
    with pytest.raises(ValueError, match=r"`y` must hold labels in \[0, 1\]"):
        model.MLP([2, 5, 2]).loss(np.zeros((3, 2)), [0, 1, 2])


def test_two_unit_softmax_equals_sigmoid_of_the_logit_difference():
    """softmax([z0, z1])_1 = sigma(z1 - z0): a K = 2 softmax net is a sigmoid net in disguise."""
    X, y = make_data([2, 5, 2], m=20)
    two = randomize_biases(model.MLP([2, 5, 2], seed=3))
    one = model.MLP([2, 5, 1], seed=3)
    one.params.update({k: v.copy() for k, v in two.params.items() if k in ("W1", "b1")})
    one.params["W2"] = two.params["W2"][:, 1:] - two.params["W2"][:, :1]
    one.params["b2"] = two.params["b2"][1:] - two.params["b2"][:1]
    assert_allclose(two.predict_proba(X)[:, 1], one.predict_proba(X), rtol=1e-12)
    assert two.loss(X, y) == pytest.approx(one.loss(X, y), rel=1e-12)
    assert_array_equal(two.predict(X), one.predict(X))


@pytest.mark.parametrize("n_out", OUTPUT_WIDTHS)
def test_every_output_width_gradients_match_tensorflow(tf, n_out):
    dims = [4, 6, 5, n_out]
    X, y = make_data(dims, m=25)
    net = randomize_biases(model.MLP(dims, hidden_activation="tanh", l2=0.3, seed=2))
    loss, grads = net.loss_and_grads(X, y)
    tf_loss, tf_grads = tf_loss_and_grads(tf, net.params, X, y, "tanh", 0.3)
    assert loss == pytest.approx(tf_loss, rel=1e-12)
    errors = {k: gradcheck.relative_error(grads[k], tf_grads[k]) for k in grads}
    assert max(errors.values()) < 1e-10, errors


# ---------------------------------------------------------------- bad input

_X = np.zeros((4, 2))
_Y = np.array([0, 1, 0, 1])


def _fit(**data):
    """Call loss_and_grads on a valid [2, 3, 1] net with (X, y) overridden by ``data``."""
    def call():
        args = {"X": _X, "y": _Y, **data}
        model.MLP([2, 3, 1]).loss_and_grads(args["X"], args["y"])
    return call


BAD_INPUTS = [
    pytest.param(lambda: model.MLP([2, 3, 1], keep_prob=0), ValueError, "keep_prob", id="keep_prob=0"),
    pytest.param(lambda: model.MLP([2, 3, 1], keep_prob=1.5), ValueError, "keep_prob", id="keep_prob=1.5"),
    pytest.param(lambda: model.MLP([2, 3, 1], keep_prob="0.5"), TypeError, "keep_prob", id="keep_prob=str"),
    pytest.param(lambda: model.MLP([2, 3, 1], l2=-0.1), ValueError, "l2", id="l2<0"),
    pytest.param(lambda: model.MLP([2, 3, 1], hidden_activation="swish"), ValueError, "hidden_activation",
                 id="hidden_activation"),
    pytest.param(lambda: model.MLP([2, 3, 1], init="glorot"), ValueError, "init", id="init"),
    pytest.param(lambda: model.MLP([2]), ValueError, "layer_dims", id="layer_dims short"),
    pytest.param(lambda: model.MLP([2, 0, 1]), ValueError, "layer_dims", id="layer_dims 0"),
    pytest.param(_fit(X=np.zeros((4, 3))), ValueError, "X", id="X columns"),
    pytest.param(_fit(X=np.array([[0.0, np.nan]] * 4)), ValueError, "X", id="X NaN"),
    pytest.param(_fit(X=np.zeros(4)), ValueError, "X", id="X 1-D"),
    pytest.param(_fit(X=[["a", "b"]] * 4), TypeError, "X", id="X text"),
    pytest.param(_fit(y=np.array([0, 1, 0])), ValueError, "y", id="y length"),
    pytest.param(_fit(y=np.array([0, 1, 2, 1])), ValueError, "y", id="y label 2"),
    pytest.param(_fit(y=np.array([0, 1, -1, 1])), ValueError, "y", id="y label -1"),
    pytest.param(_fit(y=np.array([0.0, 0.5, 1.0, 1.0])), ValueError, "y", id="y 0.5"),
    pytest.param(lambda: model.MLP([2, 3, 1]).predict(np.zeros((4, 3))), ValueError, "X", id="predict X columns"),
    pytest.param(lambda: model.MLP([2, 3, 1], seed="x"), TypeError, "seed", id="seed str"),
    pytest.param(lambda: model.MLP([2, 3, 1], seed=None), TypeError, "seed", id="seed None"),
    pytest.param(lambda: model.MLP([2, 3, 1], seed=-1), ValueError, "seed", id="seed<0"),
    pytest.param(lambda: model.forward(model.MLP([2, 3, 1]).params, _X, keep_prob=0.5), TypeError, "rng",
                 id="dropout without rng"),
]


@pytest.mark.parametrize("call, error, argument", BAD_INPUTS)
def test_bad_input_raises_naming_the_argument(call, error, argument):
    with pytest.raises(error, match=rf"`{argument}`|\b{argument}\b"):
        call()


def test_whole_number_float_labels_are_accepted():
    net = model.MLP([2, 3, 1])
    assert net.loss(_X, _Y.astype(float)) == net.loss(_X, _Y)


def test_repr_shows_plain_layer_sizes():
    net = model.MLP(np.array([2, 3, 1]), init="xavier", seed=4)
    assert repr(net) == "MLP([2, 3, 1], hidden_activation='relu', init='xavier', l2=0, keep_prob=1, seed=4)"


# ---------------------------------------------------------------- packed parameters


def test_params_are_packed_into_one_buffer():
    net = model.MLP([3, 4, 2], dtype="float32")
    assert list(net.params) == ["W1", "b1", "W2", "b2"] and net.params.flat.shape == (3 * 4 + 4 + 4 * 2 + 2,)
    assert all(np.shares_memory(value, net.params.flat) for value in net.params.values())
    assert net.params.flat.dtype == np.float32


def test_an_assigned_dict_is_the_nets_own():
    """As before packing: the net reads and updates the arrays it was given, and training them works."""
    net = model.MLP([3, 4, 2])
    new = {"b2": np.ones(2), "W2": np.ones((4, 2)), "W1": np.full((3, 4), 0.5), "b1": np.zeros(4)}  # any key order
    net.params = new
    assert net.params is new
    new["W1"][0, 0] = 9.0
    assert net.params["W1"][0, 0] == 9.0
    X, y = make_data([3, 4, 2])
    before = new["W2"].copy()
    training.train(net, X, y, optimizers.Adam(0.1), epochs=3)
    assert not np.array_equal(new["W2"], before), "the optimizer updated the caller's arrays"


def test_arrays_of_another_dtype_are_converted():
    net = model.MLP([3, 4, 2], dtype="float32")
    net.params = {"W1": np.ones((3, 4)), "b1": [0.0] * 4, "W2": np.ones((4, 2)), "b2": np.zeros(2)}
    assert all(value.dtype == np.float32 for value in net.params.values())
    net.params = model.MLP([3, 5, 2]).params  # a float64 PackedArrays: repacked in float32
    assert net.params.flat.dtype == np.float32 and net.layer_dims == [3, 5, 2]


def test_repr_shows_a_float32_dtype():
    assert repr(model.MLP([2, 3, 1], dtype="float32")).endswith("seed=0, dtype='float32')")
    assert "dtype" not in repr(model.MLP([2, 3, 1]))


def test_a_learners_initializer_function_sets_the_starting_weights():
    def initialize_he(layer_dims, rng):
        return {name: value for l in range(1, len(layer_dims))
                for name, value in ((f"W{l}", rng.standard_normal((layer_dims[l - 1], layer_dims[l]))
                                     * np.sqrt(2.0 / layer_dims[l - 1])), (f"b{l}", np.zeros(layer_dims[l])))}

    net = model.MLP([3, 5, 2], init=initialize_he, seed=4)
    same = model.MLP([3, 5, 2], init="he", seed=4)  # the package's He draws the same numbers from the same rng
    for name in net.params:
        np.testing.assert_allclose(net.params[name], same.params[name], rtol=1e-15)
    assert "init=initialize_he" in repr(net) and "0x" not in repr(net)
    with pytest.raises(ValueError, match=r"`init` must return parameters for layer_dims=\[3, 5, 2\]"):
        model.MLP([3, 5, 2], init=lambda dims, rng: initialize_he([3, 4, 2], rng))
    with pytest.raises(TypeError, match="`params` must be a dict"):
        model.MLP([3, 5, 2], init=lambda dims, rng: [1, 2])
