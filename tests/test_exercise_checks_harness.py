"""How an exercise check talks to a learner (harness), and the properties every check measures (probes)."""

import inspect
import re
import subprocess
import sys

import numpy as np
import pytest

from course_utils import checks
from course_utils.exercise_checks import harness, probes
from course_utils.exercise_checks.harness import ExerciseError


@harness.exercise("double", reference=lambda x: 2 * x)
def check_double(double):
    if harness.call(double, "double", 3) != 6:
        harness.fail("double(3) should be 6.")
    return "double(3) = 6."


def test_right_answer_prints_one_line_and_hands_back_the_learners_function(capsys):
    def double(x):
        return x + x
    assert check_double(double) is double
    assert capsys.readouterr().out == "✓ double: double(3) = 6.\n"


def test_open_exercise_hands_on_the_reference_unless_strict(capsys, monkeypatch):
    def stub(x):
        raise NotImplementedError("Exercise double")
    assert check_double(stub) is check_double.reference and check_double.exercise == "double"
    assert capsys.readouterr().out.startswith("○ double: not written yet.")
    with pytest.raises(ExerciseError, match="not written yet"):
        check_double(stub, strict=True)
    monkeypatch.setenv("COURSE_UTILS_STRICT_EXERCISES", "1")
    with pytest.raises(ExerciseError, match="not written yet"):
        check_double(stub)


def test_wrong_answer_shows_the_message_alone_naming_the_exercise():
    with pytest.raises(ExerciseError) as info:
        check_double(lambda x: x)
    assert info.value.exercise == "double"
    shown = info.value._render_traceback_()
    assert shown == ["✗ double is not right yet: double(3) should be 6."]


def test_an_exception_in_the_learners_code_is_reported_with_its_line():
    def double(x):
        return x / 0
    with pytest.raises(ExerciseError, match=r"`double` raised ZeroDivisionError: division by zero \(at `return x / 0`\)"):
        check_double(double)


def test_tensorflow_error_text_is_cleaned():
    class InvalidArgumentError(Exception):
        pass

    text = ("{{function_node __wrapped__Mul_device_/job:localhost/replica:0/task:0/device:CPU:0}} Incompatible shapes: "
            "[5,3] vs. [3,4] [Op:Mul] name: \nmore lines")

    def double(x):
        raise InvalidArgumentError(text)
    text = str(pytest.raises(ExerciseError, check_double, double).value)
    assert "raised InvalidArgumentError: Incompatible shapes: [5,3] vs. [3,4] (at" in text
    assert "function_node" not in text and "[Op:" not in text and "more lines" not in text


def test_numpy_warnings_of_the_learners_code_are_silenced(recwarn):
    harness.call(lambda: np.zeros(2) / 0, "f")
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


@pytest.mark.parametrize("value, words", [
    (None, "None"), (True, "the bool True"), (np.float32(1.5), "a NumPy float32 number"), (0.25, "the number 0.25"),
    (np.zeros((3, 4)), "a NumPy array of shape (3, 4)"), ((1, 2), "a tuple of 2 items"), ([1], "a list of 1 item"),
    ({"W": 1}, "a dict with keys ['W']")])
def test_describe_says_what_came_back(value, words):
    assert harness.describe(value) == words


def test_items_accepts_any_sequence_of_the_right_length_and_names_anything_else():
    assert probes.items((1, 2), 2, "f", "the pair (W, v)") == [1, 2] == probes.items([1, 2], 2, "f", "")
    for value, got in [(np.zeros((2, 3)), "a NumPy array of shape (2, 3)"), ((1, 2, 3), "a tuple of 3 items"),
                       ({"W": 1, "v": 2}, "a dict"), ("Wv", "a str"), (None, "None (is a `return` missing?)")]:
        with pytest.raises(ExerciseError, match=r"`f` should return the pair \(W, v\); it returned " + re.escape(got)):
            probes.items(value, 2, "f", "the pair (W, v)")


def test_number_accepts_one_real_number_only():
    assert probes.number(np.float32(0.5), "f") == 0.5 and probes.number(np.array(2), "f") == 2.0
    for value in (True, np.bool_(False), (0.5,), [0.5], np.zeros(2), None, "0.5"):
        with pytest.raises(ExerciseError, match="should return a number; it returned"):
            probes.number(value, "f")


