"""The exercise checks accept a correct answer and reject each common wrong one, saying why."""

import numpy as np
import pytest

from course_utils import checks, initializers
from check_helpers import passes


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
    assert passes(checks.check_he_initialization, he_correct)


def test_accepts_hand_written_he():
    assert passes(checks.check_he_initialization, he_scaled(lambda n_in, n_out: 2.0 / n_in))


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


# ---------------------------------------------------------------- zeros, random x scale, Xavier


def zeros_correct(layer_dims, rng):
    return initializers.initialize(layer_dims, method="zeros", rng=rng)


def random_correct(layer_dims, rng, scale):
    return initializers.initialize(layer_dims, method="random", rng=rng, scale=scale)


def xavier_correct(layer_dims, rng):
    return initializers.initialize(layer_dims, method="xavier", rng=rng)


def scaled(std_fn):
    """Weights of shape (n_in, n_out) with std std_fn(n_in, n_out, *extra), zero biases."""
    def init(layer_dims, rng, *extra):
        params = {}
        for l in range(1, len(layer_dims)):
            n_in, n_out = layer_dims[l - 1], layer_dims[l]
            params[f"W{l}"] = rng.standard_normal((n_in, n_out)) * std_fn(n_in, n_out, *extra)
            params[f"b{l}"] = np.zeros(n_out)
        return params
    return init


def test_accepts_correct_initializers():
    assert passes(checks.check_zeros_initialization, zeros_correct)
    assert passes(checks.check_random_initialization, random_correct)
    assert passes(checks.check_xavier_initialization, xavier_correct)
    # hand-written with rng.normal instead of rng.standard_normal: a different but correct draw
    assert passes(checks.check_xavier_initialization, 
        lambda dims, rng: {k: (rng.normal(0, np.sqrt(2 / (v.shape[0] + v.shape[1])), v.shape) if k[0] == "W" else v)
                           for k, v in zeros_correct(dims, rng).items()})


@pytest.mark.parametrize("wrong, message", [
    (lambda dims, rng: {k: v + 0.01 for k, v in zeros_correct(dims, rng).items()}, "start at zero"),
    (lambda dims, rng: {k: (v + 0.01 if k[0] == "W" else v) for k, v in zeros_correct(dims, rng).items()},
     "should be all zeros"),
    (lambda dims, rng: {k: (v.T if k[0] == "W" else v) for k, v in zeros_correct(dims, rng).items()},
     "column convention"),
    (lambda dims, rng: {k: (v[:, None] if k[0] == "b" else v) for k, v in zeros_correct(dims, rng).items()},
     r"b1 should have shape \(10,\)"),
    (lambda dims, rng: zeros_correct(dims[:-1], rng), "keys should be"),
    (lambda dims, rng: list(zeros_correct(dims, rng).values()), "Return a dict"),
], ids=["bias-nonzero", "weights-nonzero", "transposed", "bias-column", "missing-layer", "list"])
def test_zeros_rejects(wrong, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_zeros_initialization(wrong)


@pytest.mark.parametrize("wrong, message", [
    (scaled(lambda n_in, n_out, scale: 1.0), "That is N\\(0, 1\\)"),
    (scaled(lambda n_in, n_out, scale: scale ** 2), "not by scale\\*\\*2"),
    (scaled(lambda n_in, n_out, scale: np.sqrt(scale)), "not by sqrt\\(scale\\)"),
    (lambda dims, rng, scale: initializers.initialize(dims, "random", seed=np.random.randint(1 << 30), scale=scale),
     "not from np.random"),
    (lambda dims, rng, scale: {k: (np.abs(v) if k[0] == "W" else v) for k, v in random_correct(dims, rng, scale).items()},
     "mean 0"),
    (lambda dims, rng, scale: {k: (v.T if k[0] == "W" else v) for k, v in random_correct(dims, rng, scale).items()},
     "column convention"),
], ids=["unit", "variance-not-std", "sqrt-scale", "global-rng", "uniform-positive", "transposed"])
def test_random_rejects(wrong, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_random_initialization(wrong)


@pytest.mark.parametrize("wrong, message", [
    (scaled(lambda n_in, n_out: np.sqrt(2.0 / n_in)), r"That is 2/fan_in \(He\)"),
    (scaled(lambda n_in, n_out: np.sqrt(1.0 / (n_in + n_out))), "has a 2 on top"),
    (scaled(lambda n_in, n_out: np.sqrt(1.0 / n_in)), "LeCun"),
    (scaled(lambda n_in, n_out: 2.0 / (n_in + n_out)), "the variance squared"),
    (scaled(lambda n_in, n_out: 1.0), "N\\(0, 1\\)"),
    (lambda dims, rng: xavier_correct(dims, np.random.default_rng(0)), "random draws from `rng`"),
], ids=["he", "no-2", "lecun", "variance-not-std", "unit", "ignores-rng"])
def test_xavier_rejects(wrong, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_xavier_initialization(wrong)


def test_learner_exception_is_reported_and_an_open_exercise_hands_on_the_course_version(capsys):
    with pytest.raises(checks.ExerciseError, match="raised ZeroDivisionError") as info:
        checks.check_he_initialization(lambda dims, rng: 1 / 0)
    assert info.value.exercise == "initialize_he"
    assert info.value._render_traceback_()[0].startswith("✗ initialize_he is not right yet: `initialize_he` raised")

    def stub(layer_dims, rng):
        raise NotImplementedError("Exercise initialize_he")
    assert checks.check_he_initialization(stub) is checks.check_he_initialization.reference
    assert capsys.readouterr().out.startswith("○ initialize_he: not written yet.")
    with pytest.raises(checks.ExerciseError, match="not written yet"):
        checks.check_he_initialization(stub, strict=True)


def test_checks_do_not_import_tensorflow():
    import subprocess
    import sys
    code = "import sys, course_utils.checks; print('tensorflow' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
