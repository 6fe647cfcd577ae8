"""tools/make_course.py: the nbgrader metadata it writes from the exercise convention (no nbgrader run here).

The convention is the one `make exercises` relies on: an exercise cell holds ``### BEGIN SOLUTION`` /
``### END SOLUTION`` inside the functions the learner writes, and the next code cell is its check,
``f = checks.check_f(f)``. These tests read that convention, not the notebooks' wording, so they hold
while the lessons are rewritten. Grading real submissions with nbgrader is `make test-course`
(tests/course/).
"""

import importlib.util
import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
if "make_course" not in sys.modules:  # the tool, imported once (tests/course/ uses it too)
    SPEC = importlib.util.spec_from_file_location("make_course", ROOT / "tools" / "make_course.py")
    sys.modules["make_course"] = importlib.util.module_from_spec(SPEC)
    SPEC.loader.exec_module(sys.modules["make_course"])
make_course = sys.modules["make_course"]

NAMES = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
GRADE_ID = re.compile(r"^[a-zA-Z0-9_\-]+$")  # nbgrader's pattern for grade ids (schema v3)
DEF = re.compile(r"^\s*def\s+(\w+)\s*\(", re.M)
CHECK_CELL = re.compile(r"^([\w, ]+) = checks\.(check_\w+)\(([\w, ]+)\)$")  # as in test_exercises.py


def read(name):
    return nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)


def nbgrader_meta(nb):
    return [cell.metadata.get("nbgrader") for cell in nb.cells]


def synthetic(*cells):
    """A notebook from (cell_type, source) pairs."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source)
                for kind, source in cells]
    return nb


EXERCISE = "def f(x):\n    \"\"\"doc\"\"\"\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"
PAIR = ("def g(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n\n\n"
        "def h(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION")


@pytest.mark.parametrize("name", NAMES)
def test_every_exercise_is_a_solution_cell_graded_by_its_check_cell(name):
    nb = read(name)
    source = make_course.nbgrader_source(nb)
    code = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    exercise_cells = [i for i in code if make_course.BEGIN in nb.cells[i].source]
    assert exercise_cells, f"{name} has no exercise"
    assert len(source.cells) == len(nb.cells)
    graded = {}
    for index, (cell, meta) in enumerate(zip(source.cells, nbgrader_meta(source))):
        assert meta is not None and meta["schema_version"] == 3 and GRADE_ID.match(meta["grade_id"]), (index, meta)
        if index in exercise_cells:
            check = code[code.index(index) + 1]
            call = CHECK_CELL.match(nb.cells[check].source.strip())
            assert call, f"{name}: the cell after an exercise should be `f = checks.check_f(f)`"
            names = [n.strip() for n in call.group(1).split(",")]
            assert set(names) <= set(DEF.findall(nb.cells[index].source))
            assert meta == {"grade": False, "grade_id": "-".join(names), "locked": False, "schema_version": 3,
                            "solution": True}
            check_meta = source.cells[check].metadata["nbgrader"]
            assert check_meta == {"grade": True, "grade_id": "-".join(names) + "-check", "locked": True,
                                  "points": make_course.POINTS, "schema_version": 3, "solution": False}
            graded[check] = names
        elif index not in graded:
            assert meta["grade"] is False and meta["solution"] is False and meta["locked"] is True, (index, meta)
            assert meta["grade_id"].startswith("cell-")  # cell-<last exercise or top>-<count>
            assert cell.source == nb.cells[index].source
    assert len(graded) == len(exercise_cells)
    ids = [meta["grade_id"] for meta in nbgrader_meta(source)]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("name", NAMES)
def test_the_graded_check_is_the_check_cell_with_strict_mode_switched_on_in_a_hidden_block(name, monkeypatch):
    nb = read(name)
    source = make_course.nbgrader_source(nb)
    for exercise in make_course.find_exercises(nb):
        graded = source.cells[exercise.check_cell].source
        hidden, visible = graded.split("### END HIDDEN TESTS\n")
        assert visible == nb.cells[exercise.check_cell].source  # what students see: the check cell, unchanged
        assert hidden.startswith("### BEGIN HIDDEN TESTS\n")
        monkeypatch.setenv(make_course.STRICT_VARIABLE, "0")  # restored after the test
        exec(hidden.replace("### BEGIN HIDDEN TESTS\n", ""), {})  # noqa: S102 (the tool's own line)
        assert os.environ[make_course.STRICT_VARIABLE] == "1"


def test_the_metadata_validates_against_nbgraders_schema():
    jsonschema = pytest.importorskip("jsonschema")
    spec = importlib.util.find_spec("nbgrader")
    if spec is None:
        pytest.skip("nbgrader is not installed")
    schema = json.loads((Path(spec.submodule_search_locations[0]) / "nbgraderformat" / "v3.json").read_text())
    for name in NAMES:
        for meta in nbgrader_meta(make_course.nbgrader_source(read(name))):
            jsonschema.validate(meta, schema)


def test_committed_notebooks_carry_no_nbgrader_metadata():
    """notebooks/ stays the one source and exercises/ what self-study learners get: the metadata is only in
    the course directory's source/ copies."""
    for folder in ("notebooks", "exercises"):
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            assert all("nbgrader" not in cell.metadata for cell in nb.cells), path
            assert "nbgrader" not in nb.metadata, path


