"""Tests for course_utils.losses: hand cases, TensorFlow/Keras, numerical gradients, stability, shapes."""

import contextlib
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

from course_utils import losses
from course_utils.gradcheck import numerical_gradient, relative_error

LN2, LN3 = np.log(2.0), np.log(3.0)
NEG_LOG_EPS = -np.log(losses.PROB_EPSILON)  # the loss of a clipped, fully wrong probability (~16.1)


@pytest.fixture
def binary_case(rng):
    return rng.normal(0.0, 3.0, size=20), rng.integers(0, 2, size=20)


@pytest.fixture
def softmax_case(rng):
    return rng.normal(0.0, 3.0, size=(20, 4)), rng.integers(0, 4, size=20)


@contextlib.contextmanager
def _no_warnings():
    """Overflow, 0/0, x/0 and any warning raise inside (underflow to 0 is correct and allowed)."""
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        yield


# --- hand-computed cases -------------------------------------------------------------------------


def test_sigmoid_cross_entropy_hand_case():
    """p = (1/2, 3/4), y = (1, 0): L = (ln 2 + ln 4) / 2, dL/dz = (p - y) / 2."""
    z, y = np.array([0.0, LN3]), np.array([1, 0])
    assert losses.sigmoid_cross_entropy(z, y) == pytest.approx(1.5 * LN2, rel=1e-14)
    assert_allclose(losses.sigmoid_cross_entropy_grad(z, y), [-0.25, 0.375], rtol=1e-14)


def test_softmax_cross_entropy_hand_case():
    """softmax rows (1/3, 1/3, 1/3) and (1/8, 2/8, 5/8), both labelled 2."""
    Z, y = np.log([[1.0, 1.0, 1.0], [1.0, 2.0, 5.0]]), np.array([2, 2])
    assert losses.softmax_cross_entropy(Z, y) == pytest.approx((LN3 + np.log(8 / 5)) / 2, rel=1e-14)
    expected = np.array([[1 / 3, 1 / 3, 1 / 3 - 1], [1 / 8, 2 / 8, 5 / 8 - 1]]) / 2
    assert_allclose(losses.softmax_cross_entropy_grad(Z, y), expected, rtol=1e-13)


def test_from_probs_hand_case():
    assert losses.binary_cross_entropy_from_probs([0.5, 0.75], [1, 0]) == pytest.approx(1.5 * LN2, rel=1e-14)
    P = np.array([[0.25, 0.75], [0.5, 0.5]])
    assert losses.categorical_cross_entropy_from_probs(P, [1, 0]) == pytest.approx(np.log(8 / 3) / 2, rel=1e-14)


# --- against TensorFlow / Keras ------------------------------------------------------------------


def test_sigmoid_cross_entropy_matches_tensorflow(binary_case, tf):
    z, y = binary_case
    z_tf = tf.constant(z, dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(z_tf)
        loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.constant(y, tf.float64), logits=z_tf))
    assert losses.sigmoid_cross_entropy(z, y) == pytest.approx(loss.numpy(), rel=1e-12)
    assert_allclose(losses.sigmoid_cross_entropy_grad(z, y), tape.gradient(loss, z_tf).numpy(), rtol=1e-12, atol=1e-16)


def test_softmax_cross_entropy_matches_tensorflow(softmax_case, tf):
    Z, y = softmax_case
    Z_tf = tf.constant(Z, dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(Z_tf)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=Z_tf))
    assert losses.softmax_cross_entropy(Z, y) == pytest.approx(loss.numpy(), rel=1e-12)
    assert_allclose(losses.softmax_cross_entropy_grad(Z, y), tape.gradient(loss, Z_tf).numpy(), rtol=1e-12, atol=1e-16)


def test_binary_from_probs_matches_keras(rng, keras):
    p, y = rng.uniform(0.01, 0.99, size=30), rng.integers(0, 2, size=30)
    expected = keras.losses.BinaryCrossentropy(dtype="float64")(y[:, None].astype(float), p[:, None])
    assert losses.binary_cross_entropy_from_probs(p, y) == pytest.approx(float(expected), rel=1e-10)


