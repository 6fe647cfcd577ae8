"""Tests for course_utils.initializers: variances, bounds, Keras, shapes, seeding, bad input."""

import re

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from course_utils import initializers

NONZERO = [m for m in initializers.METHODS if m != "zeros"]
TRUNCATED_STD = 0.87962566103423978  # std of N(0, 1) cut to [-2, 2]


def _weights(method, shape, seed=0):
    return initializers.initialize(list(shape), method=method, seed=seed)["W1"]


@pytest.mark.parametrize("method", NONZERO)
@pytest.mark.parametrize("shape", [(1000, 1000), (1000, 500)], ids=["square", "1000x500"])
def test_sample_variance_matches_theory(method, shape):
    W = _weights(method, shape)
    expected = initializers.weight_variance(method, *shape)
    assert W.var() == pytest.approx(expected, rel=0.05)
    assert abs(W.mean()) < 0.01 * np.sqrt(expected)  # 10 standard errors of the mean


@pytest.mark.parametrize(
    "method, expected",
    [("lecun", 1 / 1000), ("xavier", 2 / 1500), ("he", 2 / 1000), ("random", 100.0)],
)
def test_weight_variance_by_hand_for_1000x500(method, expected):
    """fan_in = 1000 and fan_out = 500, so fan_in and fan_avg methods give different variances."""
    assert initializers.weight_variance(method, 1000, 500) == pytest.approx(expected, rel=1e-15)
    assert initializers.weight_variance(f"{method}_uniform", 1000, 500) == pytest.approx(expected, rel=1e-15)
    assert initializers.weight_variance("zeros", 1000, 500) == 0.0


def test_fan_in_and_fan_avg_are_distinguished_on_non_square():
    """Xavier's sample variance sits at 2/(fan_in + fan_out), 33% below He's 2/fan_in and above LeCun's."""
    he, xavier, lecun = (_weights(m, (1000, 500)).var() for m in ("he", "xavier", "lecun"))
    assert xavier == pytest.approx(2 / 1500, rel=0.05)
    assert xavier / he == pytest.approx(2 / 3, rel=0.05)
    assert xavier / lecun == pytest.approx(4 / 3, rel=0.05)


@pytest.mark.parametrize(
    "mode, n", [("fan_in", 1000), ("fan_out", 500), ("fan_avg", 750), ("none", 1)]
)
@pytest.mark.parametrize("distribution", initializers.DISTRIBUTIONS)
def test_variance_scaling_modes_and_distributions(mode, n, distribution):
    W = initializers.variance_scaling((1000, 500), scale=2.0, mode=mode, distribution=distribution, seed=0)
    assert W.shape == (1000, 500)
    assert W.var() == pytest.approx(2.0 / n, rel=0.05)


@pytest.mark.parametrize("method", [m for m in NONZERO if m.endswith("_uniform")])
def test_uniform_variants_lie_within_limit(method):
    W = _weights(method, (1000, 500))
    limit = np.sqrt(3 * initializers.weight_variance(method, 1000, 500))
    assert np.abs(W).max() <= limit
    assert np.abs(W).max() > 0.99 * limit  # fills the interval, not a narrower one


def test_truncated_normal_keeps_variance_and_cuts_at_two_raw_std():
    std = np.sqrt(2 / 1000)
    W = initializers.variance_scaling((1000, 500), scale=2.0, distribution="truncated_normal", seed=0)
    assert W.var() == pytest.approx(std**2, rel=0.05)
    assert np.abs(W).max() <= 2 * std / TRUNCATED_STD + 1e-12
    assert np.abs(W).max() > 0.99 * 2 * std / TRUNCATED_STD


def test_zeros_gives_all_zero_weights_and_biases():
    params = initializers.initialize([3, 4, 2], method="zeros")
    for value in params.values():
        assert_array_equal(value, 0.0)


@pytest.mark.parametrize("method", initializers.METHODS)
def test_biases_are_zero(method):
    params = initializers.initialize([3, 4, 2], method=method)
    assert_array_equal(params["b1"], np.zeros(4))
    assert_array_equal(params["b2"], np.zeros(2))


@pytest.mark.parametrize("scale, expected_std", [(None, 10.0), (0.01, 0.01), (1.0, 1.0)])
def test_random_has_std_equal_to_scale(scale, expected_std):
    kwargs = {} if scale is None else {"scale": scale}
    W = initializers.initialize([1000, 1000], method="random", seed=0, **kwargs)["W1"]
    assert W.std() == pytest.approx(expected_std, rel=0.025)  # 2.5% on std is 5% on variance


