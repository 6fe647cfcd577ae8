"""The report of a gradient check: one ``ArrayCheck`` per parameter array, and the verdict.

``GradcheckReport`` holds numbers only; ``str(report)`` (or ``report.table()`` and ``report.summary()``)
formats them, so a notebook prints the report and a test asserts on ``report.passed``/``report.failed``.

Thresholds on the relative error ||analytic - numerical|| / (||analytic|| + ||numerical||) of one array,
for float64 and a centered step eps = 1e-5 on a smooth loss: a correct backward pass gives 1e-9 or
less (the course's nets: 1e-11 to 1e-9), far below ``THRESHOLD = 1e-7``; a typical bug gives
``WRONG = 1e-3`` or more (one that barely changes a gradient, such as a tiny forgotten L2 term, can give
less); in between, suspect a small bug or a kink. A loss computed in float32 is no middle case: its rounding
(about 6e-8 |J| per value, divided by eps) gives 1e-3 or more at eps = 1e-5 on the course's nets, so check in
float64 (``check_model`` refuses float32 nets).

What a value means: a gradient off by a factor c > 0 gives |c - 1| / (c + 1) (c = 1/m: (m - 1)/(m + 1));
two unrelated arrays of equal norm (orthogonal, as random arrays of many entries nearly are) give
1/sqrt(2) ~ 0.71; a gradient of the wrong sign, or one that is zero where the other is not, gives 1.

An array none of whose entries (or directions) could be scored, because every perturbation crossed a
ReLU kink, is **not checked**: its error is NaN, its verdict "not checked", and the report does not pass.
A check that could not look at an array must not vouch for it.
"""

import dataclasses
import textwrap

import numpy as np

from .numerical import relative_error

THRESHOLD = 1e-7  # pass/fail: a correct float64 backward pass at eps=1e-5 stays well below this
WRONG = 1e-3  # at or above this, the gradient is wrong (between the two: suspicious)


