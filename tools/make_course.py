#!/usr/bin/env python3
"""Lay out the course as an nbgrader course directory and generate its assignments (`make course`).

Usage::

    python tools/make_course.py                         # build/course, all five notebooks
    python tools/make_course.py DIR                     # another course directory
    python tools/make_course.py DIR --notebooks Gradient_Checking Tensorflow_introduction
    python tools/make_course.py DIR --sources-only      # write source/ and the config; run no nbgrader

Each solution notebook in notebooks/ becomes one assignment named after it. The course directory gets

* ``source/<Notebook>/<Notebook>.ipynb``: the solution notebook with nbgrader cell metadata, written
  here from the exercise convention (notebooks/ itself carries none, so it stays the one source):

  - an **exercise cell** (a code cell with ``### BEGIN SOLUTION`` / ``### END SOLUTION``, the markers
    ``make exercises`` also reads) is an autograded-answer cell: ``solution``, not locked; grade id = the
    names of the functions it asks for, joined by ``-`` (``initialize_he``,
    ``params_to_vector-vector_to_params``);
  - its **check cell** (the next code cell, ``f = checks.check_f(f)``) is the autograded test cell,
    locked, worth ``POINTS`` (1 point per exercise), grade id ``<exercise id>-check``. A hidden-tests
    block at its top switches the checks to strict mode in the graded run, so an exercise left
    unfinished (still raising NotImplementedError) fails its test instead of handing the course's
    version on; nbgrader removes the block from what students get, so they see the cell as in
    exercises/. The check's own cases (several seeds, odd shapes, both dtypes) live in course_utils,
    not in the notebook, so no further hidden tests are needed to keep answers honest;
  - **every other cell** (text, experiments, figures) is read-only (locked) and is restored from the
    source when a submission is graded; its id counts the read-only cells since the last exercise
    (``cell-top-1``, ..., ``cell-initialize_he-1``, ...), so a fix to a cell's text keeps every id,
    and nbgrader accepts the regenerated assignment even when submissions already exist (it refuses
    added or removed cells then).

* ``nbgrader_config.py`` (written only when missing, so an instructor's edits stay): the course id,
  a local exchange in ``exchange/``, the solution stub, a per-cell timeout, and quiet kernels (no
  TensorFlow C++ log lines, no progress bars in graded outputs).
* ``release/<Notebook>/``: from ``nbgrader generate_assignment <Notebook> --force``, run here for each
  assignment. Submissions, grades (gradebook.db) and the exchange already in the directory are kept.
  An assignment nbgrader cannot regenerate (cells added or removed after students submitted) is
  reported, the others are still generated, and the tool exits with status 1.

The output depends only on the solution notebooks' sources.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = ROOT / "notebooks"
DEFAULT_COURSE_DIR = ROOT / "build" / "course"
COURSE_ID = "improving-deep-networks"
POINTS = 1  # per exercise: every exercise is one function (or one pair) with one check
SCHEMA_VERSION = 3  # nbgrader's cell-metadata schema (nbgrader 0.9)
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STRICT_VARIABLE = "COURSE_UTILS_STRICT_EXERCISES"
HIDDEN_STRICT = (
    "### BEGIN HIDDEN TESTS\n"
    f'import os; os.environ["{STRICT_VARIABLE}"] = "1"  # graded run: an exercise left unfinished scores 0\n'
    "### END HIDDEN TESTS\n"
)
# What a student's nbgrader copy has in place of a solution: exercises/ names the function in the message,
# nbgrader's stub is one text for every exercise.
CODE_STUB = ('# YOUR CODE HERE\n'
             'raise NotImplementedError("Exercise: replace this line with your code, then run this cell and the check '
             'below it.")')
_DEF = re.compile(r"^\s*def\s+(\w+)\s*\(")


class ConventionError(ValueError):
    """A notebook breaks the exercise convention (markers, or the check cell right after the exercise)."""


@dataclass(frozen=True)
class Exercise:
    names: tuple[str, ...]   # the functions the learner writes, in the cell's order
    cell: int                # index of the exercise cell in nb.cells
    check_cell: int          # index of its check cell (the next code cell)
    check: str               # the check's name in course_utils.checks

    @property
    def grade_id(self) -> str:
        return "-".join(self.names)

    @property
    def check_id(self) -> str:
        return f"{self.grade_id}-check"


def solution_functions(source: str) -> list[str]:
    """The functions whose bodies hold a solution block, in order (each named once)."""
    names, current, inside = [], None, False
    for line in source.split("\n"):
        match = _DEF.match(line)
        if match and not inside:
            current = match.group(1)
        if line.strip() == BEGIN:
            if inside:
                raise ConventionError(f"nested {BEGIN!r} in {current!r}")
            if current is None:
                raise ConventionError(f"{BEGIN!r} outside a function: the exercise has no name")
            inside = True
            if current not in names:
                names.append(current)
        elif line.strip() == END:
            if not inside:
                raise ConventionError(f"{END!r} without {BEGIN!r} in {current!r}")
            inside = False
    if inside:
        raise ConventionError(f"{BEGIN!r} without {END!r} in {current!r}")
    return names


def check_call(source: str) -> tuple[str, list[str]]:
    """(check name, names passed to it) of a check cell ``f = checks.check_f(f)``; ConventionError otherwise."""
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise ConventionError(f"the check cell does not parse: {error}") from None
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
             and isinstance(node.func.value, ast.Name) and node.func.value.id == "checks"]
    if len(calls) != 1:
        raise ConventionError(f"expected one call `checks.<check>(...)` in the check cell, found {len(calls)}: "
                              f"{source.strip()[:120]!r}")
    return calls[0].func.attr, [arg.id for arg in calls[0].args if isinstance(arg, ast.Name)]


def find_exercises(nb) -> list[Exercise]:
    """Every exercise of ``nb``: a code cell with solution markers, checked by the next code cell."""
    code = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    found = []
    for position, index in enumerate(code):
        source = nb.cells[index].source
        if BEGIN not in source and END not in source:
            continue
        names = solution_functions(source)
        if position + 1 == len(code):
            raise ConventionError(f"exercise {'/'.join(names)} is the last code cell: no check cell follows it")
        check_index = code[position + 1]
        check_source = nb.cells[check_index].source
        if BEGIN in check_source:
            raise ConventionError(f"the cell after exercise {'/'.join(names)} is another exercise, not its check")
        check, passed = check_call(check_source)
        if not set(names) <= set(passed):
            raise ConventionError(f"the cell after exercise {'/'.join(names)} checks {passed}, not {names}: "
                                  f"{check_source.strip()!r}")
        found.append(Exercise(tuple(names), index, check_index, check))
    ids = [exercise.grade_id for exercise in found]
    if len(set(ids)) != len(ids):
        raise ConventionError(f"two exercises ask for the same function: {ids}")
    return found


def _metadata(grade_id, solution=False, grade=False, locked=True, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA_VERSION,
            "solution": solution}
    if points is not None:
        meta["points"] = points
    return meta


def nbgrader_source(nb, points=POINTS):
    """A copy of the solution notebook ``nb`` with nbgrader metadata; None if it has no exercise."""
    nb = nbformat.from_dict(nb)
    exercises = find_exercises(nb)
    if not exercises:
        return None
    roles = {}
    for exercise in exercises:
        roles[exercise.cell] = _metadata(exercise.grade_id, solution=True, locked=False)
        roles[exercise.check_cell] = _metadata(exercise.check_id, grade=True, points=points)
        nb.cells[exercise.check_cell].source = HIDDEN_STRICT + nb.cells[exercise.check_cell].source
    section, count = "top", 0
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("nbgrader", None)
        if index in roles:
            cell.metadata["nbgrader"] = roles[index]
            section, count = roles[index]["grade_id"].removesuffix("-check"), 0
            continue
        count += 1
        cell.metadata["nbgrader"] = _metadata(f"cell-{section}-{count}")
    ids = [cell.metadata["nbgrader"]["grade_id"] for cell in nb.cells]
    if len(set(ids)) != len(ids):
        raise ConventionError(f"cell ids collide: {sorted({i for i in ids if ids.count(i) > 1})}")
    return nb


def config_text(course_id=COURSE_ID):
    """The nbgrader_config.py that ``make course`` writes when the course directory has none."""
    return f'''\
"""nbgrader configuration of the course "Improving Deep Neural Networks".

