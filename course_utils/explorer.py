"""An interactive optimizer explorer: choose a landscape, an optimizer and its settings, see the path.

``draw`` is the whole picture, with no widgets: the path on the contour plot (left) and the loss
against the step on a log scale (right). ``show`` wires ``draw`` to ipywidgets controls in a
notebook: it displays the default figure as an ordinary output (so a notebook viewer with no
kernel still shows it) and redraws that same output whenever a control moves::

    from course_utils import explorer
    explorer.show()                       # in a notebook with a running kernel
    explorer.draw("saddle", "Adam", learning_rate=0.1, steps=150)      # anywhere

The controls are made for a mouse: every slider has a fixed, wide track (``WIDE_SLIDER_WIDTH`` for the
learning rate and the steps, each on its own row; ``SLIDER_WIDTH`` for the betas) and a short list of exact stops, log-spaced for the learning rate and the number of steps, so a drag of
a few centimetres moves a few stops, not across orders of magnitude; the start point cannot be
typed outside the drawn box; and the sliders of hyperparameters the chosen optimizer ignores are
disabled (``USES``).
"""

import matplotlib.pyplot as plt
import numpy as np

from . import landscapes, optimizers, plotting
from ._validation import check_choice, check_int, check_positive

OPTIMIZER_NAMES = ("GD", "Momentum", "Nesterov", "RMSprop", "Adam")
USES = {"GD": (), "Momentum": ("beta",), "Nesterov": ("beta",), "RMSprop": ("beta",),
        "Adam": ("beta", "beta_2")}  # the hyperparameters each optimizer reads; the others' sliders are disabled
# The learning-rate slider's stops: 1, 1.5, 2, 2.5, 3, 5 per decade from 0.001 to 1, values that are exact (a
# FloatLogSlider would snap 0.03 to 10^-1.5 = 0.0316 and redraw as soon as it appears). 0.015 and 0.025 straddle
# GD's limit on the bowl and the steep saddle, 2/100 (at 0.02 itself GD neither converges nor diverges); 0.3 and
# 0.5 straddle Momentum's, 2 (1 + beta) / ((1 - beta) 100) = 0.38 at beta 0.9.
LEARNING_RATES = tuple(round(m * 10.0**e, 6) for e in range(-3, 0) for m in (1, 1.5, 2, 2.5, 3, 5)) + (1.0,)
STEPS = (10, 20, 30, 50, 100, 200, 300, 500, 1000, 2000)  # log-spaced too: one stop is at most a factor 2
BETAS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99)  # exact stops, as for the learning rate
BETA_2S = (0.9, 0.99, 0.995, 0.999, 0.9999)
RMSPROP_EPSILON = 1e-8  # RMSprop as the notebook's rmsprop_update: alpha dW / (sqrt(s) + epsilon)
DEFAULTS = {"landscape": "bowl", "optimizer": "Momentum", "learning_rate": 0.03, "beta": 0.9, "beta_2": 0.999,
            "steps": 200, "start_x": None, "start_y": None}
SLIDER_WIDTH = "440px"  # two controls per row: description 110 px, a track of about 220 px, the value
WIDE_SLIDER_WIDTH = "820px"  # the learning rate and the steps, a row each: a track of about 600 px, 35 px per stop
FIGSIZE = (9.4, 3.6)  # inches at 100 dpi: within the 960 px a notebook shows unscaled


def make_optimizer(name, learning_rate, beta=0.9, beta_2=0.999):
    """A fresh optimizer from the explorer's controls.

    ``beta`` is Momentum's beta, Nesterov's momentum, RMSprop's rho and Adam's beta_1; ``beta_2`` is
    Adam's (``USES`` lists which each optimizer reads). RMSprop is the lecture's (epsilon outside the square
    root, ``RMSPROP_EPSILON``), as the notebook's exercise writes it. Nesterov is Keras's
    ``SGD(learning_rate * (1 - beta), momentum=beta, nesterov=True)``, so the same learning rate means the
    same step size as the lecture's Momentum.
    """
    check_choice(name, "optimizer", OPTIMIZER_NAMES)
    if name == "GD":
        return optimizers.GD(learning_rate)
    if name == "Momentum":
        return optimizers.Momentum(learning_rate, beta=beta)
    if name == "Nesterov":
        check_positive(learning_rate, "learning_rate")  # before it is rescaled
        return optimizers.SGD(learning_rate * (1.0 - beta), momentum=beta, nesterov=True)
    if name == "RMSprop":  # the lecture's form, as the notebook's exercise writes it: epsilon outside the root
        return optimizers.RMSprop(learning_rate, rho=beta, epsilon=RMSPROP_EPSILON, epsilon_form="textbook")
    return optimizers.Adam(learning_rate, beta_1=beta, beta_2=beta_2)


