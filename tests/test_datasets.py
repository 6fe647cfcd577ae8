"""Tests for course_utils.datasets: shapes, dtypes, balance, seeding, geometry, bad input."""

import re

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from course_utils import datasets


def _assert_split(split, n_train, n_test, n_features):
    X_train, y_train, X_test, y_test = split
    assert X_train.shape == (n_train, n_features) and X_test.shape == (n_test, n_features)
    assert y_train.shape == (n_train,) and y_test.shape == (n_test,)
    assert X_train.dtype == X_test.dtype == np.float64
    assert y_train.dtype == y_test.dtype == np.int64


@pytest.mark.parametrize("make", [datasets.circles, datasets.moons])
def test_default_shapes_and_dtypes(make):
    _assert_split(make(), 300, 100, 2)


@pytest.mark.parametrize("make", [datasets.circles, datasets.moons])
def test_split_is_stratified_exactly_50_50(make):
    _, y_train, _, y_test = make()
    assert_array_equal(np.bincount(y_train), [150, 150])
    assert_array_equal(np.bincount(y_test), [50, 50])


@pytest.mark.parametrize(
    "make", [datasets.circles, datasets.moons, datasets.noisy_boundary, datasets.spirals, datasets.digits]
)
def test_same_seed_identical_and_different_seed_differs(make):
    a, b, c = make(seed=3), make(seed=3), make(seed=4)
    for x, y in zip(a, b):
        assert_array_equal(x, y)
    assert not np.array_equal(a[0], c[0])


def test_circles_radii_without_noise():
    """sklearn's convention: label 0 is the outer circle (radius 1), label 1 the inner (radius factor)."""
    X_train, y_train, X_test, y_test = datasets.circles(noise=0.0, factor=0.8)
    X, y = np.vstack([X_train, X_test]), np.concatenate([y_train, y_test])
    radius = np.linalg.norm(X, axis=1)
    assert_allclose(radius[y == 0], 1.0, rtol=1e-12)
    assert_allclose(radius[y == 1], 0.8, rtol=1e-12)


def test_noisy_boundary_shapes_and_flip_fraction():
    """About `flip` of the labels disagree with the noiseless rule x2 > 0.5 sin(pi x1) - 0.1."""
    X_train, y_train, X_test, y_test = datasets.noisy_boundary(n_train=2000, n_test=2000, flip=0.2)
    _assert_split((X_train, y_train, X_test, y_test), 2000, 2000, 2)
    X, y = np.vstack([X_train, X_test]), np.concatenate([y_train, y_test])
    assert np.all(np.abs(X) <= 1.0)
    clean = (X[:, 1] > 0.5 * np.sin(np.pi * X[:, 0]) - 0.1).astype(np.int64)
    assert np.mean(y != clean) == pytest.approx(0.2, abs=0.02)  # 3 standard errors at m = 4000


def test_noisy_boundary_defaults_and_no_flip():
    _assert_split(datasets.noisy_boundary(), 200, 1000, 2)
    X_train, y_train, _, _ = datasets.noisy_boundary(flip=0.0)
    assert_array_equal(y_train, X_train[:, 1] > 0.5 * np.sin(np.pi * X_train[:, 0]) - 0.1)


@pytest.mark.parametrize("flip", [0.5, 0.9])
def test_noisy_boundary_flip_of_half_or_more_raises(flip):
    with pytest.raises(ValueError, match=re.escape("`flip` must be in [0, 0.5)")):
        datasets.noisy_boundary(flip=flip)


def test_noisy_boundary_negative_flip_raises():
    with pytest.raises(ValueError, match="`flip`"):
        datasets.noisy_boundary(flip=-0.1)


@pytest.mark.parametrize("n_classes", [2, 3, 5])
def test_spirals_labels_and_balance(n_classes):
    n_test = 10 * n_classes
    X_train, y_train, X_test, y_test = datasets.spirals(n_per_class=40, n_classes=n_classes, n_test=n_test)
    _assert_split((X_train, y_train, X_test, y_test), 40 * n_classes - n_test, n_test, 2)
    assert_array_equal(np.bincount(y_train), [30] * n_classes)
    assert_array_equal(np.bincount(y_test), [10] * n_classes)


def test_digits_defaults():
    X_train, y_train, X_test, y_test = datasets.digits()
    _assert_split((X_train, y_train, X_test, y_test), 1437, 360, 64)
    assert X_train.min() == 0.0 and X_train.max() == 1.0
    assert 0.0 <= X_test.min() and X_test.max() <= 1.0
    assert_array_equal(np.unique(y_test), np.arange(10))


def test_digits_images():
    X_train, _, X_test, _ = datasets.digits(images=True)
    assert X_train.shape == (1437, 8, 8) and X_test.shape == (360, 8, 8)
    assert_array_equal(X_train.reshape(-1, 64), datasets.digits()[0])


