"""How long ``make test`` takes, and how long each notebook's run takes inside it.

Runs ``make test`` once, with pytest writing a JUnit XML report, and reads from the report the time of
every test, and of every notebook cell that nbval re-executed (setup, call and teardown, so a notebook's
time includes its kernel start). ``make test`` spreads its files over the CPU's cores, so the tests' times,
summed, exceed its wall-clock time: each notebook's ratio is its share of that summed test time, and one
more row gives the summed time over the wall-clock time (what the parallel workers gained), both measured
in the same run; the absolute seconds are context. ``quick=True`` runs pytest on a 2-cell notebook and one
small test file instead, for the tests (``make test`` runs the tests, so it must not run itself). Failing tests
are counted in the table, not raised: the timing is what this section is for.
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

SECTION = "make test (share of its summed test time)"
ROOT = pathlib.Path(__file__).resolve().parent.parent


def notebook_seconds(junit_xml):
    """``({notebook file name: seconds}, seconds of every test)`` from a pytest JUnit XML report: each
    notebook's cells summed, and every test case summed."""
    seconds, every_test = collections.defaultdict(float), 0.0
    for case in ElementTree.parse(junit_xml).getroot().iter("testcase"):
        name, case_seconds = case.get("classname", ""), float(case.get("time", 0.0))
        every_test += case_seconds
        if ".ipynb" in name:  # nbval cases: classname "notebooks.Initialization.ipynb", name "Cell 3"
            notebook = name.rsplit(".", 2)[-2] + ".ipynb"
            seconds[notebook] += case_seconds
    return dict(seconds), every_test


def failures(junit_xml):
    """``(failed, total)``: the ids of the tests that failed or errored, and the number of tests, in a pytest JUnit
    XML report. A failing test does not stop the timing (the table says which failed)."""
    cases = list(ElementTree.parse(junit_xml).getroot().iter("testcase"))
    failed = [f"{case.get('classname', '')}::{case.get('name', '')}" for case in cases
              if case.find("failure") is not None or case.find("error") is not None]
    return failed, len(cases)


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
            command = [sys.executable, "-m", "pytest", str(_quick_notebook(folder)), "tests/test_fastpath_packing.py",
                       "--nbval", "--nbval-current-env", "-p", "no:cacheprovider"]
        else:
            command = ["make", "test"]
        start = time.perf_counter()
        run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if not report.exists():  # pytest did not run: no timing to report
            raise RuntimeError(f"{' '.join(command)} exited with {run.returncode} and no report:\n{run.stderr[-2000:]}")
        notebooks, summed = notebook_seconds(report)
        failed, total = failures(report)
    what = "make test" if not quick else "pytest on a 2-cell notebook and tests/test_fastpath_packing.py"
    rows = [Row(SECTION, f"{name} (nbval)", seconds / summed, None, f"{seconds:.1f} s", percent=True)
            for name, seconds in sorted(notebooks.items())]
    rows.append(Row(SECTION, f"{what}: every notebook together", sum(notebooks.values()) / summed, None,
                    f"{sum(notebooks.values()):.1f} s of {summed:.1f} s of tests", percent=True))
    outcome = (f"; {len(failed)} of {total} tests failed: {', '.join(failed[:3])}{', ...' if len(failed) > 3 else ''}"
               if failed else f"; all {total} tests passed")
    rows.append(Row(SECTION, f"{what}: summed test time / wall-clock time", summed / wall, None,
                    f"{summed:.1f} s of tests in {wall:.1f} s{outcome}"))
    return rows
