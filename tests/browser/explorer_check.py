"""The optimizer explorer in a live notebook: moving its controls redraws the figure with the right path.

Called by test_lab_browser after Run All on a notebook whose code calls ``explorer.show()``. The
explorer shows a figure and a caption (``explorer.summary``: the final point and loss of the path);
both are display outputs that each change of a control updates in place.
"""

from __future__ import annotations

import time

from course_utils import explorer

CELL_JS = r"""([panel, index]) => {
  const code = [...document.querySelectorAll(panel + ' .jp-Notebook .jp-Cell')]
    .filter(c => c.classList.contains('jp-CodeCell'));
  const cell = code[index];
  const img = cell.querySelector('.jp-OutputArea-output img');
  const texts = [...cell.querySelectorAll('.jp-OutputArea-output[data-mime-type="text/plain"]')]
    .map(e => (e.textContent || '').trim());
  return {src: img ? img.getAttribute('src') : null, caption: texts.find(t => t.includes(' on ')) || null};
}"""

REDRAW_TIMEOUT_S = 30


def explorer_cell_index(notebook_json: dict) -> int | None:
    """The index among code cells of the cell that calls ``explorer.show()``, or None."""
    code = [c for c in notebook_json["cells"] if c["cell_type"] == "code"]
    for i, cell in enumerate(code):
        if "explorer.show()" in "".join(cell["source"]):
            return i
    return None


def _wait_for_caption(page, panel, index, before, expected, what):
    """Wait until the caption reads ``expected``; return the cell's state (figure source and caption)."""
    deadline = time.monotonic() + REDRAW_TIMEOUT_S
    now = before
    while time.monotonic() < deadline:
        now = page.evaluate(CELL_JS, [panel, index])
        if now["caption"] == expected:
            return now
        page.wait_for_timeout(200)
    raise AssertionError(f"after {what}, the caption is {now['caption']!r}; Python gives {expected!r}")


def check_explorer(page, panel: str, index: int, shot_dir, stem: str) -> list[str]:
    """Move the learning-rate slider (keyboard), then pick another optimizer; return the problems found."""
    problems = []
    cell = page.locator(f"{panel} .jp-Notebook .jp-CodeCell").nth(index)
    cell.scroll_into_view_if_needed()
    start = page.evaluate(CELL_JS, [panel, index])
    if start["caption"] != explorer.summary():
        problems.append(f"explorer caption before any change: {start['caption']!r}, expected {explorer.summary()!r}")
    page.screenshot(path=str(shot_dir / f"{stem}-explorer-before.png"))

    # 1. The learning-rate slider, with the keyboard: focus its handle and press the right arrow twice,
    #    from 0.03 to 0.05 to 0.1 (its stops are explorer.LEARNING_RATES).
    slider = cell.locator(".widget-slider").filter(has_text="learning rate")
    slider.locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    stops = explorer.LEARNING_RATES
    new_rate = stops[stops.index(explorer.DEFAULTS["learning_rate"]) + 2]
    moved = _wait_for_caption(page, panel, index, start, explorer.summary(learning_rate=new_rate),
                              "two steps right on the learning-rate slider")
    if moved["src"] == start["src"]:
        problems.append("the learning-rate slider moved, but the figure stayed the same")

    # 2. Another control: choose Adam in the optimizer menu.
    cell.locator(".widget-dropdown").filter(has_text="optimizer").locator("select").select_option("Adam")
    final = _wait_for_caption(page, panel, index, moved, explorer.summary(optimizer="Adam", learning_rate=new_rate),
                              "choosing Adam")
    if final["src"] == moved["src"]:
        problems.append("the optimizer changed, but the figure stayed the same")
    page.screenshot(path=str(shot_dir / f"{stem}-explorer-after.png"))
    return problems
