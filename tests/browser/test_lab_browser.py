"""A learner's session in a real browser: every notebook, Run > Run All Cells in JupyterLab.

JupyterLab is started with the command `make lab` runs (from `make lab-command`,
as in tests/test_lab.py), on a free loopback port with a known token, with
fresh, temporary settings, workspace, runtime, data and IPython folders, so
nothing is written to the user's home. The kernel gets the environment a
learner's `make lab` gives it (progress bars on: no COURSE_UTILS_PROGRESS and
no PYTEST_CURRENT_TEST; OpenBLAS's kernels pinned as `make lab` pins them, from
`make lab-env`, so Run All's time is a learner's). The course's shipped JupyterLab settings
(jupyterlab-settings/overrides.json, which `make install` copies into .venv) are in
force, so this also checks that a first session opens without the news pop-up.

Two settings are the test's own, in its temporary user-settings folder:
- notebook windowing mode "none": every cell stays attached to the page, so the
  whole notebook can be read from the DOM (JupyterLab's default, "full",
  detaches cells scrolled out of view);
- autosave off: the run must not write live outputs back into notebooks/ (the
  test also checks the file on disk is unchanged).

For each notebook in notebooks/ (course order first), in a fresh browser page
with every non-loopback request blocked: open it, wait until every cell is on
the page and the kernel is idle, click Run in the menu bar and then Run All
Cells, wait (bounded) until the kernel is idle and every code cell has an
execution count, and check from the DOM that
- the execution counts are 1, 2, ..., n in cell order;
- no cell has an error or stderr output (tracebacks, warnings, progress-bar residue);
- every figure is an image that loaded, and each cell has as many as the stored
  notebook has image outputs (a cell tagged `machine-dependent` stores no output,
  so its live output, a timing figure or a timing line, is not counted);
- every markdown cell is rendered, its formulas are typeset by MathJax (as many
  as the source has, no MathJax error, no `$...\\command...$` left as text);
- no dialog or notification is open, and the page logged no error;
and save screenshots of the top, middle and bottom under build/screenshots/.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from browser_support import REPO, block_network
from explorer_check import check_explorer, explorer_cell_index
from test_lab import Lab, _descendants, _free_port, _lab_command, _lab_environment, _stop, _tail

NOTEBOOK_DIR = REPO / "notebooks"
COURSE_ORDER = [
    "Initialization",
    "Optimization_methods",
    "Regularization",
    "Gradient_Checking",
    "Tensorflow_introduction",
]
OPEN_TIMEOUT_S = 90  # page load, every cell attached, kernel started and idle
RUN_TIMEOUT_S = 300  # Run All on one notebook (they take 30-60 s on 2 idle cores)
VIEWPORT = {"width": 1280, "height": 900}
TIMINGS: dict[str, dict] = {}

pytestmark = pytest.mark.browser


def course_notebooks() -> list[Path]:
    present = {p.stem: p for p in NOTEBOOK_DIR.glob("*.ipynb")}
    known = [present[name] for name in COURSE_ORDER if name in present]
    return known + [present[name] for name in sorted(present) if name not in COURSE_ORDER]


# --- what the stored notebook says to expect --------------------------------

_CODE_FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.S)
# Inline math may run over one line break (as the notebooks wrap it), not over a blank line.
_MATH = re.compile(r"\$\$.+?\$\$|\$(?:[^$\n]|\n(?!\s*\n))+?\$|\\begin\{(\w+\*?)\}.+?\\end\{\1\}", re.S)


def count_formulas(markdown: str) -> int:
    """Formulas Jupyter typesets in a markdown cell: $$...$$, $...$, \\begin{env}...\\end{env}."""
    text = _CODE_SPAN.sub("", _CODE_FENCE.sub("", markdown.replace("\\$", "")))
    return len(_MATH.findall(text))


def expected(notebook: Path) -> dict:
    nb = json.loads(notebook.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    markdown = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
    return {
        "cells": len(nb["cells"]),
        "code": len(code),
        "markdown": len(markdown),
        "images": [sum("image/png" in o.get("data", {}) for o in c.get("outputs", [])) for c in code],
        "machine_dependent": ["machine-dependent" in c.get("metadata", {}).get("tags", []) for c in code],
        "formulas": [count_formulas("".join(c["source"])) for c in markdown],
    }


# --- the server -------------------------------------------------------------

# The kernel must not see what pytest or `make test` set: a learner's make lab has neither.
_NOT_FOR_THE_LEARNER = ("PYTEST_CURRENT_TEST", "PYTEST_VERSION", "COURSE_UTILS_PROGRESS", "MPLBACKEND")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab as `make lab` starts it, with fresh settings; yields (Lab, log path)."""
    overrides = Path(sys.prefix, "share", "jupyter", "lab", "settings", "overrides.json")
    shipped = REPO / "jupyterlab-settings" / "overrides.json"
    assert overrides.exists() and overrides.read_text() == shipped.read_text(), (
        f"{overrides} is not the course's {shipped}: run `make install`"
    )
    home = tmp_path_factory.mktemp("lab")
    settings = home / "settings"
    for plugin, values in {
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
        "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    }.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))

    port = _free_port()
    token = secrets.token_hex(24)
    cmd = _lab_command(port)
    env = {k: v for k, v in os.environ.items() if k not in _NOT_FOR_THE_LEARNER}
    env.update(_lab_environment())  # what `make lab` sets: OpenBLAS's kernel pin, so Run All computes what a learner's does
    env.update(
        JUPYTER_TOKEN=token,
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        IPYTHONDIR=str(home / "ipython"),
    )
    log_path = home / "lab.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
    server = Lab(port, token)
    try:
        server.wait_ready(proc, log_path)
        yield server, log_path
        server.request("POST", "/api/shutdown")
        proc.wait(timeout=20)
    finally:
        _stop(proc, _descendants(proc.pid))


def delete_sessions(server: Lab) -> None:
    """End every session and kernel, so the next notebook's counts start at 1."""
    status, sessions = server.request("GET", "/api/sessions")
    assert status == 200, status
    for s in sessions:
        server.request("DELETE", f"/api/sessions/{s['id']}", timeout=30)
    status, kernels = server.request("GET", "/api/kernels")
    for k in kernels or []:
        server.request("DELETE", f"/api/kernels/{k['id']}", timeout=30)


# --- reading the page ---------------------------------------------------------

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

STATE_JS = """(panel) => {
  const root = document.querySelector(panel);
  if (!root) return null;
  const cells = [...root.querySelectorAll('.jp-Notebook .jp-Cell')];
  const indicator = root.querySelector('.jp-Notebook-ExecutionIndicator');
  return {
    cells: cells.length,
    status: indicator ? indicator.getAttribute('data-status') : null,
    prompts: cells.filter(c => c.classList.contains('jp-CodeCell'))
                  .map(c => (c.querySelector('.jp-InputArea-prompt') || {}).textContent || ''),
  };
}"""

REPORT_JS = r"""(panel) => {
  const root = document.querySelector(panel);
  const cells = [...root.querySelectorAll('.jp-Notebook .jp-Cell')];
  const text = (el) => (el.textContent || '').replace(/\s+/g, ' ').trim();
  const code = cells.filter(c => c.classList.contains('jp-CodeCell')).map(c => {
    const imgs = [...c.querySelectorAll('.jp-OutputArea-output img')];
    const stderr = [...c.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')];
    return {
      prompt: text(c.querySelector('.jp-InputArea-prompt') || document.createElement('i')),
      images: imgs.length,
      images_loaded: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
      stderr: stderr.map(e => text(e).slice(0, 300)),
      tracebacks: c.querySelectorAll('.jp-OutputArea-output .ansi-red-fg, .jp-OutputArea-output.jp-mod-error').length,
    };
  });
  const markdown = cells.filter(c => c.classList.contains('jp-MarkdownCell')).map(c => {
    const rendered = c.querySelector('.jp-RenderedMarkdown');
    let leftover = '';
    if (rendered) {
      const copy = rendered.cloneNode(true);
      copy.querySelectorAll('mjx-container, code, pre, script').forEach(e => e.remove());
      const m = text(copy).match(/\$[^$]*\\[A-Za-z]+[^$]*\$|\\\(|\\\[|\\begin\{/);
      leftover = m ? m[0].slice(0, 120) : '';
    }
    return {
      rendered: !!rendered && c.classList.contains('jp-mod-rendered') && text(rendered).length > 0,
      formulas: rendered ? rendered.querySelectorAll('mjx-container').length : 0,
      math_errors: rendered ? rendered.querySelectorAll('mjx-merror, [data-mjx-error]').length : 0,
      leftover,
      head: rendered ? text(rendered).slice(0, 60) : '',
    };
  });
  return {
    code, markdown,
    dialogs: [...document.querySelectorAll('.jp-Dialog')].map(text),
    toasts: [...document.querySelectorAll('.Toastify__toast')].map(text),
  };
}"""


def wait_for(page, predicate, timeout_s: float, what: str, shot: Path, poll_s: float = 0.5):
    """Poll STATE_JS until predicate(state) is true; after timeout_s, save a screenshot and fail."""
    deadline = time.monotonic() + timeout_s
    state = None
    while time.monotonic() < deadline:
        state = page.evaluate(STATE_JS, PANEL)
        if state is not None and predicate(state):
            return state
        time.sleep(poll_s)
    page.screenshot(path=str(shot))
    pytest.fail(f"timed out after {timeout_s} s waiting for {what}; last state: {state}")


def screenshot(page, path: Path, where: str, code_cell: int | None = None) -> None:
    """Scroll a cell into view (first: top; middle: centre; last: bottom; or a code cell) and save the page."""
    page.evaluate(
        """([panel, where, codeCell]) => {
             const cells = [...document.querySelectorAll(panel + ' .jp-Notebook .jp-Cell')];
             const code = cells.filter(c => c.classList.contains('jp-CodeCell'));
             const target = codeCell !== null ? code[codeCell]
               : where === 'top' ? cells[0]
               : where === 'bottom' ? cells[cells.length - 1]
               : cells[Math.floor(cells.length / 2)];
             target.scrollIntoView({block: where === 'top' ? 'start' : where === 'bottom' ? 'end' : 'center'});
           }""",
        [PANEL, where, code_cell],
    )
    page.wait_for_timeout(500)
    page.screenshot(path=str(path))


@pytest.mark.parametrize("notebook", course_notebooks(), ids=lambda p: p.stem)
def test_run_all_cells_in_jupyterlab(lab, browser, screenshots_dir, notebook):
    server, log_path = lab
    want = expected(notebook)
    digest = hashlib.sha256(notebook.read_bytes()).hexdigest()
    failed_shot = screenshots_dir / f"{notebook.stem}-timeout.png"
    had_checkpoints = (NOTEBOOK_DIR / ".ipynb_checkpoints").exists()
    delete_sessions(server)

    context = browser.new_context(viewport=VIEWPORT)
    blocked: list[str] = []
    block_network(context, blocked)
    page = context.new_page()
    page_errors: list[str] = []
    console_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    try:
        # Open the notebook; wait until every cell is on the page and the kernel is idle.
        t0 = time.monotonic()
        page.goto(f"{server.base}/lab/tree/{notebook.name}?reset&token={server.token}", timeout=OPEN_TIMEOUT_S * 1000)
        wait_for(
            page,
            lambda s: s["cells"] == want["cells"] and s["status"] == "idle",
            OPEN_TIMEOUT_S,
            f"{notebook.name} to open with {want['cells']} cells and an idle kernel",
            failed_shot,
        )
        open_s = time.monotonic() - t0

        # Run > Run All Cells, from the menu bar. As a learner would, click into the notebook
        # first: the Run menu acts on the notebook that has the focus (it is disabled before).
        page.locator(f"{PANEL} .jp-Notebook .jp-Cell").first.click()
        t1 = time.monotonic()

        def run_all():
            page.locator("#jp-menu-panel .lm-MenuBar-item").filter(has_text=re.compile(r"^Run$")).click()
            item = page.locator('.lm-Menu-item[data-command="runmenu:run-all"]')
            assert item.inner_text().strip().startswith("Run All Cells"), item.inner_text()
            assert "lm-mod-disabled" not in (item.get_attribute("class") or ""), "Run All Cells is disabled"
            item.click()

        def started(s):
            return any(p.strip() == "[*]:" for p in s["prompts"])

        # Started: cells are queued or running ([*]; the stored counts are on the page before).
        # Finished: the kernel is idle and no cell is running or queued; after an error, Run All
        # stops and the rest show [ ]. The counts are checked below.
        # Once in CI (2 cores at load 3.6, the first notebook after the server started) Run All cleared
        # every prompt to [ ] and ran nothing: the kernel's channels were not ready though the page said
        # idle. As a learner would, click Run All once more then; the retry is printed, never silent.
        run_all()
        try:
            wait_for(page, started, 60, "Run All to start", failed_shot, 0.1)
        except pytest.fail.Exception:
            state = page.evaluate(STATE_JS, PANEL)
            if not (state and state["status"] == "idle" and all(p.strip() == "[ ]:" for p in state["prompts"])):
                raise
            print(f"\n{notebook.stem}: Run All ran nothing within 60 s (every prompt [ ], kernel idle); clicked it again")
            run_all()
            wait_for(page, started, 60, "Run All to start (second click)", failed_shot, 0.1)
        state = wait_for(
            page,
            lambda s: s["status"] == "idle" and not any(p.strip() == "[*]:" for p in s["prompts"]),
            RUN_TIMEOUT_S,
            f"Run All Cells to finish on {notebook.name}",
            failed_shot,
        )
        run_s = time.monotonic() - t1
        page.wait_for_timeout(1000)  # let the last images decode and MathJax finish

        report = page.evaluate(REPORT_JS, PANEL)
        stem = notebook.stem
        for where in ("top", "middle", "bottom"):
            screenshot(page, screenshots_dir / f"{stem}-{where}.png", where)
        # And the first code cell with error or stderr output, if any, for a person to see.
        bad = [i for i, c in enumerate(report["code"]) if c["stderr"] or c["tracebacks"]]
        problem_shot = screenshots_dir / f"{stem}-problem.png"
        problem_shot.unlink(missing_ok=True)
        if bad:
            screenshot(page, problem_shot, "middle", code_cell=bad[0])
        TIMINGS[stem] = {"open_s": round(open_s, 1), "run_all_s": round(run_s, 1)}
        figures = sum(c["images"] for c in report["code"])
        formulas = sum(m["formulas"] for m in report["markdown"])
        print(
            f"\n{stem}: opened in {open_s:.1f} s, Run All in {run_s:.1f} s; "
            f"{want['cells']} cells ({want['code']} code, {want['markdown']} markdown), "
            f"{figures} figures, {formulas} formulas; load {os.getloadavg()[0]:.2f}"
        )

        # Every check runs, and all failures are reported together.
        failures = []

        def check(ok, message):
            if not ok:
                failures.append(message)

        # Execution counts 1..n in order; no error, traceback or stderr anywhere.
        problems = [
            f"code cell {i + 1}: {c['stderr'] or 'traceback'}"
            for i, c in enumerate(report["code"])
            if c["stderr"] or c["tracebacks"]
        ]
        check(not problems, "error or stderr output on the page (empty strings: empty stderr bands): " + "; ".join(problems))
        prompts = [c["prompt"] for c in report["code"]]
        check(prompts == [f"[{i}]:" for i in range(1, want["code"] + 1)], f"execution counts not 1..n: {prompts}")
        check(state["cells"] == want["cells"], f"{state['cells']} cells on the page, {want['cells']} stored")

        # Figures: every image loaded; per cell, as many as stored (machine-dependent cells store none: not counted).
        unloaded = [i + 1 for i, c in enumerate(report["code"]) if c["images_loaded"] != c["images"]]
        check(not unloaded, f"code cells with an image that did not load: {unloaded}")
        wrong = [
            (i + 1, c["images"], stored)
            for i, (c, stored, md) in enumerate(zip(report["code"], want["images"], want["machine_dependent"]))
            if not md and c["images"] != stored
        ]
        check(not wrong, f"(code cell, figures on the page, figures stored) that differ: {wrong}")

        # Markdown rendered; formulas typeset, as many as in the source.
        not_rendered = [i + 1 for i, m in enumerate(report["markdown"]) if not m["rendered"]]
        check(not not_rendered, f"markdown cells not rendered: {not_rendered}")
        math_errors = [(i + 1, m["head"]) for i, m in enumerate(report["markdown"]) if m["math_errors"]]
        check(not math_errors, f"MathJax errors in markdown cells: {math_errors}")
        leftovers = [(i + 1, m["leftover"]) for i, m in enumerate(report["markdown"]) if m["leftover"]]
        check(not leftovers, f"LaTeX left as text: {leftovers}")
        counts = [m["formulas"] for m in report["markdown"]]
        differ = [(i + 1, got, exp) for i, (got, exp) in enumerate(zip(counts, want["formulas"])) if got != exp]
        check(not differ, f"(markdown cell, formulas typeset, formulas in the source) that differ: {differ}")

        # Nothing covers the notebook; the page logged no error; nothing left the machine.
        check(not report["dialogs"], f"dialog open: {report['dialogs']}")
        check(not report["toasts"], f"notification open: {report['toasts']}")
        check(not page_errors, f"page errors: {page_errors}")
        check(not console_errors, f"console errors: {console_errors}")
        check(not blocked, f"requests to the network: {blocked}")

        # The optimizer explorer (if the notebook has one): its controls redraw the figure correctly.
        explorer_index = explorer_cell_index(json.loads(notebook.read_text()))
        if explorer_index is not None:
            for problem in check_explorer(page, PANEL, explorer_index, screenshots_dir, stem):
                check(False, problem)
            check(not page_errors, f"page errors after moving the explorer's controls: {page_errors}")
        assert not failures, f"{notebook.name}:\n- " + "\n- ".join(failures)
    finally:
        context.close()
        delete_sessions(server)
        assert hashlib.sha256(notebook.read_bytes()).hexdigest() == digest, f"{notebook} was changed on disk"
        if not had_checkpoints:  # JupyterLab checkpoints a notebook when it opens it (git ignores these)
            shutil.rmtree(NOTEBOOK_DIR / ".ipynb_checkpoints", ignore_errors=True)
        if log_path.exists() and "Traceback" in log_path.read_text(errors="replace"):
            print(_tail(log_path))
