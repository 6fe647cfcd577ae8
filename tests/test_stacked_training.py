"""Tests for course_utils.stacked.training: S nets trained at once equal S nets trained one by one by training.train."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from course_utils import datasets, model, optimizers, schedules, stacked, training

from learner_optimizers import PlainAdam

SEEDS = [0, 1, 2]


@pytest.fixture(scope="module")
def moons():
    X, y, X_val, y_val = datasets.moons(n_train=50, n_test=40, seed=2)
    return X, y, X_val, y_val


def relative(a, b):
    return np.linalg.norm(np.asarray(a) - b) / np.linalg.norm(b)


def assert_each_net_equals_training_it_alone(layers, seeds, data, make_optimizer, rtol=1e-12, **options):
    """Train ``seeds`` stacked and one by one with the same arguments; every figure and weight agrees."""
    X, y, X_val, y_val = data
    net_options = {key: options.pop(key) for key in ("hidden_activation", "l2", "keep_prob", "dtype", "init")
                   if key in options}
    if options.get("patience"):
        options.update(X_val=X_val, y_val=y_val)
    nets, history = stacked.train_nets(layers, seeds, X, y, make_optimizer(), **net_options, **options)
    for s, (seed, net) in enumerate(zip(seeds, nets)):
        alone = model.MLP(layers, seed=seed, **net_options)
        alone_history = training.train(alone, X, y, make_optimizer(), seed=seed, **options)
        for key in alone.params:
            assert relative(net.params[key], alone.params[key]) < rtol, (seed, key)
        assert history[s].epochs == alone_history.epochs and history[s].best_epoch == alone_history.best_epoch
        assert_allclose(history[s].loss, alone_history.loss, rtol=rtol)
        assert_allclose(history[s].val_loss, alone_history.val_loss, rtol=rtol)
        assert history[s].accuracy == alone_history.accuracy and history[s].val_accuracy == alone_history.val_accuracy
        assert history[s].learning_rate == alone_history.learning_rate
        assert net.rng.bit_generator.state == alone.rng.bit_generator.state, "the same dropout masks were drawn"
    return history


OPTIMIZERS = {
    "GD": lambda: optimizers.GD(0.1),
    "Momentum": lambda: optimizers.Momentum(0.1, beta=0.9),
    "SGD-nesterov": lambda: optimizers.SGD(0.05, momentum=0.9, nesterov=True),
    "Adagrad": lambda: optimizers.Adagrad(0.05),
    "RMSprop": lambda: optimizers.RMSprop(0.01, epsilon_form="textbook"),
    "Adam": lambda: optimizers.Adam(0.01),
    "AdamW": lambda: optimizers.AdamW(0.01, weight_decay=0.1),
}


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_every_optimizer_with_dropout_l2_and_mini_batches(moons, name):
    """Mini-batches of 16 of 50 rows (a short last one), dropout and L2 together, tanh: to 1e-12."""
    assert_each_net_equals_training_it_alone([2, 6, 4, 1], SEEDS, moons, OPTIMIZERS[name], epochs=8, batch_size=16,
                                             hidden_activation="tanh", l2=0.3, keep_prob=0.8)


SCHEDULES = {
    "exponential": lambda: schedules.ExponentialDecay(0.3, decay_steps=4, decay_rate=0.5),
    "inverse-time-staircase": lambda: schedules.InverseTimeDecay(0.3, decay_steps=6, decay_rate=1.0, staircase=True),
    "piecewise": lambda: schedules.PiecewiseConstantDecay([5, 12], [0.3, 0.1, 0.03]),
    "cosine-warmup": lambda: schedules.CosineDecay(0.01, decay_steps=20, warmup_target=0.2, warmup_steps=6),
}


@pytest.mark.parametrize("name", SCHEDULES)
def test_every_schedule(moons, name):
    history = assert_each_net_equals_training_it_alone(
        [2, 5, 3], SEEDS, moons, lambda: optimizers.Momentum(SCHEDULES[name]()), epochs=8, batch_size=20)
    assert len(set(history.learning_rate)) > 2, "the rate changed from epoch to epoch"


@pytest.mark.parametrize("dims", [[2, 8, 1], [2, 8, 3]])
def test_early_stopping_keeps_each_nets_best_epoch_weights_and_history(dims):
    """Noisy training labels, clean validation labels: every net overfits, at its own epoch, and stops patience later."""
    X, y, X_val, _ = datasets.noisy_boundary(n_train=60, n_test=30, flip=0.3, seed=3)
    data = (X, y % max(2, dims[-1]), X_val, datasets.noisy_boundary_truth(X_val) % max(2, dims[-1]))
    seeds = [0, 1, 2, 3]
    history = assert_each_net_equals_training_it_alone(dims, seeds, data, lambda: optimizers.Adam(0.05), epochs=150,
                                                       patience=6, track_accuracy=True, keep_prob=0.9)
    stopped = history.epochs
    assert len(set(stopped)) > 1 and stopped.max() < 150, "the nets stopped at different epochs, before the end"
    assert_array_equal(stopped, history.best_epoch + 6)
    assert np.isnan(history.loss[-1]).sum() == np.sum(stopped < stopped.max()), "NaN where a net had stopped"
    assert_array_equal(history.last("val_loss"), [h.val_loss[-1] for h in history])


def test_validation_without_patience_records_the_best_epoch_and_keeps_the_last_weights(moons):
    history = assert_each_net_equals_training_it_alone([2, 5, 1], SEEDS, moons, lambda: optimizers.GD(0.5),
                                                       epochs=12, X_val=moons[2], y_val=moons[3])
    assert all(h.epochs == 12 for h in history) and history.best_epoch.shape == (3,)


def test_float32_nets_train_as_float32_nets_alone(moons):
    assert_each_net_equals_training_it_alone([2, 6, 4, 1], SEEDS, moons, lambda: optimizers.Adam(0.02), rtol=1e-5,
                                             epochs=10, batch_size=16, dtype="float32", keep_prob=0.9)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_a_nets_result_never_depends_on_the_other_seeds(moons, dtype):
    """Bit for bit: stack [0..5] against stack [3] against stack [5, 3], with dropout, mini-batches, early stopping."""
    X, y, X_val, y_val = moons

    def run(seeds):
        stack = stacked.StackedMLP([2, 6, 4, 1], seeds, keep_prob=0.8, l2=0.1, dtype=dtype)
        history = stacked.train(stack, X, y, optimizers.Adam(0.05), epochs=25, batch_size=16, X_val=X_val, y_val=y_val,
                                patience=3, track_accuracy=True)
        return {seed: (stack.theta[s].copy(), history[s], stack.rngs[s].bit_generator.state)
                for s, seed in enumerate(seeds)}

    everything, three, five_three = run(list(range(6))), run([3]), run([5, 3])
    for seed, other in [(3, three), (3, five_three), (5, five_three)]:
        theta, history, state = everything[seed]
        assert_array_equal(theta, other[seed][0])
        assert history == other[seed][1] and state == other[seed][2]
    assert len({h.epochs for _, h, _ in everything.values()}) > 1, "the nets stopped at different epochs"


def test_train_nets_returns_mlps_and_one_history_per_seed(moons):
    """As the notebooks call it: history.loss[-1] and history.learning_rate[-1] are the last epoch's."""
    X, y, _, _ = moons
    nets, history = stacked.train_nets([2, 4, 1], SEEDS, X, y, optimizers.GD(0.5), epochs=5, batch_size=30,
                                       hidden_activation="tanh", init="xavier")
    assert [net.seed for net in nets] == SEEDS and all(isinstance(net, model.MLP) for net in nets)
    assert nets[0].hidden_activation == "tanh" and nets[0].init == "xavier"
    assert history.loss.shape == (5, 3) and history.loss[-1].shape == (3,) and history.learning_rate.shape == (5,)
    assert len(history) == 3 and history.histories() == list(history) and history.seeds == SEEDS
    assert isinstance(history[1], training.History) and history[1].loss == list(history.loss[:, 1])
    assert history.best_epoch is None and history[0].val_loss == [] and history[0].accuracy == []
    assert np.isnan(history.accuracy).all(), "not tracked"


