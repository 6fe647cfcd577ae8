"""The optimizer explorer in a live notebook: a learner's mouse moves its controls, and the figure follows.

Called by test_lab_browser after Run All on a notebook whose code calls ``explorer.show()``. The
explorer shows a figure and a caption (``explorer.summary``: the final point and loss of the path);
both are display outputs that each change of a control updates in place. The check drives the page as
a learner would, with the mouse: it drags the learning-rate and steps sliders by their handles
(``mouse.down/move/up``), measures how many pixels of track each stop gets, picks optimizers from the
menu, and reads whether the beta sliders an optimizer ignores are disabled (``explorer.USES``).
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

# Whether a slider's track is disabled (ipywidgets marks its noUiSlider target), keyed by the slider's label.
DISABLED_JS = r"""(cell) => Object.fromEntries([...cell.querySelectorAll('.widget-slider')].map(s => [
  (s.querySelector('.widget-label') || {}).textContent || '',
  !!s.querySelector('.noUi-target[disabled]') || s.classList.contains('mod-disabled')]))"""

REDRAW_TIMEOUT_S = 30
MIN_PX_PER_STOP = 20  # below this a drag of a few millimetres jumps several stops (17 stops had 94 px once)


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


def drag_to_stop(page, slider, stop: int, n_stops: int) -> float:
    """Drag ``slider``'s handle with the mouse to stop number ``stop`` of ``n_stops``; return the px per stop."""
    slider.scroll_into_view_if_needed()
    handle = slider.locator(".noUi-handle").bounding_box()
    track = slider.locator(".noUi-base").bounding_box()
    x0, y0 = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    x1 = track["x"] + track["width"] * stop / (n_stops - 1)
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x1, y0, steps=10)  # a slow drag, as a hand makes it
    page.mouse.up()
    return track["width"] / (n_stops - 1)


def check_explorer(page, panel: str, index: int, shot_dir, stem: str) -> list[str]:
    """Drag two sliders with the mouse, pick optimizers from the menu; return the problems found."""
    problems = []
    cell = page.locator(f"{panel} .jp-Notebook .jp-CodeCell").nth(index)
    cell.scroll_into_view_if_needed()
    start = page.evaluate(CELL_JS, [panel, index])
    if start["caption"] != explorer.summary():
        problems.append(f"explorer caption before any change: {start['caption']!r}, expected {explorer.summary()!r}")
    page.screenshot(path=str(shot_dir / f"{stem}-explorer-before.png"))

    # 1. Drag the learning-rate slider two stops right, from 0.03 to 0.1 (its stops: explorer.LEARNING_RATES).
    rates = explorer.LEARNING_RATES
    rate = rates[rates.index(explorer.DEFAULTS["learning_rate"]) + 2]
    px = drag_to_stop(page, cell.locator(".widget-slider").filter(has_text="learning rate"), rates.index(rate),
                      len(rates))
    if px < MIN_PX_PER_STOP:
        problems.append(f"the learning-rate slider gives {px:.1f} px per stop (at least {MIN_PX_PER_STOP} wanted)")
    moved = _wait_for_caption(page, panel, index, start, explorer.summary(learning_rate=rate),
                              "dragging the learning-rate slider two stops right")
    if moved["src"] == start["src"]:
        problems.append("the learning-rate slider moved, but the figure stayed the same")

    # 2. Drag the steps slider two stops right, from 200 to 500 (log-spaced stops: explorer.STEPS).
    steps = explorer.STEPS[explorer.STEPS.index(explorer.DEFAULTS["steps"]) + 2]
    px = drag_to_stop(page, cell.locator(".widget-slider").filter(has_text="steps"), explorer.STEPS.index(steps),
                      len(explorer.STEPS))
    if px < MIN_PX_PER_STOP:
        problems.append(f"the steps slider gives {px:.1f} px per stop (at least {MIN_PX_PER_STOP} wanted)")
    dragged = _wait_for_caption(page, panel, index, moved, explorer.summary(learning_rate=rate, steps=steps),
                                "dragging the steps slider two stops right")

    # 3. Pick optimizers from the menu: the figure follows, and the beta sliders each one ignores are disabled.
    state = dragged
    for optimizer in ("GD", "Adam"):
        cell.locator(".widget-dropdown").filter(has_text="optimizer").locator("select").select_option(optimizer)
        state = _wait_for_caption(page, panel, index, state, explorer.summary(optimizer=optimizer, learning_rate=rate,
                                                                              steps=steps), f"choosing {optimizer}")
        disabled = page.evaluate(DISABLED_JS, cell.element_handle())
        for label, name in (("beta (or rho)", "beta"), ("beta_2 (Adam)", "beta_2")):
            want = name not in explorer.USES[optimizer]
            if disabled.get(label) != want:
                problems.append(f"with {optimizer}, the {name} slider is {'disabled' if disabled.get(label) else 'enabled'}"
                                f" (expected {'disabled' if want else 'enabled'}); sliders seen: {disabled}")
    if state["src"] == dragged["src"]:
        problems.append("the optimizer changed, but the figure stayed the same")
    page.screenshot(path=str(shot_dir / f"{stem}-explorer-after.png"))
    return problems
