"""Learning-rate schedules, mirroring ``keras.optimizers.schedules`` (same names, arguments and formulas).

A schedule is called with ``step``, the number of optimizer steps already taken (0 for the first
step), and returns a float. Pass one as an optimizer's ``learning_rate``::

    opt = optimizers.GD(learning_rate=schedules.InverseTimeDecay(0.1, decay_steps=1000, decay_rate=1.0,
                                                                 staircase=True))

With ``p = step / decay_steps`` (rounded down to an integer when ``staircase=True``):

=======================  =================================================================
ExponentialDecay         alpha_0 * decay_rate^p
InverseTimeDecay         alpha_0 / (1 + decay_rate * p)
PiecewiseConstantDecay   values[i] while boundaries[i-1] < step <= boundaries[i]
CosineDecay              a linear warmup to ``warmup_target`` over ``warmup_steps``, then
                         peak * ((1 - alpha) (1 + cos(pi * min(s, decay_steps) / decay_steps)) / 2 + alpha)
=======================  =================================================================

The lecture's "fixed interval decay", alpha = alpha_0 / (1 + decay_rate * floor(epoch / interval)),
is ``InverseTimeDecay(alpha_0, decay_steps=interval, decay_rate=decay_rate, staircase=True)``,
counting ``step`` in epochs when the optimizer takes one step per epoch, or with
``decay_steps = interval * batches_per_epoch`` for mini-batches.

Keras computes in float32 (the dtype of ``initial_learning_rate``); these compute in float64, so
the two agree to about 1e-7 relative.
"""

import math
import numbers

from ._validation import check_int, check_positive


def _check_step(step):
    if isinstance(step, bool) or not isinstance(step, numbers.Real) or step < 0 or not math.isfinite(step):
        raise ValueError(f"`step` must be a finite number >= 0 (the steps already taken); received step={step!r}.")
    return float(step)


def _check_staircase(staircase):
    if not isinstance(staircase, bool):
        raise TypeError(f"`staircase` must be True or False; received staircase={staircase!r}.")
    return staircase


class LearningRateSchedule:
    """Base class: subclasses implement ``rate(step)``; ``__call__`` checks ``step`` first."""

    def __call__(self, step):
        return float(self.rate(_check_step(step)))

    def rate(self, step):
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


class ExponentialDecay(LearningRateSchedule):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)``; the exponent floored if ``staircase``."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False):
        self.initial_learning_rate = check_positive(initial_learning_rate, "initial_learning_rate")
        self.decay_steps = check_positive(decay_steps, "decay_steps")
        self.decay_rate = check_positive(decay_rate, "decay_rate")
        self.staircase = _check_staircase(staircase)

    def rate(self, step):
        p = step / self.decay_steps
        return self.initial_learning_rate * self.decay_rate ** (math.floor(p) if self.staircase else p)


class InverseTimeDecay(LearningRateSchedule):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)``; the ratio floored if ``staircase``.

    With ``staircase=True`` this is the lecture's fixed-interval decay: the rate stays constant for
    ``decay_steps`` steps, then drops to alpha_0 / 2, alpha_0 / 3, ... (for ``decay_rate=1``).
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False):
        self.initial_learning_rate = check_positive(initial_learning_rate, "initial_learning_rate")
        self.decay_steps = check_positive(decay_steps, "decay_steps")
        self.decay_rate = check_positive(decay_rate, "decay_rate", allow_zero=True)
        self.staircase = _check_staircase(staircase)

    def rate(self, step):
        p = step / self.decay_steps
        return self.initial_learning_rate / (1.0 + self.decay_rate * (math.floor(p) if self.staircase else p))


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` while step <= boundaries[0], ``values[i]`` while boundaries[i-1] < step <= boundaries[i],
    and ``values[-1]`` after the last boundary. ``len(values) == len(boundaries) + 1``."""

    def __init__(self, boundaries, values):
        boundaries, values = list(boundaries), list(values)
        if len(values) != len(boundaries) + 1 or not boundaries:
            raise ValueError(f"`values` must have one more entry than `boundaries` (at least one); received "
                             f"{len(boundaries)} boundaries and {len(values)} values.")
        self.boundaries = [check_int(b, "boundaries", 0) for b in boundaries]
        if any(b >= c for b, c in zip(self.boundaries, self.boundaries[1:])):
            raise ValueError(f"`boundaries` must increase strictly; received boundaries={self.boundaries}.")
        self.values = [check_positive(v, "values") for v in values]

    def rate(self, step):
        for boundary, value in zip(self.boundaries, self.values):
            if step <= boundary:
                return value
        return self.values[-1]


class CosineDecay(LearningRateSchedule):
    """Optional linear warmup, then a half cosine from the peak down to ``alpha * peak`` (Loshchilov & Hutter).

    Args:
        initial_learning_rate: the rate at step 0; the peak as well when there is no warmup.
        decay_steps: steps of the cosine phase, after which the rate stays at ``alpha * peak``.
        alpha: the final rate as a fraction of the peak.
        warmup_target: the peak reached by a linear warmup from ``initial_learning_rate``; None = no warmup.
        warmup_steps: steps of the warmup.
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, warmup_target=None, warmup_steps=0):
        self.initial_learning_rate = check_positive(initial_learning_rate, "initial_learning_rate", allow_zero=True)
        self.decay_steps = check_positive(decay_steps, "decay_steps")
        self.alpha = check_positive(alpha, "alpha", allow_zero=True)
        if self.alpha > 1.0:
            raise ValueError(f"`alpha` must be in [0, 1], a fraction of the peak rate; received alpha={alpha!r}.")
        self.warmup_target = None if warmup_target is None else check_positive(warmup_target, "warmup_target")
        self.warmup_steps = check_int(warmup_steps, "warmup_steps", 0)
        if self.warmup_target is not None and self.warmup_steps == 0:
            raise ValueError("`warmup_steps` must be >= 1 when `warmup_target` is set; received warmup_steps=0.")

    def rate(self, step):
        peak, warmup = self.initial_learning_rate, 0
        if self.warmup_target is not None:
            if step < self.warmup_steps:
                return peak + (self.warmup_target - peak) * step / self.warmup_steps
            peak, warmup = self.warmup_target, self.warmup_steps
        fraction = min(step - warmup, self.decay_steps) / self.decay_steps
        return peak * ((1.0 - self.alpha) * 0.5 * (1.0 + math.cos(math.pi * fraction)) + self.alpha)
