"""The report of a gradient check: one ``ArrayCheck`` per parameter array, and the verdict.

``GradcheckReport`` holds numbers only; ``str(report)`` (or ``report.table()`` and ``report.summary()``)
formats them, so a notebook prints the report and a test asserts on ``report.passed``/``report.failed``.

Thresholds on the relative error ||analytic - numerical|| / (||analytic|| + ||numerical||) of one array,
for float64 and a centered step eps = 1e-5 on a smooth loss: a correct backward pass gives 1e-9 or
less (the course's nets: 1e-11 to 1e-9), far below ``THRESHOLD = 1e-7``; a typical bug gives
``WRONG = 1e-3`` or more (one that barely changes a gradient, such as a tiny forgotten L2 term, can give
less); in between, suspect a bug, a kink, or a loss computed in float32.
"""

import dataclasses

import numpy as np

from .numerical import relative_error

THRESHOLD = 1e-7  # pass/fail: a correct float64 backward pass at eps=1e-5 stays well below this
WRONG = 1e-3  # at or above this, the gradient is wrong (between the two: suspicious)


@dataclasses.dataclass
class ArrayCheck:
    """The check of one parameter array.

    Attributes:
        name, shape: the array's key and shape.
        error: relative error of the analytic against the numerical values (entries, or directional
            derivatives), inf when the analytic gradient has the wrong shape.
        worst: up to n_worst tuples ``(index, analytic, numerical)``, largest |analytic - numerical|
            first; index is an entry's index (full check) or a direction's number (directional).
        n_kinks: entries (or directions) set aside because a perturbation crossed a ReLU kink.
        distance: ||analytic - numerical|| over the scored entries.
        noise: what rounding alone can give for ``distance``: sqrt(n) * 8 u max(|J|, 1) / eps for n
            scored values. An array whose gradient is almost zero has a large relative error made of
            rounding noise only; it counts as ok when ``distance <= noise``.
        note: what went wrong when it is not a number (a shape mismatch), else "".
    """

    name: str
    shape: tuple
    error: float
    worst: list
    n_kinks: int = 0
    distance: float = 0.0
    noise: float = 0.0
    note: str = ""

    def ok(self, threshold=THRESHOLD):
        """True when the error is below ``threshold``, or the distance is within rounding noise."""
        return self.error < threshold or self.distance <= self.noise

    def verdict(self, threshold=THRESHOLD):
        """"ok" below ``threshold`` ("ok (noise)" if only within noise), "WRONG" from WRONG up, else "suspicious"."""
        if self.ok(threshold):
            return "ok" if self.error < threshold else "ok (noise)"
        return "WRONG" if self.error >= WRONG else "suspicious"


@dataclasses.dataclass
class GradcheckReport:
    """The result of ``check_gradients``/``check_model``/``directional_check``; ``str(report)`` is a table.

    Attributes:
        method: "full" or "directional (k=...)".
        arrays: ``{name: ArrayCheck}`` in the order of ``params``.
        threshold, epsilon: as used.
        n_evaluations: loss evaluations (forward passes) the check cost.
        loss_drift: the largest change of the loss between evaluations at the unperturbed point;
            0.0 for a deterministic loss.
    """

    method: str
    arrays: dict
    threshold: float
    epsilon: float
    n_evaluations: int
    loss_drift: float = 0.0

    @property
    def deterministic(self):
        return self.loss_drift == 0.0

    @property
    def failed(self):
        """Names of the arrays whose error is at or above the threshold (and not within rounding noise)."""
        return [name for name, check in self.arrays.items() if not check.ok(self.threshold)]

    @property
    def passed(self):
        """True when the loss was deterministic and no array failed."""
        return self.deterministic and not self.failed

    @property
    def max_error(self):
        return max(check.error for check in self.arrays.values())

    def errors(self):
        """``{name: relative error}``."""
        return {name: check.error for name, check in self.arrays.items()}

    def table(self, worst=1, floor=1e-8):
        """One line per array: shape, relative error, verdict, kinks set aside; for a failing array, its
        ``worst`` worst entries (index: analytic vs numerical).

        Errors below ``floor`` print as "<1e-08": they are rounding noise, whose digits change with the
        CPU, so a stored notebook output would not be reproducible. ``errors()`` has the exact values.
        """
        lines = [f"{'array':<6}{'shape':>8}{'rel. error':>12}  {'verdict':<11}{'kinks':>5}  worst (index: analytic "
                 "vs numerical)"]
        for name, c in self.arrays.items():
            shape = "x".join(map(str, c.shape)) if c.shape else "()"
            error = f"<{floor:.0e}" if floor and c.error < floor else f"{c.error:.1e}"
            head = f"{name:<6}{shape:>8}{error:>12}  {c.verdict(self.threshold):<11}{c.n_kinks:>5}"
            if c.note or c.ok(self.threshold):
                lines.append(f"{head}  {c.note}".rstrip())
                continue
            items = [f"{list(i) if isinstance(i, tuple) else i}: {a:+.4g} vs {n:+.4g}" for i, a, n in c.worst[:worst]]
            lines.append(f"{head}  " + f"\n{'':>44}".join(items))
        return "\n".join(lines)

    def summary(self):
        """One line: PASSED or FAILED, and why."""
        if not self.deterministic:
            return (f"FAILED: the loss changed by {self.loss_drift:.1e} between evaluations at the same point, so "
                    "the differences measure noise, not the gradient. Is dropout re-drawing its mask? Fix the "
                    "mask (copy.deepcopy(net) before each evaluation) or the seed.")
        kinks = sum(c.n_kinks for c in self.arrays.values())
        unit = ("entry" if self.method == "full" else "direction") if kinks == 1 else \
            ("entries" if self.method == "full" else "directions")
        kink_note = f" ({kinks} {unit} set aside at ReLU kinks)" if kinks else ""
        if self.failed:
            named = [f"{name} ({self.arrays[name].note or f'{self.arrays[name].error:.1e}'})" for name in self.failed]
            return f"FAILED: {', '.join(named)}; the threshold is {self.threshold:.0e}{kink_note}"
        return f"PASSED: every array below {self.threshold:.0e}{kink_note}"

    def __str__(self):
        return (f"{self.method} check, epsilon={self.epsilon:g}, {self.n_evaluations} loss evaluations\n"
                f"{self.table()}\n{self.summary()}")


def score_array(name, shape, analytic, numerical, crossed, n_worst, index_of, noise_per_value):
    """Score analytic against numerical values (entries or directional derivatives), kinks set aside."""
    keep = ~crossed
    error = relative_error(analytic[keep], numerical[keep])
    # Gaps equal to 6 digits are ties, kept in index order: rounding must not pick the worst entry (the gaps of
    # a transposed square gradient come in exactly equal pairs, split only by the CPU's last digits).
    gap, kept = np.abs(analytic - numerical).ravel(), keep.ravel()
    key = np.full(gap.shape, -1.0)
    if kept.any():
        key[kept] = np.round(gap[kept] / max(float(gap[kept].max()), np.finfo(np.float64).tiny), 6)
    order = np.argsort(-key, kind="stable")[:n_worst]
    worst = [(index_of(i), float(analytic.flat[i]), float(numerical.flat[i])) for i in order if keep.flat[i]]
    distance = float(np.linalg.norm(analytic[keep] - numerical[keep]))
    noise = float(np.sqrt(keep.sum()) * noise_per_value)
    return ArrayCheck(name, shape, error, worst, int(crossed.sum()), distance, noise)
