#!/usr/bin/env python3
"""Generate the learner notebooks in exercises/ from the solution notebooks in notebooks/.

Usage::

    python tools/make_exercises.py             # (re)write exercises/*.ipynb
    python tools/make_exercises.py --check     # exit 1 if a committed learner notebook is stale

In every code cell, each block from a ``### BEGIN SOLUTION`` line to its ``### END SOLUTION`` line
(nbgrader's markers) becomes a stub at the same indentation::

    # YOUR CODE HERE
    raise NotImplementedError("Exercise initialize_he: replace this line with your code, ...")

naming the function the block sits in. The check cell below an exercise
(``initialize_he = checks.check_he_initialization(initialize_he)``) reports a stub as an open
exercise and hands the cells below the course's version, so "Run All" goes through. Every output and execution count is cleared. Notebooks
without an exercise are skipped. The output depends only on the solution notebooks' sources.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR, TARGET_DIR = ROOT / "notebooks", ROOT / "exercises"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_DEF = re.compile(r"^\s*def\s+(\w+)\s*\(")


def strip_solutions(source: str) -> str:
    """``source`` with every solution block replaced by a stub that raises NotImplementedError."""
    out, name, inside = [], None, False
    for line in source.split("\n"):
        match = _DEF.match(line)
        if match and not inside:
            name = match.group(1)
        if line.strip() == BEGIN:
            if inside:
                raise ValueError(f"nested {BEGIN!r} in exercise {name!r}")
            if name is None:
                raise ValueError(f"{BEGIN!r} outside a function: the stub could not name the exercise")
            inside, indent = True, line[: len(line) - len(line.lstrip())]
            out += [f"{indent}# YOUR CODE HERE",
                    f'{indent}raise NotImplementedError("Exercise {name}: replace this line with your code, '
                    f'then run this cell and the check below it.")']
        elif line.strip() == END:
            if not inside:
                raise ValueError(f"{END!r} without {BEGIN!r} in exercise {name!r}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{BEGIN!r} without {END!r} in exercise {name!r}")
    return "\n".join(out)


def learner_version(nb):
    """A copy of the notebook ``nb`` with solutions stubbed and outputs cleared, or None without exercises."""
    nb = nbformat.from_dict(nb)
    found = False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if BEGIN in cell.source:
            cell.source, found = strip_solutions(cell.source), True
        cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("execution", None)
    return nb if found else None


def generate(source_dir=SOURCE_DIR):
    """{file name: learner notebook text} for every solution notebook with an exercise."""
    result = {}
    for path in sorted(Path(source_dir).glob("*.ipynb")):
        nb = learner_version(nbformat.read(path, as_version=4))
        if nb is not None:
            result[path.name] = nbformat.writes(nb) + "\n"
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if exercises/ is stale; write nothing")
    args = parser.parse_args(argv)
    expected = generate()
    stale = [name for name, text in expected.items()
             if not (TARGET_DIR / name).exists() or (TARGET_DIR / name).read_text(encoding="utf-8") != text]
    extra = sorted(p.name for p in TARGET_DIR.glob("*.ipynb") if p.name not in expected) if TARGET_DIR.exists() else []
    if args.check:
        for name in stale + extra:
            print(f"stale: exercises/{name} (run `make exercises`)")
        return 1 if stale or extra else 0
    TARGET_DIR.mkdir(exist_ok=True)
    for name in stale:
        (TARGET_DIR / name).write_text(expected[name], encoding="utf-8")
        print(f"wrote exercises/{name}")
    for name in extra:
        (TARGET_DIR / name).unlink()
        print(f"removed exercises/{name} (its solution notebook has no exercise)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
