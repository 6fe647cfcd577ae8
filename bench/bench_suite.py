"""How long ``make test`` takes, and how long each notebook's run takes inside it.

Runs ``make test`` once, with pytest writing a JUnit XML report, and reads from the report the time of
every notebook cell that nbval re-executed (setup, call and teardown, so a notebook's time includes its
kernel start). Each notebook's ratio is its share of the whole ``make test`` time measured in the same
run; the absolute seconds are context. ``quick=True`` runs pytest on a 2-cell notebook and one small test
file instead, for the tests (``make test`` runs the tests, so it must not run itself).
"""

import collections
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree

import nbformat

from bench.table import Row

SECTION = "make test (share of its total time)"
ROOT = pathlib.Path(__file__).resolve().parent.parent


def notebook_seconds(junit_xml):
    """``{notebook file name: seconds}``: the summed times of its cells in a pytest JUnit XML report."""
    seconds = collections.defaultdict(float)
    for case in ElementTree.parse(junit_xml).getroot().iter("testcase"):
        name = case.get("classname", "")
        if ".ipynb" in name:  # nbval cases: classname "notebooks.Initialization.ipynb", name "Cell 3"
            notebook = name.rsplit(".", 2)[-2] + ".ipynb"
            seconds[notebook] += float(case.get("time", 0.0))
    return dict(seconds)


def _quick_notebook(folder):
    cells = [nbformat.v4.new_code_cell("total = sum(range(10))"), nbformat.v4.new_code_cell("print(total)")]
    cells[0].execution_count, cells[1].execution_count = 1, 2
    cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="45\n")]
    path = pathlib.Path(folder) / "Tiny.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}}), path)
    return path


def measure(quick=False):
    (ROOT / "build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ROOT / "build") as folder:  # inside the repo: pytest names items by path
        report = pathlib.Path(folder) / "report.xml"
        env = {**os.environ, "PYTEST_ADDOPTS": f"--junitxml={report} -q"}
        if quick:
            command = [sys.executable, "-m", "pytest", str(_quick_notebook(folder)), "tests/test_packing.py",
                       "--nbval", "--nbval-current-env", "-p", "no:cacheprovider"]
        else:
            command = ["make", "test"]
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
        total = time.perf_counter() - start
        notebooks = notebook_seconds(report)
    what = "make test" if not quick else "pytest on a 2-cell notebook and tests/test_packing.py"
    rows = [Row(SECTION, f"{name} (nbval)", seconds / total, None, f"{seconds:.1f} s")
            for name, seconds in sorted(notebooks.items())]
    rows.append(Row(SECTION, f"{what}: every notebook together", sum(notebooks.values()) / total, None,
                    f"{sum(notebooks.values()):.1f} s of {total:.1f} s for all of {what}"))
    return rows