def test_one_hot_hand_example():
    expected = [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
    out = datasets.one_hot(np.array([2, 0, 1, 2]), 3)
    assert out.dtype == np.float64
    assert_array_equal(out, expected)


def test_one_hot_extra_columns_stay_zero():
    assert_array_equal(datasets.one_hot([1, 0], 4), [[0, 1, 0, 0], [1, 0, 0, 0]])


@pytest.mark.parametrize("y", [[0, 3], [-1, 0]])
def test_one_hot_out_of_range_labels_raise(y):
    with pytest.raises(ValueError, match=re.escape("`y` must hold labels in [0, 2]")):
        datasets.one_hot(y, 3)


@pytest.mark.parametrize("y", [[0.0, 1.0], [[0, 1]]])
def test_one_hot_non_integer_or_2d_labels_raise(y):
    with pytest.raises(ValueError, match="`y` must be a 1-D array of integer labels"):
        datasets.one_hot(y, 3)


def test_train_test_split_sizes_and_stratification(rng):
    X, y = rng.normal(size=(40, 3)), np.repeat([0, 1, 2, 3], 10)
    X_train, y_train, X_test, y_test = datasets.train_test_split(X, y, n_test=8)
    _assert_split((X_train, y_train, X_test, y_test), 32, 8, 3)
    assert_array_equal(np.bincount(y_test), [2, 2, 2, 2])
    rows = {tuple(row) for row in np.vstack([X_train, X_test])}
    assert rows == {tuple(row) for row in X}  # a partition: nothing lost or repeated


@pytest.mark.parametrize("n_test", [10, 11])
def test_train_test_split_n_test_too_large_raises(n_test):
    with pytest.raises(ValueError, match=f"`n_test` must be smaller than the 10 examples; received n_test={n_test}"):
        datasets.train_test_split(np.zeros((10, 2)), np.arange(10) % 2, n_test=n_test)


def test_train_test_split_mismatched_y_raises():
    with pytest.raises(ValueError, match=re.escape("`y` must have shape (10,)")):
        datasets.train_test_split(np.zeros((10, 2)), np.zeros(9, int), n_test=2)


def test_train_test_split_nan_in_X_raises():
    X = np.zeros((10, 2))
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match="`X` must be finite"):
        datasets.train_test_split(X, np.arange(10) % 2, n_test=2)


def test_train_test_split_non_integer_labels_raise():
    with pytest.raises(ValueError, match="`y`"):
        datasets.train_test_split(np.zeros((6, 1)), [0.5, 0.5, 0.5, 1.5, 1.5, 1.5], n_test=2)


@pytest.mark.parametrize("make", [datasets.circles, datasets.moons, datasets.noisy_boundary, datasets.spirals,
                                  datasets.digits])
@pytest.mark.parametrize("seed, error", [(None, TypeError), (-1, ValueError), (1.5, TypeError)])
def test_seed_must_be_a_non_negative_integer(make, seed, error):
    """seed=None would fall back to the global RNG and break reproducibility."""
    with pytest.raises(error, match="seed"):
        make(seed=seed)


def test_noisy_boundary_makes_an_unregularized_net_overfit():
    """The set's purpose: a wide unregularized net fits its noise, so train accuracy beats test accuracy."""
    from course_utils import model, optimizers, training

    gaps = []
    for seed in range(3):
        X_train, y_train, X_test, y_test = datasets.noisy_boundary(seed=seed)
        net = model.MLP([2, 50, 50, 1], init="he", seed=seed)
        training.train(net, X_train, y_train, optimizers.Adam(0.01), epochs=500)  # GD(0.3) needs 3,000 epochs
        gaps.append(net.accuracy(X_train, y_train) - net.accuracy(X_test, y_test))
    assert np.median(gaps) >= 0.05, gaps


def test_fresh_samples_come_from_the_same_generators():
    X, y = datasets.fresh_sample("circles", 20_000, seed=101)
    assert X.shape == (20_000, 2) and y.dtype == np.int64 and abs(y.mean() - 0.5) < 0.01
    radius = np.hypot(*X.T)
    assert abs(np.median(radius[y == 0]) - 1.0) < 0.01 and abs(np.median(radius[y == 1]) - 0.8) < 0.01
    X2, y2 = datasets.fresh_sample("circles", 20_000, seed=101)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    Xm, ym = datasets.fresh_sample("moons", 1000, seed=5, noise=0.1)
    assert Xm.shape == (1000, 2) and set(np.unique(ym)) == {0, 1}
    Xb, yb = datasets.fresh_sample("noisy_boundary", 20_000, seed=7, flip=0.2)
    flipped = np.mean(yb != datasets.noisy_boundary_truth(Xb))
    assert abs(flipped - 0.2) < 0.01  # the flip rate, measured against the true boundary
    Xt, yt, _, _ = datasets.noisy_boundary(n_train=500, n_test=2, flip=0.0, seed=3)
    assert np.array_equal(yt, datasets.noisy_boundary_truth(Xt))
    with pytest.raises(ValueError, match="Unknown kind 'spirals'"):
        datasets.fresh_sample("spirals", 10, seed=0)
    with pytest.raises(TypeError, match=r"unexpected options \['flip'\]"):
        datasets.fresh_sample("circles", 10, seed=0, flip=0.1)


@pytest.mark.parametrize("flip", [0.0, 0.12, 0.2, 0.3])
def test_the_true_boundary_is_the_best_achievable_and_the_flips_ignore_position(flip):
    """The Regularization lesson's yardstick: on new points the true boundary is right 1 - flip of the time, and
    because a label is flipped independently of where its point lies, any classifier's accuracy on the noisy labels
    is flip + (1 - 2 flip) * its accuracy on the true classes (so the true boundary, at 100% on the true classes,
    is the best achievable)."""
    X, y = datasets.fresh_sample("noisy_boundary", 50_000, seed=11, flip=flip)
    truth = datasets.noisy_boundary_truth(X)
    tolerance = 4 * np.sqrt(0.25 / len(y))  # 4 standard errors of an accuracy, at their largest
    assert abs(np.mean(truth == y) - (1 - flip)) < tolerance
    for guess in (X[:, 1] > 0, X[:, 0] + X[:, 1] > 0.3):  # two classifiers that are not the truth
        clean, noisy = np.mean(guess == truth), np.mean(guess == y)
        assert abs(noisy - (flip + (1 - 2 * flip) * clean)) < tolerance
    for half in (X[:, 0] < 0, X[:, 0] >= 0, X[:, 1] < 0, X[:, 1] >= 0):  # the flip rate is the same everywhere
        assert abs(np.mean(truth[half] != y[half]) - flip) < 2 * tolerance
