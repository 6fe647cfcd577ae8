"""The properties every exercise check measures, in the same words for the same finding.

* a result of the right kind: ``items`` (any sequence of the right length where a tuple is asked),
  ``number`` (one real number, not a bool or a tuple), ``ndarray`` (a numeric array of a shape);
* the inputs left alone: ``unchanged`` compares an input with a copy taken before the call;
* NumPy's global generator untouched: ``global_rng_untouched`` (and its state kept for the learner);
* agreement in the learner's precision: ``tolerance`` (float32 or float64) and ``agree``.

Each failure says what the learner's function returned and what was expected.
"""

import contextlib
import copy
from collections.abc import Sequence

import numpy as np

from .harness import fail, wrong_kind


def items(value, n, name, expected):
    """The ``n`` items of ``value``, any sequence of length ``n`` (tuple, list, ...), else a wrong-kind failure."""
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)) and len(value) == n:
        return list(value)
    wrong_kind(name, value, expected)


def number(value, name, expected="a number"):
    """``value`` as a float if it is one real number (a NumPy scalar or 0-d array too, not a bool)."""
    if isinstance(value, (bool, np.bool_)) or value is None or isinstance(value, (str, bytes, dict, Sequence)):
        wrong_kind(name, value, expected)
    if np.ndim(value) != 0 or not np.issubdtype(np.asarray(value).dtype, np.number):
        wrong_kind(name, value, expected)
    return float(np.real(value))


def ndarray(value, name, shape, what, hint=""):
    """``value`` if it is a numeric NumPy array of ``shape``; otherwise a failure saying what came back.

    ``what`` names the result in the message ("the mask"); ``hint`` ends the sentence on a wrong shape
    ("the shape of A.").
    """
    if not isinstance(value, np.ndarray) or not (np.issubdtype(value.dtype, np.number) or value.dtype == np.bool_):
        wrong_kind(name, value, f"{what}, an array of shape {tuple(shape)}")
    if value.shape != tuple(shape):
        fail(f"The {what.removeprefix('the ')} returned by `{name}` has shape {value.shape}; it should have shape "
             f"{tuple(shape)}" + (f", {hint}" if hint else "."))
    return value


def unchanged(name, what, before, after):
    """Fail if the learner's call changed the input ``what`` (``before`` is a copy taken before the call)."""
    same = (list(before) == list(after) and all(_same(before[k], after[k]) for k in before)
            if isinstance(before, dict) else _same(before, after))
    if not same:
        fail(f"`{name}` changed its input `{what}` in place (compared with a copy taken before the call); "
             f"leave the caller's arrays as they were and return new ones.")


def _same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind == "f" and b.dtype.kind == "f")


def copies(*values):
    """Deep copies of ``values`` (to compare with after the learner's call)."""
    return [copy.deepcopy(v) for v in values]


@contextlib.contextmanager
def global_rng_untouched(name, instead="draw every random number from the `rng` argument it is given"):
    """Fail if the code inside the block drew from, or re-seeded, NumPy's global generator (whose state is kept).

    ``instead`` says what the function should do (by default, use its ``rng``).
    """
    state = np.random.get_state()
    try:
        yield
    finally:
        after = np.random.get_state()
        np.random.set_state(state)
    if not (np.array_equal(after[1], state[1]) and after[2:] == state[2:]):
        fail(f"`{name}` drew from (or re-seeded) NumPy's global generator np.random; {instead}.")


# ---------------------------------------------------------------- comparisons in the learner's precision

def tolerance(*values):
    """The relative tolerance for results in the precision of ``values``: 1e-4 if any is float32 or less, else 1e-6.

    Rounding in float32 (eps 1.2e-7) over a few operations stays far below 1e-4, and in float64 far
    below 1e-6; every wrong answer a check tests differs from the right one by much more.
    """
    for value in values:
        dtype = getattr(value, "dtype", None)
        if dtype is not None and np.issubdtype(dtype, np.floating) and np.finfo(dtype).bits < 64:
            return 1e-4
    return 1e-6


def agree(got, expected, rtol, scale=None):
    """Every entry of ``got`` within ``rtol`` of ``expected``, relative to itself plus ``rtol * scale``.

    ``scale`` (default: the largest magnitude of ``expected``) sets the absolute floor, so an entry near
    zero is compared at the precision of the array it sits in. NaN never agrees.
    """
    got, expected = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        return False
    if scale is None:
        scale = float(np.max(np.abs(expected))) if expected.size else 0.0
    with np.errstate(invalid="ignore"):
        return bool(np.all(np.abs(got - expected) <= rtol * (np.abs(expected) + scale)))


def as_float(value):
    """A learner's numeric array as float64, for arithmetic (its own dtype is read before this)."""
    return np.asarray(value, dtype=np.float64)