Written by `make course` (tools/make_course.py) because there was none; yours to edit: `make course`
never overwrites it (delete it to get this default back). Run nbgrader from this directory.
"""
import os

c = get_config()  # noqa: F821 (defined by the config loader)
HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = HERE
# A local exchange, for running the whole flow on one machine. On a shared server (JupyterHub), give
# instructors and students one shared, writable directory instead, e.g. "/srv/nbgrader/exchange".
c.Exchange.root = os.path.join(HERE, "exchange")

# What a student sees in place of a solution (exercises/ names the function; nbgrader's stub is one text).
c.ClearSolutions.code_stub = {{"python": {json.dumps(CODE_STUB)}}}

# Autograding runs each notebook in a kernel; a lesson's Run All takes about 30 s, a cell far less.
c.Execute.timeout = 300

# Kernels started by nbgrader inherit these: no TensorFlow C++ log lines and no progress bars in the
# graded outputs and feedback.
for name, value in {{"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0", "COURSE_UTILS_PROGRESS": "0"}}.items():
    os.environ.setdefault(name, value)
'''


def write_sources(course_dir: Path, names, source_dir=SOURCE_DIR):
    """Write source/<name>/<name>.ipynb for each notebook name; {name: [Exercise, ...]}."""
    written = {}
    for name in names:
        nb = nbformat.read(Path(source_dir) / f"{name}.ipynb", as_version=4)
        source = nbgrader_source(nb)
        if source is None:
            continue
        target = course_dir / "source" / name
        target.mkdir(parents=True, exist_ok=True)
        for stale in target.glob("*.ipynb"):
            if stale.name != f"{name}.ipynb":
                stale.unlink()
        (target / f"{name}.ipynb").write_text(nbformat.writes(source) + "\n", encoding="utf-8")
        written[name] = find_exercises(source)
    return written


def environment():
    """os.environ with this Python's bin directory first on PATH: nbgrader runs the `alembic` command from there."""
    bin_dir = str(Path(sys.executable).parent)
    return dict(os.environ, PATH=os.pathsep.join([bin_dir, os.environ.get("PATH", "")]))