def format_error(error, floor=1e-8):
    """A relative error as the report prints it: ``"3.3e-01"``, ``"<1e-08"`` below ``floor``, ``"-"`` for NaN.

    Errors below ``floor`` are all "far below the threshold"; their digits change with the CPU's rounding, so a
    stored notebook output that printed them would not be reproducible.
    """
    error = float(error)
    if np.isnan(error):
        return "-"
    return f"<{floor:.0e}" if floor and error < floor else f"{error:.1e}"


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
        noise: what rounding alone can give for ``distance``: sqrt(n) * 16 u max(|J|, 1) / eps for n
            scored values (u = 1.1e-16, float64's unit roundoff; 16 u is 8 machine epsilons). It grows as
            1/eps, so at very small steps it also forgives small real errors. An array whose gradient is
            almost zero has a large relative error made of rounding noise only; it counts as ok when
            ``distance <= noise``.
        note: what went wrong when it is not a number (a shape mismatch), else "".
        n_scored: entries (or directions) scored, None for all of them (the default). 0 means that every
            one was set aside: the array is not checked, and ``error`` is NaN.
        n_total: entries (or directions) there were to score, None when not recorded.
        kinked: a bool array, True for each entry (of ``shape``) or direction (of shape (k,)) that was set aside
            because its perturbation crossed a kink; None when not recorded. ``kinked.sum() == n_kinks``.
    """

    name: str
    shape: tuple
    error: float
    worst: list
    n_kinks: int = 0
    distance: float = 0.0
    noise: float = 0.0
    note: str = ""
    n_scored: int = None
    n_total: int = None
    kinked: np.ndarray = dataclasses.field(default=None, compare=False, repr=False)

    @property
    def checked(self):
        """False when every entry (or direction) was set aside at a kink: nothing was compared."""
        return self.n_scored is None or self.n_scored > 0

    @property
    def few_scored(self):
        """True when some, but fewer than half, of the entries (or directions) were scored."""
        return bool(self.checked and self.n_scored is not None and self.n_total and 2 * self.n_scored < self.n_total)

    def ok(self, threshold=THRESHOLD):
        """True when the array was checked and its error is below ``threshold``, or its distance within rounding
        noise. An array that was not checked is not ok (nor failed: see ``GradcheckReport.unchecked``)."""
        return self.checked and (self.error < threshold or self.distance <= self.noise)

    def verdict(self, threshold=THRESHOLD):
        """"ok" below ``threshold`` ("ok (noise)" if only within noise), "WRONG" from WRONG up, else "suspicious";
        "not checked" when no entry could be scored."""
        if not self.checked:
            return "not checked"
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
        """Names of the checked arrays whose error is at or above the threshold (and not within rounding noise)."""
        return [name for name, check in self.arrays.items() if check.checked and not check.ok(self.threshold)]

    @property
    def unchecked(self):
        """Names of the arrays none of whose entries (or directions) could be scored: every one crossed a kink."""
        return [name for name, check in self.arrays.items() if not check.checked]

    @property
    def passed(self):
        """True when the loss was deterministic, every array was checked, and none failed."""
        return self.deterministic and not self.failed and not self.unchecked

    @property
    def max_error(self):
        """The largest error of the checked arrays (NaN when none was checked)."""
        errors = [check.error for check in self.arrays.values() if check.checked]
        return max(errors) if errors else float("nan")

    def errors(self):
        """``{name: relative error}``; NaN for an array that was not checked."""
        return {name: check.error for name, check in self.arrays.items()}

    def table(self, worst=1, floor=1e-8):
        """One line per array: shape, relative error, verdict, entries set aside at kinks; for a failing array,
        its ``worst`` worst entries (index: analytic vs numerical).

        Errors below ``floor`` print as "<1e-08": their digits change with the CPU, so a stored notebook output
        would not be reproducible. ``errors()`` has the exact values. An array that was not checked prints "-"
        as its error; one with fewer than half of its entries scored says how many were.
        """
        unit = "entries" if self.method == "full" else "directions"
        lines = [f"{'array':<6}{'shape':>8}{'rel. error':>12}  {'verdict':<12}{'kinks':>5}  worst (index: analytic "
                 "vs numerical)"]
        for name, c in self.arrays.items():
            shape = "x".join(map(str, c.shape)) if c.shape else "()"
            error = format_error(c.error, floor)
            head = f"{name:<6}{shape:>8}{error:>12}  {c.verdict(self.threshold):<12}{c.n_kinks:>5}  "
            notes = [c.note] if c.note else []
            if not c.checked:
                notes.append(f"all {c.n_total} {unit} crossed a kink")
            elif c.few_scored:
                notes.append(f"only {c.n_scored} of {c.n_total} {unit} scored")
            if c.checked and not c.note and not c.ok(self.threshold):
                items = [f"{list(i) if isinstance(i, tuple) else i}: {a:+.4g} vs {n:+.4g}"
                         for i, a, n in c.worst[:worst]]
                notes.insert(0, f"\n{'':>{len(head)}}".join(items))
            lines.append((head + "; ".join(notes)).rstrip())
        return "\n".join(lines)

    def summary(self):
        """PASSED, FAILED or NOT PASSED (some array not checked), and why; wrapped at 100 characters.

        PASSED covers the entries that were scored: entries set aside at kinks are named as not checked, counted
        in the arrays that were checked (an array whose every entry was set aside is named as not checked).
        """
        if not self.deterministic:
            text = (f"FAILED: the loss changed by {self.loss_drift:.1e} between evaluations at the same point, so "
                    "the differences measure noise, not the gradient. Is dropout re-drawing its mask? Fix the "
                    "mask (copy.deepcopy(net) before each evaluation) or the seed.")
            return textwrap.fill(text, 100, subsequent_indent="  ")
        kinks = sum(c.n_kinks for name, c in self.arrays.items() if name not in self.unchecked)  # in checked arrays
        unit = ("entry" if self.method == "full" else "direction") if kinks == 1 else \
            ("entries" if self.method == "full" else "directions")
        notes = [f"{kinks} {unit} set aside at ReLU kinks, not checked: check {'it' if kinks == 1 else 'them'} "
                 "again at a smaller epsilon or at another point"] if kinks else []   # a z exactly 0 needs another point
        few = [name for name, c in self.arrays.items() if c.few_scored]
        notes += [f"{name} scored on {self.arrays[name].n_scored} of {self.arrays[name].n_total} only" for name in few]
        kink_note = f" ({'; '.join(notes)})" if notes else ""
        unchecked = (f"not checked: {', '.join(self.unchecked)} (every perturbation crossed a ReLU kink; check at "
                     "a point away from the kinks)") if self.unchecked else ""
        if self.failed:
            named = [f"{name} ({self.arrays[name].note or f'{self.arrays[name].error:.1e}'})" for name in self.failed]
            text = f"FAILED: {', '.join(named)}; the threshold is {self.threshold:.0e}{kink_note}"
            text += f"; {unchecked}" if unchecked else ""
        elif unchecked:
            text = f"NOT PASSED: {unchecked}; the other arrays are below {self.threshold:.0e}{kink_note}"
        else:
            text = f"PASSED: every array below {self.threshold:.0e}{kink_note}"
        return textwrap.fill(text, 100, subsequent_indent="  ")

    def __str__(self):
        return (f"{self.method} check, epsilon={self.epsilon:g}, {self.n_evaluations} loss evaluations\n"
                f"{self.table()}\n{self.summary()}")


def score_array(name, shape, analytic, numerical, crossed, n_worst, index_of, noise_per_value):
    """Score analytic against numerical values (entries or directional derivatives), kinks set aside."""
    keep = ~crossed
    error = relative_error(analytic[keep], numerical[keep]) if keep.any() else float("nan")
    # Gaps equal to 6 digits are ties, kept in index order: rounding must not pick the worst entry (the gaps of
    # a transposed square gradient come in exactly equal pairs, split only by the CPU's last digits).
    gap, kept = np.abs(analytic - numerical).ravel(), keep.ravel()
    key = np.full(gap.shape, -1.0)
    if kept.any():
        key[kept] = np.round(gap[kept] / max(float(gap[kept].max()), np.finfo(np.float64).tiny), 6)
    order = np.argsort(-key, kind="stable")[:n_worst]
    worst = [(index_of(i), float(analytic.flat[i]), float(numerical.flat[i])) for i in order if keep.flat[i]]
    n_scored = int(keep.sum())
    kinked = np.array(crossed, dtype=bool, copy=True)
    if n_scored == 0:  # every entry crossed a kink: nothing was compared, so there is no error to report
        return ArrayCheck(name, shape, float("nan"), [], int(crossed.sum()), n_scored=0, n_total=int(keep.size),
                          kinked=kinked)
    distance = float(np.linalg.norm(analytic[keep] - numerical[keep]))
    noise = float(np.sqrt(n_scored) * noise_per_value)
    return ArrayCheck(name, shape, error, worst, int(crossed.sum()), distance, noise, n_scored=n_scored,
                      n_total=int(keep.size), kinked=kinked)
