"""Tests for course_utils.training: mini-batches, the training loop, History, divergence, progress bar."""

import os
import sys
import warnings

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from course_utils import datasets, model, optimizers, training


@pytest.fixture
def blobs(rng):
    """200 points in two well-separated Gaussian blobs: an easy, linearly separable problem."""
    y = np.arange(200) % 2
    X = rng.standard_normal((200, 2)) + np.where(y[:, None] == 1, 2.0, -2.0)
    return X, y


def small_net(seed=0, **kwargs):
    return model.MLP([2, 6, 1], seed=seed, **kwargs)


# ---------------------------------------------------------------- random_mini_batches


@pytest.mark.parametrize("m, batch_size, sizes", [
    (200, 64, [64, 64, 64, 8]),
    (128, 64, [64, 64]),
    (5, 64, [5]),
    (7, 1, [1] * 7),
    (10, 3, [3, 3, 3, 1]),
])
def test_mini_batch_sizes(m, batch_size, sizes):
    X, y = np.zeros((m, 3)), np.zeros(m, dtype=int)
    batches = training.random_mini_batches(X, y, batch_size, seed=0)
    assert [len(yb) for _, yb in batches] == sizes
    assert all(Xb.shape == (len(yb), 3) for Xb, yb in batches)


def test_mini_batches_cover_every_row_once_and_keep_pairs():
    """Row i of X is (i, -i) and its label is i, so pairing and coverage can be read off the batches."""
    m = 150
    X = np.column_stack([np.arange(m), -np.arange(m)]).astype(float)
    y = np.arange(m)
    batches = training.random_mini_batches(X, y, 64, seed=3)
    X_all = np.concatenate([Xb for Xb, _ in batches])
    y_all = np.concatenate([yb for _, yb in batches])
    assert_array_equal(np.sort(y_all), np.arange(m))
    assert_array_equal(X_all[:, 0], y_all)
    assert_array_equal(X_all[:, 1], -y_all)
    assert not np.array_equal(y_all, np.arange(m)), "rows should be shuffled"


def test_mini_batches_same_seed_same_batches_and_different_seed_differs():
    X, y = np.arange(100.0)[:, None], np.arange(100)
    a = training.random_mini_batches(X, y, 16, seed=1)
    b = training.random_mini_batches(X, y, 16, rng=np.random.default_rng(1))
    c = training.random_mini_batches(X, y, 16, seed=2)
    assert all(np.array_equal(ya, yb) for (_, ya), (_, yb) in zip(a, b))
    assert not np.array_equal(a[0][1], c[0][1])


@pytest.mark.parametrize("batch_size, error", [(0, ValueError), (-3, ValueError), (2.5, TypeError), (None, TypeError)])
def test_mini_batches_bad_batch_size(batch_size, error):
    with pytest.raises(error, match="batch_size"):
        training.random_mini_batches(np.zeros((10, 2)), np.zeros(10), batch_size)


def test_mini_batches_reject_mismatched_rows():
    with pytest.raises(ValueError, match="same number of rows"):
        training.random_mini_batches(np.zeros((10, 2)), np.zeros(9), 4)


# ---------------------------------------------------------------- train


def test_history_has_one_entry_per_epoch(blobs):
    X, y = blobs
    history = training.train(small_net(), X, y, optimizers.GD(0.1), epochs=7, batch_size=64)
    assert len(history.loss) == history.epochs == 7
    assert len(history.learning_rate) == 7
    assert history.accuracy == []


def test_loss_decreases_on_an_easy_problem(blobs):
    X, y = blobs
    net = small_net()
    history = training.train(net, X, y, optimizers.GD(0.5), epochs=150)
    assert history.loss[-1] < 0.1 * history.loss[0]
    assert np.all(np.diff(history.loss) <= 1e-12), "full-batch GD with a small step never increases the loss"
    assert net.accuracy(X, y) > 0.97


def test_track_accuracy_records_the_end_of_epoch_accuracy(blobs):
    X, y = blobs
    net = small_net()
    history = training.train(net, X, y, optimizers.GD(0.5), epochs=20, batch_size=50, track_accuracy=True)
    assert len(history.accuracy) == 20
    assert all(0.0 <= a <= 1.0 for a in history.accuracy)
    assert history.accuracy[-1] == net.accuracy(X, y)


def test_full_batch_loss_is_the_cost_before_each_step(blobs):
    """With one batch per epoch, History.loss[e] is the cost of the params at the start of epoch e."""
    X, y = blobs
    net, reference = small_net(), small_net()
    history = training.train(net, X, y, optimizers.GD(0.5), epochs=3)
    for epoch in range(3):
        loss, grads = reference.loss_and_grads(X, y)
        assert history.loss[epoch] == loss
        for k in reference.params:
            reference.params[k] -= 0.5 * grads[k]
    assert all(np.array_equal(net.params[k], reference.params[k]) for k in net.params)


