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

A check calls the learner's function through ``call`` (an exception in the learner's code becomes a
message naming its line) and fails with ``fail``; ``describe`` and ``wrong_kind`` say what came back
when it is not what the spec asks. The properties every check measures (results of the right kind,
inputs left alone, the global generator untouched, agreement in the learner's precision) are in
``probes``.
"""

import functools
import inspect
import os
import re
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
                with np.errstate(all="ignore"):  # a wrong answer's NaN and inf are measured, not warned about
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

        signature = inspect.signature(check)  # help(check) shows the learner's function(s), then strict
        strict = inspect.Parameter("strict", inspect.Parameter.KEYWORD_ONLY, default=None)
        run.__signature__ = signature.replace(parameters=[*signature.parameters.values(), strict])
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


def error_text(error):
    """The first line of ``error``'s message, without TensorFlow's internal node names and op tags."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    text = re.sub(r"\{\{function_node [^}]*\}\}\s*", "", text)
    text = re.sub(r"\s*\[Op:\w+\].*$", "", text)
    return text if len(text) <= 160 else text[:157] + "..."


def hint(candidates, matches):
    """The words of the one explanation that ``matches`` what was measured, or "" (none, or several that differ).

    ``candidates`` are ``(value, words)``: what a known mistake would have given, and what to say then.
    """
    found = {words for value, words in candidates if matches(value)}
    return found.pop() if len(found) == 1 else ""


def call(fn, name, *args):
    """Call the learner's ``fn``; if it raises (other than NotImplementedError), say so in the learner's terms.

    NumPy's floating-point warnings are silenced during the call: the check measures NaN and inf itself.
    """
    try:
        with np.errstate(all="ignore"):
            return fn(*args)
    except (NotImplementedError, ExerciseError):
        raise
    except Exception as error:  # the learner's bug, reported as a failed check
        fail(f"`{name}` raised {type(error).__name__}: {error_text(error)}{_learner_line(error)}{_dtype_hint(error)}")


_MIXED_DTYPES = re.compile(r"expected to be a \w+ tensor but is a \w+ tensor|cannot compute \w+ as input")


def _dtype_hint(error):
    """A hint when TensorFlow refused to mix two dtypes in one operation, else ""."""
    if not _MIXED_DTYPES.search(str(error)):
        return ""
    return (". Two tensors of different dtypes met in one operation: keep every step in the dtype of the inputs "
            "(a Keras layer such as keras.layers.ReLU() computes in float32; tf.nn.relu keeps the dtype it gets).")


# ---------------------------------------------------------------- what came back, and of what kind

def describe(value):
    """A few words for ``value``: "None", "a tuple of 2 items", "a NumPy array of shape (3, 4)", ..."""
    if value is None:
        return "None"
    if isinstance(value, (bool, np.bool_)):
        return f"the bool {bool(value)}"
    if isinstance(value, np.ndarray):
        return f"a NumPy array of shape {value.shape}" if value.ndim else f"a 0-d NumPy array ({value.dtype})"
    if isinstance(value, np.generic):
        return f"a NumPy {value.dtype} number"
    if isinstance(value, (int, float)):
        return f"the number {value:.6g}"
    if isinstance(value, dict):
        return f"a dict with keys {list(value)}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} item{'s' if len(value) != 1 else ''}"
    shape = getattr(value, "shape", None)
    kind = type(value).__name__
    if type(value).__module__.startswith(("tensorflow", "keras")):
        kind = "tf.Variable" if "Variable" in kind else "tf.Tensor" if "Tensor" in kind else kind
    return f"a {kind}" + (f" of shape {tuple(shape)}" if shape is not None else "")


def wrong_kind(name, value, expected):
    """Fail: ``name`` returned ``value``, which is not ``expected`` (words such as "the pair (W, v)")."""
    missing = " (is a `return` missing?)" if value is None else ""
    fail(f"`{name}` should return {expected}; it returned {describe(value)}{missing}.")
