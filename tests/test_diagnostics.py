"""Tests for course_utils.diagnostics: per-layer statistics, gradient norms and update-to-weight ratios."""

import dataclasses

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
    for field in (f.name for f in dataclasses.fields(diagnostics.LayerStats)):
        assert getattr(stats, field).shape == (19,), field


def test_layer_statistics_agree_with_the_net(rng):
    """Each field recomputed from the caches, params and loss_and_grads (no dropout, with L2)."""
    X, y = rng.standard_normal((30, 4)), np.arange(30) % 3
    net = model.MLP([4, 6, 5, 3], hidden_activation="tanh", l2=0.2, seed=1)
    stats = diagnostics.layer_statistics(net, X, y)
    A = diagnostics.hidden_activations(net, X)
    logits, caches = net.forward(X)
    _, grads = net.loss_and_grads(X, y)
    assert [a.shape for a in A] == [(30, 6), (30, 5)]
    assert_allclose(stats.activation_mean, [a.mean() for a in A], rtol=1e-12)
    assert_allclose(stats.activation_std, [np.mean([a[:, j].std() for j in range(a.shape[1])]) for a in A],
                    rtol=1e-12)
    assert_allclose(stats.activation_rms, [np.sqrt(np.mean(a ** 2)) for a in A], rtol=1e-12)
    assert_allclose(stats.preactivation_rms, [np.sqrt(np.mean(c.Z ** 2)) for c in caches[:2]], rtol=1e-12)
    assert_allclose(stats.slope_mean_square, [np.mean((1 - np.tanh(c.Z) ** 2) ** 2) for c in caches[:2]], rtol=1e-12)
    assert_allclose(stats.weight_std, [net.params["W1"].std(), net.params["W2"].std()], rtol=1e-12)
    assert_allclose(stats.gradient_norm, [np.linalg.norm(grads["W1"]), np.linalg.norm(grads["W2"])], rtol=1e-12)
    assert_allclose(stats.relative_gradient, [np.linalg.norm(grads[f"W{l}"]) / np.linalg.norm(net.params[f"W{l}"])
                                              for l in (1, 2)], rtol=1e-12)
    # dJ/dZ_l by the chain rule: db_l is its column sum, and dJ/dZ_2 = (dJ/dZ_3 @ W3^T) * tanh'(Z_2)
    _, dZ3 = net.data_loss_and_grad(logits, y)
    dZ2 = (dZ3 @ net.params["W3"].T) * (1 - np.tanh(caches[1].Z) ** 2)
    dZ1 = (dZ2 @ net.params["W2"].T) * (1 - np.tanh(caches[0].Z) ** 2)
    assert_allclose(dZ1.sum(axis=0), grads["b1"], rtol=1e-10)
    assert_allclose(dZ2.sum(axis=0), grads["b2"], rtol=1e-10)
    assert_allclose(stats.backward_rms, [np.sqrt(np.mean(dZ1 ** 2)), np.sqrt(np.mean(dZ2 ** 2))], rtol=1e-12)


def test_layer_statistics_ignore_dropout(rng):
    X, y = rng.standard_normal((30, 4)), np.arange(30) % 2
    with_dropout = diagnostics.layer_statistics(model.MLP([4, 6, 5, 1], keep_prob=0.5, seed=1), X, y)
    without = diagnostics.layer_statistics(model.MLP([4, 6, 5, 1], seed=1), X, y)
    for field in (f.name for f in dataclasses.fields(diagnostics.LayerStats)):
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


def test_he_relu_keeps_the_size_of_its_activations(deep_data):
    """Var = 2/fan_in restores what ReLU zeroes: the rms of layer 19 over layer 1's wanders per seed (0.26 to 2.9
    over 20 seeds), with a median near 1."""
    ratios = [s.activation_rms[-1] / s.activation_rms[0] for s in (deep_stats(deep_data, seed) for seed in SEEDS)]
    assert 1 / 3 < np.median(ratios) < 3, ratios