def test_learning_rate_schedule_is_recorded_per_epoch(blobs):
    """200 rows in batches of 64 is 4 steps an epoch, so epoch e starts at step 4e."""
    X, y = blobs
    history = training.train(small_net(), X, y, optimizers.GD(lambda step: 1.0 / (1 + step)), epochs=3,
                             batch_size=64)
    assert history.learning_rate == [1.0, 1 / 5, 1 / 9]


@pytest.mark.parametrize("batch_size", [200, 201, 10_000])
def test_batch_size_at_least_m_equals_full_batch(blobs, batch_size):
    X, y = blobs
    full, big = small_net(), small_net()
    h_full = training.train(full, X, y, optimizers.GD(0.3), epochs=5, batch_size=None)
    h_big = training.train(big, X, y, optimizers.GD(0.3), epochs=5, batch_size=batch_size)
    assert h_full == h_big
    assert all(np.array_equal(full.params[k], big.params[k]) for k in full.params)


def test_same_seed_gives_identical_history_and_params(blobs):
    X, y = blobs
    runs = []
    for _ in range(2):
        net = small_net(keep_prob=0.8)
        history = training.train(net, X, y, optimizers.GD(0.3), epochs=5, batch_size=32, seed=4, track_accuracy=True)
        runs.append((history, net.params))
    (h1, p1), (h2, p2) = runs
    assert h1 == h2
    assert all(np.array_equal(p1[k], p2[k]) for k in p1)


def test_different_shuffling_seed_changes_the_run(blobs):
    X, y = blobs
    h1 = training.train(small_net(), X, y, optimizers.GD(0.3), epochs=3, batch_size=32, seed=0)
    h2 = training.train(small_net(), X, y, optimizers.GD(0.3), epochs=3, batch_size=32, seed=1)
    assert h1.loss != h2.loss


@pytest.mark.parametrize("kwargs, error, argument", [
    pytest.param({"epochs": 0}, ValueError, "epochs", id="epochs=0"),
    pytest.param({"epochs": 2.0}, TypeError, "epochs", id="epochs-float"),
    pytest.param({"batch_size": 0}, ValueError, "batch_size", id="batch_size=0"),
    pytest.param({"X": np.full((200, 2), np.nan)}, ValueError, "X", id="X-nan"),
    pytest.param({"y": np.zeros(199, dtype=int)}, ValueError, "y", id="y-length"),
])
def test_train_rejects_bad_arguments(blobs, kwargs, error, argument):
    X, y = blobs
    args = {"X": X, "y": y, **kwargs}
    X, y = args.pop("X"), args.pop("y")
    with pytest.raises(error, match=rf"`{argument}`"):
        training.train(small_net(), X, y, optimizers.GD(0.1), **args)


# ---------------------------------------------------------------- divergence


def diverging_run(**kwargs):
    """Leaky ReLU, N(0, 10^2) weights and learning rate 1e6: the logits overflow within a few epochs.

    (With plain ReLU the same run never overflows: its units die and the loss stays finite, about 2e5.)
    """
    rng = np.random.default_rng(0)
    X = rng.standard_normal((100, 2))
    y = (X[:, 0] > 0).astype(int)
    net = model.MLP([2, 10, 5, 1], hidden_activation="leaky_relu", init="random", init_scale=10.0, seed=0)
    return training.train(net, X, y, optimizers.GD(1e6), epochs=50, **kwargs)


@pytest.mark.parametrize("batch_size", [None, 32])
def test_divergence_raises_a_clear_error_and_no_warning(batch_size):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(training.TrainingDivergedError, match=r"epoch \d+") as info:
            diverging_run(batch_size=batch_size)
    message = str(info.value)
    assert "learning rate" in message
    assert "1e+06" in message
    assert isinstance(info.value, FloatingPointError)


def test_divergence_with_track_accuracy_raises_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(training.TrainingDivergedError):
            diverging_run(track_accuracy=True)


# ---------------------------------------------------------------- History


@pytest.mark.parametrize("target, expected", [(5.0, 1), (2.0, 2), (1.0, 3), (0.4, 5), (0.1, None)])
def test_first_epoch_below(target, expected):
    """The first 1-based epoch with loss <= target."""
    history = training.History(loss=[3.0, 2.0, 1.0, 1.5, 0.4])
    assert history.first_epoch_below(target) == expected


