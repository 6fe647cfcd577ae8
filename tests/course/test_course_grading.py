"""The course taught as nbgrader assignments, end to end, as README.md's "Teaching a class" runs it.

`make course` builds the course directory (all five assignments). For two notebooks (Tensorflow_introduction,
and Gradient_Checking, the quickest to run), three students hand in:

* ``complete``: every exercise written (the solutions from notebooks/); this one goes through the exchange,
  as a student does it (release_assignment, fetch_assignment, submit, collect);
* ``wrong``: the same, but one exercise computes its result and forgets to ``return`` it;
* ``unfinished``: the same, but one exercise left as released (it still raises NotImplementedError).

nbgrader autogrades them (each notebook run top to bottom in a kernel), writes feedback and exports the
grade CSV. The tests check the scores (full marks; exactly that exercise's points lost), that the feedback
names the exercise and shows the check's message, and that the released notebooks are exercises/ plus
nbgrader's metadata. They read the exercise convention and the grade ids, never the notebooks' wording.
"""

import csv
import importlib.util
import re
import subprocess
import sys
import time
import warnings
from html import unescape
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.course

ROOT = Path(__file__).resolve().parents[2]

def _tool(name):
    """tools/<name>.py as a module, imported once."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


make_course, make_exercises = _tool("make_course"), _tool("make_exercises")

GRADED = ("Gradient_Checking", "Tensorflow_introduction")
STUDENTS = ("complete", "wrong", "unfinished")
ALL = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
STUB_LINE = re.compile(r"^(\s*)raise NotImplementedError\(.*\)\s*$", re.M)
TIMES = {}
SNAPSHOT = {}  # notebooks/ as `make course` read it (the lessons may be edited while the tests run)


def environment():
    """What an instructor's shell has: the course's venv on PATH, none of the variables `make` or pytest set.
    (The course's nbgrader_config.py is what must keep TensorFlow quiet in the graded kernels.)"""
    env = make_course.environment()
    for name in ("PYTEST_CURRENT_TEST", "TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS", "COURSE_UTILS_PROGRESS",
                 "COURSE_UTILS_STRICT_EXERCISES", "COURSE_UTILS_STRICT_CLAIMS", "MAKEFLAGS", "MAKELEVEL"):
        env.pop(name, None)
    return env


def run(command, cwd, label):
    started = time.monotonic()
    result = subprocess.run(command, cwd=cwd, env=environment(), capture_output=True, text=True, timeout=1800,
                            stdin=subprocess.DEVNULL)
    TIMES[label] = time.monotonic() - started
    assert result.returncode == 0, f"{label} failed ({result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result.stdout + result.stderr


def nbgrader(cwd, *args):
    return run([sys.executable, "-m", "nbgrader", *args], cwd, "nbgrader " + " ".join(args[:2]))


def read(path):
    return nbformat.read(path, as_version=4)


def meta(cell):
    return cell.metadata.get("nbgrader", {})


def without_markers(source):
    return "\n".join(line for line in source.split("\n") if line.strip() not in (make_course.BEGIN, make_course.END))


def forgot_return(source):
    """The solution, except that each ``return X`` in a solution block becomes ``X``: the result is computed and
    dropped, and the function returns None (a classic learner's bug)."""
    lines, inside = [], False
    for line in source.split("\n"):
        if line.strip() in (make_course.BEGIN, make_course.END):
            inside = line.strip() == make_course.BEGIN
            continue
        match = re.match(r"^(\s*)return\b\s*(.*)$", line)
        if inside and match:
            line = match.group(1) + (match.group(2) or "pass")
        lines.append(line)
    return "\n".join(lines)


def plan(course, name):
    """(wrong exercise, unfinished exercise) of the assignment ``name``: the first exercise whose solution
    returns its result is handed in with the `return` forgotten, the last one left unfinished."""
    source = read(course / "source" / name / f"{name}.ipynb")
    exercises = make_course.find_exercises(source)
    wrong = next(e for e in exercises if forgot_return(source.cells[e.cell].source)
                 != without_markers(source.cells[e.cell].source))
    unfinished = exercises[-1]
    assert wrong != unfinished, f"{name}: needs two exercises"
    return source, exercises, wrong, unfinished


def hand_in(course, name, student, notebook_path):
    """Write the student's answers into the released notebook at ``notebook_path``."""
    source, _, wrong, unfinished = plan(course, name)
    solutions = {meta(cell)["grade_id"]: cell.source for cell in source.cells if meta(cell).get("solution")}
    nb = read(notebook_path)
    for cell in nb.cells:
        grade_id = meta(cell).get("grade_id")
        if not meta(cell).get("solution") or (student == "unfinished" and grade_id == unfinished.grade_id):
            continue
        wrote = forgot_return if student == "wrong" and grade_id == wrong.grade_id else without_markers
        cell.source = wrote(solutions[grade_id])
    nbformat.write(nb, notebook_path)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """`make course` into a fresh directory, as from a fresh clone: (course dir, what it printed)."""
    course = tmp_path_factory.mktemp("teaching") / "course"
    SNAPSHOT.update({name: read(ROOT / "notebooks" / f"{name}.ipynb") for name in ALL})
    printed = run(["make", "--no-print-directory", "course", f"COURSE_DIR={course}"], ROOT, "make course")
    return course, printed


@pytest.fixture(scope="module")
def graded(course):
    """The whole flow for the GRADED assignments; returns the course directory once grades are exported."""
    course, _ = course
    for name in GRADED:
        if name == "Tensorflow_introduction":  # the student's side, through the exchange
            nbgrader(course, "release_assignment", name)
            student_dir = course.parent / "students" / "complete"
            student_dir.mkdir(parents=True)
            exchange = [f"--Exchange.root={course / 'exchange'}", f"--course={make_course.COURSE_ID}"]
            nbgrader(student_dir, "fetch_assignment", name, *exchange)
            hand_in(course, name, "complete", student_dir / name / f"{name}.ipynb")
            nbgrader(student_dir, "submit", name, "--student=complete", *exchange)
            nbgrader(course, "collect", name)
        for student in STUDENTS:  # handed in by hand (e-mail, an LMS): put where nbgrader collects to
            target = course / "submitted" / student / name / f"{name}.ipynb"
            if target.exists():
                continue
            target.parent.mkdir(parents=True)
            target.write_bytes((course / "release" / name / f"{name}.ipynb").read_bytes())
            hand_in(course, name, student, target)
        nbgrader(course, "autograde", name)
        nbgrader(course, "generate_feedback", name)
    nbgrader(course, "export")
    print("\ntimes: " + ", ".join(f"{label} {seconds:.1f} s" for label, seconds in TIMES.items()))
    return course


def scores(course, name):
    """{student: {grade id: (score, max score)}} from the gradebook."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbgrader's and SQLAlchemy's own deprecation notices
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
            return {student: {grade.name: (grade.score, grade.max_score)
                              for grade in gradebook.find_submission_notebook(name, name, student).grades}
                    for student in STUDENTS}


def test_make_course_builds_every_assignment_and_says_what_to_run_next(course):
    course, printed = course
    for name in ALL:
        released = read(course / "release" / name / f"{name}.ipynb")
        assert any(meta(cell).get("grade") for cell in released.cells), name
        assert f"release/{name}/{name}.ipynb" in printed
    for step in ("release_assignment", "collect", "autograde", "generate_feedback", "export"):
        assert f"nbgrader {step}" in printed
    assert (course / "nbgrader_config.py").exists() and (course / "gradebook.db").exists()


@pytest.mark.parametrize("name", ALL)
def test_the_release_is_the_learner_notebook_with_nbgraders_metadata(course, name):
    """What a class's student gets is what `make exercises` writes to exercises/<name>.ipynb, but for the
    stub's message (nbgrader's is one text for every exercise) and the read-only marks: no solution, no
    hidden test, no output. (tests/test_exercises.py keeps exercises/ equal to that.)"""
    course, _ = course
    released = read(course / "release" / name / f"{name}.ipynb")
    learner = make_exercises.learner_version(SNAPSHOT[name])
    assert [c.cell_type for c in released.cells] == [c.cell_type for c in learner.cells]
    for mine, theirs in zip(released.cells, learner.cells):
        assert STUB_LINE.sub(r"\1<stub>", mine.source) == STUB_LINE.sub(r"\1<stub>", theirs.source)
        assert "HIDDEN TESTS" not in mine.source and "SOLUTION" not in mine.source
        if mine.cell_type == "code":
            assert mine.outputs == [] and mine.execution_count is None
        assert mine.metadata.get("editable", True) == (meta(mine).get("solution") is True)


@pytest.mark.parametrize("name", GRADED)
def test_scores_full_marks_and_exactly_one_exercise_lost(graded, name):
    _, exercises, wrong, unfinished = plan(graded, name)
    found = scores(graded, name)
    points = {exercise.check_id: make_course.POINTS for exercise in exercises}
    full = {grade_id: (float(p), float(p)) for grade_id, p in points.items()}
    assert found["complete"] == full
    assert found["wrong"] == {**full, wrong.check_id: (0.0, float(points[wrong.check_id]))}
    assert found["unfinished"] == {**full, unfinished.check_id: (0.0, float(points[unfinished.check_id]))}
    print(f"\n{name}: " + ", ".join(f"{student} {sum(s for s, _ in found[student].values()):g}/"
                                    f"{sum(m for _, m in found[student].values()):g}" for student in STUDENTS))

    with open(graded / "grades.csv", newline="") as handle:
        rows = {(row["assignment"], row["student_id"]): row for row in csv.DictReader(handle)}
    total = float(sum(points.values()))
    for student, lost in zip(STUDENTS, (0, points[wrong.check_id], points[unfinished.check_id])):
        row = rows[(name, student)]
        assert (float(row["score"]), float(row["max_score"])) == (total - lost, total), row


def failing_check(graded, name, student):
    """The error output of each graded cell that failed in the student's autograded notebook: {grade id: output}."""
    nb = read(graded / "autograded" / student / name / f"{name}.ipynb")
    return {meta(cell)["grade_id"]: output for cell in nb.cells if meta(cell).get("grade")
            for output in cell.get("outputs", []) if output.output_type == "error"}


