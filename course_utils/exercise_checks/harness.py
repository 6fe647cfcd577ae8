"""How an exercise check talks to a learner, and the helpers every check shares.

A notebook's exercise is a function the learner writes in one cell; the next cell checks it and
keeps what the cells below should use::

    initialize_he = checks.check_he_initialization(initialize_he)

The check (a function decorated with ``exercise``) ends in one of three ways:

* **right**: it prints ``✓ initialize_he: <what was verified>`` and returns the learner's function, so
  the experiment below runs on the learner's code;
* **still open** (the function raises ``NotImplementedError``, as the stub does): it prints
  ``○ initialize_he: ...`` and returns the course's version, so "Run All" goes on;
* **wrong**: it raises ``ExerciseError``, which Jupyter shows as the check's message alone, with no
  traceback into this package (IPython honours an exception's ``_render_traceback_``).

In strict mode an open exercise is an error too (for grading): pass ``strict=True``, or set
``COURSE_UTILS_STRICT_EXERCISES=1``.
"""

import functools
import os
import textwrap
import traceback
from pathlib import Path

import numpy as np

_PACKAGE_DIR = str(Path(__file__).resolve().parents[1])
WIDTH = 100  # characters per line of a message


class ExerciseError(AssertionError):
    """A learner's function gave a wrong answer; the message says what was measured and what was expected.

    Attributes:
        exercise: the name of the exercise's function (set by the check), or None.
    """

    exercise = None

    def _render_traceback_(self):
        """What Jupyter shows instead of a traceback: the message, wrapped, naming the exercise."""
        head = f"✗ {self.exercise} is not right yet: " if self.exercise else "✗ "
        return textwrap.fill(head + str(self), WIDTH, subsequent_indent="  ", break_long_words=False).split("\n")


def strict_mode(strict=None):
    """``strict`` if given, else True when ``COURSE_UTILS_STRICT_EXERCISES`` is set to anything but "0"."""
    if strict is not None:
        return bool(strict)
    return os.environ.get("COURSE_UTILS_STRICT_EXERCISES", "0") != "0"


def exercise(name, reference):
    """Decorate a check of the exercise ``name``: the learner-facing flow of the module docstring.

    Args:
        name: the exercise's function name as the notebook defines it (``"initialize_he"``).
        reference: the course's version, with the exercise's signature (a tuple of functions when the
            check takes several), returned while the exercise is open.

    The decorated check takes the learner's function(s) and returns a short text saying what was
    verified; it raises ``ExerciseError`` (through ``fail``) on a wrong answer.
    """

    def decorate(check):
        @functools.wraps(check)
        def run(*functions, strict=None):
            try:
                verified = check(*functions)
            except NotImplementedError:
                if strict_mode(strict):
                    error = ExerciseError("it is not written yet (it still raises NotImplementedError).")
                    error.exercise = name
                    raise error from None
                print(f"○ {name}: not written yet. Write it in the cell above and run both cells again; "
                      f"until then, the cells below use the course's version.")
                return reference
            except ExerciseError as error:
                error.exercise = name
                raise error.with_traceback(None) from None
            print(textwrap.fill(f"✓ {name}: {verified}", WIDTH, subsequent_indent="  ", break_long_words=False))
            return functions[0] if len(functions) == 1 else functions

        run.exercise, run.reference = name, reference
        return run

    return decorate


def fail(message):
    """Stop the check: the learner's answer is wrong, for the reason ``message`` gives."""
    raise ExerciseError(message)


def _learner_line(error):
    """`` (at `line of code`)`` for the deepest frame of the learner's own code in ``error``'s traceback, or ""."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if not frame.filename.startswith(_PACKAGE_DIR) and "site-packages" not in frame.filename
              and not frame.filename.startswith("<frozen")]
    if not frames or not frames[-1].line:
        return ""
    return f" (at `{frames[-1].line.strip()}`)"


def call(fn, name, *args):
    """Call the learner's ``fn``; if it raises (other than NotImplementedError), say so in the learner's terms."""
    try:
        return fn(*args)
    except (NotImplementedError, ExerciseError):
        raise
    except Exception as error:  # the learner's bug, reported as a failed check
        fail(f"`{name}` raised {type(error).__name__}: {error}{_learner_line(error)}")


def array(value, what):
    """``value`` as a float64 array, or an ExerciseError naming ``what``."""
    if value is None:
        fail(f"{what} should be an array of numbers; the function returned None (is a `return` missing?).")
    try:
        result = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        fail(f"{what} should be an array of numbers; got {type(value).__name__}.")
    return result


def expect_shape(value, shape, what, hint=""):
    got = np.shape(value)
    if tuple(got) != tuple(shape):
        fail(f"{what}: expected shape {tuple(shape)}, got {tuple(got)}. {hint}".strip())


def close(a, b, rtol=1e-6, atol=1e-10):
    return bool(np.allclose(a, b, rtol=rtol, atol=atol))
