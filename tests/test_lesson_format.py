"""The lesson format, checked on every converted notebook (see tests/lesson_format.py for the list):

* every number the prose states (percentages, decimals, scientific notation, large counts, counts with
  units) is printed by a code cell above it, unless it is a listed definition (a formula's constant, a
  hyperparameter); the README's row for the notebook quotes only numbers the notebook prints;
* every stored figure is at most 1,000 px wide; printed lines fit in 100 characters; no raw NumPy
  scalar reprs; the prose stays under about 2,500 words; nbval markers are rare and give a reason.
"""

import base64
import json
import re
import struct
from pathlib import Path

import pytest

import lesson_format

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
MAX_FIGURE_PX = 1000
MAX_LINE = 100
MAX_WORDS = 2700  # "under about 2,500"
MAX_NBVAL_MARKERS = 2

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_UNITS = (r"seeds?|points|epochs|iterations|steps|units|layers|examples|images|parameters|runs|entries|"
          r"evaluations|classes|weights|batches|traces|draws|pixels|neurons|samples")
_PATTERNS = [  # (kind, regex); tried in this order at each position
    ("sci", r"(?P<m>\d+(?:\.\d+)?)\s*(?:\\times|×|\\cdot|·)\s*10\^\{?(?P<e>[-−]?\d+)\}?"),
    ("sci", r"(?<![\d.])10\^\{?(?P<e>[-−]?\d+)\}?"),
    ("sci", r"(?<![\d.])10(?P<e>[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"),
    ("sci", r"(?P<m>\d+(?:\.\d+)?)[eE](?P<e>[-+−]?\d+)\b"),
    ("percent", r"(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*\\?%"),
    ("count", rf"(?P<n>\d{{1,3}}(?:(?:,|\{{,\}})\d{{3}})+|\d+)(?:\s|~|\\,)+(?:{_UNITS})\b"),
    ("number", r"(?P<n>\d{1,3}(?:(?:,|\{,\})\d{3})+(?:\.\d+)?)"),
    ("number", r"(?P<n>\d+\.\d+)"),
]
_TOKEN = re.compile("|".join(f"(?P<k{i}>{re.sub(r'[(][?]P<[a-z]+>', '(?:', regex)})"
                             for i, (_, regex) in enumerate(_PATTERNS)))


def _plain(number):
    return number.replace("{,}", "").replace(",", "")


def canonical(kind, match):
    """A number as the tests compare it: ``("sci", 1.0, -7)``, ``("percent", "93.0")``, ``("number", "15000")``."""
    if kind == "sci":
        mantissa = match.group("m") if "m" in match.groupdict() and match.group("m") else "1"
        exponent = match.group("e").translate(_SUPERSCRIPTS).replace("−", "-")
        return ("sci", float(mantissa), int(exponent))
    return (kind, _plain(match.group("n")))


def numbers_in(text):
    """Every quantitative number of ``text`` (markdown or an output), as ``[(canonical, as written)]``."""
    found = []
    for match in _TOKEN.finditer(text):
        start = match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "._") and not text[start - 1] == "$":
            continue  # part of a word or an identifier (W1, x_2, fig.3)
        i = next(i for i in range(len(_PATTERNS)) if match.group(f"k{i}") is not None)
        sub = re.fullmatch(_PATTERNS[i][1], match.group(f"k{i}"))
        found.append((canonical(_PATTERNS[i][0], sub), match.group(0)))
    return found


def prose(markdown):
    """The prose of a markdown cell, without code (fenced or inline), link targets, images or HTML tags."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"^(#+)\s*[\d.]+\s", r"\1 ", text, flags=re.M)  # section numbers ("## 3.2 Adam")
    return text


def printed(text, number):
    """True if the canonical ``number`` appears in the output ``text`` as printed."""
    kind = number[0]
    if kind == "sci":
        return any(found == number for found, _ in numbers_in(text))
    value = number[1]
    digits = re.escape(value)
    grouped = re.escape(f"{int(value.split('.')[0]):,}" + (("." + value.split(".")[1]) if "." in value else ""))
    if kind == "percent":
        return re.search(rf"(?<![\d.,])(?:{digits}|{grouped})\s*%", text) is not None
    return re.search(rf"(?<![\d.,])(?:{digits}|{grouped})(?![\d]|\.\d)", text) is not None


def output_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append("".join(out["text"]))
        for mime in ("text/plain", "text/markdown", "text/html"):
            if mime in out.get("data", {}):
                parts.append(re.sub(r"<[^>]+>", " ", "".join(out["data"][mime])))
    return "\n".join(parts)


def load(name):
    return json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))


def definitions(name):
    allowed = {}
    for written, reason in lesson_format.DEFINITIONS.get(name, {}).items():
        assert reason.strip(), f"{name}: the definition {written!r} needs a reason"
        parsed = numbers_in(written)
        assert len(parsed) == 1, f"{name}: {written!r} in tests/lesson_format.py is not one number"
        allowed[parsed[0][0]] = written
    return allowed


def readme_row(name):
    """The README's notebook-table row for ``name`` (what it teaches, headline result)."""
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith(f"| [{name}]("):
            return line
    raise AssertionError(f"README.md has no row for {name}")


def converted(name):
    if name in lesson_format.NOT_YET_CONVERTED:
        pytest.skip(f"{name} is not yet converted to the lesson format (tests/lesson_format.py)")


# ---------------------------------------------------------------- the extractor itself


