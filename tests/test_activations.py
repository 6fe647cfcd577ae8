"""Tests for course_utils.activations: hand values, numerical derivatives, TensorFlow, stability."""

import re
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

from course_utils import activations

LN2, LN3 = np.log(2.0), np.log(3.0)
ALPHA = activations.LEAKY_RELU_SLOPE
NAMES = sorted(activations.HIDDEN_ACTIVATIONS)


HAND_CASES = {
    "sigmoid": ([0.0, LN3, -LN3], [0.5, 0.75, 0.25]),
    "sigmoid_grad": ([0.0, LN3], [0.25, 0.1875]),
    "tanh": ([0.0, LN2, -LN2], [0.0, 0.6, -0.6]),  # (2 - 1/2) / (2 + 1/2)
    "tanh_grad": ([0.0, LN2], [1.0, 0.64]),
    "relu": ([-2.0, 0.0, 3.0], [0.0, 0.0, 3.0]),
    "relu_grad": ([-2.0, 0.0, 3.0], [0.0, 0.0, 1.0]),
    "leaky_relu": ([-2.0, 0.0, 3.0], [-2.0 * ALPHA, 0.0, 3.0]),
    "leaky_relu_grad": ([-2.0, 0.0, 3.0], [ALPHA, ALPHA, 1.0]),
}


@pytest.mark.parametrize("name", HAND_CASES)
def test_hand_computed_values(name):
    z, expected = HAND_CASES[name]
    assert_allclose(getattr(activations, name)(np.array(z)), expected, rtol=1e-12, atol=1e-15)


def test_leaky_relu_slope_is_0_01():
    assert ALPHA == 0.01


def test_softmax_hand_computed():
    z = np.log([[1.0, 1.0, 1.0], [1.0, 2.0, 5.0]])
    assert_allclose(activations.softmax(z), [[1 / 3, 1 / 3, 1 / 3], [1 / 8, 2 / 8, 5 / 8]], rtol=1e-12)
    assert_allclose(activations.log_softmax(z), np.log([[1 / 3] * 3, [1 / 8, 2 / 8, 5 / 8]]), rtol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_centered_difference(name, rng):
    """g'(z) against (g(z + h) - g(z - h)) / 2h, elementwise, away from the kink at 0."""
    g, g_grad = activations.get(name)
    z = rng.normal(0.0, 3.0, size=(20, 5))
    z = np.where(np.abs(z) < 1e-2, 0.5, z)  # relu and leaky_relu have no derivative at 0
    h = 1e-6
    numerical = (g(z + h) - g(z - h)) / (2 * h)
    assert g_grad(z).shape == z.shape
    assert_allclose(g_grad(z), numerical, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", NAMES)
def test_get_returns_function_and_derivative(name):
    g, g_grad = activations.get(name)
    assert g is getattr(activations, name)
    assert g_grad is getattr(activations, f"{name}_grad")


def test_get_unknown_name_lists_options():
    with pytest.raises(ValueError, match=re.escape("Unknown activation 'swish'")) as info:
        activations.get("swish")
    for name in NAMES:
        assert repr(name) in str(info.value)


def test_softmax_rows_sum_to_one(rng):
    s = activations.softmax(rng.normal(0.0, 5.0, size=(10, 7)))
    assert np.all(s > 0)
    assert_allclose(s.sum(axis=1), 1.0, rtol=1e-14)


def test_softmax_invariant_to_adding_a_constant_per_row(rng):
    z = rng.normal(size=(6, 4))
    shift = rng.normal(0.0, 100.0, size=(6, 1))
    assert_allclose(activations.softmax(z + shift), activations.softmax(z), rtol=1e-10)
    assert_allclose(activations.log_softmax(z + shift), activations.log_softmax(z), rtol=1e-10, atol=1e-12)


def test_softmax_axis_0_is_softmax_of_transpose(rng):
    z = rng.normal(size=(3, 5))
    assert_allclose(activations.softmax(z, axis=0), activations.softmax(z.T).T, rtol=1e-14)
    assert_allclose(activations.log_softmax(z, axis=0), activations.log_softmax(z.T).T, rtol=1e-14)


@pytest.mark.parametrize(
    "name, tf_name",
    [("sigmoid", "math.sigmoid"), ("tanh", "math.tanh"), ("relu", "nn.relu"), ("leaky_relu", "nn.leaky_relu")],
)
def test_matches_tensorflow_value_and_gradient(name, tf_name, rng, tf):
    """Values and d/dz sum(g(z)) = g'(z) against TensorFlow in float64; z includes 0 to pin the kink convention."""
    tf_fn = tf
    for part in tf_name.split("."):
        tf_fn = getattr(tf_fn, part)
    rtol = 1e-12
    if name == "leaky_relu":
        tf_fn = lambda t, f=tf_fn: f(t, alpha=ALPHA)  # noqa: E731  (TF's default alpha is 0.2)
        rtol = 1e-7  # TF stores alpha as a float32 attribute: 0.01 becomes 0.0099999998
    g, g_grad = activations.get(name)
    z = np.concatenate([rng.normal(0.0, 4.0, size=50), [0.0]])
    z_tf = tf.constant(z, dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(z_tf)
        out = tf_fn(z_tf)
        total = tf.reduce_sum(out)
    assert_allclose(g(z), out.numpy(), rtol=rtol, atol=1e-15)
    assert_allclose(g_grad(z), tape.gradient(total, z_tf).numpy(), rtol=rtol, atol=1e-15)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_matches_tensorflow(name, rng, tf):
    z = rng.normal(0.0, 5.0, size=(8, 6))
    expected = getattr(tf.nn, name)(tf.constant(z, dtype=tf.float64)).numpy()
    assert_allclose(getattr(activations, name)(z), expected, rtol=1e-12, atol=1e-15)


EXTREME = np.array([-1e4, -1e3, -40.0, -1.0, 0.0, 1.0, 40.0, 1e3, 1e4])


@pytest.mark.parametrize(
    "fn",
    [f for name in NAMES for f in activations.get(name)] + [activations.softmax, activations.log_softmax],
    ids=lambda f: f.__name__,
)
@pytest.mark.parametrize("z", [1e4, -1e4, EXTREME, EXTREME.reshape(3, 3)], ids=["+1e4", "-1e4", "mix", "mix2d"])
def test_finite_and_warning_free_at_extremes(fn, z):
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        out = fn(np.asarray(z))
    assert np.all(np.isfinite(out))


def test_extreme_values_are_exact_limits():
    z = np.array([-1e4, 1e4])
    assert_allclose(activations.sigmoid(z), [0.0, 1.0], atol=0)
    assert_allclose(activations.sigmoid_grad(z), [0.0, 0.0], atol=0)
    assert_allclose(activations.tanh(z), [-1.0, 1.0], atol=0)
    assert_allclose(activations.softmax(np.array([1e4, 1e4, -1e4])), [0.5, 0.5, 0.0], atol=0)
    assert_allclose(activations.log_softmax(np.array([1e4, -1e4])), [0.0, -2e4], rtol=1e-15)