def test_divergence_names_the_seeds():
    X, y, _, _ = datasets.moons(n_train=40, n_test=10, seed=2)
    with pytest.raises(training.TrainingDivergedError, match=r"seeds \[.*\].*epoch.*smaller learning rate"):
        stacked.train(stacked.StackedMLP([2, 8, 1], SEEDS, init="random"), X * 1e3, y, optimizers.GD(1e3), epochs=50)


def test_shuffle_seeds_set_the_batch_order_apart_from_the_initial_weights(moons):
    """Net s starts from seeds[s]'s weights and shuffles as training.train(..., seed=shuffle_seeds[s])."""
    X, y = moons[:2]
    nets, _ = stacked.train_nets([2, 5, 1], [0, 1], X, y, optimizers.Adam(0.01), epochs=4, batch_size=16,
                                 shuffle_seeds=[7, 8])
    for seed, shuffle_seed, net in zip([0, 1], [7, 8], nets):
        alone = model.MLP([2, 5, 1], seed=seed)
        training.train(alone, X, y, optimizers.Adam(0.01), epochs=4, batch_size=16, seed=shuffle_seed)
        assert max(relative(net.params[k], alone.params[k]) for k in alone.params) < 1e-12
    default, _ = stacked.train_nets([2, 5, 1], [0, 1], X, y, optimizers.Adam(0.01), epochs=4, batch_size=16)
    assert relative(default[0].params["W1"], nets[0].params["W1"]) > 1e-3  # another order, other weights
    with pytest.raises(ValueError, match=r"`shuffle_seeds` must hold one seed per net \(2\); received 3"):
        stacked.train_nets([2, 5, 1], [0, 1], X, y, optimizers.GD(0.1), epochs=1, shuffle_seeds=[1, 2, 3])