@pytest.mark.parametrize(
    "method, keras_name",
    [
        ("xavier", "GlorotNormal"),
        ("he", "HeNormal"),
        ("lecun", "LecunNormal"),
        ("xavier_uniform", "GlorotUniform"),
        ("he_uniform", "HeUniform"),
        ("lecun_uniform", "LecunUniform"),
    ],
)
def test_variance_matches_keras(method, keras_name, keras):
    shape = (1000, 500)
    theirs = np.asarray(getattr(keras.initializers, keras_name)(seed=0)(shape=shape, dtype="float64"))
    ours = _weights(method, shape)
    assert ours.var() == pytest.approx(theirs.var(), rel=0.05)
    assert theirs.var() == pytest.approx(initializers.weight_variance(method, *shape), rel=0.05)


def test_initialize_shapes_and_key_order():
    params = initializers.initialize([2, 10, 5, 1], method="he", seed=0)
    assert list(params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    shapes = {name: value.shape for name, value in params.items()}
    assert shapes == {"W1": (2, 10), "b1": (10,), "W2": (10, 5), "b2": (5,), "W3": (5, 1), "b3": (1,)}
    assert all(value.dtype == np.float64 for value in params.values())


def test_same_seed_is_bit_identical_and_different_seed_differs():
    a = initializers.initialize([4, 6, 3], method="he", seed=7)
    b = initializers.initialize([4, 6, 3], method="he", seed=7)
    c = initializers.initialize([4, 6, 3], method="he", seed=8)
    for name in a:
        assert_array_equal(a[name], b[name])
    assert not np.array_equal(a["W1"], c["W1"])


def test_rng_and_seed_are_equivalent():
    from_seed = initializers.initialize([4, 6, 3], method="xavier", seed=3)
    from_rng = initializers.initialize([4, 6, 3], method="xavier", rng=np.random.default_rng(3))
    for name in from_seed:
        assert_array_equal(from_seed[name], from_rng[name])


def test_rng_is_advanced_so_successive_calls_differ(rng):
    first = initializers.initialize([4, 6], rng=rng)["W1"]
    second = initializers.initialize([4, 6], rng=rng)["W1"]
    assert not np.array_equal(first, second)


def test_default_is_seeded_and_never_touches_global_rng():
    state = np.random.get_state()[1].copy()
    assert_array_equal(initializers.initialize([3, 2])["W1"], initializers.initialize([3, 2], seed=0)["W1"])
    assert_array_equal(np.random.get_state()[1], state)


def test_rng_and_seed_together_raise(rng):
    with pytest.raises(TypeError, match="either `rng` or `seed`"):
        initializers.initialize([2, 3], rng=rng, seed=0)
    with pytest.raises(TypeError, match="either `rng` or `seed`"):
        initializers.variance_scaling((2, 3), rng=rng, seed=0)


def test_unknown_method_is_named_and_options_listed():
    with pytest.raises(ValueError, match=re.escape("Unknown initializer method 'kaiming'")) as info:
        initializers.initialize([2, 3], method="kaiming")
    for method in initializers.METHODS:
        assert repr(method) in str(info.value)


@pytest.mark.parametrize("layer_dims", [[5], [], 5, "25"])
def test_fewer_than_two_layer_sizes_raise(layer_dims):
    with pytest.raises(ValueError, match="`layer_dims` must list at least 2 sizes"):
        initializers.initialize(layer_dims)


@pytest.mark.parametrize("bad", [0, -3])
def test_non_positive_layer_size_raises(bad):
    with pytest.raises(ValueError, match=f"`layer_dims` must be >= 1; received layer_dims={bad}"):
        initializers.initialize([2, bad, 1])


@pytest.mark.parametrize("bad", [2.5, 3.0, "3", True])
def test_non_integer_layer_size_raises(bad):
    with pytest.raises(TypeError, match="`layer_dims` must be an integer"):
        initializers.initialize([2, bad, 1])


def test_numpy_integer_layer_sizes_are_accepted():
    assert initializers.initialize(np.array([3, 4]))["W1"].shape == (3, 4)


def test_negative_scale_raises():
    with pytest.raises(ValueError, match=re.escape("`scale` must be a finite number >= 0; received scale=-1")):
        initializers.initialize([2, 3], method="random", scale=-1)
    with pytest.raises(ValueError, match=re.escape("received scale=-2.0")):
        initializers.variance_scaling((2, 3), scale=-2.0)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"mode": "fan_sum"}, "Unknown mode 'fan_sum'; expected one of"),
        ({"distribution": "gaussian"}, "Unknown distribution 'gaussian'; expected one of"),
        ({"shape": (2, 3, 4)}, "`shape` must be (fan_in, fan_out)"),
        ({"shape": (2, 0)}, "`shape` must be >= 1"),
    ],
)
def test_variance_scaling_bad_arguments(kwargs, message):
    kwargs = {"shape": (2, 3), **kwargs}
    with pytest.raises(ValueError, match=re.escape(message)):
        initializers.variance_scaling(**kwargs)
