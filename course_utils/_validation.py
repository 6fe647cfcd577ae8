"""Input checks shared by the modules: each error names the argument, what it got and what it expected."""

import numbers

import numpy as np


def as_float_array(x, name, ndim=None, dtype=np.float64):
    """Return ``x`` as a ``dtype`` array (float64 unless asked), raising if it has the wrong rank or holds NaN/inf.

    An array that already has ``dtype`` is returned as it is, without a copy.

    Raises:
        TypeError: ``x`` is not numeric.
        ValueError: ``x`` has ``ndim`` other than the one expected, is empty, or is not finite (in
            ``dtype``: a float64 value beyond 3.4e38 is inf in float32).
    """
    try:
        with np.errstate(over="ignore"):  # an overflow to inf is reported below, with the argument's name
            arr = np.asarray(x, dtype=dtype)
    except (TypeError, ValueError) as err:
        raise TypeError(f"`{name}` must be a numeric array; received {type(x).__name__}.") from err
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"`{name}` must be {ndim}-D; received shape {arr.shape}.")
    if arr.size == 0:
        raise ValueError(f"`{name}` must not be empty; received shape {arr.shape}.")
    if not np.isfinite(arr).all():
        n_bad = int(arr.size - np.isfinite(arr).sum())
        where = "" if arr.dtype == np.float64 else f" in {arr.dtype} (whose largest value is {np.finfo(arr.dtype).max:.1e})"
        raise ValueError(f"`{name}` must be finite{where}; received {n_bad} NaN or inf value(s).")
    return arr


FLOAT_DTYPES = ("float32", "float64")


def check_float_dtype(dtype, name="dtype"):
    """Return ``dtype`` as ``np.dtype('float32')`` or ``np.dtype('float64')``, or raise naming ``name``."""
    if dtype is None:  # np.dtype(None) is float64: say so rather than guess
        raise TypeError(f"`{name}` must be 'float32' or 'float64'; received None.")
    try:
        resolved = np.dtype(dtype)
    except TypeError as err:
        raise TypeError(f"`{name}` must be 'float32' or 'float64'; received {dtype!r}.") from err
    if resolved.name not in FLOAT_DTYPES:
        raise ValueError(f"`{name}` must be 'float32' or 'float64'; received {dtype!r}.")
    return resolved


def as_labels(y, name, m, n_classes):
    """Return integer labels of shape ``(m,)`` with values in ``[0, n_classes)``.

    Float arrays are accepted when every value is a whole number (``1.0``), as scikit-learn does.
    """
    arr = np.asarray(y)
    kind = arr.dtype.kind  # "i"/"u" integer, "b" bool, "f" float; anything else is not a label
    if kind not in "iubf":
        raise ValueError(f"`{name}` must hold integer class labels; received dtype {arr.dtype}.")
    if arr.shape != (m,):
        raise ValueError(f"`{name}` must have shape ({m},), one label per row of X; received shape {arr.shape}.")
    if kind == "f" and (not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr))):
        raise ValueError(f"`{name}` must hold integer class labels; received dtype {arr.dtype} with non-integer values.")
    arr = arr.astype(np.int64, copy=False)
    if arr.min() < 0 or arr.max() >= n_classes:
        expected = f"labels in [0, {n_classes - 1}]" if n_classes < 2**62 else "non-negative labels"
        raise ValueError(f"`{name}` must hold {expected}; received values from {arr.min()} to {arr.max()}.")
    return arr


def check_positive(value, name, allow_zero=False):
    """Raise unless ``value`` is a real number > 0 (or >= 0 with ``allow_zero``); return it as float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a number; received {value!r}.")
    bad = value < 0 if allow_zero else value <= 0
    if bad or not np.isfinite(value):
        expected = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"`{name}` must be a finite number {expected}; received {name}={value!r}.")
    return float(value)


def check_fraction(value, name):
    """Raise unless ``value`` is a real number in [0, 1) (a decay rate such as beta or rho); return it as float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a number in [0, 1); received {value!r}.")
    if not 0.0 <= value < 1.0:  # NaN fails this too
        raise ValueError(f"`{name}` must be in [0, 1); received {name}={value!r}.")
    return float(value)


def check_int(value, name, minimum):
    """Raise unless ``value`` is an integer >= ``minimum``; return it as int."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"`{name}` must be an integer; received {value!r}.")
    if value < minimum:
        raise ValueError(f"`{name}` must be >= {minimum}; received {name}={value!r}.")
    return int(value)


def check_seed(seed, name="seed"):
    """Raise unless ``seed`` is a non-negative integer (None is refused: it would not be reproducible)."""
    return check_int(seed, name, 0)


def check_choice(value, name, choices):
    """Raise unless ``value`` is one of ``choices``; return it."""
    if value not in choices:
        raise ValueError(f"Unknown {name} {value!r}; expected one of {sorted(choices)}.")
    return value


def make_rng(rng=None, seed=None):
    """Return a ``np.random.Generator`` from ``rng`` or ``seed``, never the global RNG.

    With neither given, the generator is seeded with 0, so results are still reproducible.
    """
    if rng is not None and seed is not None:
        raise TypeError("Pass either `rng` or `seed`, not both.")
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"`rng` must be a np.random.Generator; received {type(rng).__name__}.")
        return rng
    return np.random.default_rng(0 if seed is None else seed)
