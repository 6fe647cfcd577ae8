#!/usr/bin/env python3
"""Re-execute notebooks in place so that their stored outputs are reproducible.

Usage::

    python tools/execute_notebooks.py notebooks/Initialization.ipynb ...
    python tools/execute_notebooks.py --check notebooks/*.ipynb

Each notebook runs top to bottom in a fresh "python3" kernel (the Python that
runs this script), with its own folder as working directory, exactly as
`make test` (nbval) runs it. The result is normalised before it is written:

* no execution timestamps (``metadata.execution``) in any cell;
* consecutive stream outputs of the same name merged into one, with carriage
  returns and backspaces applied as a terminal would;
* notebook metadata reduced to the kernelspec and the language, without the
  Python patch version, so that machines differ in no byte;
* no stored widget views (``application/vnd.jupyter.widget-view+json``): their
  model ids are random and their state is not saved, so a viewer could only
  show "model not found"; a widget cell shows its ordinary outputs (a default
  figure) until it is run;
* no stored outputs for cells tagged ``machine-dependent`` (a figure of this
  machine's timings): they are drawn when a learner runs the cell. Such a cell
  also starts with ``# NBVAL_IGNORE_OUTPUT``, so nbval runs it without comparing;
* the site's tags, from the source (``site_tags``): a cell of claims only
  (``claims.beats(...)``, ...) is tagged ``remove-input``, so the course website
  shows its printed claims and not their code; an exercise cell (a solution
  between ``### BEGIN SOLUTION`` and ``### END SOLUTION``) is tagged
  ``hide-input``, so the site folds the solution behind a toggle. JupyterLab
  ignores these tags.

Running it twice on unchanged code gives byte-identical files. With
``--check`` nothing is written; the exit code is 1 if any notebook's stored
outputs differ from a fresh run.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import sys
import time
from pathlib import Path

# The kernel inherits this environment: keep TensorFlow's C++ logging out of
# the outputs and make hashing (set and dict order of strings) reproducible.
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["PYTHONHASHSEED"] = "0"
os.environ["COURSE_UTILS_PROGRESS"] = "0"  # no tqdm bars in stored outputs

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from traitlets.config import Config  # noqa: E402
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError  # noqa: E402

KERNEL_NAME = "python3"
TIMEOUT_S = 600
MACHINE_DEPENDENT_TAG = "machine-dependent"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": KERNEL_NAME}

_BACKSPACE = re.compile("[^\n]\x08")  # a character, then a backspace
_CARRIAGE_RETURN = re.compile(r"^.*\r(?=[^\n])", re.MULTILINE)


def _terminal_text(text: str) -> str:
    """Apply backspaces and bare carriage returns the way a terminal shows them."""
    while True:
        shorter = _BACKSPACE.sub("", text)
        if len(shorter) == len(text):
            break
        text = shorter
    return _CARRIAGE_RETURN.sub("", text)


def _merge_streams(outputs: list) -> list:
    """Merge consecutive stream outputs that have the same name (stdout/stderr)."""
    merged: list = []
    for out in outputs:
        if (
            out.get("output_type") == "stream"
            and merged
            and merged[-1].get("output_type") == "stream"
            and merged[-1].get("name") == out.get("name")
        ):
            merged[-1]["text"] += out["text"]
        else:
            if out.get("output_type") == "stream" and isinstance(out.get("text"), list):
                out["text"] = "".join(out["text"])
            merged.append(out)
    for out in merged:
        if out.get("output_type") == "stream":
            out["text"] = _terminal_text(out["text"])
    return merged


SITE_TAGS = ("remove-input", "hide-input")


def is_claims_cell(source: str) -> bool:
    """True if every statement of the cell is a call ``claims.<name>(...)``."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return bool(body) and all(
        isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute) and isinstance(node.value.func.value, ast.Name)
        and node.value.func.value.id == "claims"
        for node in body)


def site_tags(cell: nbformat.NotebookNode) -> None:
    """Set the site's tags of a code cell from its source (see the module docstring); keep its other tags."""
    tags = [tag for tag in cell.metadata.get("tags", []) if tag not in SITE_TAGS]
    if "### BEGIN SOLUTION" in cell.source:
        tags.append("hide-input")
    elif is_claims_cell(cell.source):
        tags.append("remove-input")
    if tags:
        cell.metadata["tags"] = tags
    else:
        cell.metadata.pop("tags", None)


def normalize(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip what changes from run to run or machine to machine; set the site's tags."""
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            site_tags(cell)
            machine_dependent = MACHINE_DEPENDENT_TAG in cell.metadata.get("tags", [])
            outputs = [out for out in cell.outputs if WIDGET_VIEW not in out.get("data", {})]
            cell.outputs = [] if machine_dependent else _merge_streams(outputs)
    meta = nb.metadata
    meta["kernelspec"] = dict(KERNELSPEC)
    lang = meta.get("language_info")
    if isinstance(lang, dict):
        lang.pop("version", None)  # e.g. "3.11.7": differs between machines
    meta.pop("widgets", None)  # widget state holds random model ids
    return nb


def execute(path: Path) -> str:
    """Run the notebook at `path` and return the normalised JSON text."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=TIMEOUT_S,
        kernel_name=KERNEL_NAME,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
        # Encrypt kernel traffic where the kernel supports it (ipykernel does);
        # this also keeps the kernel from warning about plain-text TCP.
        config=Config({"KernelManager": {"transport_encryption": "auto"}}),
    )
    client.execute()
    normalize(nb)
    text = nbformat.writes(nb)  # indent 1, sorted keys: as Jupyter writes
    return text if text.endswith("\n") else text + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help=".ipynb files")
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if a fresh run differs from the stored file",
    )
    args = parser.parse_args(argv)
    if not args.notebooks:
        print("no notebooks given; nothing to do")
        return 0

    failed, differing = [], []
    for path in args.notebooks:
        path = path.resolve()
        start = time.perf_counter()
        try:
            text = execute(path)
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
            print(f"{path.name}: FAILED after {time.perf_counter() - start:.1f} s\n{exc}", file=sys.stderr)
            failed.append(path.name)
            continue
        seconds = time.perf_counter() - start
        stored = path.read_text(encoding="utf-8")
        if args.check:
            status = "unchanged" if text == stored else "DIFFERS"
            if text != stored:
                differing.append(path.name)
        else:
            status = "unchanged" if text == stored else "updated"
            if text != stored:
                with open(path, "w", encoding="utf-8", newline="\n") as f:
                    f.write(text)
        print(f"{path.name}: {seconds:.1f} s, {status}", flush=True)

    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    if differing:
        print(f"stored outputs differ from a fresh run: {', '.join(differing)}", file=sys.stderr)
    return 1 if failed or differing else 0


if __name__ == "__main__":
    sys.exit(main())