def test_categorical_from_probs_matches_keras(rng, keras):
    P = rng.uniform(0.05, 1.0, size=(30, 5))
    P /= P.sum(axis=1, keepdims=True)
    y = rng.integers(0, 5, size=30)
    expected = keras.losses.SparseCategoricalCrossentropy(dtype="float64")(y, P)
    assert losses.categorical_cross_entropy_from_probs(P, y) == pytest.approx(float(expected), rel=1e-10)


# --- gradients -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sigmoid", "softmax"])
def test_gradient_matches_numerical_gradient(kind, binary_case, softmax_case):
    logits, y = binary_case if kind == "sigmoid" else softmax_case
    loss = getattr(losses, f"{kind}_cross_entropy")
    grad = getattr(losses, f"{kind}_cross_entropy_grad")(logits, y)
    numerical = numerical_gradient(lambda z: loss(z, y), logits.copy(), epsilon=1e-6)
    assert relative_error(grad, numerical) < 1e-8


@pytest.mark.parametrize(
    "logits, y",
    [
        (np.array([0.0, LN3, -2.0, 1e4, -1e4]), np.array([1, 0, 0, 1, 1])),
        (np.array([[0.0], [LN3], [-2.0], [1e4], [-1e4]]), np.array([1, 0, 0, 1, 1])),
    ],
    ids=["(m,)", "(m,1)"],
)
def test_sigmoid_fused_equals_separate(logits, y):
    loss, grad = losses.sigmoid_cross_entropy_with_grad(logits, y)
    assert loss == pytest.approx(losses.sigmoid_cross_entropy(logits, y), rel=1e-14)
    assert grad.shape == logits.shape
    assert_allclose(grad, losses.sigmoid_cross_entropy_grad(logits, y), rtol=1e-14, atol=0)


def test_softmax_fused_equals_separate(softmax_case):
    Z, y = softmax_case
    Z[0] = [1e4, -1e4, 0.0, 1.0]
    loss, grad = losses.softmax_cross_entropy_with_grad(Z, y)
    assert loss == pytest.approx(losses.softmax_cross_entropy(Z, y), rel=1e-14)
    assert_allclose(grad, losses.softmax_cross_entropy_grad(Z, y), rtol=1e-12, atol=1e-17)


# --- stability -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fused", [False, True], ids=["separate", "fused"])
def test_sigmoid_cross_entropy_at_extreme_logits(fused):
    """Right by 1e4 costs 0, wrong by 1e4 costs 1e4; the gradient is (p - y) / m exactly."""
    z, y = np.array([1e4, -1e4, 0.0, 1e4]), np.array([1, 0, 1, 0])
    with _no_warnings():
        if fused:
            loss, grad = losses.sigmoid_cross_entropy_with_grad(z, y)
        else:
            loss, grad = losses.sigmoid_cross_entropy(z, y), losses.sigmoid_cross_entropy_grad(z, y)
    assert loss == pytest.approx((LN2 + 1e4) / 4, rel=1e-14)
    assert_allclose(grad, [0.0, 0.0, -0.125, 0.25], atol=1e-300)


@pytest.mark.parametrize("fused", [False, True], ids=["separate", "fused"])
def test_softmax_cross_entropy_at_extreme_logits(fused):
    Z, y = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]]), np.array([0, 0])
    with _no_warnings():
        if fused:
            loss, grad = losses.softmax_cross_entropy_with_grad(Z, y)
        else:
            loss, grad = losses.softmax_cross_entropy(Z, y), losses.softmax_cross_entropy_grad(Z, y)
    assert loss == pytest.approx(1e4, rel=1e-14)
    assert_allclose(grad, [[0.0, 0.0, 0.0], [-0.5, 0.5, 0.0]], atol=1e-300)


def test_binary_from_probs_at_exactly_0_and_1():
    """Right and certain costs ~0; wrong and certain costs -log(eps), finite."""
    with _no_warnings():
        loss = losses.binary_cross_entropy_from_probs([0.0, 1.0, 0.0, 1.0], [0, 1, 1, 0])
    assert loss == pytest.approx(2 * NEG_LOG_EPS / 4, rel=1e-6)


def test_categorical_from_probs_at_exactly_0_and_1():
    with _no_warnings():
        loss = losses.categorical_cross_entropy_from_probs(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), [0, 2])
    assert loss == pytest.approx(NEG_LOG_EPS / 2, rel=1e-12)


# --- shapes and bad input ------------------------------------------------------------------------


