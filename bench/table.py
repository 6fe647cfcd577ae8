"""One row of the `make bench` table: a speed ratio measured in one run, its goal, and the figures behind it."""

import dataclasses
import time

import numpy as np


@dataclasses.dataclass
class Row:
    """``ratio`` = reference time / our time (> 1: ours is faster), both measured in the same run.

    Attributes:
        section: the table section, e.g. ``"Training throughput"``.
        what: what was compared, e.g. ``"[64, 128, 64, 10], batch 64, float32, GD"``.
        ratio: reference time divided by our time (or, for a roofline, the fraction reached).
        goal: the ratio to reach, or None for a figure given as context only.
        context: the absolute figures behind the ratio, e.g. ``"11,200 vs 3,650 steps/s"``.
        percent: show the ratio as a percentage (a share), not as a factor.
    """

    section: str
    what: str
    ratio: float
    goal: "float | None" = None
    context: str = ""
    percent: bool = False

    @property
    def met(self):
        """True or False against the goal; None without a goal."""
        return None if self.goal is None else bool(self.ratio >= self.goal)


def median_time(fn, repeats=5, min_seconds=0.2, calls=None):
    """Median seconds per call of ``fn()`` over ``repeats`` timed batches, after one warm-up batch.

    Each batch makes ``calls`` calls; by default as many as fill ``min_seconds`` in the warm-up.
    Returns ``(seconds_per_call, calls_per_batch)``.
    """
    fn()
    if calls is None:
        calls, start = 0, time.perf_counter()
        while time.perf_counter() - start < min_seconds:
            fn()
            calls += 1
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - start) / calls)
    return float(np.median(times)), calls