def test_he_relu_signal_fades_slowly_because_inputs_grow_alike(deep_data):
    """The signal (per unit, across inputs) fades even where the size is kept: the inputs' activations grow
    alike with depth. The factor stays far from Xavier's 2^-9 (0.097 to 0.93 over 20 seeds, median 0.18)."""
    stats = [deep_stats(deep_data, seed) for seed in SEEDS]
    signal = np.median([s.activation_std[-1] / s.activation_std[0] for s in stats])
    assert 0.05 < signal < 0.5, signal
    similarity = np.median([s.input_similarity for s in stats], axis=0)
    assert similarity[0] < 0.5 < 0.9 < similarity[-1], similarity


def test_sigmoid_xavier_signal_collapses_although_the_pooled_std_does_not(deep_data):
    """Sigmoid units have mean 1/2: each layer's sum carries a common part that swamps what differs between
    inputs. By layer 19 every input gives the same output. A std pooled over examples and units would not
    show it (it measures the spread between units' constant outputs); the per-unit std does."""
    for seed in SEEDS:
        net = model.MLP(DEEP, hidden_activation="sigmoid", init="xavier", seed=seed)
        stats = diagnostics.layer_statistics(net, *deep_data)
        A_last = diagnostics.hidden_activations(net, deep_data[0])[-1]
        assert stats.activation_std[-1] < 1e-6 * stats.activation_std[0], seed
        assert A_last.std() > 0.1 * diagnostics.hidden_activations(net, deep_data[0])[0].std(), seed  # pooled
        logits, _ = net.forward(deep_data[0])
        assert np.ptp(logits) < 1e-6 * np.abs(logits).max(), seed  # all 500 inputs: one output
        assert diagnostics.signal_verdict(stats.activation_std[-1] / stats.activation_std[0],
                                          stats.saturated_fraction[-1]) == "vanishes"


def test_signal_is_per_unit_across_the_batch_by_hand():
    """x = 1, 2, 3 into units relu(x) and relu(2x + 5): per-unit stds 0.816 and 1.633, mean 1.225, whereas the
    pooled std of the six values is 3.60. Units that output constants have signal 0, however different."""
    net = model.MLP([1, 2, 1])
    net.params.update(W1=np.array([[1.0, 2.0]]), b1=np.array([0.0, 5.0]))
    X = np.array([[1.0], [2.0], [3.0]])
    stats = diagnostics.layer_statistics(net, X, [0, 1, 0])
    assert stats.activation_std[0] == pytest.approx((np.std([1, 2, 3]) + np.std([7, 9, 11])) / 2, rel=1e-12)
    assert stats.activation_rms[0] == pytest.approx(np.sqrt(np.mean(np.square([1, 2, 3, 7, 9, 11]))), rel=1e-12)
    net.params.update(W1=np.zeros((1, 2)), b1=np.array([1.0, 3.0]))
    assert diagnostics.layer_statistics(net, X, [0, 1, 0]).activation_std[0] == 0.0


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
    assert lines[0].split()[:3] == ["layer", "signal", "std"]
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


@pytest.mark.parametrize("std_ratio, saturated, expected", [
    (1.0, 0.0, "keeps the signal"),
    (0.1, 0.0, "keeps the signal"),
    (10.0, 0.49, "keeps the signal"),
    (0.05, 0.0, "drifts"),
    (50.0, 0.0, "drifts"),
    (1e-3, 0.0, "vanishes"),
    (1e3, 0.0, "explodes"),
    (1.0, 0.8, "saturates"),
])
def test_signal_verdict(std_ratio, saturated, expected):
    assert diagnostics.signal_verdict(std_ratio, saturated) == expected


def test_signal_verdict_rejects_a_fraction_outside_0_1():
    with pytest.raises(ValueError, match="saturated_fraction"):
        diagnostics.signal_verdict(1.0, 55.0)  # a percentage, not a fraction


def test_an_inactive_relu_half_is_not_saturation():
    """About half of a ReLU layer's (example, unit) pairs are inactive by design; the verdict must not call that
    saturation, at any depth (the old rule did, for every ReLU net of 100 layers)."""
    X, y = np.random.default_rng(0).standard_normal((200, 30)), np.arange(200) % 2
    for init in ("he", "xavier"):
        stats = diagnostics.layer_statistics(model.MLP([30] * 101 + [1], init=init, seed=0), X, y)
        assert stats.flat_fraction[-1] > 0.3 and np.all(stats.saturated_fraction == 0)
        verdict = diagnostics.signal_verdict(stats.activation_std[-1] / stats.activation_std[0],
                                             stats.saturated_fraction[-1])
        assert verdict != "saturates", init


