"""Tests for course_utils.plotting: every function draws on the axes it is given, or on new ones, and returns them."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from numpy.testing import assert_allclose

from course_utils import landscapes, optimizers, plotting, training


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


class ThresholdModel:
    """Predicts 1 when x_1 > 0: the boundary is the vertical line x_1 = 0."""

    def predict(self, X):
        return (np.asarray(X)[:, 0] > 0).astype(int)


X2 = np.array([[-1.0, -1.0], [-0.5, 1.0], [0.5, -1.0], [1.0, 1.0]])
Y2 = np.array([0, 0, 1, 1])
HISTORY = training.History(loss=[1.0, 0.5, 0.25])
ACTIVATIONS = [np.random.default_rng(l).standard_normal((50, 8)) / l for l in range(1, 7)]

DRAWERS = {
    "decision_boundary": lambda ax: plotting.decision_boundary(ThresholdModel(), X2, Y2, ax=ax, resolution=20),
    "loss_curves": lambda ax: plotting.loss_curves({"GD": HISTORY}, ax=ax),
    "layer_profile": lambda ax: plotting.layer_profile({"he": [1.0, 0.9, 0.8]}, ax=ax),
    "layer_histograms": lambda ax: plotting.layer_histograms(ACTIVATIONS, ax=ax),
}


@pytest.mark.parametrize("draw", DRAWERS.values(), ids=DRAWERS.keys())
def test_draws_on_the_given_axes(draw):
    fig, ax = plt.subplots()
    assert draw(ax) is ax
    assert plt.get_fignums() == [fig.number], "no extra figure"
    assert ax.has_data()


@pytest.mark.parametrize("draw", DRAWERS.values(), ids=DRAWERS.keys())
def test_creates_axes_when_none_given(draw):
    assert plt.get_fignums() == []
    ax = draw(None)
    assert isinstance(ax, Axes)
    assert ax.has_data()
    assert len(plt.get_fignums()) == 1


def test_decision_boundary_shades_both_classes_and_scatters_the_data():
    ax = plotting.decision_boundary(ThresholdModel(), X2, Y2, title="threshold", resolution=20)
    assert len(ax.collections) >= 3  # the filled contour, then one scatter per class
    scatters = [c for c in ax.collections if c.get_label().startswith("y = ")]
    assert [c.get_label() for c in scatters] == ["y = 0", "y = 1"]
    assert [len(c.get_offsets()) for c in scatters] == [2, 2]
    assert ax.get_title() == "threshold"


@pytest.mark.parametrize("draw", [
    lambda **kw: plotting.scatter_classes(X2, Y2, **kw),
    lambda **kw: plotting.decision_boundary(ThresholdModel(), X2, Y2, resolution=20, **kw),
], ids=["scatter_classes", "decision_boundary"])
def test_class_legend_says_which_colour_is_which_class(draw):
    legend = draw().get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["y = 0", "y = 1"]
    colours = [tuple(h.get_facecolor()[0][:3]) for h in legend.legend_handles]
    assert colours == [matplotlib.colors.to_rgb(plotting.CLASS_COLORS[k]) for k in (0, 1)]
    assert draw(legend=False).get_legend() is None


@pytest.mark.parametrize("X", [np.zeros((4, 3)), np.zeros(4), np.zeros((4, 1))], ids=["3-columns", "1-D", "1-column"])
def test_decision_boundary_rejects_non_2d_points(X):
    with pytest.raises(ValueError, match=r"`X` must have shape \(m, 2\)"):
        plotting.decision_boundary(ThresholdModel(), X, Y2)


@pytest.mark.parametrize("curve", [HISTORY, [1.0, 0.5, 0.25], np.array([1.0, 0.5, 0.25])],
                         ids=["History", "list", "array"])
def test_loss_curves_accepts_history_or_sequence(curve):
    ax = plotting.loss_curves({"run": curve})
    (line,) = ax.get_lines()
    assert list(line.get_xdata()) == [1, 2, 3]
    assert list(line.get_ydata()) == [1.0, 0.5, 0.25]
    assert line.get_label() == "run"
    assert ax.get_yscale() == "log"


def test_loss_curves_one_line_per_entry_and_linear_scale():
    ax = plotting.loss_curves({"a": [3, 2], "b": HISTORY}, log=False, xlabel="epoch")
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    assert ax.get_yscale() == "linear"
    assert ax.get_xlabel() == "epoch"


def test_layer_profile_numbers_layers_from_one():
    ax = plotting.layer_profile({"std": [4.0, 2.0, 1.0, 0.5]}, ylabel="activation std")
    (line,) = ax.get_lines()
    assert list(line.get_xdata()) == [1, 2, 3, 4]
    assert ax.get_ylabel() == "activation std"


@pytest.mark.parametrize("layers, expected", [(None, 5), ([1, 6], 2), ([3], 1)])
def test_layer_histograms_draws_one_histogram_per_layer(layers, expected):
    ax = plotting.layer_histograms(ACTIVATIONS, layers=layers)
    labels = [p.get_label() for p in ax.patches]
    assert len(labels) == expected
    if layers:
        assert labels == [f"layer {l}" for l in layers]


@pytest.mark.parametrize("layer", [0, 7, -1])
def test_layer_histograms_rejects_out_of_range_layers(layer):
    with pytest.raises(ValueError, match=r"`layers` must be within 1\.\.6"):
        plotting.layer_histograms(ACTIVATIONS, layers=[layer])


def test_optimizer_paths_draws_one_line_per_path_with_labels():
    land = landscapes.get("bowl")
    paths = {"GD": landscapes.path(land, optimizers.GD(0.03), steps=20),
             "Adam": landscapes.path(land, optimizers.Adam(0.1), steps=30)}
    ax = plotting.optimizer_paths(land, paths)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert len(lines["GD"].get_xdata()) == 21 and len(lines["Adam"].get_xdata()) == 31
    assert_allclose(lines["Adam"].get_ydata(), paths["Adam"][:, 1])
    assert {"start", "minimum"} <= set(lines)
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title() == "bowl"
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == ["GD", "Adam"]
    plt.close("all")


def test_optimizer_paths_on_the_saddle_has_no_minimum_marker():
    land = landscapes.get("saddle")
    ax = plotting.optimizer_paths(land, {"GD": landscapes.path(land, optimizers.GD(0.1), steps=5)})
    assert "minimum" not in [line.get_label() for line in ax.get_lines()]
    plt.close("all")


def test_optimizer_paths_rejects_a_bad_path():
    with pytest.raises(ValueError, match="paths"):
        plotting.optimizer_paths(landscapes.get("bowl"), {"bad": np.zeros((5, 3))})
    plt.close("all")


def test_learning_rate_curves():
    ax = plotting.learning_rate_curves({"a": ([0, 1, 2], [0.1, 0.05, 0.01]), "b": ([0, 2], [0.1, 0.1])})
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    assert ax.get_yscale() == "log" and ax.get_ylabel() == "learning rate"
    plt.close("all")


# ---------------------------------------------------------------- the course style


def test_the_course_style_keeps_every_text_at_least_9_px_tall_at_the_stored_size():
    from course_utils import plotting

    style = plotting.COURSE_STYLE
    sizes = [style[key] for key in ("font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize",
                                    "ytick.labelsize", "legend.fontsize", "legend.title_fontsize", "figure.titlesize")]
    assert min(sizes) * style["figure.dpi"] / 72 >= 9 / 0.93  # still >= 9 px when 1,000 px are shown in 930
    assert style["figure.figsize"][0] * style["figure.dpi"] <= 1000


def test_use_course_style_sets_the_rc_and_panel_grid_wraps_into_rows():
    import matplotlib as mpl

    from course_utils import plotting

    with mpl.rc_context():
        plotting.use_course_style()
        assert mpl.rcParams["figure.dpi"] == plotting.DPI and mpl.rcParams["font.size"] == 11
        fig, axes = plotting.panel_grid(5, ncols=3)
        assert len(axes) == 5 and len(fig.axes) == 5  # the 6th cell is removed
        assert fig.get_size_inches()[0] * fig.dpi <= 1000 and fig.get_size_inches()[1] == pytest.approx(5.4)
        plt.close(fig)
        with pytest.raises(ValueError, match="at most 9.6 in fits the notebook"):
            plotting.panel_grid(5, ncols=5)
        with pytest.raises(ValueError, match="n=0"):
            plotting.panel_grid(0)
