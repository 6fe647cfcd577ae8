"""The Initialization checks: shapes, float dtype and zero biases of every layer, draws from rng, and the
variance of every layer, with messages that name what was measured."""

import numpy as np
import pytest

from course_utils import checks, initializers
from check_helpers import cpu_seconds, message, passes


def scaled(std, draw=lambda rng, shape: rng.standard_normal(shape), first_only=False, dtype=None):
    """An initializer drawing ``draw(rng, shape) * std(n_in, n_out)`` (from layer 2 on, ``std`` of layer 1 if
    ``first_only``), stored in ``dtype`` if given."""
    def init(layer_dims, rng, *scale):
        params = {}
        for l in range(1, len(layer_dims)):
            n_in, n_out = layer_dims[l - 1], layer_dims[l]
            fans = (layer_dims[0], layer_dims[1]) if first_only else (n_in, n_out)
            params[f"W{l}"] = draw(rng, (n_in, n_out)) * std(*fans, *scale)
            params[f"b{l}"] = np.zeros(n_out)
            if dtype is not None:
                params[f"W{l}"], params[f"b{l}"] = params[f"W{l}"].astype(dtype), params[f"b{l}"].astype(dtype)
        return params
    return init


HE = scaled(lambda n_in, n_out: np.sqrt(2 / n_in))


@pytest.mark.parametrize("check, method", [(checks.check_zeros_initialization, "zeros"),
                                           (checks.check_he_initialization, "he"),
                                           (checks.check_xavier_initialization, "xavier")])
def test_the_package_and_the_references_pass(check, method):
    assert passes(check, lambda dims, rng: initializers.initialize(dims, method=method, rng=rng))
    assert passes(check, check.reference)
    assert passes(checks.check_random_initialization, checks.check_random_initialization.reference)


def test_the_spec_draws_pass_in_float32_but_other_draws_of_the_right_distribution_fail():
    """The notebook compares initializers given one seed (x10 against He), so the check asks for the spec's draws:
    rng.standard_normal((n_{l-1}, n_l)), layer 1 first; float32 copies of them pass."""
    assert passes(checks.check_he_initialization,
                  scaled(lambda n_in, n_out: np.sqrt(2 / n_in), lambda rng, shape: rng.standard_normal(shape),
                         dtype=np.float32))
    text = message(checks.check_xavier_initialization,
                   scaled(lambda n_in, n_out: np.sqrt(2 / (n_in + n_out)), lambda rng, shape: rng.standard_normal(shape[::-1]).T))
    assert "W1 has the right distribution, but it was drawn in the shape (n_l, n_{l-1}) and transposed" in text
    text = message(checks.check_he_initialization,
                   scaled(lambda n_in, n_out: np.float32(np.sqrt(2 / n_in)),
                          lambda rng, shape: rng.standard_normal(shape, dtype=np.float32)))
    assert "W1 has the right distribution, but it does not hold the numbers of these draws" in text


def test_the_notebooks_lecun_example_keeps_its_message():
    """A learner who draws He's weights with LeCun's 1/fan_in variance gets this message (the notebook no longer
    shows the example; this test keeps the message's wording)."""
    def initialize_he_wrong_scale(layer_dims, rng):
        params = initializers.initialize(layer_dims, method="he", rng=rng)
        return {key: value / np.sqrt(2.0) for key, value in params.items()}
    assert message(checks.check_he_initialization, initialize_he_wrong_scale) == (
        "For a W of shape (800, 200), Var[W] = 0.00125, but He initialization gives 2/fan_in = 0.0025. That is "
        "1/fan_in (LeCun). He's rule has a 2 on top: ReLU zeroes half of each z.")


def test_every_layer_is_checked_with_its_own_fans():
    text = message(checks.check_he_initialization, scaled(lambda n_in, n_out: np.sqrt(2 / n_in), first_only=True))
    assert "W1 has the right variance, but Var[W2]" in text and "layer 1's value" in text
    text = message(checks.check_random_initialization,
                   lambda dims, rng, scale: {k: (v / scale if k not in ("W1", "b1") else v)
                                             for k, v in initializers.initialize(dims, "random", rng=rng, scale=scale).items()})
    assert "Var[W2]" in text


def test_forgetting_the_scale_is_told_by_its_variance_not_by_its_mean():
    text = message(checks.check_he_initialization, scaled(lambda n_in, n_out: 1.0))
    assert "That is N(0, 1)" in text and "mean" not in text


def test_a_shifted_or_uniform_distribution_is_rejected():
    assert "mean" in message(checks.check_he_initialization, scaled(lambda n_in, n_out: np.sqrt(6 / n_in),
                                                                    lambda rng, shape: rng.random(shape)))
    uniform = scaled(lambda n_in, n_out: np.sqrt(6 / n_in), lambda rng, shape: rng.uniform(-1, 1, shape))  # Var 2/n_in
    assert "not normally distributed" in message(checks.check_he_initialization, uniform)


@pytest.mark.parametrize("wrong, words", [
    (lambda dims, rng: initializers.initialize(dims, "he", seed=np.random.randint(1 << 30)), "global generator"),
    (lambda dims, rng: initializers.initialize(dims, "he", rng=np.random.default_rng(3)), "different seeds gave the same"),
    (lambda dims, rng: {k: v.T if k[0] == "W" else v for k, v in initializers.initialize(dims, "he", rng=rng).items()},
     "column convention"),
    (lambda dims, rng: {k: v + 1 if k[0] == "b" else v for k, v in initializers.initialize(dims, "he", rng=rng).items()},
     "should start at zero"),
    (lambda dims, rng: initializers.initialize(dims[:-1], "he", rng=rng), "missing ["),
    (lambda dims, rng: list(initializers.initialize(dims, "he", rng=rng).values()), "should return a dict"),
], ids=["global-rng", "fixed-seed", "transposed", "bias", "missing-layer", "list"])
def test_he_rejects_with_the_property_named(wrong, words):
    assert words in message(checks.check_he_initialization, wrong)


def test_zeros_must_be_float_arrays():
    int_zeros = lambda dims, rng: {k: v.astype(int) for k, v in initializers.initialize(dims, "zeros").items()}  # noqa: E731
    assert "dtype int64" in message(checks.check_zeros_initialization, int_zeros)
    assert "should be all zeros" in message(checks.check_zeros_initialization,
                                            lambda dims, rng: initializers.initialize(dims, "he", rng=rng))


def test_hard_coded_scale_is_caught_by_the_second_scale():
    hard = lambda dims, rng, scale: initializers.initialize(dims, "random", rng=rng, scale=10.0)  # noqa: E731
    assert "not the `scale` argument" in message(checks.check_random_initialization, hard)


def test_the_check_leaves_the_global_generator_as_it_was():
    np.random.seed(5)
    expected = np.random.random()
    np.random.seed(5)
    with pytest.raises(checks.ExerciseError):
        checks.check_he_initialization(lambda dims, rng: (np.random.seed(0), HE(dims, rng))[1])
    assert np.random.random() == expected


@pytest.mark.parametrize("check", [checks.check_zeros_initialization, checks.check_random_initialization,
                                   checks.check_he_initialization, checks.check_xavier_initialization])
def test_each_check_is_quick(check):
    assert cpu_seconds(check, check.reference) < 0.5
