"""Tests for course_utils.optimizers: the base class's bookkeeping and GD, by hand and against Keras."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from course_utils import optimizers


def hand_params():
    return {"W1": np.array([[1.0, -2.0], [0.5, 4.0]]), "b1": np.array([0.25, -1.0])}


def hand_grads():
    return {"W1": np.array([[0.5, 1.0], [-2.0, 0.0]]), "b1": np.array([4.0, -0.5])}


def test_gd_one_step_by_hand():
    """theta - 0.5 * g, worked out on paper."""
    params = hand_params()
    optimizers.GD(learning_rate=0.5).step(params, hand_grads())
    assert_array_equal(params["W1"], [[0.75, -2.5], [1.5, 4.0]])
    assert_array_equal(params["b1"], [-1.75, -0.75])


def test_gd_updates_arrays_in_place():
    """The notebooks (and train) hold references to net.params arrays; they must see the update."""
    params = hand_params()
    W1 = params["W1"]
    optimizers.GD(0.5).step(params, hand_grads())
    assert params["W1"] is W1
    assert W1[0, 0] == 0.75


def test_gd_two_steps_by_hand():
    params = {"w": np.array([2.0])}
    opt = optimizers.GD(0.25)
    for _ in range(2):
        opt.step(params, {"w": 2 * params["w"]})  # d/dw w^2: w <- w (1 - 2 * 0.25) = w / 2
    assert_array_equal(params["w"], [0.5])


def test_iterations_count_steps():
    opt = optimizers.GD(0.1)
    params = hand_params()
    assert opt.iterations == 0
    for expected in (1, 2, 3):
        opt.step(params, hand_grads())
        assert opt.iterations == expected


def test_schedule_is_called_with_steps_already_taken():
    calls = []

    def schedule(step):
        calls.append(step)
        return 0.5 / (1 + step)

    opt = optimizers.GD(schedule)
    params = {"w": np.array([0.0])}
    assert opt.current_learning_rate() == 0.5
    for _ in range(3):
        opt.step(params, {"w": np.array([1.0])})
    assert calls[-3:] == [0, 1, 2]
    assert_allclose(params["w"], [-(0.5 + 0.25 + 0.5 / 3)], rtol=1e-15)
    assert opt.current_learning_rate() == pytest.approx(0.5 / 4)


@pytest.mark.parametrize("learning_rate, expected", [(0.01, "GD(learning_rate=0.01)"), (1, "GD(learning_rate=1)"),
                                                     (2.5e-4, "GD(learning_rate=0.00025)")])
def test_repr(learning_rate, expected):
    assert repr(optimizers.GD(learning_rate)) == expected


def test_integer_learning_rate_becomes_float():
    assert isinstance(optimizers.GD(1).learning_rate, float)


@pytest.mark.parametrize("learning_rate, error", [
    pytest.param(-0.1, ValueError, id="negative"),
    pytest.param(0, ValueError, id="zero"),
    pytest.param(0.0, ValueError, id="zero-float"),
    pytest.param(math.nan, ValueError, id="nan"),
    pytest.param(math.inf, ValueError, id="inf"),
    pytest.param("0.1", TypeError, id="string"),
    pytest.param(None, TypeError, id="none"),
    pytest.param(True, TypeError, id="bool"),
    pytest.param(np.array([0.1]), TypeError, id="array"),
])
def test_bad_learning_rate_raises(learning_rate, error):
    with pytest.raises(error, match="learning_rate"):
        optimizers.GD(learning_rate)


@pytest.mark.parametrize("grads", [
    pytest.param({"W1": np.zeros((2, 2))}, id="missing-key"),
    pytest.param({**hand_grads(), "W2": np.zeros((2, 2))}, id="extra-key"),
    pytest.param({"W1": np.zeros((2, 2)), "b2": np.zeros(2)}, id="renamed-key"),
    pytest.param({"W1": np.zeros((2, 3)), "b1": np.zeros(2)}, id="W1-shape"),
    pytest.param({"W1": np.zeros((2, 2)), "b1": np.zeros((1, 2))}, id="b1-shape"),
])
def test_step_rejects_grads_that_do_not_match_params(grads):
    opt = optimizers.GD(0.1)
    with pytest.raises(ValueError, match="grads"):
        opt.step(hand_params(), grads)
    assert opt.iterations == 0


def test_rejected_step_leaves_params_untouched():
    params = hand_params()
    with pytest.raises(ValueError, match="grads"):
        optimizers.GD(0.1).step(params, {"W1": np.ones((2, 2)), "b1": np.ones(3)})
    assert_array_equal(params["W1"], hand_params()["W1"])


def test_base_class_update_is_abstract():
    with pytest.raises(NotImplementedError):
        optimizers.Optimizer(0.1).step(hand_params(), hand_grads())


@pytest.mark.parametrize("learning_rate, rtol", [
    (0.125, 1e-15),  # exactly representable in float32, so Keras's float32 learning rate loses nothing
    (0.01, 1e-6),  # Keras keeps the learning rate in float32: 0.01 becomes 0.0099999998
])
def test_gd_matches_keras_sgd(tf, keras, learning_rate, rtol):
    """Three steps on f(w) = sum(w^2 + w): the gradient 2w + 1 changes each step."""
    w0 = np.array([[0.5, -1.5, 3.0], [2.0, 0.25, -0.75]])
    params = {"W1": w0.copy()}
    opt = optimizers.GD(learning_rate)
    variable = tf.Variable(w0, dtype=tf.float64)
    keras_opt = keras.optimizers.SGD(learning_rate=learning_rate)
    for _ in range(3):
        opt.step(params, {"W1": 2 * params["W1"] + 1})
        keras_opt.apply_gradients([(2 * tf.convert_to_tensor(variable) + 1, variable)])
    assert_allclose(params["W1"], variable.numpy(), rtol=rtol, err_msg="GD and keras SGD differ after 3 steps")
    assert opt.iterations == int(keras_opt.iterations.numpy()) == 3
