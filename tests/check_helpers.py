"""Helpers for the tests of the exercise checks (tests/test_exercise_checks_*.py)."""

import time

import pytest

from course_utils import checks


def passes(check, *functions):
    """True when ``check`` accepts ``functions``: it returns them (the learner's own) and raises nothing."""
    result = check(*functions)
    return result is functions[0] if len(functions) == 1 else tuple(result) == functions


def message(check, *functions):
    """The message of the ExerciseError ``check`` raises on ``functions`` (the test fails if it accepts them)."""
    with pytest.raises(checks.ExerciseError) as info:
        check(*functions)
    return str(info.value)


def cpu_seconds(check, *functions):
    """The processor time one call of ``check`` takes (a check runs in a notebook cell: it must be quick)."""
    start = time.process_time()
    check(*functions)
    return time.process_time() - start
