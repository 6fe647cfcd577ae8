"""The learner notebooks in exercises/: fresh and free of solutions; Run All goes through open exercises,
a wrong answer stops with the check's message alone, every check passes once the solutions are put back,
and the learner's function feeds the cells below its check."""

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

from course_utils import checks

import lesson_format

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("make_exercises", ROOT / "tools" / "make_exercises.py")
make_exercises = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(make_exercises)

NAMES = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
STUB = re.compile(r'raise NotImplementedError\("Exercise (\w+): ')


def read(folder, name):
    return nbformat.read(ROOT / folder / name, as_version=4)


def code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def setup_source(nb):
    """The notebook's import cell without IPython magics."""
    return "\n".join(line for line in code(nb)[0].source.splitlines() if not line.startswith("%"))


def test_every_notebook_has_exercises():
    counts = {name: sum(make_exercises.BEGIN in c.source for c in code(read("notebooks", name))) for name in NAMES}
    assert all(3 <= n <= 5 for n in counts.values()), counts
    assert sum(counts.values()) >= 18


def test_learner_notebooks_are_up_to_date():
    expected = make_exercises.generate()
    assert sorted(expected) == sorted(p.name for p in (ROOT / "exercises").glob("*.ipynb")) == NAMES
    for name, text in expected.items():
        assert (ROOT / "exercises" / name).read_text(encoding="utf-8") == text, \
            f"exercises/{name} is stale: run `make exercises`"


def test_stub_replaces_each_block_and_names_the_function():
    source = "def f(x):\n    \"\"\"doc\"\"\"\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n\nprint(1)"
    assert make_exercises.strip_solutions(source) == (
        "def f(x):\n    \"\"\"doc\"\"\"\n    # YOUR CODE HERE\n    raise NotImplementedError(\"Exercise f: replace this "
        "line with your code, then run this cell and the check below it.\")\n\nprint(1)")
    for bad in ("def f():\n    ### BEGIN SOLUTION\n    return 1", "### BEGIN SOLUTION\nx = 1\n### END SOLUTION",
                "def f():\n    ### END SOLUTION"):
        with pytest.raises(ValueError, match="SOLUTION"):
            make_exercises.strip_solutions(bad)


@pytest.mark.parametrize("name", NAMES)
def test_learner_notebook_has_no_solution_and_no_output(name):
    solution, learner = read("notebooks", name), read("exercises", name)
    assert len(solution.cells) == len(learner.cells)
    for sol, mine in zip(solution.cells, learner.cells):
        assert make_exercises.BEGIN not in mine.source and make_exercises.END not in mine.source
        if mine.cell_type == "code":
            assert mine.outputs == [] and mine.execution_count is None
        if make_exercises.BEGIN not in sol.source:
            assert sol.source == mine.source
            continue
        blocks = re.findall(r"### BEGIN SOLUTION\n(.*?)\n\s*### END SOLUTION", sol.source, re.S)
        body = [line.strip() for block in blocks for line in block.splitlines()]
        leaked = [line for line in body if line and line in [m.strip() for m in mine.source.splitlines()]]
        assert leaked == [], f"solution lines left in exercises/{name}: {leaked}"
        assert len(STUB.findall(mine.source)) == len(blocks)


def exercise_pairs(nb):
    """(exercise cell source, the check cell after it) for every exercise of ``nb``."""
    cells = code(nb)
    return [(cell.source, cells[i + 1].source) for i, cell in enumerate(cells)
            if make_exercises.BEGIN in cell.source or STUB.search(cell.source)]


CHECK_CELL = re.compile(r"^([\w, ]+) = checks\.(check_\w+)\(([\w, ]+)\)$")


@pytest.mark.parametrize("name", NAMES)
def test_every_check_cell_keeps_what_the_cells_below_use(name):
    """``f = checks.check_f(f)``: the check hands back the function the rest of the notebook runs, and a code
    cell below the check uses it (the experiment runs on the learner's code once the check passes)."""
    nb = read("notebooks", name)
    cells = code(nb)
    converted = Path(name).stem not in lesson_format.NOT_YET_CONVERTED
    for i, cell in enumerate(cells):
        if make_exercises.BEGIN not in cell.source:
            continue
        match = CHECK_CELL.match(cells[i + 1].source.strip())
        assert match, f"{name}: the cell after an exercise should be `f = checks.check_f(f)`: {cells[i + 1].source!r}"
        assert match.group(1) == match.group(3), cells[i + 1].source
        for function in [f.strip() for f in match.group(1).split(",")]:
            assert re.search(rf"def {function}\(", cell.source), (name, function)
            later = [c.source for c in cells[i + 2:]]
            assert not converted or any(re.search(rf"\b{function}\b", source) for source in later), \
                f"{name}: `{function}` is checked but no cell below uses it"


