# Improving Deep Neural Networks: build, test and run the course.
# A fresh clone needs only Python 3.10+ and make: `make lab` or `make test`.

PYTHON   ?= python3
VENV     ?= .venv
LAB_PORT ?= 8888
PY       := $(VENV)/bin/python
STAMP    := $(VENV)/.installed
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
# Notebooks that `make test` and `make notebooks` run (override to pick some).
NOTEBOOKS ?= $(sort $(wildcard notebooks/*.ipynb))

# Quiet, reproducible runs: no TensorFlow C++ log lines in outputs (both
# variables are needed), fixed string hashing. Kernels inherit these.
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export PYTHONHASHSEED := 0

# The one command `make lab` runs; `make lab-command` prints it for tests.
# Token auth is jupyter's default: a random token, or $JUPYTER_TOKEN if set.
# Jupyter refuses to run as root (containers, CI) without --allow-root.
LAB_CMD = $(VENV)/bin/jupyter lab --no-browser --ServerApp.ip=127.0.0.1 \
	--ServerApp.port=$(LAB_PORT) --ServerApp.root_dir=$(CURDIR)/notebooks \
	$(if $(filter 0,$(shell id -u)),--allow-root)

# No progress bars in test runs or in stored notebook outputs; a notebook claim that fails stops the run
# (in a learner's session it prints ✗ with its values and the notebook goes on; see course_utils/claims.py).
test test-kernels notebooks: export COURSE_UTILS_PROGRESS := 0
test test-kernels notebooks: export COURSE_UTILS_STRICT_CLAIMS := 1

# OpenBLAS picks its matrix kernels by CPU, and they round differently (AVX512 against AVX2), which
# moves the last digits of a product and, through a long training run, the printed digits of a loss
# or an accuracy (see test-kernels below). On x86-64 CPUs with AVX2 (nearly all since 2013) the stored outputs,
# `make test` and `make lab` use OpenBLAS's AVX2 ("Haswell") kernels, so every such machine prints the
# same digits. `make bench` keeps the CPU's own kernels (it measures speed). An OPENBLAS_CORETYPE set
# in the environment wins.
BLAS_PIN := $(if $(shell grep -qsw avx2 /proc/cpuinfo && echo yes),Haswell)
ifneq ($(BLAS_PIN),)
test notebooks lab lab-env: export OPENBLAS_CORETYPE ?= $(BLAS_PIN)
endif

# Trust the course's notebooks (their stored outputs are ours), so Notebook 7 shows no "Not Trusted" badge.
TRUST = $(VENV)/bin/jupyter trust notebooks/*.ipynb exercises/*.ipynb >/dev/null

NBVAL_FLAGS = --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg

# `make test` spreads the test files over the CPU's cores (pytest-xdist); a notebook is one file, so
# its cells run in order in one kernel. Each process then runs OpenBLAS on one thread: OpenBLAS's idle
# threads spin, and on 2 cores two workers with two BLAS threads each took 194 s against 168 s (one
# process: 280 s). The stored outputs are the same either way. TEST_WORKERS=1: one process, as before.
TEST_WORKERS ?= auto
ifneq ($(TEST_WORKERS),1)
TEST_PARALLEL := -n $(TEST_WORKERS) --dist loadfile
test: export OPENBLAS_NUM_THREADS ?= 1
endif

.DEFAULT_GOAL := help
.PHONY: help install lab lab-command lab-env test test-browser test-kernels test-course notebooks exercises course site bench clean

help: ## list the targets
	@echo "Targets:"
	@grep -E '^[a-z-]+:.*## ' $(firstword $(MAKEFILE_LIST)) | \
		awk 'BEGIN {FS = ":.*## "} {printf "  make %-12s %s\n", $$1, $$2}'

install: $(STAMP) $(LAB_OVERRIDES) ## create .venv with requirements.txt and course_utils (editable)
	@$(TRUST)

# Redone only when requirements.txt or pyproject.toml is newer than the stamp.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
		{ echo "error: $(PYTHON) is older than Python 3.10; run: make install PYTHON=python3.X"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@# nbgrader (for `make course`) switches its JupyterLab and server extensions on when installed; learners
	@# in `make lab` get no nbgrader menus, panels or log lines (the nbgrader CLI and API work without them).
	$(VENV)/bin/jupyter labextension disable --level=sys_prefix @jupyter/nbgrader >/dev/null 2>&1
	for e in formgrader validate_assignment assignment_list course_list; do \
		$(VENV)/bin/jupyter server extension disable --sys-prefix nbgrader.server_extensions.$$e >/dev/null 2>&1; \
	done
	touch $@

# The course's JupyterLab defaults (jupyterlab-settings/overrides.json: no first-open news
# pop-up), copied to where JupyterLab and Notebook 7 read overrides in .venv.
$(LAB_OVERRIDES): jupyterlab-settings/overrides.json | $(STAMP)
	mkdir -p $(dir $@)
	cp $< $@

lab: install ## open JupyterLab on notebooks/ at 127.0.0.1:LAB_PORT (default 8888)
	$(LAB_CMD)

lab-command: ## print the command line `make lab` runs
	@echo $(LAB_CMD)

lab-env: ## print what `make lab` sets in JupyterLab's environment (NAME=value lines; the tests start it so)
	@if [ -n "$$OPENBLAS_CORETYPE" ]; then echo "OPENBLAS_CORETYPE=$$OPENBLAS_CORETYPE"; fi

test: install ## unit tests and every notebook's stored outputs checked with nbval, on every core
	$(PY) -m pytest tests $(NOTEBOOKS) $(NBVAL_FLAGS) $(TEST_PARALLEL)

# Which stored outputs depend on the BLAS kernels: nbval under OpenBLAS's generic (pre-SIMD)
# kernels, which do not fuse multiply-adds. On 2026-12-06, 37 of 237 compared cells printed other last
# digits (no claim failed; the README's table of make targets lists them by notebook). Slower than
# `make test`, so not part of it; it runs every kernel listed and fails at the end if one failed.
OPENBLAS_KERNELS ?= Prescott
test-kernels: install ## nbval again under other OpenBLAS CPU kernels (generic), to see which outputs depend on them
	@status=0; for kernel in $(OPENBLAS_KERNELS); do \
		echo "== OPENBLAS_CORETYPE=$$kernel"; \
		OPENBLAS_CORETYPE=$$kernel $(PY) -m pytest $(NOTEBOOKS) $(NBVAL_FLAGS) -q || status=1; \
	done; exit $$status

# A learner's session in a real browser: headless Chromium opens each notebook in JupyterLab,
# runs Run > Run All Cells and reads the page; then the built site, with the network off.
# Kept out of `make test` (tests/browser/ is deselected unless `-m browser`). Screenshots go to
# build/screenshots/. Chromium: $$CHROMIUM, else chromium/chromium-browser/google-chrome on PATH.
test-browser: install site ## run every notebook in JupyterLab in headless Chromium; check the site offline
	$(PY) -m pytest tests/browser -m browser -v -s

notebooks: install ## re-execute the notebooks in place (regenerates stored outputs)
	$(PY) tools/execute_notebooks.py $(NOTEBOOKS)
	@$(TRUST)

exercises: install ## regenerate the learner notebooks in exercises/ from notebooks/
	$(PY) tools/make_exercises.py
	@$(TRUST)

# The exercises as nbgrader assignments, for a class (README.md, "Teaching a class"). COURSE_DIR gets
# source/<Notebook>/ (the notebooks with nbgrader metadata, written by tools/make_course.py from the
# exercise convention), nbgrader_config.py (course id, a local exchange; kept once it exists) and
# release/<Notebook>/ (nbgrader generate_assignment). Submissions and grades already there are kept.
# `make clean` removes build/: for a real class, give a COURSE_DIR outside it.
COURSE_DIR ?= build/course
course: install ## lay out an nbgrader course in build/course (COURSE_DIR) and generate the five assignments
	$(PY) tools/make_course.py $(COURSE_DIR)

# `make course` into a temporary directory, then nbgrader releases, collects, autogrades (each notebook
# run in a kernel), writes feedback and exports grades for three students of two notebooks: all right,
# one wrong answer, one exercise unfinished. A few minutes, so not part of `make test`; .ci/run runs it.
test-course: install ## grade real submissions end to end with nbgrader (two notebooks, three students)
	$(PY) -m pytest tests/course -m course -v -s

# The course as a static website from the stored outputs (no re-execution), with MathJax
# bundled, so it reads offline: README.md is the landing page, the notebooks follow.
SITE_DIR := build/site
site: install ## build the course website into build/site (open build/site/index.html)
	rm -rf $(SITE_DIR) build/site-doctrees
	$(VENV)/bin/sphinx-build -q -W --keep-going -c site -d build/site-doctrees . $(SITE_DIR)
	@echo "site: $(SITE_DIR)/index.html ($$(du -sh $(SITE_DIR) | cut -f1))"

bench: install ## print one table of speed ratios: NumPy against TensorFlow and the hardware, gradcheck, make test
	$(PY) -m bench

clean: ## remove .venv, build files and caches
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
	find . -path ./.git -prune -o \( -name __pycache__ -o -name '*.egg-info' \
		-o -name .ipynb_checkpoints \) -type d -prune -exec rm -rf {} +
