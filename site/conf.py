"""Sphinx configuration for `make site`: the course as an offline static website.

The source folder is the repository root (``make site`` runs
``sphinx-build -c site . build/site``); only README.md (the landing page) and
the notebooks in notebooks/ are read. Notebooks are rendered from their stored
outputs by myst-nb and are never re-executed. MathJax 3 comes from the
``sphinx-mathjax-offline`` package and is copied into ``_static/``, so formulas
typeset with no network.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# The course order; notebooks not written yet are left out, and any other
# notebook in notebooks/ follows these in alphabetical order.
COURSE_ORDER = [
    "Initialization",
    "Optimization_methods",
    "Regularization",
    "Gradient_Checking",
    "Tensorflow_introduction",
]


def course_notebooks() -> list[str]:
    """Stems of the notebooks in notebooks/, in course order."""
    present = sorted(p.stem for p in (REPO / "notebooks").glob("*.ipynb"))
    known = [name for name in COURSE_ORDER if name in present]
    return known + [name for name in present if name not in COURSE_ORDER]


project = "Making deep networks train well"
author = "the course authors"
copyright = "the course authors"

# githubpages writes .nojekyll, so GitHub Pages serves the _static/ folder.
extensions = ["myst_nb", "sphinx-mathjax-offline", "sphinx.ext.githubpages"]

root_doc = "README"
include_patterns = ["README.md", "notebooks/*.ipynb"]
exclude_patterns = ["build", ".venv", "**/.ipynb_checkpoints"]

# Stored outputs only: the site shows exactly what the notebooks store. The cells' tags (set by
# `make notebooks`, see tools/execute_notebooks.py) fold each exercise's solution behind a toggle
# (hide-input) and show a cell of claims by its printed claims only (remove-input).
nb_execution_mode = "off"
# $...$ and $$...$$ as in Jupyter; README links to notebooks become page links.
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
# README links to repository files that are not pages (requirements.txt,
# sanitize.cfg) become downloads; links to folders are made plain text below.

html_theme = "sphinx_book_theme"
html_title = project
# pydata-sphinx-theme logs a console error when no colour mode is set.
html_context = {"default_mode": "light"}
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": True,
}
html_last_updated_fmt = None
# Long code lines wrap instead of scrolling sideways (the site's column is about 760 px).
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_copy_source = True
html_show_sourcelink = False


_FOLDER_LINK = re.compile(r"\[([^\]]+)\]\(([\w./-]+/)\)")


def _readme_for_the_site(app, docname, source):
    """README as the landing page: folder links (course_utils/, ...) become plain text, since
    the site has no page for a folder; a hidden toctree lists the notebooks in course order."""
    if docname != root_doc:
        return
    source[0] = _FOLDER_LINK.sub(
        lambda m: m.group(1) if (REPO / m.group(2)).is_dir() else m.group(0), source[0]
    )
    entries = "\n".join(f"notebooks/{name}" for name in course_notebooks())
    source[0] += f"\n\n```{{toctree}}\n:hidden:\n:maxdepth: 1\n:caption: Notebooks\n\n{entries}\n```\n"


# sphinx-mathjax-offline copies all of MathJax 3 (24 MB); the pages load tex-chtml.js, which
# fetches its fonts, menu, accessibility and TeX extensions from the folders beside it. The other
# prebuilt combinations at the top level are never loaded: drop them (about 12 MB).
_UNUSED_MATHJAX = [
    "core.js", "latest.js", "loader.js", "startup.js", "node-main.js", "mml-chtml.js", "mml-svg.js",
    "tex-mml-chtml.js", "tex-mml-svg.js", "tex-svg.js", "tex-svg-full.js",
    "tex-chtml-full.js", "tex-chtml-full-speech.js",
]


def _prune_mathjax(app, exc):
    if exc is None and app.builder.format == "html":
        mathjax = Path(app.outdir, "_static", "mathjax")
        assert (mathjax / "tex-chtml.js").exists(), "sphinx-mathjax-offline did not copy MathJax"
        for name in _UNUSED_MATHJAX:
            (mathjax / name).unlink(missing_ok=True)


def _write_index(app, exc):
    """index.html, for web servers and GitHub Pages, forwards to README.html."""
    if exc is None and app.builder.format == "html":
        Path(app.outdir, "index.html").write_text(
            '<!DOCTYPE html>\n<meta charset="utf-8">\n<title>{0}</title>\n'
            '<meta http-equiv="refresh" content="0; url=README.html">\n'
            '<a href="README.html">{0}</a>\n'.format(project),
            encoding="utf-8",
        )


def setup(app):
    app.connect("source-read", _readme_for_the_site)
    app.connect("build-finished", _write_index)
    app.connect("build-finished", _prune_mathjax, priority=900)  # after sphinx-mathjax-offline copies it
