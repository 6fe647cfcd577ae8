"""Shared helpers of the exercise checks: the error they raise and safe calls to a learner's function."""

import numpy as np


class ExerciseError(AssertionError):
    """A learner's function gave a wrong answer; the message says which and why."""


def fail(message):
    raise ExerciseError(message)


def call(fn, name, *args):
    """Call the learner's ``fn``; if it raises (other than NotImplementedError), say so in the learner's terms."""
    try:
        return fn(*args)
    except (NotImplementedError, ExerciseError):
        raise
    except Exception as error:  # the learner's bug, reported as a failed check
        raise ExerciseError(f"`{name}` raised {type(error).__name__}: {error}") from error


def array(value, what):
    """``value`` as a float64 array, or an ExerciseError naming ``what``."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        fail(f"{what} should be an array of numbers; got {type(value).__name__}.")


def expect_shape(value, shape, what, hint=""):
    got = np.shape(value)
    if tuple(got) != tuple(shape):
        fail(f"{what}: expected shape {tuple(shape)}, got {tuple(got)}. {hint}".strip())


def close(a, b, rtol=1e-6, atol=1e-10):
    return bool(np.allclose(a, b, rtol=rtol, atol=atol))
