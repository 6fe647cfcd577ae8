"""Tests for course_utils.diagnostics: per-layer statistics, gradient norms and update-to-weight ratios."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from course_utils import diagnostics, model, optimizers

DEEP = [50] + [50] * 19 + [1]  # 20 layers: 19 hidden layers of width 50, then a sigmoid output
SEEDS = range(5)  # seed-dependent claims are checked on the median over these


@pytest.fixture(scope="module")
def deep_data():
    """500 standard-normal rows of 50 features, with balanced labels."""
    return np.random.default_rng(0).standard_normal((500, 50)), np.arange(500) % 2


def deep_stats(data, seed=0, **kwargs):
    return diagnostics.layer_statistics(model.MLP(DEEP, seed=seed, **kwargs), *data)


def test_layer_statistics_fields_have_one_entry_per_hidden_layer(deep_data):
    stats = deep_stats(deep_data)
    assert_array_equal(stats.layer, np.arange(1, 20))
    for field in ("activation_mean", "activation_std", "flat_fraction", "gradient_norm", "weight_std",
                  "relative_gradient"):
        assert getattr(stats, field).shape == (19,), field


def test_layer_statistics_agree_with_the_net(rng):
    """Each field recomputed from hidden_activations, params and loss_and_grads (no dropout, with L2)."""
    X, y = rng.standard_normal((30, 4)), np.arange(30) % 3
    net = model.MLP([4, 6, 5, 3], hidden_activation="tanh", l2=0.2, seed=1)
    stats = diagnostics.layer_statistics(net, X, y)
    A = diagnostics.hidden_activations(net, X)
    _, grads = net.loss_and_grads(X, y)
    assert [a.shape for a in A] == [(30, 6), (30, 5)]
    assert_allclose(stats.activation_mean, [a.mean() for a in A], rtol=1e-12)
    assert_allclose(stats.activation_std, [a.std() for a in A], rtol=1e-12)
    assert_allclose(stats.weight_std, [net.params["W1"].std(), net.params["W2"].std()], rtol=1e-12)
    assert_allclose(stats.gradient_norm, [np.linalg.norm(grads["W1"]), np.linalg.norm(grads["W2"])], rtol=1e-12)
    assert_allclose(stats.relative_gradient, [np.linalg.norm(grads[f"W{l}"]) / np.linalg.norm(net.params[f"W{l}"])
                                              for l in (1, 2)], rtol=1e-12)


def test_layer_statistics_ignore_dropout(rng):
    X, y = rng.standard_normal((30, 4)), np.arange(30) % 2
    with_dropout = diagnostics.layer_statistics(model.MLP([4, 6, 5, 1], keep_prob=0.5, seed=1), X, y)
    without = diagnostics.layer_statistics(model.MLP([4, 6, 5, 1], seed=1), X, y)
    for field in ("activation_mean", "activation_std", "flat_fraction", "gradient_norm", "weight_std"):
        assert_array_equal(getattr(with_dropout, field), getattr(without, field), err_msg=field)


@pytest.mark.parametrize("activation, z, expected", [
    ("relu", [-1.0, 2.0, 0.0, 3.0], 0.5),  # z <= 0 is flat
    ("leaky_relu", [-1.0, -2.0, -0.5, 3.0], 0.75),
    ("tanh", [3.0, 0.1, -2.7, 2.6], 0.5),  # |z| > arctanh(0.99) = 2.647
    ("sigmoid", [5.0, -1.0, -4.7, 4.5], 0.5),  # |z| > log(99) = 4.595
])
def test_flat_fraction_by_hand(activation, z, expected):
    """One example, one hidden layer whose pre-activations are exactly ``z`` (W1 = z, x = 1)."""
    net = model.MLP([1, 4, 1], hidden_activation=activation)
    net.params["W1"][:] = [z]
    stats = diagnostics.layer_statistics(net, [[1.0]], [1])
    assert stats.flat_fraction[0] == expected


def test_xavier_relu_signal_vanishes_with_depth(deep_data):
    """Var = 1/fan_in halves the mean square at every ReLU layer: after 18 layers the std is ~2^-9 of the first."""
    ratios = [s.activation_std[-1] / s.activation_std[0]
              for s in (deep_stats(deep_data, seed, init="xavier") for seed in SEEDS)]
    assert max(ratios) < 0.1, ratios


def test_he_relu_signal_keeps_its_scale(deep_data):
    """Var = 2/fan_in restores what ReLU zeroes; per seed the ratio wanders (0.3 to 3 over 20 seeds)."""
    ratios = [s.activation_std[-1] / s.activation_std[0] for s in (deep_stats(deep_data, seed) for seed in SEEDS)]
    assert 1 / 3 < np.median(ratios) < 3, ratios


def test_relu_he_first_layer_is_half_inactive(deep_data):
    assert deep_stats(deep_data).flat_fraction[0] == pytest.approx(0.5, abs=0.1)


def test_tanh_with_unit_normal_weights_saturates(deep_data):
    """N(0, 1) weights with fan_in 50 give |z| ~ 7: most tanh units sit on their flat tails."""
    stats = deep_stats(deep_data, hidden_activation="tanh", init="random", init_scale=1.0)
    assert np.all(stats.flat_fraction[1:] > 0.5), stats.flat_fraction
    assert np.all(stats.activation_std > 0.9)


def test_gradient_norms_by_hand():
    grads = {"W1": np.array([[3.0, 4.0]]), "b1": np.array([100.0, 100.0]), "W2": np.array([[1.0], [2.0], [2.0]]),
             "b2": np.array([7.0])}
    assert_array_equal(diagnostics.gradient_norms(grads), [5.0, 3.0])


def test_gradient_norms_match_loss_and_grads(rng):
    X, y = rng.standard_normal((20, 3)), np.arange(20) % 2
    _, grads = model.MLP([3, 4, 4, 1], seed=0).loss_and_grads(X, y)
    assert_allclose(diagnostics.gradient_norms(grads), [np.linalg.norm(grads[f"W{l}"]) for l in (1, 2, 3)])


def test_update_to_weight_ratio_by_hand():
    """||W|| = 5 and the step moves W by (0, -1): the ratio is 1/5; biases are ignored."""
    before = {"W1": np.array([[3.0, 4.0]]), "b1": np.zeros(2)}
    after = {"W1": np.array([[3.0, 3.0]]), "b1": np.ones(2)}
    assert_array_equal(diagnostics.update_to_weight_ratios(before, after), [0.2])


def test_update_to_weight_ratio_of_a_gd_step(rng):
    """After one GD step the ratio of layer l is lr * ||dW_l|| / ||W_l||."""
    X, y = rng.standard_normal((40, 3)), np.arange(40) % 2
    net, lr = model.MLP([3, 5, 4, 1], seed=0), 0.01
    before = {k: v.copy() for k, v in net.params.items()}
    _, grads = net.loss_and_grads(X, y)
    optimizers.GD(lr).step(net.params, grads)
    expected = [lr * np.linalg.norm(grads[f"W{l}"]) / np.linalg.norm(before[f"W{l}"]) for l in (1, 2, 3)]
    assert_allclose(diagnostics.update_to_weight_ratios(before, net.params), expected, rtol=1e-10)


def test_update_to_weight_ratio_of_zero_weights_is_inf():
    zeros = {"W1": np.zeros((2, 2)), "b1": np.zeros(2)}
    assert diagnostics.update_to_weight_ratios(zeros, {"W1": np.ones((2, 2)), "b1": np.zeros(2)})[0] == np.inf


def test_update_to_weight_ratio_rejects_mismatched_keys():
    with pytest.raises(ValueError, match="params_before"):
        diagnostics.update_to_weight_ratios({"W1": np.ones((2, 2))}, {"W2": np.ones((2, 2))})


@pytest.mark.parametrize("every, layers", [(1, list(range(1, 20))), (5, [1, 6, 11, 16, 19]), (100, [1, 19])])
def test_table_rows(deep_data, every, layers):
    """A header, then every ``every``-th layer, and always the last one."""
    lines = deep_stats(deep_data).table(every=every).splitlines()
    assert lines[0].split()[:3] == ["layer", "act", "mean"]
    assert [int(line.split()[0]) for line in lines[1:]] == layers
    assert len({len(line) for line in lines}) == 1, "fixed-width rows"


# ------------------------------------------------- helpers used by the notebooks


def test_per_layer_median_is_the_elementwise_median(rng):
    X = rng.standard_normal((50, 4))
    y = rng.integers(0, 2, 50)
    stats = [diagnostics.layer_statistics(model.MLP([4, 6, 6, 6, 1], seed=s), X, y) for s in range(3)]
    expected = np.median(np.stack([s.gradient_norm for s in stats]), axis=0)
    np.testing.assert_array_equal(diagnostics.per_layer_median(stats, "gradient_norm"), expected)
    with pytest.raises(ValueError, match="Unknown field 'std'"):
        diagnostics.per_layer_median(stats, "std")
    with pytest.raises(ValueError, match="`stats`"):
        diagnostics.per_layer_median([], "activation_std")


@pytest.mark.parametrize("std_ratio, flat, expected", [
    (1.0, 0.0, "keeps the signal"),
    (0.1, 0.0, "keeps the signal"),
    (10.0, 0.49, "keeps the signal"),
    (0.05, 0.0, "drifts"),
    (50.0, 0.0, "drifts"),
    (1e-3, 0.0, "vanishes"),
    (1e3, 0.0, "explodes"),
    (1.0, 0.8, "saturates"),
])
def test_signal_verdict(std_ratio, flat, expected):
    assert diagnostics.signal_verdict(std_ratio, flat) == expected


def test_dead_units_counts_units_silent_on_every_row():
    net = model.MLP([2, 3, 2, 1], seed=0)
    net.params["W1"][:] = [[1.0, -1.0, 0.5], [1.0, -1.0, 0.5]]
    net.params["b1"][:] = [0.0, -10.0, 0.0]  # unit 2 of layer 1 is dead for x >= 0
    net.params["W2"][:] = [[1.0, -1.0], [1.0, -1.0], [1.0, -1.0]]  # unit 2 of layer 2 only sees negatives
    X = np.array([[0.5, 1.0], [2.0, 0.1], [0.3, 0.3]])
    np.testing.assert_array_equal(diagnostics.dead_units(net, X), [1, 1])


def test_active_fraction_by_hand():
    """One hidden ReLU unit computing x_1 - 0.5 (and one computing -x_1): active on the rows where that is > 0."""
    net = model.MLP([2, 2, 1], seed=0)
    net.params["W1"][:] = [[1.0, -1.0], [0.0, 0.0]]
    net.params["b1"][:] = [-0.5, 0.0]
    X = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 5.0], [-1.0, 0.0]])
    (fraction,) = diagnostics.active_fraction(net, X)
    np.testing.assert_allclose(fraction, [0.5, 0.25])
    assert diagnostics.dead_units(net, X[1:3]).tolist() == [1]
    assert diagnostics.active_fraction(net, X[1:3])[0].tolist() == [1.0, 0.0]

def test_relative_gradient_of_zero_weights_is_inf(rng):
    stats = diagnostics.layer_statistics(model.MLP([3, 4, 1], init="zeros"), rng.standard_normal((6, 3)),
                                         np.arange(6) % 2)
    assert_array_equal(stats.relative_gradient, [np.inf])


def test_relative_gradient_separates_relu_inits_where_the_norm_ratio_does_not(deep_data):
    """Zero biases, square layers: ||dW_1|| / ||dW_19|| is within 10 for every scale, the relative size is not."""
    for init, kwargs, verdict in [("random", {"init_scale": 0.01}, "vanishes"), ("xavier", {}, "vanishes"),
                                  ("he", {}, "healthy"), ("random", {"init_scale": 1.0}, "explodes")]:
        stats = [deep_stats(deep_data, seed=seed, init=init, **kwargs) for seed in SEEDS]
        norm_ratio = np.median([s.gradient_norm[0] / s.gradient_norm[-1] for s in stats])
        assert 0.1 < norm_ratio < 10, init
        assert [diagnostics.gradient_verdict(s.relative_gradient) for s in stats] == [verdict] * 5, (init, kwargs)


@pytest.mark.parametrize("ratios, expected", [
    ([1e-3, 0.1, 0.5], "healthy"), ([1e-5, 0.1], "vanishes"), ([0.1, 2.0], "explodes"),
    ([1e-9, 5.0], "explodes"), ([1e-4, 1.0], "healthy"),  # the bounds themselves are healthy
])
def test_gradient_verdict(ratios, expected):
    assert diagnostics.gradient_verdict(ratios) == expected


@pytest.mark.parametrize("kwargs, match", [
    ({"relative_gradients": []}, "relative_gradients"), ({"relative_gradients": [0.1], "low": 1.0}, "low"),
])
def test_gradient_verdict_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        diagnostics.gradient_verdict(**kwargs)


def test_bias_to_signal_by_hand():
    """x = (1, 2); W1 = [[1], [1]] so x W1 = 3, b1 = 1.5: ratio 0.5; then a = 4.5, W2 = 2, b2 = -3: 9 vs 3."""
    net = model.MLP([2, 1, 1])
    net.params.update(W1=np.array([[1.0], [1.0]]), b1=np.array([1.5]), W2=np.array([[2.0]]), b2=np.array([-3.0]))
    assert_allclose(diagnostics.bias_to_signal(net, np.array([[1.0, 2.0]])), [0.5, 3.0 / 9.0], rtol=1e-12)


def test_bias_to_signal_is_zero_at_the_start_and_the_net_is_then_positively_homogeneous(rng):
    net = model.MLP([2, 10, 5, 1], init="random", seed=3)
    X = rng.standard_normal((40, 2))
    assert_array_equal(diagnostics.bias_to_signal(net, X), [0.0, 0.0, 0.0])
    logits, _ = net.forward(X)
    assert_allclose(net.forward(2.5 * X)[0], 2.5 * logits, rtol=1e-12)  # f(t x) = t f(x) with zero biases
