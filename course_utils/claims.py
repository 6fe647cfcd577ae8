"""Claims stated where they are computed: each prints itself with its values, and is checked.

A notebook states every result it teaches with one of these calls instead of a bare ``assert``::

    claims.beats("Adam beats GD on test accuracy", adam_test, gd_test, fmt=".1%")
    # ✓ Adam beats GD on test accuracy: median 93.0% [91.0%, 94.5%] vs 84.5% [80.0%, 86.0%];
    #   ahead on 17 of 20 seeds, behind on 2 (sign test p = 0.0004)

so "printed and checked" holds by construction, and the learner reads the claims as results.
A claim that holds prints one line starting with ✓. A claim that fails prints ✗ with the same
values; in strict mode (``make test``, ``make notebooks``, any pytest run) it raises ``ClaimError``,
so a regression stops the run. In a learner's session it does not stop the notebook: a learner who
changes a setting above ("try it yourself") sees which claims no longer hold, and why, and the cells
below still run. Strict mode is on when ``COURSE_UTILS_STRICT_CLAIMS=1`` or pytest is running;
``COURSE_UTILS_STRICT_CLAIMS=0`` turns it off.

The helpers build the evidence in one format, with the statistics of ``stats``:

* ``claim(statement, holds, evidence)``: the general form;
* ``count(statement, flags, ...)``: "on k of n seeds", with bounds on k;
* ``beats(statement, a, b, ...)``: a paired comparison over seeds, by medians with intervals and a
  sign test (a majority of seeds is not enough: it must be significant);
* ``close(statement, measured, expected, rtol)``: a measurement against a prediction;
* ``below`` and ``above``: a value against a bound.
"""

import math
import os
import textwrap

import numpy as np

from . import stats

WIDTH = 100  # characters per printed line: a claim wraps, indented, rather than running off the page
HOLDS, FAILS = "✓", "✗"


class ClaimError(AssertionError):
    """A claim of the notebook is false; the message gives the values that show it."""

    def _render_traceback_(self):
        """What IPython shows instead of a traceback: the claim and its values."""
        return [str(self)]


def strict():
    """True when a false claim must raise (tests, ``make notebooks``), False in a learner's session."""
    setting = os.environ.get("COURSE_UTILS_STRICT_CLAIMS")
    if setting is not None:
        return setting != "0"
    return "PYTEST_CURRENT_TEST" in os.environ


def _line(mark, statement, evidence):
    text = f"{mark} {statement}: {evidence}" if evidence else f"{mark} {statement}"
    return textwrap.fill(text, WIDTH, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False)


def claim(statement, holds, evidence=""):
    """State ``statement``, backed by ``evidence`` (the values, in words); print it, and check ``holds``.

    Args:
        statement: the claim in words, e.g. "zeros never leave chance level".
        holds: whether the values support it (a bool, or a NumPy bool).
        evidence: the values, formatted, e.g. "50.0% train accuracy on 20 of 20 seeds".
    Returns:
        None, so a cell that ends with a claim shows only the printed claim.
    Raises:
        ClaimError: ``holds`` is false and the mode is strict (see the module docstring).
    """
    if not isinstance(statement, str) or not statement:
        raise TypeError(f"`statement` must be a non-empty string; received {statement!r}.")
    if not isinstance(holds, (bool, np.bool_)):
        raise TypeError(f"`holds` must be True or False (the outcome of a comparison); received {holds!r}.")
    if holds:
        print(_line(HOLDS, statement, evidence))
        return
    message = _line(FAILS, statement, evidence)
    if strict():
        raise ClaimError(message)
    print(message + "\n  (this claim was made for the notebook's settings: did you change one above?)")


def count(statement, flags, at_least=None, at_most=None, of="seeds"):
    """Claim that ``at_least <= k <= at_most``, where k of the n ``flags`` are true: "on k of n seeds".

    With neither bound, the claim is that every flag is true. With no flags at all nothing was
    counted, so the claim fails ("on 0 of 0" would hold vacuously).
    """
    flags = np.asarray(flags, dtype=bool)
    k, n = stats.count(flags), flags.size
    if n == 0:
        claim(statement, False, f"nothing to count: 0 {of}")
        return
    if at_least is None and at_most is None:
        at_least = n
    holds = (at_least is None or k >= at_least) and (at_most is None or k <= at_most)
    claim(statement, holds, f"on {k} of {n} {of}")


def beats(statement, a, b, fmt=".3g", higher_is_better=True, alpha=0.05, of="seeds"):
    """Claim that ``a`` beats ``b``, seed by seed (``a[s]`` and ``b[s]`` share seed s).

    It holds when a's median is better than b's and the sign test over the seeds says a is ahead on
    significantly more seeds than it is behind (two-sided p < ``alpha``). The evidence gives both
    medians with their 95% intervals, the counts, and the p-value.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if not higher_is_better:
        test = stats.sign_test(-a, -b)
    else:
        test = stats.sign_test(a, b)
    ma, mb = stats.median_interval(a), stats.median_interval(b)
    better = ma.median > mb.median if higher_is_better else ma.median < mb.median
    holds = bool(better and test.wins > test.losses and test.p_value < alpha)
    ties = f", tied on {test.ties}" if test.ties else ""
    evidence = (f"median {ma.format(fmt)} vs {mb.format(fmt)}; ahead on {test.wins} of {test.n} {of}, "
                f"behind on {test.losses}{ties} (sign test p {_p(test.p_value)})")
    claim(statement, holds, evidence)


def close(statement, measured, expected, rtol, fmt=".3g"):
    """Claim that ``measured`` is within a relative ``rtol`` of ``expected``: |m - e| <= rtol |e|."""
    measured, expected = float(measured), float(expected)
    off = abs(measured - expected) / abs(expected) if expected else math.inf
    holds = abs(measured - expected) <= rtol * abs(expected)
    evidence = f"measured {measured:{fmt}}, expected {expected:{fmt}} (off by {off:.1%}; allowed {rtol:.0%})"
    claim(statement, holds, evidence)


def below(statement, value, bound, fmt=".3g", what=""):
    """Claim that ``value < bound``."""
    claim(statement, bool(value < bound), f"{what}{' ' if what else ''}{value:{fmt}} < {bound:{fmt}}")


def above(statement, value, bound, fmt=".3g", what=""):
    """Claim that ``value > bound``."""
    claim(statement, bool(value > bound), f"{what}{' ' if what else ''}{value:{fmt}} > {bound:{fmt}}")


def _p(p):
    """``"= 0.0042"`` (two significant digits), or ``"< 0.0001"``."""
    return "< 0.0001" if p < 1e-4 else f"= {p:.2g}"


__all__ = ["ClaimError", "claim", "count", "beats", "close", "below", "above", "strict"]
