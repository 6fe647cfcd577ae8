"""What the lesson-format tests need to know per notebook, read from ``tests/lessons/<Notebook>.json``::

    {
     "converted": true,
     "definitions": {"0.01": "the learning rate, set in the training cell of section 1"}
    }

``converted``: false while the notebook is still in the old format; the prose-number, figure and "the
learner's function is used below" tests then report it as not yet converted instead of failing. Each
lesson issue sets its notebook's flag to true.

``definitions``: the numbers the notebook's prose (and its README row) may state without a printed
output, because they are not results: a formula's constants, a hyperparameter set in a visible code
cell, a year of a citation; each with its reason. Write a number as the prose writes it (``"0.01"``,
``"15,000"``, ``"1e-7"``); the test normalizes thousands separators and exponents. One file per notebook,
so that each lesson is edited on its own.
"""

import json
from pathlib import Path

LESSONS = Path(__file__).resolve().parent / "lessons"


def _load(name):
    path = LESSONS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"converted": False, "definitions": {}}


NOTEBOOKS = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
NOT_YET_CONVERTED = {name for name in NOTEBOOKS if not _load(name).get("converted", False)}
DEFINITIONS = {name: _load(name).get("definitions", {}) for name in NOTEBOOKS}


def execute_notebooks_tool():
    """``tools/execute_notebooks.py`` as a module: it tags a cell made only of claims ``remove-input``."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "tools" / "execute_notebooks.py"
    spec = importlib.util.spec_from_file_location("execute_notebooks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
