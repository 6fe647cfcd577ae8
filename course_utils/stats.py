"""Statistics for claims about experiments run on many seeds, or measured on a finite test set.

A claim about training must hold across seeds, and an accuracy measured on m points is uncertain
by about its standard error. Everything here is distribution-free or exact, so it holds for the
bimodal outcomes that small nets often give (a layer dies or it does not):

* ``median_interval``: the median of per-seed values and a confidence interval for the true median,
  from order statistics. For n values, the interval ``[x_(k), x_(n+1-k)]`` (sorted, 1-based) covers the
  median with probability ``1 - 2 P(B <= k - 1)``, ``B ~ Binomial(n, 1/2)``; k is the largest that keeps
  this at least ``confidence``. For n = 20 and 95%: ``[x_(6), x_(15)]``, coverage 95.9%.
* ``sign_test``: seed by seed, how often a beats b, and the exact two-sided p-value of the sign test
  (ties dropped): the paired comparison that "A beats B" needs.
* ``accuracy_se``: the standard error sqrt(p (1 - p) / m) of an accuracy p measured on m points.
* ``count``: how many of the flags are true (a count over seeds).
"""

import dataclasses
import math

import numpy as np
from scipy import stats as _scipy_stats

from ._validation import as_float_array, check_int


@dataclasses.dataclass(frozen=True)
class MedianInterval:
    """The median of n values and a confidence interval for the true median.

    Attributes:
        median: the sample median. low, high: the interval's ends (order statistics).
        n: the number of values. coverage: the interval's exact coverage (at least the confidence asked
            for, when n allows it; for n < 6 the whole range, with less).
    """

    median: float
    low: float
    high: float
    n: int
    coverage: float

    def format(self, spec=".3g"):
        """``"93.0% [91.0%, 95.0%]"`` with ``spec`` applied to each number (e.g. ``".1%"``, ``".3f"``)."""
        return f"{self.median:{spec}} [{self.low:{spec}}, {self.high:{spec}}]"


def median_interval(values, confidence=0.95):
    """The median of ``values`` (one per seed) with a distribution-free confidence interval.

    Args:
        values: 1-D numbers, e.g. the test accuracy of each of 20 seeds.
        confidence: the coverage wanted, in (0, 1).
    Returns:
        A ``MedianInterval``.
    """
    x = np.sort(as_float_array(values, "values", ndim=1))
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"`confidence` must be in (0, 1); received confidence={confidence!r}.")
    n = x.size
    k = 1  # x_(1) .. x_(n) always covers with 1 - 2 / 2^n
    while k + 1 <= (n + 1) // 2 and 1 - 2 * _scipy_stats.binom.cdf(k, n, 0.5) >= confidence:
        k += 1
    coverage = float(1 - 2 * _scipy_stats.binom.cdf(k - 1, n, 0.5))
    return MedianInterval(float(np.median(x)), float(x[k - 1]), float(x[n - k]), n, coverage)


@dataclasses.dataclass(frozen=True)
class SignTest:
    """Seed-by-seed comparison of a with b.

    Attributes:
        wins: seeds where a > b. losses: seeds where a < b. ties: seeds where a == b.
        p_value: exact two-sided sign-test p-value over the seeds that are not ties (1.0 if all tie).
    """

    wins: int
    losses: int
    ties: int
    p_value: float

    @property
    def n(self):
        return self.wins + self.losses + self.ties


def sign_test(a, b, alternative="two-sided"):
    """Compare paired values ``a[s]`` and ``b[s]`` (the same seed s) with the sign test. Returns a ``SignTest``.

    Ties are dropped; under the null each untied seed is a win for ``a`` with probability 1/2, so the p-value is a
    binomial tail of ``wins`` out of ``wins + losses``. ``alternative="greater"`` tests "a beats b" alone:
    P(W >= wins); ``"two-sided"`` (the default) tests either direction.
    """
    a = as_float_array(a, "a", ndim=1)
    b = as_float_array(b, "b", ndim=1)
    if a.shape != b.shape:
        raise ValueError(f"`a` and `b` must hold one value per seed each; received shapes {a.shape} and {b.shape}.")
    if alternative not in ("two-sided", "greater"):
        raise ValueError(f'`alternative` must be "two-sided" or "greater"; received alternative={alternative!r}.')
    wins, losses = int(np.sum(a > b)), int(np.sum(a < b))
    ties = a.size - wins - losses
    p = (1.0 if wins + losses == 0
         else float(_scipy_stats.binomtest(wins, wins + losses, 0.5, alternative=alternative).pvalue))
    return SignTest(wins, losses, ties, p)


def accuracy_se(accuracy, m):
    """The standard error of an accuracy measured on ``m`` independent points: sqrt(p (1 - p) / m)."""
    m = check_int(m, "m", 1)
    if not 0.0 <= accuracy <= 1.0:
        raise ValueError(f"`accuracy` must be a fraction in [0, 1]; received accuracy={accuracy!r}.")
    return math.sqrt(accuracy * (1.0 - accuracy) / m)


def count(flags):
    """How many of ``flags`` (booleans, one per seed) are true, as an int."""
    flags = np.asarray(flags)
    if flags.ndim != 1 or flags.dtype != bool:
        raise TypeError(f"`flags` must be a 1-D array of booleans, one per seed; received dtype {flags.dtype} "
                        f"and shape {flags.shape}.")
    return int(flags.sum())


__all__ = ["MedianInterval", "median_interval", "SignTest", "sign_test", "accuracy_se", "count"]