def flat(text):
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("student", ["wrong", "unfinished"])
@pytest.mark.parametrize("name", GRADED)
def test_feedback_names_the_exercise_and_shows_the_checks_message(graded, name, student):
    _, _, wrong, unfinished = plan(graded, name)
    exercise = wrong if student == "wrong" else unfinished
    errors = failing_check(graded, name, student)
    assert list(errors) == [exercise.check_id]
    error = errors[exercise.check_id]
    assert error.ename == "ExerciseError" and error.evalue.strip()  # the check said no, nothing else broke
    shown = "\n".join(error.traceback)
    assert exercise.names[0] in shown and flat(error.evalue) in flat(shown)
    assert "Traceback" not in shown and "course_utils" not in shown  # the message alone, as in self-study

    page = (graded / "feedback" / student / name / f"{name}.html").read_text(encoding="utf-8")
    text = unescape(re.sub(r"<[^>]+>", "", page))
    assert exercise.check_id in text and exercise.names[0] in text
    assert flat(error.evalue) in flat(text)


@pytest.mark.parametrize("name", GRADED)
def test_a_complete_submission_runs_clean_and_quiet(graded, name):
    """Every check passes, nothing errs anywhere, and nothing reaches stderr: no TensorFlow C++ log line and
    no progress bar (the course's nbgrader_config.py sets the variables, not this test)."""
    nb = read(graded / "autograded" / "complete" / name / f"{name}.ipynb")
    outputs = [(cell, output) for cell in nb.cells for output in cell.get("outputs", [])]
    assert [o for _, o in outputs if o.output_type == "error"] == []
    assert [o.text for _, o in outputs if o.output_type == "stream" and o.name == "stderr"] == []
    for exercise in make_course.find_exercises(read(graded / "source" / name / f"{name}.ipynb")):
        printed = "".join(o.get("text", "") for c, o in outputs if meta(c).get("grade_id") == exercise.check_id)
        assert exercise.names[0] in printed  # the check's verdict, naming the exercise
