"""Tests for course_utils.schedules: by hand, against keras.optimizers.schedules, and bad input."""

import math

import numpy as np
import pytest

from course_utils import schedules

STEPS = [0, 1, 999, 1000, 1001, 1500, 12345]


def test_inverse_time_staircase_is_the_lectures_fixed_interval_decay():
    """alpha_0 / (1 + decay_rate * floor(epoch / interval)), checked between the boundaries too."""
    schedule = schedules.InverseTimeDecay(0.1, decay_steps=1000, decay_rate=1.0, staircase=True)
    for epoch in [0, 1, 500, 999, 1000, 1001, 1999, 2000, 4999, 12345]:
        assert schedule(epoch) == pytest.approx(0.1 / (1 + epoch // 1000), rel=1e-15)


def test_inverse_time_without_staircase_decays_every_step():
    schedule = schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=1.0)
    assert [schedule(s) for s in (0, 1, 3, 4999)] == pytest.approx([0.1, 0.05, 0.025, 0.1 / 5000], rel=1e-15)


def test_exponential_by_hand():
    schedule = schedules.ExponentialDecay(0.2, decay_steps=10, decay_rate=0.5)
    assert schedule(0) == 0.2
    assert schedule(10) == pytest.approx(0.1)
    assert schedule(5) == pytest.approx(0.2 * 0.5 ** 0.5)
    assert schedules.ExponentialDecay(0.2, 10, 0.5, staircase=True)(19) == pytest.approx(0.1)


def test_piecewise_constant_by_hand():
    schedule = schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    assert [schedule(s) for s in (0, 10, 11, 20, 21, 1000)] == [1.0, 1.0, 0.5, 0.5, 0.1, 0.1]


def test_cosine_warmup_then_decay_by_hand():
    schedule = schedules.CosineDecay(0.0, decay_steps=100, alpha=0.1, warmup_target=1.0, warmup_steps=10)
    assert schedule(0) == 0.0
    assert schedule(5) == pytest.approx(0.5)
    assert schedule(10) == pytest.approx(1.0)  # the peak, where the cosine starts
    assert schedule(60) == pytest.approx(0.1 + 0.9 * 0.5)  # half-way down the cosine
    assert schedule(110) == pytest.approx(0.1)
    assert schedule(10_000) == pytest.approx(0.1)  # stays at alpha * peak


def keras_schedules(keras):
    s = keras.optimizers.schedules
    return {
        "exponential": (schedules.ExponentialDecay(0.1, 1000, 0.96), s.ExponentialDecay(0.1, 1000, 0.96)),
        "exponential-staircase": (schedules.ExponentialDecay(0.1, 1000, 0.5, staircase=True),
                                  s.ExponentialDecay(0.1, 1000, 0.5, staircase=True)),
        "inverse-time": (schedules.InverseTimeDecay(0.1, 1000, 1.0), s.InverseTimeDecay(0.1, 1000, 1.0)),
        "inverse-time-staircase": (schedules.InverseTimeDecay(0.1, 1000, 1.0, staircase=True),
                                   s.InverseTimeDecay(0.1, 1000, 1.0, staircase=True)),
        "inverse-time-every-step": (schedules.InverseTimeDecay(0.1, 1, 0.3, staircase=True),
                                    s.InverseTimeDecay(0.1, 1, 0.3, staircase=True)),
        "piecewise": (schedules.PiecewiseConstantDecay([1000, 1500], [0.1, 0.05, 0.01]),
                      s.PiecewiseConstantDecay([1000, 1500], [0.1, 0.05, 0.01])),
        "cosine": (schedules.CosineDecay(0.1, 5000, alpha=0.05), s.CosineDecay(0.1, 5000, alpha=0.05)),
        "cosine-warmup": (schedules.CosineDecay(0.0, 10000, warmup_target=0.1, warmup_steps=1000),
                          s.CosineDecay(0.0, 10000, warmup_target=0.1, warmup_steps=1000)),
        "cosine-warmup-from-nonzero": (schedules.CosineDecay(0.01, 1000, alpha=0.1, warmup_target=0.1,
                                                             warmup_steps=1001),
                                       s.CosineDecay(0.01, 1000, alpha=0.1, warmup_target=0.1, warmup_steps=1001)),
    }


@pytest.mark.parametrize("name", [
    "exponential", "exponential-staircase", "inverse-time", "inverse-time-staircase", "inverse-time-every-step",
    "piecewise", "cosine", "cosine-warmup", "cosine-warmup-from-nonzero"])
def test_matches_keras_schedule(keras, name):
    ours, theirs = keras_schedules(keras)[name]
    for step in STEPS:
        expected = float(theirs(step))
        assert ours(step) == pytest.approx(expected, rel=1e-6, abs=1e-9), f"{name} at step {step}"  # Keras: float32


def test_schedule_returns_python_float():
    assert type(schedules.CosineDecay(0.1, 10)(3)) is float


@pytest.mark.parametrize("make, error, argument", [
    (lambda: schedules.ExponentialDecay(-0.1, 10, 0.5), ValueError, "initial_learning_rate"),
    (lambda: schedules.ExponentialDecay(0.1, 0, 0.5), ValueError, "decay_steps"),
    (lambda: schedules.InverseTimeDecay(0.1, 10, -1.0), ValueError, "decay_rate"),
    (lambda: schedules.InverseTimeDecay(0.1, 10, 1.0, staircase=1), TypeError, "staircase"),
    (lambda: schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5]), ValueError, "values"),
    (lambda: schedules.PiecewiseConstantDecay([20, 10], [1.0, 0.5, 0.1]), ValueError, "boundaries"),
    (lambda: schedules.CosineDecay(0.1, 100, alpha=1.5), ValueError, "alpha"),
    (lambda: schedules.CosineDecay(0.1, 100, warmup_target=1.0), ValueError, "warmup_steps"),
    (lambda: schedules.CosineDecay(0.1, math.nan), ValueError, "decay_steps"),
    (lambda: schedules.CosineDecay(0.1, 100)(-1), ValueError, "step"),
    (lambda: schedules.CosineDecay(0.1, 100)(np.inf), ValueError, "step"),
])
def test_bad_arguments_raise_naming_the_argument(make, error, argument):
    with pytest.raises(error, match=f"`{argument}`"):
        make()
