"""What `make lab` opens really works.

Starts JupyterLab with exactly the command `make lab` runs (taken from
`make lab-command`), on a free loopback port with a known token, and then,
through the REST API and a kernel's websocket, as the browser would:

1. token auth is on, and the file browser's root is notebooks/ with every
   notebook that exists on disk listed;
2. a "python3" kernel started in notebooks/ imports course_utils from this
   repository (the editable install), not some other copy;
3. the kernel and the server shut down cleanly, leaving no process behind.

Only 127.0.0.1 is contacted; every wait is bounded.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = REPO / "notebooks"
COURSE_NOTEBOOKS = [
    "Initialization.ipynb",
    "Optimization_methods.ipynb",
    "Regularization.ipynb",
    "Gradient_Checking.ipynb",
    "Tensorflow_introduction.ipynb",
]
START_TIMEOUT_S = 60  # server start-up
KERNEL_TIMEOUT_S = 60  # kernel start-up plus one small cell
STOP_TIMEOUT_S = 20  # server shutdown

# Never go through a proxy, whatever the environment says: loopback only.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _make_prints(*args: str) -> str:
    """What `make -s <args>` prints in this repository (make's own variables from a calling make left out)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return subprocess.run(["make", "-s", "--no-print-directory", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=30, check=True).stdout


def _lab_command(port: int) -> list[str]:
    """The command `make lab` runs, for the Python environment running pytest."""
    out = _make_prints("lab-command", f"VENV={sys.prefix}", f"LAB_PORT={port}")
    cmd = shlex.split(out)
    assert cmd and cmd[0] == os.path.join(sys.prefix, "bin", "jupyter"), out
    return cmd


def _lab_environment() -> dict[str, str]:
    """What `make lab` sets in the server's (and so its kernels') environment, from `make lab-env`: OpenBLAS's
    kernel pin on AVX2 machines (see the Makefile), so the kernel computes the stored outputs' digits."""
    return dict(line.split("=", 1) for line in _make_prints("lab-env").splitlines() if line.strip())


class Lab:
    """Talks to a running Jupyter server over HTTP with a token."""

    def __init__(self, port: int, token: str):
        self.base = f"http://127.0.0.1:{port}"
        self.ws_base = f"ws://127.0.0.1:{port}"
        self.token = token

    def request(self, method: str, path: str, body=None, token: str | None = None, timeout: float = 10):
        """Return (status, decoded JSON or None); HTTP errors are returned, not raised."""
        token = self.token if token is None else token
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"token {token}"
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with _OPENER.open(req, timeout=timeout) as resp:
                raw = resp.read()
                return resp.status, (json.loads(raw) if raw else None)
        except urllib.error.HTTPError as err:
            with err:
                return err.code, None

    def wait_ready(self, proc: subprocess.Popen, log_path: Path) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{_tail(log_path)}")
            try:
                if self.request("GET", "/api/status", timeout=2)[0] == 200:
                    return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        pytest.fail(f"jupyter lab did not answer within {START_TIMEOUT_S} s:\n{_tail(log_path)}")


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


async def _execute(ws_url: str, token: str, code: str) -> tuple[str, list[str], dict]:
    """Run `code` in a kernel over its websocket channel (Jupyter messaging v5.3, JSON).

    Returns (stdout text, error tracebacks, execute_reply content).
    """
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    request = HTTPRequest(ws_url, headers={"Authorization": f"token {token}"}, connect_timeout=10)
    conn = await websocket_connect(request)
    try:
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "msg_type": "execute_request",
            "session": uuid.uuid4().hex,
            "username": "test_lab",
            "date": datetime.now(timezone.utc).isoformat(),
            "version": "5.3",
        }
        content = {
            "code": code,
            "silent": False,
            "store_history": False,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        }
        msg = {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"}
        await conn.write_message(json.dumps(msg))

        stdout, errors, reply, idle = [], [], None, False
        while reply is None or not idle:
            raw = await conn.read_message()
            if raw is None:
                raise AssertionError("kernel websocket closed before the cell finished")
            if isinstance(raw, bytes):  # binary frames carry buffers; not expected here
                continue
            m = json.loads(raw)
            if m.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = m["header"]["msg_type"]
            if kind == "stream" and m["content"]["name"] == "stdout":
                stdout.append(m["content"]["text"])
            elif kind == "error":
                errors.append(re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(m["content"]["traceback"])))
            elif kind == "status" and m["content"]["execution_state"] == "idle":
                idle = True
            elif kind == "execute_reply":
                reply = m["content"]
        return "".join(stdout), errors, reply
    finally:
        conn.close()