def test_binary_logits_m_and_m1_give_same_loss_and_keep_grad_shape(binary_case):
    z, y = binary_case
    assert losses.sigmoid_cross_entropy(z[:, None], y) == losses.sigmoid_cross_entropy(z, y)
    assert losses.sigmoid_cross_entropy_grad(z, y).shape == (20,)
    assert losses.sigmoid_cross_entropy_grad(z[:, None], y).shape == (20, 1)
    assert_allclose(losses.sigmoid_cross_entropy_grad(z[:, None], y)[:, 0], losses.sigmoid_cross_entropy_grad(z, y))
    assert losses.binary_cross_entropy_from_probs(np.full((4, 1), 0.5), [0, 1, 0, 1]) == pytest.approx(LN2)


SHAPE_CASES = {
    "sigmoid_cross_entropy": np.zeros(4),
    "sigmoid_cross_entropy_grad": np.zeros((4, 1)),
    "sigmoid_cross_entropy_with_grad": np.zeros(4),
    "softmax_cross_entropy": np.zeros((4, 3)),
    "softmax_cross_entropy_grad": np.zeros((4, 3)),
    "softmax_cross_entropy_with_grad": np.zeros((4, 3)),
    "binary_cross_entropy_from_probs": np.full(4, 0.5),
    "categorical_cross_entropy_from_probs": np.full((4, 3), 1 / 3),
}


@pytest.mark.parametrize("name", SHAPE_CASES)
@pytest.mark.parametrize("y", [np.zeros((4, 1), int), np.zeros(3, int)], ids=["y(m,1)", "y(m-1,)"])
def test_wrong_label_shape_names_y(name, y):
    with pytest.raises(ValueError, match=r"`y` must have shape \(4,\)"):
        getattr(losses, name)(SHAPE_CASES[name], y)


@pytest.mark.parametrize(
    "fn, logits",
    [
        (losses.sigmoid_cross_entropy, np.zeros((4, 2))),
        (losses.sigmoid_cross_entropy_with_grad, np.zeros((2, 2, 1))),
        (losses.softmax_cross_entropy, np.zeros(4)),
        (losses.softmax_cross_entropy_with_grad, np.zeros((4, 3, 1))),
    ],
    ids=["sigmoid(m,2)", "sigmoid_with_grad(m,2,1)", "softmax(m,)", "softmax_with_grad(m,K,1)"],
)
def test_wrong_logits_shape_names_logits(fn, logits):
    with pytest.raises(ValueError, match="`logits` must have shape"):
        fn(logits, np.zeros(logits.shape[0], int))


@pytest.mark.parametrize(
    "fn, logits, y",
    [
        (losses.softmax_cross_entropy, np.zeros((2, 3)), [0, -1]),  # silently uses column 2
        (losses.softmax_cross_entropy_grad, np.zeros((2, 3)), [0, 3]),  # IndexError, not ValueError
        (losses.sigmoid_cross_entropy, np.zeros(2), [0, 2]),  # silently returns ln 2
        (losses.sigmoid_cross_entropy_grad, np.zeros(2), [0, 2]),
        (losses.binary_cross_entropy_from_probs, np.full(2, 0.5), [0, 2]),
        (losses.categorical_cross_entropy_from_probs, np.full((2, 3), 1 / 3), [0, -1]),
    ],
    ids=["softmax", "softmax_grad", "sigmoid", "sigmoid_grad", "binary_from_probs", "categorical_from_probs"],
)
def test_labels_outside_classes_raise(fn, logits, y):
    with pytest.raises(ValueError, match="`y` must hold labels in"):
        fn(logits, y)


@pytest.mark.parametrize("fn, probs", [
    (losses.binary_cross_entropy_from_probs, np.array([1.5, 0.2])),
    (losses.binary_cross_entropy_from_probs, np.array([-0.2, 0.2])),
    (losses.binary_cross_entropy_from_probs, np.array([np.nan, 0.2])),
    (losses.categorical_cross_entropy_from_probs, np.array([[1.2, -0.2], [0.5, 0.5]])),
], ids=["p>1", "p<0", "p NaN", "P outside"])
def test_probabilities_outside_0_1_raise(fn, probs):
    with pytest.raises(ValueError, match=r"must hold probabilities in \[0, 1\]"):
        fn(probs, np.array([1, 0]))
