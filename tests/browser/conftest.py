"""Browser tests (`make test-browser`): headless Chromium driven by Playwright.

They take minutes and need a Chromium, so they never run in `make test`: every
test here is marked `browser`, and is deselected unless the run selects that
marker (`pytest tests/browser -m browser`, which is what `make test-browser` runs).

Chromium is taken from $CHROMIUM, else the usual names on PATH, else the
browser `playwright install chromium` downloads (where downloads work).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from browser_support import REPO

SCREENSHOTS = REPO / "build" / "screenshots"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
HOW_TO_GET_CHROMIUM = (
    "no Chromium found: set $CHROMIUM to a Chromium or Chrome executable, or install one: "
    "on Debian/Ubuntu `sudo apt-get install chromium`; elsewhere `.venv/bin/playwright install chromium`"
)


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: runs in headless Chromium (make test-browser)")


def pytest_collection_modifyitems(config, items):
    """Deselect browser tests unless the marker expression asks for them."""
    if "browser" in (config.getoption("markexpr", "") or ""):
        return
    keep = [item for item in items if item.get_closest_marker("browser") is None]
    dropped = [item for item in items if item.get_closest_marker("browser") is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def find_chromium() -> str | None:
    """$CHROMIUM, else a Chromium/Chrome on PATH; None means "try Playwright's own"."""
    wanted = os.environ.get("CHROMIUM")
    if wanted:
        path = shutil.which(wanted)
        if path is None:
            pytest.fail(f"$CHROMIUM={wanted!r} is not an executable; {HOW_TO_GET_CHROMIUM}")
        return path
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    from playwright.sync_api import Error, sync_playwright

    executable = find_chromium()
    with sync_playwright() as p:
        try:
            chromium = p.chromium.launch(executable_path=executable, headless=True)
        except Error as err:
            if executable is None:
                pytest.fail(f"{HOW_TO_GET_CHROMIUM}\n(Playwright said: {str(err).splitlines()[0]})")
            raise
        print(f"\nChromium {chromium.version} ({executable or 'Playwright-installed'})")
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