def test_saturated_fraction_is_the_flat_fraction_of_tanh_and_sigmoid_only(deep_data):
    """N(0, 1) weights, fan-in 50: tanh's z has std about 7, so most units sit on the flat tails; a sigmoid's
    inputs have mean 1/2 and smaller spread, and it is flat only beyond |z| = 4.6: 16 to 45% of the pairs."""
    for activation, least in (("tanh", 0.5), ("sigmoid", 0.1)):
        stats = deep_stats(deep_data, hidden_activation=activation, init="random", init_scale=1.0)
        assert_array_equal(stats.saturated_fraction, stats.flat_fraction)
        assert np.all(stats.saturated_fraction[1:] > least), activation
    assert np.all(deep_stats(deep_data).saturated_fraction == 0)


def test_a_dead_unit_gets_no_gradient_but_comes_back_when_its_inputs_change():
    """x in {1, 2}: layer 1 outputs x, and layer 2's unit computes relu(0.5 - x) = 0: dead, so its weight and bias
    get no gradient. Flip layer 1's weight (as training below it can) and the same unit is alive again."""
    net = model.MLP([1, 1, 1, 1])
    net.params.update(W1=np.array([[1.0]]), b1=np.zeros(1), W2=np.array([[-1.0]]), b2=np.array([0.5]),
                      W3=np.array([[1.0]]), b3=np.zeros(1))
    X, y = np.array([[1.0], [2.0]]), np.array([0, 1])
    _, grads = net.loss_and_grads(X, y)
    assert diagnostics.dead_units(net, X).tolist() == [0, 1]
    assert grads["W2"][0, 0] == 0 and grads["b2"][0] == 0
    net.params["W1"] = np.array([[-1.0]])
    assert diagnostics.dead_units(net, X).tolist() == [1, 0]


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


# ------------------------------------------------- the variance argument, checked on deep nets


@pytest.mark.parametrize("activation, init, kwargs", [
    ("relu", "he", {}), ("relu", "xavier", {}), ("tanh", "xavier", {}), ("tanh", "random", {"init_scale": 1.0}),
    ("sigmoid", "xavier", {}),
])
def test_forward_variance_law_holds_layer_by_layer(deep_data, activation, init, kwargs):
    """Var[z_{l+1}] = n Var[w] E[a_l^2] for weights of mean 0 independent of the inputs (biases 0), whatever
    the activation: the median of the measured over the predicted, over layers and seeds, is within 3% of 1."""
    n_var_w = 50 * {"he": 2 / 50, "xavier": 1 / 50, "random": kwargs.get("init_scale", 10.0) ** 2}[init]
    ratios = np.concatenate([s.preactivation_rms[1:] ** 2 / (n_var_w * s.activation_rms[:-1] ** 2)
                             for s in (deep_stats(deep_data, seed, hidden_activation=activation, init=init, **kwargs)
                                       for seed in SEEDS)])
    assert np.median(ratios) == pytest.approx(1.0, abs=0.03)


@pytest.mark.parametrize("init, kwargs, n_var_w", [("he", {}, 2.0), ("random", {"init_scale": 0.3}, 4.5)])
def test_relu_size_and_gradient_change_by_sqrt_of_half_n_var_w_per_layer(deep_data, init, kwargs, n_var_w):
    """ReLU: E[relu(z)^2] = Var[z] / 2 and E[relu'(z)^2] = 1/2, so each layer multiplies the mean square of the
    activations, and of the gradient going back, by n Var[w] / 2 in expectation: the size by its square root.

    The expectation is over the weights, so the mean over 20 seeds of the 18-layer ratio of mean squares is
    compared (the median of a product of random factors falls below its mean: 3% per layer at width 50)."""
    stats = [deep_stats(deep_data, seed, init=init, **kwargs) for seed in range(20)]
    steps = len(stats[0].layer) - 1
    forward = np.mean([(s.preactivation_rms[-1] / s.preactivation_rms[0]) ** 2 for s in stats]) ** (1 / steps)
    backward = np.mean([(s.backward_rms[0] / s.backward_rms[-1]) ** 2 for s in stats]) ** (1 / steps)
    assert forward == pytest.approx(n_var_w / 2, rel=0.02)
    assert backward == pytest.approx(n_var_w / 2, rel=0.02)
    halves = np.concatenate([s.activation_rms ** 2 / s.preactivation_rms ** 2 for s in stats])
    assert np.mean(halves) == pytest.approx(0.5, abs=0.02)
    assert np.mean(np.concatenate([s.slope_mean_square for s in stats])) == pytest.approx(0.5, abs=0.02)