def _descendants(pid: int) -> list:
    try:
        import psutil  # an ipykernel dependency
    except ImportError:
        return []
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def _stop(proc: subprocess.Popen, leftovers: list) -> None:
    """Make sure the server and everything it started are gone."""
    if proc.poll() is None:
        leftovers = leftovers + _descendants(proc.pid)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    for child in leftovers:
        try:
            if child.is_running():
                child.kill()
        except Exception:  # already gone
            pass


def test_make_lab_serves_notebooks_and_a_working_kernel(tmp_path):
    port = _free_port()
    token = secrets.token_hex(24)
    cmd = _lab_command(port)

    env = dict(os.environ)
    made = _lab_environment()
    env.update(made)
    env["JUPYTER_TOKEN"] = token
    # Server and kernel connection files go to a temporary folder, not $HOME.
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    log_path = tmp_path / "lab.log"

    lab = Lab(port, token)
    children: list = []
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        lab.wait_ready(proc, log_path)

        # (1) token auth is on, and the root is notebooks/.
        assert lab.request("GET", "/api/contents", token="")[0] in (401, 403), "no token needed"
        assert lab.request("GET", "/api/contents", token="wrong")[0] in (401, 403), "any token works"
        status, root = lab.request("GET", "/api/contents")
        assert status == 200, status
        listed = {item["name"] for item in root["content"]}
        assert "sanitize.cfg" in listed, f"root is not notebooks/: {sorted(listed)}"
        on_disk = {p.name for p in NOTEBOOK_DIR.glob("*.ipynb")}
        missing = sorted(on_disk - listed)
        assert not missing, f"notebooks on disk but not listed: {missing} (listed: {sorted(listed)})"
        not_yet = [nb for nb in COURSE_NOTEBOOKS if nb not in on_disk]
        if not_yet:
            print(f"course notebooks not written yet: {', '.join(not_yet)}")

        # (2) a python3 kernel in notebooks/ imports course_utils from this repo.
        status, kernel = lab.request("POST", "/api/kernels", {"name": "python3", "path": ""})
        assert status == 201, status
        kernel_id = kernel["id"]
        children = _descendants(proc.pid)  # the kernel, for the final check
        code = (
            "import json, os, sys, course_utils\n"
            "print(json.dumps({'file': course_utils.__file__, 'cwd': os.getcwd(),"
            " 'python': sys.executable, 'pin': os.environ.get('OPENBLAS_CORETYPE')}))\n"
        )
        ws_url = f"{lab.ws_base}/api/kernels/{kernel_id}/channels"
        stdout, errors, reply = asyncio.run(
            asyncio.wait_for(_execute(ws_url, token, code), KERNEL_TIMEOUT_S)
        )
        assert not errors and reply["status"] == "ok", "\n".join(errors) or reply
        info = json.loads(stdout.strip().splitlines()[-1])
        module_file = Path(info["file"])
        assert module_file.as_posix().endswith("course_utils/__init__.py"), info
        assert module_file.resolve().is_relative_to(REPO.resolve()), (
            f"kernel imported course_utils from outside this repo: {info}"
        )
        assert Path(info["cwd"]).resolve() == NOTEBOOK_DIR.resolve(), info
        assert info["pin"] == made.get("OPENBLAS_CORETYPE", os.environ.get("OPENBLAS_CORETYPE")), (info, made)

        # (3) delete the kernel, then shut the server down.
        assert lab.request("DELETE", f"/api/kernels/{kernel_id}")[0] == 204
        status, kernels = lab.request("GET", "/api/kernels")
        assert status == 200 and kernels == [], kernels
        assert lab.request("POST", "/api/shutdown")[0] == 200
        proc.wait(timeout=STOP_TIMEOUT_S)
        assert proc.returncode == 0, _tail(log_path)
        alive = [c.pid for c in children if c.is_running()]
        assert not alive, f"processes left behind: {alive}"
    finally:
        _stop(proc, children)