def start_point(landscape, start_x=None, start_y=None):
    """The start (x, y): the landscape's own where an argument is None; it must lie inside the drawn box."""
    land = landscapes.get(landscape)
    start = (land.start[0] if start_x is None else start_x, land.start[1] if start_y is None else start_y)
    for name, value, (low, high) in (("start_x", start[0], land.xlim), ("start_y", start[1], land.ylim)):
        if not low <= value <= high:  # also refuses NaN
            raise ValueError(f"`{name}` must lie inside the drawn box of {land.name}, [{low:g}, {high:g}]; "
                             f"received {name}={value!r}.")
    return start


def run(landscape="bowl", optimizer="Momentum", learning_rate=0.03, beta=0.9, beta_2=0.999, steps=200,
        start_x=None, start_y=None):
    """The points visited, shape (n, 2), and the loss at each, shape (n,); n = steps + 1 unless it diverged."""
    land = landscapes.get(landscape)
    steps = check_int(steps, "steps", 1)
    start = start_point(landscape, start_x, start_y)
    points = landscapes.path(land, make_optimizer(optimizer, learning_rate, beta, beta_2), start=start, steps=steps)
    return points, land.f(points)


def draw(landscape="bowl", optimizer="Momentum", learning_rate=0.03, beta=0.9, beta_2=0.999, steps=200,
         start_x=None, start_y=None, fig=None):
    """Draw one run: the path on the landscape's contours, and the loss (minus the minimum, if any) per step.

    Returns ``(fig, (ax_path, ax_loss))``. Arguments as for ``run``; a new figure if ``fig`` is None.
    """
    points, losses = run(landscape, optimizer, learning_rate, beta, beta_2, steps, start_x, start_y)
    return _figure(points, losses, landscape, optimizer, learning_rate, steps, fig)


def _figure(points, losses, landscape, optimizer, learning_rate, steps, fig=None):
    """``draw``'s picture of a run already made by ``run``."""
    land = landscapes.get(landscape)
    if fig is None:
        fig = plt.figure(figsize=FIGSIZE, layout="none")  # placed by hand below: faster than a layout engine
    fig.clear()
    ax_path, ax_loss = fig.subplots(1, 2)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.14, top=0.9, wspace=0.28)
    label = f"{optimizer}, lr {learning_rate:.3g}"
    plotting.optimizer_paths(land, {label: points}, ax=ax_path, resolution=150,
                             title=f"{landscape}: {len(points) - 1} steps")
    if land.minimum is not None:
        gap = losses - float(land.f(np.array(land.minimum)))
        ax_loss.plot(np.arange(len(points)), np.maximum(gap, 1e-300), label=label)
        ax_loss.set(yscale="log", ylabel="f - f(minimum)")
    else:
        ax_loss.plot(np.arange(len(points)), losses, label=label)
        ax_loss.set(yscale="symlog", ylabel="f")
    diverged = " (diverged)" if len(points) < steps + 1 else ""
    ax_loss.set(xlabel="step", title=f"loss per step{diverged}")
    ax_loss.legend()
    return fig, (ax_path, ax_loss)


def summary(landscape="bowl", optimizer="Momentum", learning_rate=0.03, beta=0.9, beta_2=0.999, steps=200,
            start_x=None, start_y=None):
    """One line describing the end of a run: the steps taken, the final point and its loss."""
    points, losses = run(landscape, optimizer, learning_rate, beta, beta_2, steps, start_x, start_y)
    return _caption(points, losses, landscape, optimizer, learning_rate)


def _caption(points, losses, landscape, optimizer, learning_rate):
    """``summary``'s line for a run already made by ``run``."""
    x, y = points[-1]
    return (f"{optimizer} on {landscape}, lr {learning_rate:.3g}: after {len(points) - 1} steps at "
            f"({x:.4g}, {y:.4g}), f = {losses[-1]:.4g}")