def test_ids_come_from_function_names_and_stay_put_when_text_changes():
    nb = synthetic(("markdown", "# Title"), ("code", "import numpy as np"), ("code", EXERCISE),
                   ("code", "f = checks.check_f(f)"), ("markdown", "text"), ("code", PAIR),
                   ("code", "g, h = checks.check_gh(g, h)"), ("code", "print(f(1))"), ("code", "print(g(1))"))
    ids = [meta["grade_id"] for meta in nbgrader_meta(make_course.nbgrader_source(nb))]
    assert ids == ["cell-top-1", "cell-top-2", "f", "f-check", "cell-f-1", "g-h", "g-h-check", "cell-g-h-1",
                   "cell-g-h-2"]
    nb.cells[0].source, nb.cells[4].source = "# A better title", "Better text."  # a typo fixed: same ids
    assert [meta["grade_id"] for meta in nbgrader_meta(make_course.nbgrader_source(nb))] == ids
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("A new paragraph."))  # a cell added: the exercises keep theirs
    again = [meta["grade_id"] for meta in nbgrader_meta(make_course.nbgrader_source(nb))]
    assert again == ["cell-top-1", "cell-top-2", "cell-top-3"] + ids[2:]


def test_read_only_ids_are_unique_even_with_identical_cells():
    nb = synthetic(("code", EXERCISE), ("code", "f = checks.check_f(f)"), ("code", "plt.show()"),
                   ("code", "plt.show()"), ("markdown", "plt.show()"))
    ids = [meta["grade_id"] for meta in nbgrader_meta(make_course.nbgrader_source(nb))]
    assert len(set(ids)) == len(ids)


def test_a_notebook_without_exercises_is_no_assignment():
    assert make_course.nbgrader_source(synthetic(("markdown", "# Notes"), ("code", "x = 1"))) is None


@pytest.mark.parametrize("cells, message", [
    ([("code", EXERCISE)], "no check cell follows"),
    ([("code", EXERCISE), ("markdown", "text"), ("code", "print(f(2))")], "one call `checks"),
    ([("code", EXERCISE), ("code", "g = checks.check_g(g)")], r"checks \['g'\], not \['f'\]"),
    ([("code", EXERCISE), ("code", EXERCISE.replace("f(", "k("))], "another exercise"),
    ([("code", "### BEGIN SOLUTION\nx = 1\n### END SOLUTION"), ("code", "x = checks.check_x(x)")],
     "outside a function"),
    ([("code", "def f():\n    ### BEGIN SOLUTION\n    return 1"), ("code", "f = checks.check_f(f)")], "without"),
])
def test_a_broken_convention_stops_with_a_clear_error(cells, message):
    with pytest.raises(make_course.ConventionError, match=message):
        make_course.nbgrader_source(synthetic(*cells))


def test_sources_only_writes_the_course_layout_and_keeps_an_edited_config(tmp_path, capsys):
    course = tmp_path / "course"
    assert make_course.main([str(course), "--notebooks", NAMES[0], "--sources-only"]) == 0
    written = nbformat.read(course / "source" / NAMES[0] / f"{NAMES[0]}.ipynb", as_version=4)
    assert all("nbgrader" in cell.metadata for cell in written.cells)
    config = (course / "nbgrader_config.py").read_text()
    compile(config, "nbgrader_config.py", "exec")
    for setting in ("c.CourseDirectory.course_id", "c.Exchange.root", "c.ClearSolutions.code_stub",
                    "TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS"):
        assert setting in config
    (course / "nbgrader_config.py").write_text(config + "\n# mine\n")
    assert make_course.main([str(course), "--notebooks", NAMES[0], "--sources-only"]) == 0
    assert (course / "nbgrader_config.py").read_text().endswith("# mine\n")
    assert "kept (yours)" in capsys.readouterr().out
