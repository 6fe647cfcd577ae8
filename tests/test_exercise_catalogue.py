"""The exercise checks against an independent catalogue of learner implementations (tests/exercise_catalogue/).

* every CORRECT case must be accepted: ``checks.<check>(fn)`` returns (anything) without raising;
* every WRONG case must be rejected with ``checks.ExerciseError`` (never another exception) whose
  message matches the case's regex, i.e. names the property the implementation breaks.

The catalogue is itself tested without the checks: ``exercise_catalogue.reference`` judges every case
against the package's reference implementations (correct cases must pass, wrong ones must fail).
"""
import collections
import re
import warnings

import pytest

from course_utils import checks
from exercise_catalogue import NOTEBOOK_OF_CHECK, PROPERTIES, all_cases, reference

CORRECT, WRONG = all_cases()


def _skip_without_tf(case):
    if case.needs_tf:
        pytest.importorskip("tensorflow", reason="TensorFlow is not importable")


def _run_check(case):
    """checks.<check>(*fns, *args) as a notebook runs it: the learner's warnings are shown, not raised."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(checks, case.check)(*case.fns, *case.args)


@pytest.mark.parametrize("case", CORRECT, ids=lambda c: c.name)
def test_check_accepts_correct_implementation(case):
    _skip_without_tf(case)
    try:
        _run_check(case)
    except checks.ExerciseError as err:
        pytest.fail(f"{case.check} rejected the correct {case.name}: {err}")
    except Exception as err:  # noqa: BLE001
        pytest.fail(f"{case.check} crashed on the correct {case.name}: {type(err).__name__}: {err}")


@pytest.mark.parametrize("case", WRONG, ids=lambda c: c.name)
def test_check_rejects_wrong_implementation(case):
    _skip_without_tf(case)
    try:
        _run_check(case)
    except checks.ExerciseError as err:
        message = str(err)
    except Exception as err:  # noqa: BLE001 - AssertionError that is not an ExerciseError included
        pytest.fail(f"{case.check} crashed on {case.name} with {type(err).__name__} instead of ExerciseError: {err}")
    else:
        pytest.fail(f"{case.check} accepted {case.name}, which breaks: {case.prop}")
    assert re.search(case.message, message, re.IGNORECASE), (
        f"{case.check} rejected {case.name} ({case.prop}) but its message does not match /{case.message}/: "
        f"{message!r}")


def _judge(case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference.JUDGES[case.check](*case.fns)


@pytest.mark.parametrize("case", CORRECT, ids=lambda c: c.name)
def test_correct_cases_match_reference(case):
    """The catalogue's correct implementations agree with the package's references, without the checks."""
    _skip_without_tf(case)
    try:
        _judge(case)
    except reference.Wrong as err:
        pytest.fail(f"{case.name} is not correct: {err}")


@pytest.mark.parametrize("case", WRONG, ids=lambda c: c.name)
def test_wrong_cases_differ_from_reference(case):
    """The catalogue's wrong implementations really are wrong for their spec (judged without the checks)."""
    _skip_without_tf(case)
    with pytest.raises(reference.Wrong):
        _judge(case)


def test_catalogue_covers_every_exercise_and_property():
    names = [c.name for c in CORRECT + WRONG]
    assert len(names) == len(set(names)), [n for n, k in collections.Counter(names).items() if k > 1]
    for case in CORRECT + WRONG:
        assert case.check in NOTEBOOK_OF_CHECK, case
    correct = collections.Counter(c.check for c in CORRECT)
    wrong = collections.Counter(c.check for c in WRONG if c.prop != "wrong kind")
    for check in NOTEBOOK_OF_CHECK:
        assert correct[check] >= 3, f"{check}: {correct[check]} correct cases"
        assert wrong[check] >= 6, f"{check}: {wrong[check]} wrong cases (not counting wrong kinds)"
    kinds = collections.Counter(c.notebook for c in WRONG if c.prop == "wrong kind")
    for notebook in set(NOTEBOOK_OF_CHECK.values()):
        assert kinds[notebook] >= 2, f"{notebook}: {kinds[notebook]} wrong-kind cases"
    for case in WRONG:
        assert case.prop.split(":")[0] in PROPERTIES, f"{case.name}: unknown property {case.prop!r}"
        assert case.message and re.compile(case.message, re.IGNORECASE), case.name
    for case in CORRECT:
        assert not case.prop and not case.message, case.name
    used = {c.prop.split(":")[0] for c in WRONG}
    assert used == set(PROPERTIES), f"properties never exercised: {set(PROPERTIES) - used}"
