"""Tests for course_utils.explorer: the drawn path is the optimizer's own, controls redraw, bad values are refused."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from course_utils import explorer, landscapes, optimizers


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("name, reference", [
    ("GD", lambda: optimizers.GD(0.02)),
    ("Momentum", lambda: optimizers.Momentum(0.02, beta=0.8)),
    ("Nesterov", lambda: optimizers.SGD(0.02 * 0.2, momentum=0.8, nesterov=True)),
    ("RMSprop", lambda: optimizers.RMSprop(0.02, rho=0.8, epsilon=1e-8, epsilon_form="textbook")),
    ("Adam", lambda: optimizers.Adam(0.02, beta_1=0.8, beta_2=0.99)),
])
def test_drawn_path_is_the_optimizers_own_trajectory(name, reference):
    fig, (ax_path, ax_loss) = explorer.draw("bowl", name, learning_rate=0.02, beta=0.8, beta_2=0.99, steps=60)
    expected = landscapes.path("bowl", reference(), steps=60)
    line = next(line for line in ax_path.get_lines() if line.get_label().startswith(name))
    assert_allclose(np.column_stack([line.get_xdata(), line.get_ydata()]), expected, rtol=1e-12, atol=1e-15)
    loss_line = ax_loss.get_lines()[0]
    assert len(loss_line.get_xdata()) == 61
    assert_allclose(loss_line.get_ydata(), np.maximum(landscapes.get("bowl").f(expected), 1e-300))
    assert ax_loss.get_yscale() == "log" and ax_loss.get_xlabel() == "step"


def test_start_point_and_saddle_without_minimum():
    points, losses = explorer.run("saddle", "GD", learning_rate=0.1, steps=5, start_x=1.0, start_y=0.5)
    assert_array_equal(points[0], [1.0, 0.5])
    assert_allclose(points[1], [0.9, 0.55])
    _, (_, ax_loss) = explorer.draw("saddle", "GD", learning_rate=0.1, steps=5)
    assert ax_loss.get_ylabel() == "f"


def test_diverged_run_says_so():
    _, (_, ax_loss) = explorer.draw("rosenbrock", "GD", learning_rate=0.05, steps=500)
    assert "diverged" in ax_loss.get_title()


def test_summary_names_the_final_point():
    points, losses = explorer.run()
    text = explorer.summary()
    assert text.startswith("Momentum on bowl, lr 0.03: after 200 steps")
    assert f"f = {losses[-1]:.4g}" in text


@pytest.mark.parametrize("kwargs, error, argument", [
    ({"learning_rate": 0.0}, ValueError, "learning_rate"),
    ({"learning_rate": -0.1, "optimizer": "Nesterov"}, ValueError, "learning_rate"),
    ({"landscape": "himmelblau"}, ValueError, "landscape"),
    ({"optimizer": "Adadelta"}, ValueError, "optimizer"),
    ({"beta": 1.0}, ValueError, "beta"),
    ({"steps": 0}, ValueError, "steps"),
    ({"start_x": float("nan")}, ValueError, "start"),
])
def test_bad_controls_get_clear_errors(kwargs, error, argument):
    with pytest.raises(error, match=argument):
        explorer.draw(**kwargs)


def test_controls_start_at_the_defaults():
    boxes = explorer.controls()
    assert set(boxes) == set(explorer.DEFAULTS)
    assert boxes["learning_rate"].value == pytest.approx(explorer.DEFAULTS["learning_rate"])
    assert (boxes["start_x"].value, boxes["start_y"].value) == landscapes.get("bowl").start


class FakeHandle:
    """Records what a display handle shows: figures as they are, raw text as its string."""

    def __init__(self, obj):
        self.shown = []
        self.update(obj)

    def update(self, obj, raw=False):
        self.shown.append(obj["text/plain"] if isinstance(obj, dict) else obj)


def test_show_redraws_in_place_once_per_change(monkeypatch):
    """Moving the learning-rate slider updates the same figure and text outputs, with the new path."""
    handles = []

    def fake_display(obj, raw=False, display_id=False):
        if display_id:
            handles.append(FakeHandle(obj))
            return handles[-1]
        return None

    monkeypatch.setattr("IPython.display.display", fake_display)
    boxes = explorer.show()
    figure, text = handles
    boxes["learning_rate"].value = 0.01
    assert len(figure.shown) == 2 and len(text.shown) == 2
    assert text.shown[-1] == explorer.summary(learning_rate=0.01)
    expected = landscapes.path("bowl", optimizers.Momentum(0.01), steps=200)
    line = figure.shown[-1].axes[0].get_lines()[0]
    assert_allclose(line.get_xdata(), expected[:, 0])
    boxes["landscape"].value = "saddle"  # moves the start point too: still one redraw
    assert len(figure.shown) == 3
    assert text.shown[-1].startswith("Momentum on saddle")
    boxes["start_x"].value = float("nan")
    assert text.shown[-1].startswith("cannot draw") and len(figure.shown) == 3


# --- the controls are made for a mouse --------------------------------------------------------------------


@pytest.mark.parametrize("name, width", [("learning_rate", "WIDE_SLIDER_WIDTH"), ("steps", "WIDE_SLIDER_WIDTH"),
                                         ("beta", "SLIDER_WIDTH"), ("beta_2", "SLIDER_WIDTH")])
def test_sliders_are_wide_with_few_exact_stops(name, width):
    """Every slider has a fixed width, wide enough for at least 25 px between two stops (17 stops once had 94 px)."""
    slider = explorer.controls()[name]
    assert slider.layout.width == getattr(explorer, width)
    track = int(slider.layout.width.removesuffix("px")) - 110 - 100  # the description, then the readout
    assert track / (len(slider.options) - 1) >= 25, (name, len(slider.options))
    assert slider.continuous_update is False  # one redraw when the handle is let go, not one per stop crossed


def test_steps_slider_is_log_spaced():
    """A stop of the steps slider multiplies the number of steps by at most 2.5 (200 -> 1,890 was one drag)."""
    stops = np.array(explorer.STEPS)
    assert np.all(np.diff(stops) > 0) and np.all(stops[1:] / stops[:-1] <= 2.5)
    assert explorer.DEFAULTS["steps"] in explorer.STEPS and explorer.controls()["steps"].value == 200


def test_start_boxes_keep_the_start_inside_the_plot(monkeypatch):
    boxes = explorer.controls()
    bowl = landscapes.get("bowl")
    assert (boxes["start_x"].min, boxes["start_x"].max) == bowl.xlim
    assert (boxes["start_y"].min, boxes["start_y"].max) == bowl.ylim
    boxes["start_x"].value = -2.5  # typed outside the drawn box: clamped to its edge
    assert boxes["start_x"].value == bowl.xlim[0]
    monkeypatch.setattr("IPython.display.display", lambda *args, **kwargs: FakeHandle(args[0]))
    boxes = explorer.show()
    boxes["landscape"].value = "rosenbrock"  # the bounds follow the landscape, and so does the start
    rosenbrock = landscapes.get("rosenbrock")
    assert (boxes["start_y"].min, boxes["start_y"].max) == rosenbrock.ylim
    assert (boxes["start_x"].value, boxes["start_y"].value) == rosenbrock.start


def test_run_refuses_a_start_outside_the_box():
    with pytest.raises(ValueError, match="start_x"):
        explorer.run(start_x=-2.5)
    with pytest.raises(ValueError, match="start_y"):
        explorer.run("saddle", "GD", learning_rate=0.1, start_y=3.0)


@pytest.mark.parametrize("optimizer, enabled", [("GD", set()), ("Momentum", {"beta"}), ("Nesterov", {"beta"}),
                                                ("RMSprop", {"beta"}), ("Adam", {"beta", "beta_2"})])
def test_beta_sliders_are_disabled_when_the_optimizer_ignores_them(monkeypatch, optimizer, enabled):
    monkeypatch.setattr("IPython.display.display", lambda *args, **kwargs: FakeHandle(args[0]))
    boxes = explorer.show()
    boxes["optimizer"].value = optimizer
    assert {name for name in ("beta", "beta_2") if not boxes[name].disabled} == enabled
    assert set(explorer.USES[optimizer]) == enabled


@pytest.mark.parametrize("optimizer", explorer.OPTIMIZER_NAMES)
def test_an_ignored_beta_changes_nothing(optimizer):
    """What USES says: a hyperparameter an optimizer does not list leaves its path unchanged."""
    base, _ = explorer.run("bowl", optimizer, learning_rate=0.01, beta=0.9, beta_2=0.999, steps=20)
    for name, value in (("beta", 0.5), ("beta_2", 0.9)):
        moved, _ = explorer.run("bowl", optimizer, learning_rate=0.01, **{"beta": 0.9, "beta_2": 0.999, name: value},
                                steps=20)
        assert np.array_equal(base, moved) == (name not in explorer.USES[optimizer]), (optimizer, name)


def test_the_figure_fits_the_notebook():
    fig, _ = explorer.draw()
    assert fig.get_size_inches()[0] * fig.dpi <= 960


def test_learning_rate_stops_straddle_the_stability_limits():
    """GD's limit on the bowl, 2/100, lies between two stops: GD converges at the one below, diverges at the one above."""
    rates = np.array(explorer.LEARNING_RATES)
    limit = 2 / landscapes.BOWL_CONDITION
    below, above = rates[rates < limit].max(), rates[rates > limit].min()
    assert below >= 0.7 * limit and above <= 1.3 * limit
    f = landscapes.get("bowl").f
    assert f(explorer.run("bowl", "GD", learning_rate=below, steps=500)[0][-1]) < 1e-6
    grown, _ = explorer.run("bowl", "GD", learning_rate=above, steps=500)
    assert len(grown) < 501 or f(grown[-1]) > f(grown[0])
    momentum_limit = 2 * (1 + 0.9) / ((1 - 0.9) * landscapes.BOWL_CONDITION)
    assert rates[rates < momentum_limit].max() >= 0.7 * momentum_limit
    assert rates[rates > momentum_limit].min() <= 1.5 * momentum_limit
    assert explorer.DEFAULTS["learning_rate"] in explorer.LEARNING_RATES


def test_rmsprop_is_the_lecture_form_of_the_exercise():
    """The explorer's RMSprop puts epsilon outside the root, as the notebook's rmsprop_update does."""
    W, s = np.array([-2.0, 1.0]), np.zeros(2)
    grad = landscapes.get("bowl").grad(W)
    s = 0.9 * s + 0.1 * grad ** 2
    expected = W - 0.01 * grad / (np.sqrt(s) + explorer.RMSPROP_EPSILON)
    points, _ = explorer.run("bowl", "RMSprop", learning_rate=0.01, beta=0.9, steps=1)
    assert_allclose(points[1], expected, rtol=1e-14)
