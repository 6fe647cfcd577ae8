"""Figures for the notebooks. Every function takes ``ax=None`` (a new figure if None) and returns the axes.

``use_course_style()`` (called in each notebook's settings cell) sets one style for every figure, made to be
read where JupyterLab shows it: beside the file browser a cell's output is about 930 px wide, and a wider
figure is scaled down with its text. At ``DPI`` = 100 a figure is 100 px per inch, so the course keeps every
figure at most ``MAX_WIDTH_IN`` = 9.6 inches (960 px) wide and its smallest text at 10 pt (about 14 px).
``panel_grid`` lays several panels out in rows instead of one wide strip.
"""

import math

import matplotlib.pyplot as plt
import numpy as np

CLASS_COLORS = ("#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd")
DPI = 100  # pixels per inch of a stored figure
MAX_WIDTH_IN = 9.6  # 960 px: fits JupyterLab's ~930 px output area with little scaling
COURSE_STYLE = {
    "figure.dpi": DPI,
    "savefig.dpi": "figure",
    "figure.figsize": (6.4, 4.0),  # 640 x 400 px
    "figure.constrained_layout.use": True,  # titles, labels and legends never overlap their neighbours
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.title_fontsize": 10,
    "figure.titlesize": 13,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 1.8,
    "legend.framealpha": 0.85,
}


def use_course_style():
    """Set ``COURSE_STYLE`` for every figure drawn from now on (call it after ``%matplotlib inline``)."""
    plt.rcParams.update(COURSE_STYLE)


def panel_grid(n, ncols=3, panel_size=(3.1, 2.7), sharex=False, sharey=False):
    """A figure with ``n`` panels in rows of at most ``ncols``, no wider than ``MAX_WIDTH_IN``.

    Returns ``(fig, axes)``, ``axes`` a flat list of the ``n`` axes (extra cells of the last row are removed).
    """
    if n < 1 or ncols < 1:
        raise ValueError(f"`n` and `ncols` must be at least 1; received n={n!r}, ncols={ncols!r}.")
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    width = panel_size[0] * ncols
    if width > MAX_WIDTH_IN:
        raise ValueError(f"{ncols} panels of width {panel_size[0]} in make a figure {width:.1f} in wide; "
                         f"at most {MAX_WIDTH_IN} in fits the notebook: use fewer columns (ncols) or narrower panels.")
    fig, grid = plt.subplots(nrows, ncols, figsize=(width, panel_size[1] * nrows), sharex=sharex, sharey=sharey,
                             squeeze=False)
    axes = list(grid.ravel())
    for extra in axes[n:]:
        extra.remove()
    return fig, axes[:n]