def test_the_extractor_finds_the_numbers_a_claim_quotes():
    text = ("Adam reaches 93.0% \\% and GD 84.5 %; over 20 seeds and 15,000 iterations the error is 3e-10, "
            "$10^{-7}$ or 2.5 \\times 10^{-3} or 10⁻⁵, lr 0.01 of W1, x_2 and [2, 10, 5, 1]; 951× faster.")
    found = [c for c, _ in numbers_in(prose(text))]
    assert found == [("percent", "93.0"), ("percent", "84.5"), ("count", "20"), ("count", "15000"),
                     ("sci", 3.0, -10), ("sci", 1.0, -7), ("sci", 2.5, -3), ("sci", 1.0, -5), ("number", "0.01")]
    assert numbers_in(prose("see `lr=0.5` and [the site](http://x.org/3.14)\n## 3.2 Heading")) == []


def test_printed_numbers_match_as_printed_only():
    assert printed("test accuracy  93.0%", ("percent", "93.0"))
    assert not printed("test accuracy 93.05%", ("percent", "93.0")) and not printed("193.0%", ("percent", "93.0"))
    assert printed("cost 0.0100 at 15,000", ("number", "15000")) and printed("15000 steps", ("count", "15000"))
    assert not printed("0.011", ("number", "0.01")) and not printed("10.01", ("number", "0.01"))
    assert printed("error 1e-07", ("sci", 1.0, -7)) and not printed("error 1e-08", ("sci", 1.0, -7))


# ---------------------------------------------------------------- every notebook


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_prose_number_is_printed_above_or_is_a_definition(name):
    converted(name)
    allowed, used, above, missing = definitions(name), set(), [], []
    for index, cell in enumerate(load(name)["cells"]):
        if cell["cell_type"] == "code":
            above.append(output_text(cell))
            continue
        if cell["cell_type"] != "markdown":
            continue
        shown = "\n".join(above)
        for number, written in numbers_in(prose("".join(cell["source"]))):
            if number in allowed:
                used.add(number)
            elif not printed(shown, number):
                missing.append(f"cell {index}: {written!r}")
    assert missing == [], f"{name}: prose numbers no cell above prints (print them, or list a definition): {missing}"
    stale = [written for number, written in allowed.items() if number not in used]
    assert stale == [], f"{name}: definitions in tests/lesson_format.py that the prose no longer states: {stale}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_readme_row_quotes_only_printed_numbers(name):
    converted(name)
    shown = "\n".join(output_text(cell) for cell in load(name)["cells"] if cell["cell_type"] == "code")
    allowed = definitions(name)
    missing = [written for number, written in numbers_in(prose(readme_row(name)))
               if number not in allowed and not printed(shown, number)]
    assert missing == [], f"README row of {name} quotes numbers the notebook does not print: {missing}"


def png_width(data):
    raw = base64.b64decode(data)
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", raw[16:20])[0]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_figures_fit_the_notebook_and_outputs_are_short_and_plain(name):
    converted(name)
    nb = load(name)
    figures, wide, long_lines, raw_scalars = 0, [], [], []
    for index, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            if png:
                figures += 1
                width = png_width(png)
                if width > MAX_FIGURE_PX:
                    wide.append(f"cell {index}: {width} px")
        text = output_text(cell) if cell["cell_type"] == "code" else ""
        long_lines += [f"cell {index}: {line[:40]}..." for line in text.splitlines() if len(line) > MAX_LINE]
        raw_scalars += [f"cell {index}" for _ in re.finditer(r"np\.(float|int)\d+\(", text)]
    assert figures > 0
    assert wide == [], f"{name}: figures wider than {MAX_FIGURE_PX} px: {wide}"
    assert long_lines == [], f"{name}: printed lines longer than {MAX_LINE} characters: {long_lines}"
    assert raw_scalars == [], f"{name}: raw NumPy scalar reprs in outputs: {raw_scalars}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_prose_is_short_and_nbval_markers_are_rare_and_explained(name):
    converted(name)
    cells = load(name)["cells"]
    words = sum(len(prose("".join(c["source"])).split()) for c in cells if c["cell_type"] == "markdown")
    assert words <= MAX_WORDS, f"{name}: {words} words of prose; a lesson stays under about 2,500"
    marked = [c for c in cells if c["cell_type"] == "code" and "# NBVAL_" in "".join(c["source"])]
    assert len(marked) <= MAX_NBVAL_MARKERS, f"{name}: {len(marked)} cells carry nbval markers"
    for cell in marked:
        lines = "".join(cell["source"]).splitlines()
        assert len(lines) > 1 and re.match(r"#\s*\(?(why|reason)", lines[1], re.I), \
            f"{name}: an nbval marker needs a one-line reason on the next line: {lines[:2]}"


# ---------------------------------------------------------------- the site's tags


def test_a_cell_of_claims_only_is_recognized():
    tool = lesson_format.execute_notebooks_tool()
    assert tool.is_claims_cell('claims.beats("a", x, y)\nclaims.count("b", flags, at_least=1)')
    assert not tool.is_claims_cell('gap = a - b\nclaims.below("c", gap, 1)')
    assert not tool.is_claims_cell("print(1)") and not tool.is_claims_cell("") and not tool.is_claims_cell("x = (")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_site_tags_are_those_the_sources_give(name):
    """`make notebooks` tags solutions hide-input and cells of claims remove-input; the stored files agree."""
    import nbformat

    tool = lesson_format.execute_notebooks_tool()
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        stored = list(cell.metadata.get("tags", []))
        tool.site_tags(cell)
        assert list(cell.metadata.get("tags", [])) == stored, f"{name}: run `make notebooks` ({cell.source[:60]!r})"