def test_first_epoch_below_on_empty_history():
    assert training.History().first_epoch_below(1.0) is None


# ---------------------------------------------------------------- progress bar


@pytest.fixture
def no_delay(monkeypatch):
    """Draw the bar at once, so a short run would show it if it were enabled."""
    monkeypatch.setattr(training, "PROGRESS_DELAY_S", 0.0)


def test_progress_true_draws_a_bar(blobs, capsys, no_delay):
    X, y = blobs
    training.train(small_net(), X, y, optimizers.GD(0.1), epochs=3, progress=True)
    assert "epochs" in capsys.readouterr().err


def test_progress_false_writes_nothing(blobs, capsys, no_delay):
    X, y = blobs
    training.train(small_net(), X, y, optimizers.GD(0.1), epochs=3, progress=False)
    assert capsys.readouterr() == ("", "")


def test_progress_none_under_pytest_writes_nothing(blobs, capsys, monkeypatch, no_delay):
    monkeypatch.delenv("COURSE_UTILS_PROGRESS", raising=False)
    assert "PYTEST_CURRENT_TEST" in os.environ
    X, y = blobs
    training.train(small_net(), X, y, optimizers.GD(0.1), epochs=3, progress=None)
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("progress, env, in_notebook, expected", [
    pytest.param(True, {"COURSE_UTILS_PROGRESS": "0"}, False, True, id="True-wins-over-env"),
    pytest.param(False, {}, True, False, id="False-wins-in-notebook"),
    pytest.param(None, {"COURSE_UTILS_PROGRESS": "0"}, True, False, id="env-0-silences-notebook"),
    pytest.param(None, {"PYTEST_CURRENT_TEST": "x"}, True, False, id="pytest-silences"),
    pytest.param(None, {}, True, True, id="notebook-shows"),
    pytest.param(None, {"COURSE_UTILS_PROGRESS": "1"}, True, True, id="env-1-notebook-shows"),
    pytest.param(None, {}, False, False, id="not-a-tty-silent"),
])
def test_progress_enabled(monkeypatch, progress, env, in_notebook, expected):
    monkeypatch.delenv("COURSE_UTILS_PROGRESS", raising=False)
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if in_notebook:
        monkeypatch.setitem(sys.modules, "ipykernel", sys)  # any module object will do
    else:
        monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert training._progress_enabled(progress) is expected


def test_progress_enabled_on_a_terminal(monkeypatch):
    monkeypatch.delenv("COURSE_UTILS_PROGRESS", raising=False)
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    monkeypatch.setattr(sys, "stderr", type("Tty", (), {"isatty": staticmethod(lambda: True)})())
    assert training._progress_enabled(None) is True


def test_train_uses_the_notebook_aware_bar():
    import tqdm.auto

    assert training.tqdm is tqdm.auto.tqdm


def _run_in_kernel(code, env):
    """Execute ``code`` in a fresh Jupyter kernel; return the outputs of its cell."""
    import nbclient
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    old = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        nbclient.NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return nb.cells[0].outputs


KERNEL_RUN = """
import numpy as np
from course_utils import model, optimizers, training
training.PROGRESS_DELAY_S = 0.0
X = np.array([[-2.0, -1.0], [-1.0, -2.0], [2.0, 1.0], [1.0, 2.0]]); y = np.array([0, 0, 1, 1])
training.train(model.MLP([2, 3, 1], seed=0), X, y, optimizers.GD(0.1), epochs=50, progress={progress})
print("done")
"""


@pytest.mark.slow
def test_in_a_kernel_the_bar_is_a_widget_and_never_writes_to_stderr():
    outputs = _run_in_kernel(KERNEL_RUN.format(progress=True), {"COURSE_UTILS_PROGRESS": "1"})
    assert not [o for o in outputs if o.get("name") == "stderr"], "a text bar would leave a stderr band"
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    assert outputs[-1]["text"] == "done\n"


@pytest.mark.slow
def test_in_a_kernel_with_progress_off_only_the_print_remains():
    """What ``make notebooks`` and nbval see (COURSE_UTILS_PROGRESS=0): no bar at all."""
    outputs = _run_in_kernel(KERNEL_RUN.format(progress=None), {"COURSE_UTILS_PROGRESS": "0"})
    assert [(o["output_type"], o.get("text")) for o in outputs] == [("stream", "done\n")]


class SpyBar:
    """Stands in for tqdm: records how it was built, the updates and whether it was closed."""

    instances = []

    def __init__(self, **kwargs):
        self.kwargs, self.updates, self.closed = kwargs, 0, False
        SpyBar.instances.append(self)

    def update(self, n):
        self.updates += n

    def set_postfix(self, **kwargs):
        pass

    def close(self):
        self.closed = True


