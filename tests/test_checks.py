"""The exercise checks accept a correct answer and reject each common wrong one, saying why."""

import numpy as np
import pytest

from course_utils import checks, initializers


def he_correct(layer_dims, rng):
    return initializers.initialize(layer_dims, method="he", rng=rng)


def he_scaled(factor_fn):
    """He-shaped weights whose std is sqrt(factor_fn(fan_in, fan_out))."""
    def init(layer_dims, rng):
        params = {}
        for l in range(1, len(layer_dims)):
            n_in, n_out = layer_dims[l - 1], layer_dims[l]
            params[f"W{l}"] = rng.standard_normal((n_in, n_out)) * np.sqrt(factor_fn(n_in, n_out))
            params[f"b{l}"] = np.zeros(n_out)
        return params
    return init


def he_transposed(layer_dims, rng):
    params = he_correct(layer_dims, rng)
    return {k: (v.T if k.startswith("W") else v) for k, v in params.items()}


def he_global_rng(layer_dims, rng):
    return initializers.initialize(layer_dims, method="he", seed=np.random.randint(1 << 30))


def he_ones_bias(layer_dims, rng):
    params = he_correct(layer_dims, rng)
    return {k: (v + 1 if k.startswith("b") else v) for k, v in params.items()}


def he_bias_2d(layer_dims, rng):
    params = he_correct(layer_dims, rng)
    return {k: (v[None, :] if k.startswith("b") else v) for k, v in params.items()}


def he_missing_last_layer(layer_dims, rng):
    return he_correct(layer_dims[:-1], rng)


def he_fixed_seed(layer_dims, rng):
    return he_correct(layer_dims, np.random.default_rng(3))


def he_shifted_mean(layer_dims, rng):
    params = he_correct(layer_dims, rng)
    return {k: (v + 0.5 * np.sqrt(2.0 / v.shape[0]) if k.startswith("W") else v) for k, v in params.items()}


def test_accepts_correct_he():
    assert "all correct" in checks.check_he_initialization(he_correct)


def test_accepts_hand_written_he():
    assert "all correct" in checks.check_he_initialization(he_scaled(lambda n_in, n_out: 2.0 / n_in))


@pytest.mark.parametrize("wrong, message", [
    (he_scaled(lambda n_in, n_out: 1.0 / n_in), "LeCun"),
    (he_scaled(lambda n_in, n_out: 2.0 / n_out), "fan_out"),
    (he_scaled(lambda n_in, n_out: 1.0), r"N\(0, 1\)"),
    (he_scaled(lambda n_in, n_out: (2.0 / n_in) ** 2), "not by the variance"),
    (he_scaled(lambda n_in, n_out: 2.0 / (n_in + n_out)), "Xavier"),
    (he_scaled(lambda n_in, n_out: 3.0 / n_in), r"2/fan_in = 0\.0025"),
    (he_transposed, "column convention"),
    (he_global_rng, "not from np.random"),
    (he_fixed_seed, "random draws from `rng`"),
    (he_ones_bias, "start at zero"),
    (he_bias_2d, "b1 should have shape"),
    (he_missing_last_layer, "keys should be"),
    (he_shifted_mean, "mean 0"),
    (lambda layer_dims, rng: [0.0], "Return a dict"),
], ids=["lecun", "fan_out", "unit", "variance-not-std", "xavier", "3/n", "transposed", "global-rng",
        "ignores-rng", "bias-ones", "bias-2d", "missing-layer", "mean", "not-dict"])
def test_rejects_common_mistakes(wrong, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_he_initialization(wrong)
