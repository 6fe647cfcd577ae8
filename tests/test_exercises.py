"""The learner notebooks in exercises/: fresh, free of solutions, stopping at the first exercise, and
passing every check once their solutions are put back."""

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

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
        "def f(x):\n    \"\"\"doc\"\"\"\n    # YOUR CODE HERE\n    raise NotImplementedError(\"Exercise f: write this "
        "function, then run the check in the next cell.\")\n\nprint(1)")
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


@pytest.mark.parametrize("name", NAMES)
def test_solutions_put_back_pass_every_check(name, capsys):
    """Each exercise cell, solution put back, then its check cell, alone in a fresh namespace."""
    solution, learner = read("notebooks", name), read("exercises", name)
    setup = setup_source(learner)
    solved = [sol for (sol, _), (mine, _) in zip(exercise_pairs(solution), exercise_pairs(learner))]
    checks_run = [check for _, check in exercise_pairs(learner)]
    assert len(solved) == len(checks_run) >= 3
    for exercise, check in zip(solved, checks_run):
        assert "checks.check_" in check
        namespace = {}
        exec(setup, namespace)  # noqa: S102 (the notebook's own code)
        exec(exercise, namespace)  # noqa: S102
        exec(check, namespace)  # noqa: S102
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == len(checks_run) and all(line.startswith("check_") for line in printed), printed


@pytest.mark.parametrize("name", NAMES)
def test_learner_notebook_stops_with_the_exercise_name(name):
    """Run as shipped, each exercise's check cell raises NotImplementedError naming that exercise."""
    learner = read("exercises", name)
    setup = setup_source(learner)
    for exercise, check in exercise_pairs(learner):
        namespace = {}
        exec(setup, namespace)  # noqa: S102
        exec(exercise, namespace)  # noqa: S102 (defines the stub without calling it)
        with pytest.raises(NotImplementedError, match=f"Exercise {STUB.search(exercise).group(1)}:"):
            exec(check, namespace)  # noqa: S102


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_first_learner_notebook_stops_at_its_first_exercise():
    """The real thing for one notebook: a kernel runs exercises/Initialization.ipynb top to bottom."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = read("exercises", "Initialization.ipynb")
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT / "exercises")}})
    with pytest.raises(CellExecutionError) as info:
        client.execute()
    assert info.value.ename == "NotImplementedError"
    assert "Exercise initialize_zeros:" in info.value.evalue
    first_stub = next(i for i, c in enumerate(nb.cells) if STUB.search(c.source))
    ran = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.execution_count is not None]
    assert max(ran) == first_stub + 1  # stopped at the check cell right after the first exercise