@pytest.mark.parametrize("progress", [True, False])
def test_train_passes_progress_to_the_bar(blobs, monkeypatch, progress):
    monkeypatch.setattr(training, "tqdm", SpyBar)
    SpyBar.instances.clear()
    X, y = blobs
    training.train(small_net(), X, y, optimizers.GD(0.1), epochs=4, progress=progress)
    (bar,) = SpyBar.instances
    assert bar.kwargs["disable"] is (not progress)
    assert bar.kwargs["total"] == 4 and bar.updates == 4 and bar.closed


def test_bar_is_closed_when_training_diverges(monkeypatch):
    monkeypatch.setattr(training, "tqdm", SpyBar)
    SpyBar.instances.clear()
    with pytest.raises(training.TrainingDivergedError):
        diverging_run(progress=True)
    assert SpyBar.instances[0].closed


@pytest.mark.parametrize("seed, error", [(None, TypeError), (-3, ValueError), ("0", TypeError)])
def test_train_rejects_a_bad_seed(blobs, seed, error):
    X, y = blobs
    with pytest.raises(error, match="seed"):
        training.train(small_net(), X, y, optimizers.GD(0.1), epochs=1, seed=seed)


# ---------------------------------------------------------------- validation and early stopping


@pytest.fixture
def overfitting_data():
    """The noisy-boundary set with 20% flipped labels: a [2, 20, 3, 1] net overfits its 100 training points."""
    X, y, X_val, y_val = datasets.noisy_boundary(n_train=100, n_test=200, flip=0.2, seed=1)
    return X, y, X_val, y_val


def overfitting_net():
    return model.MLP([2, 20, 3, 1], seed=0)


def test_validation_curve_is_the_cost_after_each_epoch(blobs):
    X, y = blobs
    X_val, y_val = X[::-1] + 0.1, y[::-1]
    net, reference = small_net(), small_net()
    history = training.train(net, X, y, optimizers.GD(0.5), epochs=4, X_val=X_val, y_val=y_val, track_accuracy=True)
    for epoch in range(4):
        training.train(reference, X, y, optimizers.GD(0.5), epochs=1)
        assert history.val_loss[epoch] == reference.loss(X_val, y_val)
        assert history.val_accuracy[epoch] == reference.accuracy(X_val, y_val)
    assert history.best_epoch == int(np.argmin(history.val_loss)) + 1
    assert history.epochs == 4


def test_without_validation_data_nothing_is_recorded(blobs):
    X, y = blobs
    history = training.train(small_net(), X, y, optimizers.GD(0.5), epochs=3)
    assert history.val_loss == [] and history.val_accuracy == [] and history.best_epoch is None


def test_without_patience_training_runs_to_the_end_and_keeps_the_last_weights(overfitting_data):
    X, y, X_val, y_val = overfitting_data
    net = overfitting_net()
    history = training.train(net, X, y, optimizers.GD(1.0), epochs=1500, X_val=X_val, y_val=y_val)
    assert history.epochs == 1500
    assert history.best_epoch < 1500, "this run overfits: the validation cost rises before the end"
    assert net.loss(X_val, y_val) == history.val_loss[-1] > history.val_loss[history.best_epoch - 1]


def test_early_stopping_restores_the_best_weights(overfitting_data):
    """The restored weights are exactly those of a fresh run trained for best_epoch epochs."""
    X, y, X_val, y_val = overfitting_data
    net = overfitting_net()
    params = net.params
    history = training.train(net, X, y, optimizers.GD(1.0), epochs=1500, X_val=X_val, y_val=y_val, patience=100)
    best = history.best_epoch
    assert history.epochs == best + 100 < 1500, "stopped early, exactly patience epochs after the best one"
    assert net.params is params and all(net.params[k] is params[k] for k in params), "restored in place"
    assert net.loss(X_val, y_val) == history.val_loss[best - 1] == min(history.val_loss)
    fresh = overfitting_net()
    training.train(fresh, X, y, optimizers.GD(1.0), epochs=best)
    assert all(np.array_equal(net.params[k], fresh.params[k]) for k in params)


@pytest.mark.parametrize("patience", [1, 5, 40])
def test_early_stopping_stops_at_best_epoch_plus_patience_at_the_latest(blobs, patience):
    """Validation labels opposite to the training labels: the validation cost rises from epoch 1 on."""
    X, y = blobs
    net = small_net()
    history = training.train(net, X, y, optimizers.GD(0.5), epochs=200, X_val=X, y_val=1 - y, patience=patience)
    assert history.best_epoch == 1
    assert history.epochs == 1 + patience
    assert len(history.val_loss) == len(history.loss) == 1 + patience


