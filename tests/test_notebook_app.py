"""The classic command works: `.venv/bin/jupyter notebook notebooks/Initialization.ipynb`.

The original course tells learners to run `jupyter notebook "<name>.ipynb"`; this
starts that command (Notebook 7) from the repository root, for the Python
environment running pytest, on a free loopback port with a known token, and
checks, as the browser would, that:

1. it is Notebook 7 (not JupyterLab answering under another name);
2. the page it opens in the browser (written to its `jpserver-*-open.html`)
   is the notebook editor for notebooks/Initialization.ipynb, and it answers;
3. the notebook it serves is the one on disk;
4. the course's JupyterLab defaults (jupyterlab-settings/overrides.json, which
   `make install` puts into .venv) are in force: no "Jupyter news?" pop-up;
and the server shuts down cleanly.

Only 127.0.0.1 is contacted; every wait is bounded.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from test_lab import _OPENER, Lab, _free_port, _stop, _tail

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = "notebooks/Initialization.ipynb"
NAME = Path(NOTEBOOK).name
STOP_TIMEOUT_S = 20

pytestmark = pytest.mark.slow


def test_jupyter_notebook_command_serves_the_notebook(tmp_path):
    port = _free_port()
    token = secrets.token_hex(24)
    jupyter = os.path.join(sys.prefix, "bin", "jupyter")
    cmd = [jupyter, "notebook", NOTEBOOK, "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}"]
    if os.geteuid() == 0:  # containers and CI run as root; a learner does not need this
        cmd.append("--allow-root")

    env = dict(os.environ)
    env["JUPYTER_TOKEN"] = token
    runtime = tmp_path / "runtime"
    env["JUPYTER_RUNTIME_DIR"] = str(runtime)
    log_path = tmp_path / "notebook.log"

    server = Lab(port, token)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        server.wait_ready(proc, log_path)

        # (1) Notebook 7 answers: its own version endpoint, and its tree page.
        status, info = server.request("GET", "/api/status")
        assert status == 200, status
        _, page = _get_text(server, "/tree")
        assert re.search(r'"appName":\s*"Jupyter Notebook"', page), page[:2000]
        assert re.search(r'"appVersion":\s*"7\.', page), "not Notebook 7"

        # (2) the page the command opens is the notebook editor for this notebook.
        open_files = sorted(runtime.glob("jpserver-*-open.html"))
        assert open_files, f"no browser-open file in {runtime}: {sorted(p.name for p in runtime.iterdir())}"
        match = re.search(r'href="([^"]+)"', open_files[-1].read_text())
        assert match, open_files[-1].read_text()
        url = urllib.parse.urlsplit(match.group(1).replace("&amp;", "&"))
        assert url.hostname == "127.0.0.1" and url.port == port, url
        # The server's root is the notebook's folder; /tree/<file> forwards to the editor.
        assert urllib.parse.unquote(url.path) == f"/tree/{NAME}", url.path
        final_path, editor = _get_text(server, url.path)
        assert final_path == f"/notebooks/{NAME}", final_path
        assert re.search(r'"notebookPage":\s*"notebooks"', editor), editor[:2000]

        # (3) the served notebook is the one on disk.
        status, model = server.request("GET", f"/api/contents/{NAME}")
        assert status == 200, status
        on_disk = json.loads((REPO / NOTEBOOK).read_text())
        assert model["type"] == "notebook"
        assert len(model["content"]["cells"]) == len(on_disk["cells"])

        # (4) the shipped settings: news never fetched, so never asked about.
        status, notification = server.request("GET", "/lab/api/settings/@jupyterlab/apputils-extension:notification")
        assert status == 200, status
        default = notification["schema"]["properties"]["fetchNews"]["default"]  # overrides change defaults
        assert default == "false", f"course settings not applied (run `make install`): fetchNews={default!r}"

        assert server.request("POST", "/api/shutdown")[0] == 200
        proc.wait(timeout=STOP_TIMEOUT_S)
        assert proc.returncode == 0, _tail(log_path)
    finally:
        _stop(proc, [])


def _get_text(server: Lab, path: str) -> tuple[str, str]:
    """GET an HTML page with the token, following redirects: (final path, text)."""
    req = urllib.request.Request(server.base + path, headers={"Authorization": f"token {server.token}"})
    with _OPENER.open(req, timeout=10) as resp:
        assert resp.status == 200, (path, resp.status)
        return urllib.parse.urlsplit(resp.geturl()).path, resp.read().decode()
