"""``make bench``: one table of speed ratios, every ratio measured in this run, with the machine described.

    make bench                            # or: .venv/bin/python -m bench
    .venv/bin/python -m bench --quick     # tiny sizes, seconds: what tests/test_bench.py runs

Sections: training throughput against TensorFlow and the large net's roofline (``bench_training``), 20 seeds
trained together against one by one (``bench_stacked``), gradient checking (``bench_gradcheck``), and
``make test`` with each notebook's share (``bench_suite``).
The table is Markdown, ready for the README. Ratios > 1 mean the course's code is faster; a goal is met
when the ratio reaches it. Nothing here is a test: timings vary from run to run (see the README).
"""

import argparse
import datetime
import importlib.metadata
import os
import platform
import time

import numpy as np
import threadpoolctl

from bench import bench_gradcheck, bench_stacked, bench_suite, bench_training

SECTIONS = {"training": bench_training, "stacked": bench_stacked, "gradcheck": bench_gradcheck, "suite": bench_suite}


def machine():
    """One line: CPU, cores, Python, NumPy with its BLAS, TensorFlow."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    blas = next((f"{lib['internal_api']} {lib['version']} ({lib.get('architecture', '?')} kernels, "
                 f"{lib['num_threads']} threads)" for lib in threadpoolctl.threadpool_info()
                 if lib["user_api"] == "blas" and "numpy" in lib["filepath"]), "unknown BLAS")
    tensorflow = next((f"{name} {importlib.metadata.version(name)}" for name in ("tensorflow-cpu", "tensorflow")
                       if _installed(name)), "TensorFlow not installed")
    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, NumPy {np.__version__} with "
            f"{blas}; {tensorflow}")


def _installed(name):
    try:
        importlib.metadata.version(name)
        return True
    except importlib.metadata.PackageNotFoundError:
        return False


def format_table(rows):
    """The rows as one Markdown table, a bold line per section."""
    lines = ["| measured | ratio | goal | met | figures |", "|---|---|---|---|---|"]
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            lines.append(f"| **{section}** | | | | |")
        goal = "" if row.goal is None else f"{row.goal:g}"
        met = {None: "", True: "yes", False: "**no**"}[row.met]
        ratio = f"{row.ratio:.0%}" if row.percent else f"{row.ratio:.2f}"
        lines.append(f"| {row.what} | {ratio} | {goal} | {met} | {row.context} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for the tests (no goals)")
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append",
                        help="run only this section (repeatable); default: all")
    args = parser.parse_args(argv)
    rows, seconds = [], {}
    for name, module in SECTIONS.items():
        if args.only is None or name in args.only:
            start = time.perf_counter()
            rows += module.measure(quick=args.quick)
            seconds[name] = time.perf_counter() - start
    print(f"make bench, {datetime.date.today():%Y-%m-%d}: {machine()}\n")
    print(format_table(rows))
    missed = [row for row in rows if row.met is False]
    print(f"\n{sum(row.met is True for row in rows)} of {sum(row.goal is not None for row in rows)} goals met"
          + (": missed " + "; ".join(row.what for row in missed) if missed else "."))
    print(f"The run took {sum(seconds.values()):.0f} s: "
          + ", ".join(f"{name} {value:.0f} s" for name, value in seconds.items()))
    return rows


if __name__ == "__main__":
    main()