@pytest.mark.parametrize("kwargs, error, match", [
    ({"X": np.zeros((5, 3))}, ValueError, r"`X` must have shape \(m, 2\) for these nets; received shape \(5, 3\)"),
    ({"y": np.full(50, 2)}, ValueError, r"`y` must hold labels in \[0, 1\]; received values from 2 to 2"),
    ({"y": np.zeros(7, int)}, ValueError, r"`y` must have shape \(50,\)"),
    ({"batch_size": 0}, ValueError, r"`batch_size` must be >= 1; received batch_size=0"),
    ({"epochs": 2.5}, TypeError, r"`epochs` must be an integer; received 2.5"),
    ({"patience": 3}, ValueError, r"`patience` needs validation data"),
    ({"X_val": np.zeros((4, 3)), "y_val": np.zeros(4, int)}, ValueError, r"`X_val` must have 2 columns"),
    ({"X_val": np.zeros((4, 2)), "y_val": np.full(4, 5)}, ValueError, r"`y_val` must hold labels in \[0, 1\]"),
    ({"X_val": np.zeros((4, 2))}, ValueError, r"Pass both `X_val` and `y_val`"),
    ({"stack": model.MLP([2, 3, 1])}, TypeError, r"`stack` must be a stacked.StackedMLP; received MLP"),
])
def test_bad_input_gets_a_clear_error(moons, kwargs, error, match):
    arguments = {"stack": stacked.StackedMLP([2, 3, 1], [0]), "X": moons[0], "y": moons[1],
                 "optimizer": optimizers.GD(0.1), **kwargs}
    with pytest.raises(error, match=match):
        stacked.train(**arguments)


@pytest.mark.parametrize("progress, drawn", [(True, True), (False, False), (None, False)])
def test_progress_bar_only_when_asked(monkeypatch, capsys, moons, progress, drawn):
    """Under pytest (progress=None) nothing is written; progress=True draws the same bar as training.train."""
    monkeypatch.setattr(training, "PROGRESS_DELAY_S", 0.0)
    stacked.train(stacked.StackedMLP([2, 3, 1], SEEDS), moons[0], moons[1], optimizers.GD(0.1), epochs=3,
                  progress=progress)
    assert ("epochs" in capsys.readouterr().err) == drawn


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("make", [optimizers.GD, optimizers.Momentum, optimizers.Adam, PlainAdam],
                         ids=["GD", "Momentum", "Adam", "plain-Adam"])
def test_a_rate_per_net_trains_each_net_as_a_stack_of_that_rate_alone(moons, make, dtype):
    """Bit for bit: the seeds at three rates in one stack, against one stack per rate (packed and per-array updates)."""
    X, y = moons[:2]
    rates = [0.003, 0.03, 0.3]
    together = stacked.StackedMLP([2, 6, 4, 1], SEEDS * len(rates), dtype=dtype)
    history = stacked.train(together, X, y, make(np.repeat(rates, len(SEEDS))), epochs=8, batch_size=16)
    for k, rate in enumerate(rates):
        alone = stacked.StackedMLP([2, 6, 4, 1], SEEDS, dtype=dtype)
        stacked.train(alone, X, y, make(rate), epochs=8, batch_size=16)
        assert_array_equal(together.theta[k * len(SEEDS):(k + 1) * len(SEEDS)], alone.theta)
        assert all(history[k * len(SEEDS) + s].learning_rate == [rate] * 8 for s in range(len(SEEDS)))
    assert len({tuple(row) for row in together.theta[:len(SEEDS)]}) == len(SEEDS)


def test_a_rate_per_net_needs_one_row_per_net():
    with pytest.raises(ValueError, match=r"learning_rate.*2 rates.*`W` has shape \(3, 2\)"):
        optimizers.GD(np.array([0.1, 0.2])).step({"W": np.zeros((3, 2))}, {"W": np.zeros((3, 2))})
    with pytest.raises(ValueError, match="learning_rate"):
        stacked.train(stacked.StackedMLP([2, 3, 1], SEEDS), np.zeros((4, 2)), np.zeros(4, int),
                      optimizers.GD(np.array([0.1, 0.2])), epochs=1)


def test_divergence_at_per_net_rates_names_the_rates_of_the_nets_that_diverged():
    X, y, _, _ = datasets.moons(n_train=40, n_test=10, seed=2)
    with pytest.raises(training.TrainingDivergedError, match=r"seeds \[1\].*it was 1000\)"):
        stacked.train(stacked.StackedMLP([2, 8, 1], [0, 1], init="random"), X * 1e3, y,
                      optimizers.GD(np.array([1e-9, 1e3])), epochs=50)