def generate_assignments(course_dir: Path, names):
    """``nbgrader generate_assignment <name> --force`` for each name, in this process (nbgrader's Python API,
    with the course directory's nbgrader_config.py): release/<name>/ and the assignment in gradebook.db.
    Returns the names nbgrader failed on (each failure is printed; the others are still generated)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    os.environ.update(PATH=environment()["PATH"])
    here = Path.cwd()
    os.chdir(course_dir)  # as when an instructor runs nbgrader there
    try:
        config = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        failed = []
        for name in names:
            result = api.generate_assignment(name, force=True)
            if not result["success"]:
                failed.append(name)
                print(f"make_course: nbgrader generate_assignment {name} failed:\n{result.get('log', '')}"
                      f"{result.get('error', '')}", file=sys.stderr)
    finally:
        os.chdir(here)
    return failed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course_dir", nargs="?", type=Path, default=DEFAULT_COURSE_DIR,
                        help="the nbgrader course directory (default: build/course)")
    parser.add_argument("--notebooks", nargs="+", metavar="NAME",
                        help="only these notebooks (names without .ipynb; default: every notebook)")
    parser.add_argument("--sources-only", action="store_true",
                        help="write source/ and nbgrader_config.py, but do not run nbgrader")
    args = parser.parse_args(argv)
    names = args.notebooks or sorted(path.stem for path in SOURCE_DIR.glob("*.ipynb"))
    missing = [name for name in names if not (SOURCE_DIR / f"{name}.ipynb").exists()]
    if missing:
        parser.error(f"no such notebook in notebooks/: {', '.join(missing)}")
    course_dir = args.course_dir.resolve()
    course_dir.mkdir(parents=True, exist_ok=True)
    config = course_dir / "nbgrader_config.py"
    config_note = "kept (yours)" if config.exists() else "written"
    if not config.exists():
        config.write_text(config_text(), encoding="utf-8")
    try:
        written = write_sources(course_dir, names)
    except ConventionError as error:
        sys.exit(f"make_course: {error}")
    failed = [] if args.sources_only else generate_assignments(course_dir, list(written))

    shown = _shown(course_dir)
    count = sum(len(exercises) for exercises in written.values())
    print(f"\nnbgrader course in {shown}/ (course id {COURSE_ID!r}); nbgrader_config.py {config_note}")
    folder = "source" if args.sources_only else "release"
    where = {name: f"{folder}/{name}/{name}.ipynb" for name in written}
    width = max(map(len, where.values()), default=0)
    for name, exercises in written.items():
        note = "  NOT GENERATED" if name in failed else ""
        print(f"  {where[name]:{width}}  {len(exercises)} exercises, {len(exercises) * POINTS} points{note}")
    print(f"  {count} exercises, {POINTS} point each")
    if failed:
        print(f"nbgrader could not generate {', '.join(failed)} (see above); the other assignments are ready.")
        return 1
    if args.sources_only:
        return 0
    first = "Initialization" if "Initialization" in written else next(iter(written))
    steps = [
        (f"nbgrader release_assignment {first}", f"into the exchange ({_shown(course_dir / 'exchange')})"),
        (f"# students: nbgrader fetch_assignment {first}; work; nbgrader submit {first}", ""),
        (f"nbgrader collect {first}", f"submissions into submitted/<student>/{first}/"),
        (f"nbgrader autograde {first}", "runs every submission; scores into gradebook.db"),
        (f"nbgrader generate_feedback {first}", f"feedback/<student>/{first}/{first}.html"),
        ("nbgrader export", "grades.csv: one row per student and assignment"),
    ]
    width = max(len(command) for command, note in steps if note)
    print("\nNext (see \"Teaching a class\" in README.md), in the course's environment:")
    print(f"  source {_shown(Path(sys.executable).parent)}/activate && cd {shown}")
    for command, note in steps:
        print(f"  {command:{width}}  # {note}" if note else f"  {command}")
    return 0


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when below it, else absolute; quoted for a shell."""
    try:
        text = str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        text = str(Path(path).resolve())
    return shlex.quote(text)


if __name__ == "__main__":
    sys.exit(main())