def test_ndarray_names_a_wrong_kind_and_a_wrong_shape():
    with pytest.raises(ExerciseError, match=r"should return the mask, an array of shape \(2, 3\); it returned a list"):
        probes.ndarray([[1, 0, 1]], "f", (2, 3), "the mask")
    with pytest.raises(ExerciseError, match=r"The mask returned by `f` has shape \(3,\); it should have shape \(2, 3\), "
                                            r"the shape of A\."):
        probes.ndarray(np.ones(3), "f", (2, 3), "the mask", "the shape of A.")


def test_unchanged_compares_arrays_and_dicts_with_their_copies():
    probes.unchanged("f", "W", np.ones(3), np.ones(3))
    probes.unchanged("f", "params", {"W": np.ones(2)}, {"W": np.ones(2)})
    with pytest.raises(ExerciseError, match="changed its input `W` in place"):
        probes.unchanged("f", "W", np.ones(3), np.array([1.0, 2.0, 1.0]))
    with pytest.raises(ExerciseError, match="changed its input `params` in place"):
        probes.unchanged("f", "params", {"W": np.ones(2)}, {"W": np.ones(2), "b": 0})


@pytest.mark.parametrize("use", [lambda: np.random.randn(2), lambda: np.random.seed(0), lambda: np.random.permutation(3)])
def test_global_rng_use_is_caught_and_the_learners_state_kept(use):
    np.random.seed(123)
    before = np.random.random()
    np.random.seed(123)
    with pytest.raises(ExerciseError, match="NumPy's global generator np.random; draw every random number from the `rng`"):
        with probes.global_rng_untouched("f"):
            use()
    assert np.random.random() == before  # the learner's global stream goes on as if the check had not run


def test_drawing_from_a_generator_leaves_the_global_one_alone():
    with probes.global_rng_untouched("f"):
        np.random.default_rng(0).random(5)


def test_tolerances_follow_the_learners_precision():
    assert probes.tolerance(np.ones(2), 1.0) == 1e-6
    assert probes.tolerance(np.ones(2), np.ones(2, np.float32)) == 1e-4 == probes.tolerance(np.float32(1))
    x = np.linspace(-1, 1, 7)
    assert probes.agree(x.astype(np.float32), x, 1e-4) and not probes.agree(x.astype(np.float32), x, 1e-9)
    assert probes.agree(x + 1e-7, x, 1e-6)  # entries near 0 are compared at the array's scale
    assert not probes.agree(np.full(7, np.nan), x, 1e-4) and not probes.agree(x[:3], x, 1e-4)


def test_every_check_keeps_its_name_signature_and_reference():
    names = [name for name in checks.__all__ if name.startswith("check_")]
    assert len(names) == 21  # 4 + 5 + 4 + 4 (with the bug hunt's fix) + 4
    for name in names:
        check = getattr(checks, name)
        parameters = list(inspect.signature(check).parameters.values())
        assert parameters[-1].name == "strict" and parameters[-1].default is None, name
        assert callable(check.reference) or all(callable(f) for f in check.reference), name
        assert check.exercise and check.__name__ == name


def test_checks_do_not_import_tensorflow():
    code = "import sys, course_utils.checks; print('tensorflow' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


WEIRD = [None, 1, True, "x", [], (), {}, np.zeros(3), np.zeros((3, 4)), object(), (None, None), (None, None, None),
         [np.nan] * 3, {"W1": None, "b1": None}, np.array(np.nan), [(np.zeros((2, 3)), np.zeros(2))]]


@pytest.mark.parametrize("name", [n for n in checks.__all__[1:] if n not in (
    "check_linear_function", "check_one_hot", "check_loss_from_logits", "check_forward_pass")])
def test_a_result_of_any_wrong_kind_gets_a_message_never_a_crash(name):
    check = getattr(checks, name)
    for value in WEIRD:
        functions = [lambda *args, v=value: v] * (2 if name == "check_params_vector" else 1)
        with pytest.raises(ExerciseError, match="."):
            check(*functions)
