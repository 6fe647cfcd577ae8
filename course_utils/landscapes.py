"""Two-dimensional test functions with analytic gradients, for watching optimizers move.

Each ``Landscape`` has ``f(p)`` and ``grad(p)`` for a point ``p = (x, y)`` (shape (2,); ``f`` also
takes a grid of shape (..., 2)), its minimum where it has one, a box to draw, and a start point.

============  =============================================================  ==================
name          f(x, y)                                                        minimum
============  =============================================================  ==================
bowl          (x^2 + 100 y^2) / 2: curvature 100 times larger along y        (0, 0)
rosenbrock    (1 - x)^2 + 100 (y - x^2)^2: a curved, flat-bottomed valley    (1, 1)
saddle        (x^2 - y^2) / 2: a minimum along x, a maximum along y          none (a saddle at 0)
steep_saddle  (100 x^2 - y^2) / 2: a saddle whose steep x caps GD's rate     none (a saddle at 0)
beale         (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2  (3, 0.5)
============  =============================================================  ==================

``path`` runs any ``course_utils.optimizers`` optimizer on a landscape (with exact gradients, or with a
noise added to each) and returns the points visited.
"""

import dataclasses
import typing

import numpy as np

from ._validation import as_float_array, check_choice, check_int

BOWL_CONDITION = 100.0  # ratio of the two curvatures: GD's stable step is set by the steep one, its speed
#                        by the shallow one, so GD needs about this many times more steps than a round bowl


@dataclasses.dataclass(frozen=True)
class Landscape:
    """A 2-D function with its gradient, its minimum (None for the saddle), a box to draw and a start."""

    name: str
    f: typing.Callable
    grad: typing.Callable
    minimum: typing.Optional[tuple]
    xlim: tuple
    ylim: tuple
    start: tuple


def _bowl(p):
    x, y = np.moveaxis(np.asarray(p, dtype=np.float64), -1, 0)
    return 0.5 * (x * x + BOWL_CONDITION * y * y)


def _bowl_grad(p):
    x, y = p
    return np.array([x, BOWL_CONDITION * y])


def _rosenbrock(p):
    x, y = np.moveaxis(np.asarray(p, dtype=np.float64), -1, 0)
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


def _rosenbrock_grad(p):
    x, y = p
    return np.array([-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)])


def _saddle(p):
    x, y = np.moveaxis(np.asarray(p, dtype=np.float64), -1, 0)
    return 0.5 * (x * x - y * y)


def _saddle_grad(p):
    x, y = p
    return np.array([x, -y])


def _steep_saddle(p):
    x, y = np.moveaxis(np.asarray(p, dtype=np.float64), -1, 0)
    return 0.5 * (BOWL_CONDITION * x * x - y * y)


def _steep_saddle_grad(p):
    x, y = p
    return np.array([BOWL_CONDITION * x, -y])


_BEALE_C = (1.5, 2.25, 2.625)


def _beale(p):
    x, y = np.moveaxis(np.asarray(p, dtype=np.float64), -1, 0)
    return sum((c - x + x * y ** k) ** 2 for k, c in enumerate(_BEALE_C, start=1))


def _beale_grad(p):
    x, y = p
    terms = [(c - x + x * y ** k, k) for k, c in enumerate(_BEALE_C, start=1)]
    dx = sum(2.0 * r * (y ** k - 1.0) for r, k in terms)
    dy = sum(2.0 * r * k * x * y ** (k - 1) for r, k in terms)
    return np.array([dx, dy])


LANDSCAPES = {
    "bowl": Landscape("bowl", _bowl, _bowl_grad, (0.0, 0.0), (-2.2, 2.2), (-1.1, 1.1), (-2.0, 1.0)),
    "rosenbrock": Landscape("rosenbrock", _rosenbrock, _rosenbrock_grad, (1.0, 1.0), (-2.0, 2.0), (-1.0, 3.0),
                            (-1.5, 2.0)),
    "saddle": Landscape("saddle", _saddle, _saddle_grad, None, (-2.0, 2.0), (-2.0, 2.0), (1.5, 1e-3)),
    "steep_saddle": Landscape("steep_saddle", _steep_saddle, _steep_saddle_grad, None, (-2.0, 2.0), (-2.0, 2.0),
                              (1.5, 1e-3)),
    "beale": Landscape("beale", _beale, _beale_grad, (3.0, 0.5), (-1.0, 4.5), (-1.5, 2.0), (1.0, 1.5)),
}


def get(name):
    """The ``Landscape`` called ``name`` (one of ``LANDSCAPES``)."""
    check_choice(name, "landscape", LANDSCAPES)
    return LANDSCAPES[name]


_NOISE_CHUNK = 1000  # noise draws made at once by ``path``


def path(landscape, optimizer, start=None, steps=100, noise=0.0, seed=0, until=None):
    """Run ``optimizer`` from ``start`` for ``steps`` steps; return the points visited, shape (steps + 1, 2).

    Args:
        landscape: a ``Landscape`` or its name.
        optimizer: a fresh ``course_utils.optimizers`` optimizer (it keeps state between steps).
        start: (x, y); the landscape's own start point if None.
        steps: number of optimizer steps.
        noise: the standard deviation of Gaussian noise added to every gradient (0: exact gradients).
            A tiny floor such as 1e-12 stands for the rounding and sampling noise real gradients
            always carry; without it a coordinate can underflow to exactly 0 and stay there.
        seed: the seed of the noise's generator (unused when ``noise`` is 0).
        until: None, or a test of the point, ``until(point) -> bool``, checked after every step: the run
            stops at the first point that passes it (included), e.g. ``lambda p: abs(p[1]) > 1``.

    The run also stops early, returning the points so far, if the point leaves a box 1e6 times the
    drawing box (the optimizer diverged).
    """
    if isinstance(landscape, str):
        landscape = get(landscape)
    steps = check_int(steps, "steps", 0)
    if not (isinstance(noise, (int, float, np.integer, np.floating)) and np.isfinite(noise) and noise >= 0):
        raise ValueError(f"`noise` must be a finite number >= 0; received noise={noise!r}.")
    point = as_float_array(landscape.start if start is None else start, "start", ndim=1).copy()
    if point.shape != (2,):
        raise ValueError(f"`start` must be a point (x, y); received shape {point.shape}.")
    if until is not None and not callable(until):
        raise TypeError(f"`until` must be None or a function of the point; received {until!r}.")
    rng = np.random.default_rng(seed) if noise else None
    params = {"xy": point}
    limit = 1e6 * max(map(abs, landscape.xlim + landscape.ylim))
    points = np.empty((steps + 1, 2), dtype=point.dtype)
    points[0] = point
    done = 0  # steps taken
    while done < steps:
        # The noise for the next steps in one draw: the same numbers as one standard_normal(2) per step.
        draws = rng.standard_normal((min(_NOISE_CHUNK, steps - done), 2)) if rng is not None else range(steps - done)
        for draw in draws:
            gradient = landscape.grad(point)
            if rng is not None:
                gradient = gradient + noise * draw
            optimizer.step(params, {"xy": gradient})
            done += 1
            points[done] = point
            x, y = point.tolist()
            if not (abs(x) < limit and abs(y) < limit) or (until is not None and until(point.copy())):  # NaN: not <
                return points[:done + 1].copy()  # stopped early: the points so far, without the unused rows
    return points
