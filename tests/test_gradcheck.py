"""Tests for course_utils.gradcheck: the numerical gradient itself, params dicts, relative error."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from course_utils import gradcheck


def test_numerical_gradient_of_sum_of_squares_is_2x(rng):
    """Centered differences are exact for a quadratic; what is left is rounding, ~|f| 1e-16 / 1e-7."""
    x = rng.uniform(-1.0, 1.0, size=(2, 3))
    grad = gradcheck.numerical_gradient(lambda v: np.sum(v**2), x)
    assert grad.shape == x.shape
    assert_allclose(grad, 2 * x, rtol=0, atol=1e-8)


def test_numerical_gradient_of_sum_of_sin_is_cos(rng):
    x = rng.uniform(-1.0, 1.0, size=6)
    assert_allclose(gradcheck.numerical_gradient(lambda v: np.sum(np.sin(v)), x), np.cos(x), rtol=0, atol=1e-8)


def test_numerical_gradient_of_coupled_function(rng):
    """f(x) = x0 * x1 + exp(x2): every partial depends on another coordinate."""
    x = rng.normal(size=3)
    grad = gradcheck.numerical_gradient(lambda v: v[0] * v[1] + np.exp(v[2]), x)
    assert_allclose(grad, [x[1], x[0], np.exp(x[2])], rtol=0, atol=1e-8)


def test_numerical_gradient_on_transposed_view_restores_x_exactly(rng):
    base = rng.normal(size=(3, 5))
    before = base.copy()
    view = base.T  # (5, 3), not C-contiguous, shares memory with base
    weights = np.arange(15.0).reshape(5, 3)
    grad = gradcheck.numerical_gradient(lambda v: np.sum(weights * v**2), view)
    assert_allclose(grad, 2 * weights * view, rtol=1e-7, atol=1e-7)
    assert_array_equal(base, before)


def test_numerical_gradient_sees_perturbations_of_the_caller_array(rng):
    """f may ignore its argument and read the original array: the perturbation is in place."""
    x = rng.normal(size=4)
    grad = gradcheck.numerical_gradient(lambda _: np.sum(x**3), x)
    assert_allclose(grad, 3 * x**2, rtol=0, atol=1e-7)


def test_numerical_gradients_on_params_dict(rng):
    params = {"W1": rng.normal(size=(3, 2)), "b1": rng.normal(size=2)}
    before = {name: value.copy() for name, value in params.items()}

    def loss():
        return np.sum(params["W1"] ** 2) + 3.0 * np.sum(params["b1"])

    grads = gradcheck.numerical_gradients(loss, params)
    assert list(grads) == ["W1", "b1"]
    assert_allclose(grads["W1"], 2 * params["W1"], rtol=0, atol=1e-8)
    assert_allclose(grads["b1"], [3.0, 3.0], rtol=0, atol=1e-8)
    for name in params:
        assert_array_equal(params[name], before[name])


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ([1.0, 2.0], [1.0, 2.0], 0.0),
        ([0.0, 0.0], [0.0, 0.0], 0.0),
        ([3.0, -4.0], [-3.0, 4.0], 1.0),
        ([3.0, 4.0], [0.0, 0.0], 1.0),
        ([3.0, 4.0], [3.0, 0.0], 4.0 / 8.0),  # ||(0, 4)|| / (5 + 3)
    ],
)
def test_relative_error_hand_cases(a, b, expected):
    assert gradcheck.relative_error(np.array(a), np.array(b)) == pytest.approx(expected, abs=1e-15)


def test_relative_error_returns_float():
    assert type(gradcheck.relative_error([1.0], [2.0])) is float


def test_relative_error_shape_mismatch_raises():
    with pytest.raises(ValueError, match=r"`a` and `b` must have the same shape; received \(2,\) and \(2, 1\)"):
        gradcheck.relative_error(np.zeros(2), np.zeros((2, 1)))


@pytest.mark.parametrize("dtype", [np.int64, np.int32, bool])
def test_integer_x_raises(dtype):
    with pytest.raises(TypeError, match="`x` must be a float"):
        gradcheck.numerical_gradient(lambda v: float(np.sum(v)), np.ones(3, dtype=dtype))


def test_float32_x_raises_instead_of_returning_a_wrong_gradient():
    x = np.array([1.0, 3.0], dtype=np.float32)  # a 1e-7 step would give [2.38, 0.0] instead of [2, 6]
    with pytest.raises(TypeError, match="float64"):
        gradcheck.numerical_gradient(lambda v: float(np.sum(v.astype(np.float64) ** 2)), x)
