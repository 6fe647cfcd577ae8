"""The static site `make site` builds reads offline in a browser.

build/site/ is served on a loopback port (as `python -m http.server -d
build/site` would), and opened from disk (file://, as double-clicking
index.html does); every request that would leave the machine is aborted,
so a formula that needs a CDN stays raw and fails the test. For the landing
page (README) and each notebook's page, headless Chromium checks that
- every formula is typeset by MathJax (each math element holds a rendered
  formula, none is a MathJax error, no `\\(`, `$$` or `\\begin{` is left as text);
- every image loaded, and a notebook page shows as many figures as the stored
  notebook has image outputs;
- the page logged no error and made no request to the network;
- it reads like a book: each exercise's solution is folded behind a toggle, a cell of claims shows its
  printed claims and not their code, and long code lines wrap;
and that the site lists every notebook in notebooks/, in course order.
Run `make site` first (`make test-browser` does).
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading

import pytest
from browser_support import REPO, block_network
from lesson_format import execute_notebooks_tool
from test_lab_browser import course_notebooks

SITE = REPO / "build" / "site"
PAGE_TIMEOUT_S = 60

pytestmark = pytest.mark.browser


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module", params=["http", "file"])
def site_url(request):
    """The site served on loopback, and opened straight from disk (file://)."""
    if not (SITE / "index.html").exists():
        pytest.fail(f"{SITE} has no index.html: run `make site` first")
    if request.param == "file":
        yield SITE.as_uri()
        return
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


PAGE_JS = r"""() => {
  const text = (el) => (el.textContent || '').replace(/\s+/g, ' ').trim();
  const main = document.querySelector('main') || document.body;
  const maths = [...main.querySelectorAll('.math')];
  const copy = main.cloneNode(true);
  copy.querySelectorAll('mjx-container, code, pre, script, .math').forEach(e => e.remove());
  const leftover = text(copy).match(/\\\(|\\\[|\$\$|\\begin\{|\$[^$ ][^$]*\\[A-Za-z]+[^$]*\$/);
  const imgs = [...document.querySelectorAll('img')];
  return {
    maths: maths.length,
    typeset: maths.filter(m => m.querySelector('mjx-container')).length,
    raw: maths.filter(m => !m.querySelector('mjx-container')).map(text).slice(0, 5),
    math_errors: main.querySelectorAll('mjx-merror, [data-mjx-error]').length,
    leftover: leftover ? leftover[0] : '',
    images: imgs.length,
    images_loaded: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
    figures: main.querySelectorAll('.cell_output img, .output img').length,
    folded: main.querySelectorAll('details.above-input').length,
    claims_code: [...main.querySelectorAll('.cell_input')].map(e => e.textContent).filter(t => /\bclaims\.\w+\(/.test(t)),
    wraps: [...main.querySelectorAll('.cell_input pre')].every(e => getComputedStyle(e).whiteSpace === 'pre-wrap'),
    nav: [...document.querySelectorAll('.bd-sidebar-primary a.reference.internal')]
           .map(a => a.getAttribute('href')),
    title: document.title,
  };
}"""


@functools.cache
def _parses(text: str) -> bool:
    import ast

    try:
        ast.parse(text.strip())
    except SyntaxError:
        return False
    return True


def _is_claims_cell(text: str) -> bool:
    """The page's text of a cell input is a cell made only of ``claims.<name>(...)`` calls."""
    return execute_notebooks_tool().is_claims_cell(text.strip())


def pages() -> list[tuple[str, str, int | None]]:
    """(id, path under the site, stored image outputs or None) for README and each notebook."""
    out = [("README", "index.html", None)]
    for nb in course_notebooks():
        cells = json.loads(nb.read_text())["cells"]
        images = sum("image/png" in o.get("data", {}) for c in cells for o in c.get("outputs", []))
        out.append((nb.stem, f"notebooks/{nb.stem}.html", images))
    return out


def exercises(page_id: str) -> int:
    """How many exercise cells (a solution between BEGIN/END SOLUTION) the notebook has; 0 for README."""
    if page_id == "README":
        return 0
    cells = json.loads((REPO / "notebooks" / f"{page_id}.ipynb").read_text())["cells"]
    return sum("### BEGIN SOLUTION" in "".join(c["source"]) for c in cells if c["cell_type"] == "code")


@pytest.mark.parametrize("page_id, path, stored_images", pages(), ids=[p[0] for p in pages()])
def test_site_page_reads_offline(browser, site_url, screenshots_dir, page_id, path, stored_images):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked: list[str] = []
    block_network(context, blocked)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        page.goto(f"{site_url}/{path}", wait_until="load", timeout=PAGE_TIMEOUT_S * 1000)
        # index.html forwards to README.html: wait for that page, then for MathJax's first typeset
        # (MathJax is loaded with `defer`, so it exists at "load" if it could be loaded at all).
        page.wait_for_url(re.compile(r"\.html$") if path != "index.html" else re.compile(r"README\.html$"))
        page.wait_for_load_state("load")
        page.evaluate("async () => { if (window.MathJax && MathJax.startup) await MathJax.startup.promise; }")
        page.wait_for_function(
            "() => [...document.images].every(i => i.complete)", timeout=PAGE_TIMEOUT_S * 1000
        )
        report = page.evaluate(PAGE_JS)
        page.screenshot(path=str(screenshots_dir / f"site-{page_id}.png"))
        print(f"\nsite {site_url.split(':')[0]} {page_id}: {report['maths']} formulas, {report['images']} images, {report['figures']} figures")

        failures = []
        if report["typeset"] != report["maths"]:
            failures.append(f"{report['maths'] - report['typeset']} formulas not typeset, e.g. {report['raw']}")
        if report["math_errors"]:
            failures.append(f"{report['math_errors']} MathJax errors")
        if report["leftover"]:
            failures.append(f"LaTeX left as text: {report['leftover']!r}")
        if report["images_loaded"] != report["images"]:
            failures.append(f"{report['images'] - report['images_loaded']} of {report['images']} images did not load")
        if stored_images is not None and report["figures"] != stored_images:
            failures.append(f"{report['figures']} figures on the page, {stored_images} in the stored notebook")
        if stored_images is not None and report["maths"] == 0:
            failures.append("no formula on a notebook page")
        if report["folded"] != exercises(page_id):
            failures.append(f"{report['folded']} folded cells, {exercises(page_id)} exercises (each solution folds)")
        unread = [text[:60] for text in report["claims_code"] if not _parses(text)]
        if unread:  # the page's text of a cell must be its code, or the check below could not see a claims cell
            failures.append(f"cell inputs that are not the cell's code: {unread}")
        claims_only = [text for text in report["claims_code"] if _is_claims_cell(text)]
        if claims_only:  # a cell that mixes claims with other code keeps its code on the page
            failures.append(f"{len(claims_only)} cells of claims only show their code (they should show only the claims)")
        if not report["wraps"]:
            failures.append("code lines do not wrap (site/_static/course.css)")
        if page_id == "README":
            wanted = [f"notebooks/{nb.stem}.html" for nb in course_notebooks()]
            listed = [href for href in report["nav"] if href.startswith("notebooks/")]
            if listed != wanted:
                failures.append(f"site navigation lists {listed}, expected {wanted}")
        if errors:
            failures.append(f"page errors: {errors}")
        if blocked:
            failures.append(f"requests to the network: {blocked}")
        assert not failures, f"{path}:\n- " + "\n- ".join(failures)
        assert re.search(r"\S", report["title"]), "page has no title"
    finally:
        context.close()