@pytest.mark.parametrize("name", NAMES)
def test_solutions_put_back_pass_every_check(name, capsys):
    """Each exercise cell, solution put back, then its check cell, alone in a fresh namespace."""
    solution, learner = read("notebooks", name), read("exercises", name)
    setup = setup_source(learner)
    solved = [sol for (sol, _), (mine, _) in zip(exercise_pairs(solution), exercise_pairs(learner))]
    checks_run = [check for _, check in exercise_pairs(learner)]
    assert len(solved) == len(checks_run) >= 3
    for exercise, check in zip(solved, checks_run):
        namespace = {}
        exec(setup, namespace)  # noqa: S102 (the notebook's own code)
        exec(exercise, namespace)  # noqa: S102
        defined = {key: value for key, value in namespace.items() if callable(value) and key in exercise}
        exec(check, namespace)  # noqa: S102
        kept = CHECK_CELL.match(check.strip()).group(1).split(",")
        assert all(namespace[f.strip()] is defined[f.strip()] for f in kept)  # the learner's own function
    printed = [line for line in capsys.readouterr().out.splitlines() if not line.startswith("  ")]  # wrapped lines
    assert len(printed) == len(checks_run) and all(line.startswith("✓ ") for line in printed), printed


@pytest.mark.parametrize("name", NAMES)
def test_an_open_exercise_hands_the_course_version_on(name, capsys):
    """Run as shipped, each check cell says the exercise is open and keeps the course's version, so Run All goes on."""
    learner = read("exercises", name)
    setup = setup_source(learner)
    for exercise, check in exercise_pairs(learner):
        namespace = {}
        exec(setup, namespace)  # noqa: S102
        exec(exercise, namespace)  # noqa: S102 (defines the stub without calling it)
        stubs = {key: value for key, value in namespace.items() if callable(value) and key in exercise}
        exec(check, namespace)  # noqa: S102
        for function in CHECK_CELL.match(check.strip()).group(1).split(","):
            assert namespace[function.strip()] is not stubs[function.strip()]
        printed = capsys.readouterr().out
        assert printed.startswith("○ ") and "the cells below use the course's version" in printed, printed
        exec(exercise, namespace)  # noqa: S102 (the stub again)
        with pytest.raises(checks.ExerciseError, match="not written yet"):  # strict, as for grading
            exec(check.strip()[:-1] + ", strict=True)", namespace)  # noqa: S102


def _execute(nb, folder):
    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}})
    client.execute()
    return nb


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_in_a_kernel_run_all_goes_through_open_exercises_and_stops_at_a_wrong_one():
    """The real thing for one notebook: a kernel runs exercises/Initialization.ipynb top to bottom, as shipped
    (it goes through), then with a wrong He initializer (it stops at the check, with the message alone)."""
    from nbclient.exceptions import CellExecutionError

    nb = read("exercises", "Initialization.ipynb")
    _execute(nb, ROOT / "exercises")
    outputs = ["".join(o.get("text", "")) for c in code(nb) for o in c.outputs]
    opened = [text for text in outputs if text.startswith("○ ")]
    assert len(opened) == sum(bool(STUB.search(c.source)) for c in code(nb)) >= 3
    assert all(c.execution_count is not None for c in code(nb))  # every cell ran

    nb = read("exercises", "Initialization.ipynb")
    stub = next(c for c in code(nb) if "Exercise initialize_he:" in c.source)
    its_import = nbformat.v4.new_code_cell("from course_utils import initializers")  # the wrong answer's
    check = code(nb)[code(nb).index(stub) + 1]
    nb.cells = code(nb)[:2] + [its_import, stub, check]  # imports, settings, exercise, check
    stub.source = STUB.sub("return {k: v for k, v in initializers.initialize(layer_dims, 'lecun', rng=rng).items()}\n#",
                           stub.source)
    with pytest.raises(CellExecutionError) as info:
        _execute(nb, ROOT / "exercises")
    assert info.value.ename == "ExerciseError"
    check_cell = code(nb)[code(nb).index(stub) + 1]
    error = next(o for o in check_cell.outputs if o.output_type == "error")
    shown = "\n".join(error.traceback)
    assert shown.startswith("✗ initialize_he is not right yet:") and "1/fan_in" in shown
    assert "course_utils" not in shown and "Traceback" not in shown and "File " not in shown