def _axes(ax, figsize=(5, 4)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def scatter_classes(X, y, ax=None, title=None, legend=True):
    """Scatter 2-D points X (m, 2) colored by their integer labels y (m,).

    ``legend`` adds a key saying which colour is which class ("y = 0", "y = 1", ...).
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"`X` must have shape (m, 2) to be drawn in 2-D; received shape {X.shape}.")
    if y.shape != (X.shape[0],):
        raise ValueError(f"`y` must have shape ({X.shape[0]},), one label per point; received shape {y.shape}.")
    ax = _axes(ax)
    for k in np.unique(y):
        ax.scatter(*X[y == k].T, s=12, color=CLASS_COLORS[k % len(CLASS_COLORS)], edgecolor="k", linewidth=0.3,
                   label=f"y = {k}")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title)
    if legend:
        ax.legend(title="class", loc="best", fontsize="small", title_fontsize="small", framealpha=0.8)
    return ax


def decision_boundary(model, X, y, ax=None, title=None, resolution=200, margin=0.25, legend=True):
    """Shade the regions ``model.predict`` assigns to each class and scatter (X, y) on top.

    Args:
        model: anything with ``predict(X) -> (m,)`` integer labels.
        X: (m, 2) points. y: (m,) labels.
        resolution: grid points per axis.
        margin: extra room around the data, as a fraction of its range.
        legend: a key saying which colour is which class (the shading uses the same colours).
    """
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"`X` must have shape (m, 2) to draw a 2-D boundary; received shape {X.shape}.")
    ax = _axes(ax)
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = margin * (hi - lo)
    g0, g1 = np.meshgrid(np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution),
                         np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution))
    labels = model.predict(np.column_stack([g0.ravel(), g1.ravel()])).reshape(g0.shape)
    n_classes = int(max(labels.max(), np.max(y))) + 1
    colors = [CLASS_COLORS[k % len(CLASS_COLORS)] for k in range(n_classes)]
    ax.contourf(g0, g1, labels, levels=np.arange(n_classes + 1) - 0.5, colors=colors, alpha=0.25)
    return scatter_classes(X, y, ax=ax, title=title, legend=legend)


def loss_curves(curves, ax=None, log=True, xlabel="iteration", ylabel="cost", title=None):
    """One line per entry of ``curves``: ``{label: History or sequence of losses}``."""
    ax = _axes(ax)
    for label, values in curves.items():
        values = getattr(values, "loss", values)
        ax.plot(np.arange(1, len(values) + 1), values, label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def layer_profile(values, ax=None, log=True, ylabel="", title=None):
    """A per-layer quantity (activation std, gradient norm, ...) against depth, one line per entry.

    ``values`` maps a label to an array of shape (n_layers,); layer numbers start at 1.
    """
    ax = _axes(ax)
    for label, v in values.items():
        v = np.asarray(v, dtype=np.float64)
        ax.plot(np.arange(1, v.size + 1), v, marker="o", markersize=3, label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("layer")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(fontsize="small")
    return ax


def layer_histograms(activations, ax=None, layers=None, bins=60, title=None):
    """Overlaid histograms of the values of several layers' activations.

    Args:
        activations: a list [A_1, ..., A_n] of arrays (from ``diagnostics.hidden_activations``).
        layers: which layers to draw (1-based); by default about five spread over the depth.
    """
    ax = _axes(ax)
    n = len(activations)
    if layers is None:
        layers = sorted(set(np.linspace(1, n, min(n, 5)).round().astype(int)))
    for l in layers:
        if not 1 <= l <= n:
            raise ValueError(f"`layers` must be within 1..{n}; received {l}.")
        ax.hist(np.ravel(activations[l - 1]), bins=bins, histtype="step", density=True, label=f"layer {l}")
    ax.set_xlabel("activation value")
    ax.set_ylabel("density")
    if title:
        ax.set_title(title)
    ax.legend(fontsize="small")
    return ax


def optimizer_paths(landscape, paths, ax=None, title=None, resolution=300):
    """Contours of a 2-D ``landscape`` with one optimizer path per entry of ``paths``.

    Args:
        landscape: a ``landscapes.Landscape``.
        paths: ``{label: points}``, each of shape (n, 2) (from ``landscapes.path``).
    The start is a black dot, each path's end a square in its colour, the minimum (if any) a star;
    contours are log-spaced above the
    minimum when there is one (valleys are visible), evenly spaced otherwise (the saddle).
    """
    ax = _axes(ax, figsize=(5, 4.2))
    g0, g1 = np.meshgrid(np.linspace(*landscape.xlim, resolution), np.linspace(*landscape.ylim, resolution))
    F = landscape.f(np.stack([g0, g1], axis=-1))
    if landscape.minimum is not None:
        f_min = float(landscape.f(np.array(landscape.minimum)))
        levels = f_min + np.geomspace(1e-3, max(F.max() - f_min, 1e-2), 20)
    else:
        levels = np.linspace(F.min(), F.max(), 21)
    ax.contour(g0, g1, F, levels=levels, colors="0.6", linewidths=0.6)
    for label, points in paths.items():
        points = np.asarray(points)
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(f"`paths[{label!r}]` must have shape (n, 2); received shape {points.shape}.")
        (line,) = ax.plot(points[:, 0], points[:, 1], marker="o", markersize=1.5, linewidth=1.2, alpha=0.85,
                          label=label)
        ax.plot(*points[-1], marker="s", markersize=5, color=line.get_color(), label="_end")  # where it stopped
    first = np.asarray(next(iter(paths.values())))[0] if paths else None
    if first is not None:
        ax.plot(*first, "ko", markersize=5, label="start")
    if landscape.minimum is not None:
        ax.plot(*landscape.minimum, "k*", markersize=11, label="minimum")
    ax.set_xlim(landscape.xlim)
    ax.set_ylim(landscape.ylim)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.set_title(title or landscape.name)
    ax.legend(fontsize="small", loc="best")
    return ax


def learning_rate_curves(curves, ax=None, log=True, xlabel="step", title="learning-rate schedules"):
    """One line per ``{label: (steps, rates)}`` entry: learning rate against the step."""
    ax = _axes(ax)
    for label, (steps, rates) in curves.items():
        ax.plot(steps, rates, label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("learning rate")
    ax.set_title(title)
    ax.legend(fontsize="small")
    return ax