def test_saturated_tanh_gradient_grows_by_the_square_root_of_n_var_w_mean_square_slope(deep_data):
    """tanh with N(0, 1) weights (n Var[w] = 50): each layer multiplies the gradient's mean square by
    n Var[w] E[tanh'(z)^2] (about 3.8 here), so the gradient by its square root (about 1.9), not by the factor."""
    for seed in SEEDS:
        s = deep_stats(deep_data, seed, hidden_activation="tanh", init="random", init_scale=1.0)
        per_layer = s.backward_rms[:-1] / s.backward_rms[1:]  # layer l over layer l + 1
        predicted = np.sqrt(50.0 * s.slope_mean_square[:-1])
        assert np.median(per_layer / predicted) == pytest.approx(1.0, abs=0.05), seed
        assert np.median(per_layer) > 1.5 and np.median(50.0 * s.slope_mean_square) > 2.5


def test_input_similarity_by_hand_and_scale_free_in_relu_nets(deep_data):
    assert diagnostics.mean_cosine([[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]]) == 0.0  # the zero row is left out
    assert diagnostics.mean_cosine([[1.0, 1.0], [2.0, 2.0]]) == pytest.approx(1.0)
    assert np.isnan(diagnostics.mean_cosine([[1.0, 1.0]]))
    he, xavier = deep_stats(deep_data, init="he"), deep_stats(deep_data, init="xavier")  # same draws, scaled
    assert_allclose(he.input_similarity, xavier.input_similarity, rtol=1e-9)


