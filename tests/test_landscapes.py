"""Tests for course_utils.landscapes: gradients against numerical ones, minima, and optimizer paths."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from course_utils import gradcheck, landscapes, optimizers


@pytest.mark.parametrize("name", list(landscapes.LANDSCAPES))
@pytest.mark.parametrize("point", [(0.7, 0.3), (-1.2, 1.9), (2.5, -0.4)])
def test_gradient_matches_numerical(name, point):
    land = landscapes.get(name)
    x = np.array(point)
    numerical = gradcheck.numerical_gradient(lambda p: float(land.f(p)), x.copy(), epsilon=1e-6)
    assert gradcheck.relative_error(land.grad(x), numerical) < 1e-8


@pytest.mark.parametrize("name", [n for n, land in landscapes.LANDSCAPES.items() if land.minimum is not None])
def test_minimum_has_zero_gradient_and_lowest_value(name):
    land = landscapes.get(name)
    assert_allclose(land.grad(np.array(land.minimum)), 0.0, atol=1e-12)
    grid = np.stack(np.meshgrid(np.linspace(*land.xlim, 101), np.linspace(*land.ylim, 101)), axis=-1)
    assert land.f(np.array(land.minimum)) <= land.f(grid).min() + 1e-12


def test_saddle_has_no_minimum_and_is_flat_at_the_origin():
    land = landscapes.get("saddle")
    assert land.minimum is None
    assert_array_equal(land.grad(np.zeros(2)), [0.0, 0.0])
    assert land.f(np.array([0.0, 1.0])) < 0 < land.f(np.array([1.0, 0.0]))


def test_f_works_on_a_grid():
    grid = np.zeros((4, 5, 2))
    assert landscapes.get("beale").f(grid).shape == (4, 5)


def test_path_is_the_optimizers_own_trajectory():
    points = landscapes.path("bowl", optimizers.GD(0.01), start=(1.0, 1.0), steps=3)
    expected = [np.array([1.0, 1.0])]
    for _ in range(3):  # GD on (x^2 + c y^2) / 2: x <- (1 - lr) x, y <- (1 - lr c) y
        expected.append(expected[-1] * [1 - 0.01, 1 - 0.01 * landscapes.BOWL_CONDITION])
    assert points.shape == (4, 2)
    assert_allclose(points, expected, rtol=1e-14)


def test_path_starts_at_the_landscapes_start_by_default():
    points = landscapes.path(landscapes.get("rosenbrock"), optimizers.Adam(0.01), steps=5)
    assert_array_equal(points[0], landscapes.get("rosenbrock").start)
    assert points.shape == (6, 2)


def test_path_stops_when_the_optimizer_diverges():
    points = landscapes.path("rosenbrock", optimizers.GD(0.05), steps=1000)
    assert len(points) < 20
    assert np.all(np.isfinite(points))


def test_path_until_stops_at_the_first_point_that_passes_and_is_a_prefix_of_the_full_run():
    full = landscapes.path("steep_saddle", optimizers.Adam(0.1), steps=2000)
    first = int(np.flatnonzero(np.abs(full[:, 1]) > 1)[0])  # the first point past |y| = 1 (the start is at 1e-3)
    stopped = landscapes.path("steep_saddle", optimizers.Adam(0.1), steps=2000, until=lambda p: abs(p[1]) > 1)
    assert 0 < first < 2000
    assert_array_equal(stopped, full[:first + 1])  # the same points, bit for bit, up to and including that one
    never = landscapes.path("bowl", optimizers.GD(0.01), steps=5, until=lambda p: False)
    assert never.shape == (6, 2)


@pytest.mark.parametrize("call, error, argument", [
    (lambda: landscapes.get("himmelblau"), ValueError, "landscape"),
    (lambda: landscapes.path("bowl", optimizers.GD(0.1), start=(1.0, 2.0, 3.0)), ValueError, "start"),
    (lambda: landscapes.path("bowl", optimizers.GD(0.1), start=(np.nan, 0.0)), ValueError, "start"),
    (lambda: landscapes.path("bowl", optimizers.GD(0.1), steps=-1), ValueError, "steps"),
    (lambda: landscapes.path("bowl", optimizers.GD(0.1), noise=-1e-12), ValueError, "noise"),
    (lambda: landscapes.path("bowl", optimizers.GD(0.1), noise=np.nan), ValueError, "noise"),
    (lambda: landscapes.path("bowl", optimizers.GD(0.1), until=1.0), TypeError, "until"),
])
def test_bad_input(call, error, argument):
    with pytest.raises(error, match=argument):
        call()


def test_bowl_condition_is_the_ratio_of_the_curvatures():
    bowl = landscapes.get("bowl")
    ratio = bowl.grad(np.array([0.0, 1.0]))[1] / bowl.grad(np.array([1.0, 0.0]))[0]
    assert ratio == landscapes.BOWL_CONDITION == 100.0


def test_steep_saddle_is_the_saddle_with_a_steep_x():
    flat, steep = landscapes.get("saddle"), landscapes.get("steep_saddle")
    assert steep.minimum is None and steep.start == flat.start
    point = np.array([0.3, -0.7])
    assert_allclose(steep.grad(point), flat.grad(point) * [landscapes.BOWL_CONDITION, 1.0])
    assert steep.f(point) == pytest.approx(0.5 * (landscapes.BOWL_CONDITION * 0.3**2 - 0.7**2))



def test_path_with_noise_adds_seeded_gaussian_noise_to_every_gradient():
    """GD's step is lr * (gradient + noise * z), z from default_rng(seed); noise 0 is the exact path."""
    lr, noise, seed = 0.01, 0.5, 3
    points = landscapes.path("bowl", optimizers.GD(lr), start=(1.0, 1.0), steps=4, noise=noise, seed=seed)
    rng, expected = np.random.default_rng(seed), [np.array([1.0, 1.0])]
    for _ in range(4):
        point = expected[-1]
        gradient = point * [1.0, landscapes.BOWL_CONDITION] + noise * rng.standard_normal(2)
        expected.append(point - lr * gradient)
    assert_allclose(points, expected, rtol=1e-14)
    again = landscapes.path("bowl", optimizers.GD(lr), start=(1.0, 1.0), steps=4, noise=noise, seed=seed)
    other = landscapes.path("bowl", optimizers.GD(lr), start=(1.0, 1.0), steps=4, noise=noise, seed=seed + 1)
    assert_array_equal(points, again)
    assert not np.allclose(points, other)
    exact = landscapes.path("bowl", optimizers.GD(lr), start=(1.0, 1.0), steps=4)
    assert_array_equal(landscapes.path("bowl", optimizers.GD(lr), start=(1.0, 1.0), steps=4, noise=0.0, seed=9), exact)