def controls():
    """The explorer's ipywidgets, keyed by ``draw``'s argument names, set to ``DEFAULTS``.

    Sliders get a fixed width (``WIDE_SLIDER_WIDTH`` or ``SLIDER_WIDTH``) so their tracks are long enough to drag; the start boxes
    accept only points inside the default landscape's box; the beta sliders the default optimizer ignores
    are disabled.
    """
    import ipywidgets as widgets  # only the live explorer needs it

    style = {"description_width": "110px"}
    wide = {"style": style, "layout": widgets.Layout(width=SLIDER_WIDTH)}
    wider = {"style": style, "layout": widgets.Layout(width=WIDE_SLIDER_WIDTH)}
    land = landscapes.get(DEFAULTS["landscape"])
    boxes = {
        "landscape": widgets.Dropdown(options=list(landscapes.LANDSCAPES), value=DEFAULTS["landscape"],
                                      description="landscape", **wide),
        "optimizer": widgets.Dropdown(options=list(OPTIMIZER_NAMES), value=DEFAULTS["optimizer"],
                                      description="optimizer", **wide),
        "learning_rate": widgets.SelectionSlider(options=[(f"{lr:g}", lr) for lr in LEARNING_RATES],
                                                 value=DEFAULTS["learning_rate"], description="learning rate",
                                                 continuous_update=False, **wider),
        "beta": widgets.SelectionSlider(options=BETAS, value=DEFAULTS["beta"], description="beta (or rho)",
                                        continuous_update=False, **wide),
        "beta_2": widgets.SelectionSlider(options=BETA_2S, value=DEFAULTS["beta_2"], description="beta_2 (Adam)",
                                          continuous_update=False, **wide),
        "steps": widgets.SelectionSlider(options=STEPS, value=DEFAULTS["steps"], description="steps",
                                         continuous_update=False, **wider),
        "start_x": widgets.BoundedFloatText(value=land.start[0], min=land.xlim[0], max=land.xlim[1], step=0.1,
                                            description="start x", **wide),
        "start_y": widgets.BoundedFloatText(value=land.start[1], min=land.ylim[0], max=land.ylim[1], step=0.1,
                                            description="start y", **wide),
    }
    _enable_for(boxes, DEFAULTS["optimizer"])
    return boxes


def _enable_for(boxes, optimizer):
    """Disable the sliders of the hyperparameters ``optimizer`` ignores (``USES``), enable the others."""
    for name in ("beta", "beta_2"):
        boxes[name].disabled = name not in USES[optimizer]


def _move_start_to(boxes, landscape):
    """Bound the start boxes by ``landscape``'s drawn box and put them at its start point."""
    land = landscapes.get(landscape)
    for box, (low, high), value in ((boxes["start_x"], land.xlim, land.start[0]),
                                    (boxes["start_y"], land.ylim, land.start[1])):
        box.min, box.max = -np.inf, np.inf  # widen first, so no intermediate bound clips the value
        box.value = value
        box.min, box.max = low, high


def show():
    """Display the default figure and a line of text, then controls that redraw both in place.

    Returns the controls (a dict of widgets), so code or tests can move them.
    """
    import ipywidgets as widgets
    from IPython.display import display

    boxes = controls()
    keys = ("landscape", "optimizer", "learning_rate")
    points, losses = run()
    fig, _ = _figure(points, losses, *(DEFAULTS[k] for k in keys), DEFAULTS["steps"])
    figure_handle = display(fig, display_id=True)
    text_handle = display({"text/plain": _caption(points, losses, *(DEFAULTS[k] for k in keys))}, raw=True,
                          display_id=True)
    plt.close(fig)

    quiet = {"on": False}  # set while one change moves other controls, so the figure is drawn once

    def redraw(_change):
        if quiet["on"]:
            return
        values = {name: box.value for name, box in boxes.items()}
        try:
            points, losses = run(**values)  # once, for both the figure and the caption
        except (ValueError, TypeError) as error:  # e.g. a start point typed as NaN: say so, keep the controls
            text_handle.update({"text/plain": f"cannot draw: {error}"}, raw=True)
            return
        new_fig, _ = _figure(points, losses, *(values[k] for k in keys), values["steps"])
        figure_handle.update(new_fig)
        text_handle.update({"text/plain": _caption(points, losses, *(values[k] for k in keys))}, raw=True)
        plt.close(new_fig)

    def on_landscape(change):  # a new landscape starts from its own start point, inside its own box
        quiet["on"] = True
        try:
            _move_start_to(boxes, change["new"])
        finally:
            quiet["on"] = False
        redraw(change)

    def on_optimizer(change):
        _enable_for(boxes, change["new"])
        redraw(change)

    boxes["landscape"].observe(on_landscape, names="value")
    boxes["optimizer"].observe(on_optimizer, names="value")
    for name, box in boxes.items():
        if name not in ("landscape", "optimizer"):
            box.observe(redraw, names="value")
    display(widgets.VBox([widgets.HBox([boxes["landscape"], boxes["optimizer"]]),
                          boxes["learning_rate"], boxes["steps"],
                          widgets.HBox([boxes["beta"], boxes["beta_2"]]),
                          widgets.HBox([boxes["start_x"], boxes["start_y"]])]))
    return boxes