def test_early_stopping_never_triggers_while_validation_keeps_improving(blobs):
    X, y = blobs
    history = training.train(small_net(), X, y, optimizers.GD(0.5), epochs=60, X_val=X, y_val=y, patience=3)
    assert history.epochs == 60 and history.best_epoch == 60
    assert np.all(np.diff(history.val_loss) < 0)


@pytest.mark.parametrize("kwargs, error, argument", [
    pytest.param({"patience": 0}, ValueError, "patience", id="patience=0"),
    pytest.param({"patience": -2}, ValueError, "patience", id="patience<0"),
    pytest.param({"patience": 2.5}, TypeError, "patience", id="patience-float"),
    pytest.param({"patience": 3, "X_val": None, "y_val": None}, ValueError, "patience", id="patience-no-val"),
    pytest.param({"X_val": np.zeros((10, 3))}, ValueError, "X_val", id="X_val-width"),
    pytest.param({"X_val": np.zeros(10)}, ValueError, "X_val", id="X_val-1D"),
    pytest.param({"y_val": np.zeros(9, dtype=int)}, ValueError, "y_val", id="y_val-length"),
    pytest.param({"y_val": None}, ValueError, "y_val", id="only-X_val"),
    pytest.param({"X_val": None}, ValueError, "X_val", id="only-y_val"),
])
def test_train_rejects_bad_validation_arguments(blobs, kwargs, error, argument):
    X, y = blobs
    args = {"X_val": np.zeros((10, 2)), "y_val": np.zeros(10, dtype=int), **kwargs}
    with pytest.raises(error, match=rf"`{argument}`"):
        training.train(small_net(), X, y, optimizers.GD(0.1), epochs=2, **args)


# ---------------------------------------------------------------- the checked fast path of an MLP


class RecordingGD(optimizers.GD):
    """GD that records the gradient buffer it is given at each step."""

    def __init__(self, learning_rate):
        super().__init__(learning_rate)
        self.buffers = []

    def step(self, params, grads):
        self.buffers.append(grads.flat if hasattr(grads, "flat") else None)
        super().step(params, grads)


def test_train_checks_the_data_once_and_reuses_one_gradient_buffer(blobs, monkeypatch):
    X, y = blobs
    net = small_net()
    calls = []
    check_data = net.check_data
    monkeypatch.setattr(net, "check_data", lambda *args: calls.append(1) or check_data(*args))
    opt = RecordingGD(0.1)
    training.train(net, X, y, opt, epochs=3, batch_size=50)
    assert len(calls) == 1
    assert len(opt.buffers) == 12 and all(buffer is opt.buffers[0] for buffer in opt.buffers)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_train_equals_a_hand_written_loop_of_loss_and_grads_and_step(blobs, dtype):
    X, y = blobs
    net, twin = small_net(dtype=dtype), small_net(dtype=dtype)
    history = training.train(net, X, y, optimizers.Adam(0.01), epochs=3, batch_size=64, seed=5)
    opt, rng, losses = optimizers.Adam(0.01), np.random.default_rng(5), []
    for _ in range(3):
        total = 0.0
        for X_batch, y_batch in training.random_mini_batches(X, y, 64, rng=rng):
            loss, grads = twin.loss_and_grads(X_batch, y_batch)  # the public method, checks and all
            opt.step(twin.params, grads)
            total += loss * len(y_batch)
        losses.append(total / len(y))
    for name in net.params:
        assert_array_equal(net.params[name], twin.params[name])
    assert history.loss == losses


def test_train_calls_a_subclass_override_of_loss_and_grads(blobs):
    class CountingMLP(model.MLP):
        calls = 0

        def loss_and_grads(self, X, y):
            CountingMLP.calls += 1
            return super().loss_and_grads(X, y)

    X, y = blobs
    training.train(CountingMLP([2, 6, 1]), X, y, optimizers.GD(0.1), epochs=2, batch_size=100)
    assert CountingMLP.calls == 4


def test_train_reports_bad_labels_before_any_step(blobs):
    X, y = blobs
    net = small_net()
    before = {name: value.copy() for name, value in net.params.items()}
    with pytest.raises(ValueError, match="`y`"):
        training.train(net, X, np.where(np.arange(len(y)) == 150, 2, y), optimizers.GD(0.1), epochs=2, batch_size=50)
    for name, value in before.items():  # checked before the first step, wherever the shuffle put it
        assert_array_equal(net.params[name], value)