def test_path_draws_the_noise_of_every_step_in_order_over_thousands_of_steps():
    """Over 2,503 noisy steps (the draws are made a block at a time) each step's noise is the next standard_normal(2)
    of default_rng(seed), bit for bit; a run that diverges partway through a block stops at that step."""
    lr, noise, seed, steps = 0.005, 1e-3, 7, 2503
    points = landscapes.path("bowl", optimizers.GD(lr), steps=steps, noise=noise, seed=seed)
    rng, point, expected = np.random.default_rng(seed), np.array(landscapes.get("bowl").start, float), []
    expected.append(point)
    for _ in range(steps):
        gradient = np.array([point[0], landscapes.BOWL_CONDITION * point[1]]) + noise * rng.standard_normal(2)
        point = point - lr * gradient
        expected.append(point)
    assert points.shape == (steps + 1, 2)
    assert_array_equal(points, expected)
    # Rate 0.0201 > 2 / 100: |y| grows by 1.01 a step, and leaves the 1e6-box (2.2e6) near step ln(2.2e6) / ln(1.01).
    diverged = landscapes.path("bowl", optimizers.GD(0.0201), steps=5000, noise=noise, seed=seed)
    assert 1000 < len(diverged) - 1 < 2000 and np.abs(diverged[-1]).max() >= 1e6 * 2.2
    assert np.abs(diverged[-2]).max() < 1e6 * 2.2


def test_a_noise_floor_keeps_a_coordinate_from_underflowing_to_zero():
    """Adam without momentum on the bowl: exact gradients drive y to exactly 0.0; a 1e-12 floor does not."""
    exact = landscapes.path("bowl", optimizers.Adam(0.1, beta_1=0.0), steps=1000)
    noisy = landscapes.path("bowl", optimizers.Adam(0.1, beta_1=0.0), steps=1000, noise=1e-12)
    assert exact[-1, 1] == 0.0 and noisy[-1, 1] != 0.0
