"""What the browser tests share: paths, and a network switch that keeps pages offline."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
# tests/ on sys.path, for the server helpers of tests/test_lab.py.
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))


def is_loopback_or_local(url: str) -> bool:
    """True for file:, data:, blob: and 127.0.0.1/localhost URLs: what an offline page may load."""
    parts = urlsplit(url)
    if parts.scheme in ("file", "data", "blob", "about"):
        return True
    return parts.hostname in ("127.0.0.1", "localhost", "::1")


def block_network(context, blocked: list[str]) -> None:
    """Abort every request that would leave the machine; record its URL in `blocked`."""

    def handle(route):
        url = route.request.url
        if is_loopback_or_local(url):
            route.continue_()
        else:
            blocked.append(url)
            route.abort("internetdisconnected")

    context.route("**/*", handle)
