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
    ("RMSprop", lambda: optimizers.RMSprop(0.02, rho=0.8)),
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