def test_small_products_run_on_one_blas_thread_and_give_the_same_numbers(rng):
    """layer_statistics limits BLAS to one thread for small products (faster there) and puts the limit back."""
    from threadpoolctl import threadpool_info, threadpool_limits

    X, y = rng.standard_normal((64, 20)), np.arange(64) % 2
    net = model.MLP([20, 30, 30, 1], seed=0)
    before = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    limited = diagnostics.layer_statistics(net, X, y)
    assert [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"] == before
    with threadpool_limits(limits=2, user_api="blas"):
        unlimited = diagnostics._layer_statistics(net, *net.check_data(X, y))
    for field in (f.name for f in dataclasses.fields(diagnostics.LayerStats)):
        assert_allclose(getattr(limited, field), getattr(unlimited, field), rtol=1e-12, err_msg=field)


# ------------------------------------------------- nearby inputs: information against chaos


def test_row_cosines_by_hand():
    A = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    B = np.array([[0.0, 3.0], [2.0, 2.0], [1.0, 0.0]])
    got = diagnostics.row_cosines(A, B)
    assert_allclose(got[:2], [0.0, 1.0], atol=1e-12)
    assert np.isnan(got[2])
    with pytest.raises(ValueError, match="one shape"):
        diagnostics.row_cosines(A, B[:2])


def test_nearby_inputs_have_the_cosine_asked_for(rng):
    X = rng.standard_normal((400, 200))
    near = diagnostics.nearby_inputs(X, 0.95, np.random.default_rng(1))
    assert near.shape == X.shape
    assert np.mean(diagnostics.row_cosines(X, near)) == pytest.approx(0.95, abs=0.01)
    assert_allclose(diagnostics.nearby_inputs(X, 1.0, rng), X)
    with pytest.raises(ValueError, match="cosine"):
        diagnostics.nearby_inputs(X, 1.5, rng)


def test_nearby_similarity_by_hand_and_of_identical_inputs(deep_data):
    net = model.MLP([2, 2, 1])
    net.params.update(W1=np.eye(2), b1=np.zeros(2), W2=np.ones((2, 1)), b2=np.zeros(1))
    X, X_near = np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([[1.0, 1.0], [2.0, 2.0]])
    assert_allclose(diagnostics.nearby_similarity(net, X, X_near), [np.mean([np.sqrt(0.5), 1.0])])
    deep = model.MLP(DEEP, hidden_activation="tanh", init="xavier", seed=0)
    assert_allclose(diagnostics.nearby_similarity(deep, deep_data[0], deep_data[0]), np.ones(19))


def test_a_chaotic_tanh_net_keeps_its_signal_but_scrambles_nearby_inputs(deep_data):
    """The signal (per-unit std across inputs) of tanh with N(0, 1) weights stays near its first layer's, as if
    healthy, yet nearby inputs end up unrelated; with Xavier weights they stay close although the signal fades."""
    X = deep_data[0]
    X_near = diagnostics.nearby_inputs(X, 0.95, np.random.default_rng(7))
    chaotic = model.MLP(DEEP, hidden_activation="tanh", init="random", init_scale=1.0, seed=0)
    ordered = model.MLP(DEEP, hidden_activation="tanh", init="xavier", seed=0)
    signal = diagnostics.layer_statistics(chaotic, *deep_data).activation_std
    assert signal[-1] / signal[0] > 0.9
    assert abs(diagnostics.nearby_similarity(chaotic, X, X_near)[-1]) < 0.1
    assert diagnostics.nearby_similarity(ordered, X, X_near)[-1] > 0.8
    assert diagnostics.layer_statistics(ordered, *deep_data).activation_std[-1] < signal[-1]


def test_layer_statistics_gives_the_nearby_similarity_of_x_near(deep_data):
    X, y = deep_data
    X_near = diagnostics.nearby_inputs(X, 0.9, np.random.default_rng(3))
    net = model.MLP(DEEP, hidden_activation="tanh", init="he", seed=1)
    with_near = diagnostics.layer_statistics(net, X, y, X_near=X_near)
    assert_allclose(with_near.nearby_similarity, diagnostics.nearby_similarity(net, X, X_near), rtol=1e-12)
    assert np.all(np.isnan(diagnostics.layer_statistics(net, X, y).nearby_similarity))
    with pytest.raises(ValueError, match="X_near"):
        diagnostics.layer_statistics(net, X, y, X_near=X_near[:10])


def test_difference_rms_is_the_first_order_change_towards_x_near(rng):
    """difference_rms against a finite difference of the activations, (A_l(X + eps V) - A_l(X)) / eps."""
    X, V = rng.standard_normal((40, 5)), rng.standard_normal((40, 5))
    for activation in ("tanh", "relu"):
        net = model.MLP([5, 8, 7, 6, 1], hidden_activation=activation, seed=2)
        stats = diagnostics.layer_statistics(net, X, np.arange(40) % 2, X_near=X + V)
        eps = 1e-6
        finite = [np.sqrt(np.mean(((b - a) / eps) ** 2)) for a, b in
                  zip(diagnostics.hidden_activations(net, X), diagnostics.hidden_activations(net, X + eps * V))]
        assert_allclose(stats.difference_rms, finite, rtol=1e-4)
    assert np.all(np.isnan(diagnostics.layer_statistics(net, X, np.arange(40) % 2).difference_rms))


@pytest.mark.parametrize("activation, init, scale", [("tanh", "xavier", 10.0), ("tanh", "he", 10.0),
                                                     ("tanh", "random", 1.0), ("relu", "he", 10.0)])
def test_a_small_difference_changes_per_layer_as_the_gradient_does(deep_data, activation, init, scale):
    """Like the gradient, the first-order difference passes through the weights and the slopes: each layer
    multiplies its mean square by n Var[w] E[g'(z)^2] (its own layer's slopes, where the gradient going back
    from layer l to l - 1 takes layer l - 1's)."""
    X, y = deep_data
    X_near = diagnostics.nearby_inputs(X, 0.95, np.random.default_rng(5))
    n = DEEP[1]
    ratios = []
    for seed in SEEDS:
        net = model.MLP(DEEP, hidden_activation=activation, init=init, init_scale=scale, seed=seed)
        s = diagnostics.layer_statistics(net, X, y, X_near=X_near)
        predicted = np.prod(np.sqrt(n * s.weight_std[1:] ** 2 * s.slope_mean_square[1:]))
        ratios.append((s.difference_rms[-1] / s.difference_rms[0]) / predicted)
    assert np.median(ratios) ** (1 / 18) == pytest.approx(1.0, abs=0.025)  # width 50: off by up to 2% per layer
