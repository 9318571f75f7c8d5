# Deep Learning, Simply: one entry point for building, running and testing the course.
# A fresh machine needs only python3 (3.10+) with pip/venv, and make (another Python: make PYTHON=python3.12 ...).
#
#   make book     set up .venv, build the website, print the page to open
#   make book-offline  the website with MathJax and the widget code bundled: works with no internet
#   make test     set up .venv, run every test (dlkit unit tests, nbval on every notebook, book build,
#                 and the site in headless Chromium when it is installed)
#   make check    the fast unit tests only (dlkit, tools, sources): no notebook, book, browser or nbgrader
#   make lab      set up .venv (+ JupyterLab), open the notebooks in JupyterLab
#   make execute  re-execute every notebook in place to refresh its saved outputs
#   make course-edition  build the website with every solution removed (_build/course-edition)
#   make release  student versions of every chapter with nbgrader (_build/course/release)
#   make autograde  grade _build/course/submitted/<student>/<chapter>/ and write grades.csv (in a sandbox;
#                 options: make autograde COURSE_ARGS="--jobs 4 --timeout 60 01_neurons")
#   make bench    run the benchmarks and write benchmarks/RESULTS.md
#   make clean    remove build output and caches, but keep _build/course (make distclean also removes .venv)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Stamp files: set-up reruns only when pyproject.toml changes (or the stamp is missing).
# Reading the book needs only the `book` extra; testing adds `test` and `course` (nbgrader, heavy).
BOOK_STAMP := $(VENV)/.installed-book
STAMP      := $(VENV)/.installed
LAB_STAMP  := $(VENV)/.installed-lab
# Extra JupyterLab options, e.g. make lab LAB_ARGS=--no-browser
LAB_ARGS  ?=
# Jupyter refuses to run as root unless told (containers often run as root).
ROOT_ARG  := $(if $(filter 0,$(shell id -u)),--allow-root)

# make check: the tests that need no notebook kernel, book build, browser or nbgrader (pyproject.toml's
# markers). Without the nbval plugin pyproject's addopts (--nbval ...) do not parse, so -o replaces them.
CHECK_MARKERS := not book and not browser and not course and not slow

.DEFAULT_GOAL := help
.PHONY: help setup book book-offline lab test check execute course-edition release autograde bench clean distclean

# Before any target that uses .venv, tools/check_venv.sh checks it (and PYTHON, which creates it): a
# .venv made with a too old Python, or whose Python was removed, stops make here with what to do;
# packages missing from it are installed again.
ifneq ($(filter-out help clean distclean,$(MAKECMDGOALS)),)
  ifneq ($(shell sh tools/check_venv.sh "$(VENV)" "$(PYTHON)" $(if $(filter distclean,$(MAKECMDGOALS)),--fresh)),ok)
    $(error $(VENV) cannot be used as it is: see above)
  endif
endif

help:
	@sed -n 's/^#   //p' Makefile

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

setup: $(STAMP)

$(BOOK_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e ".[book]"
	@touch $@

$(STAMP): $(BOOK_STAMP)
	$(BIN)/python -m pip install -e ".[book,test,course]"
	@touch $@

$(LAB_STAMP): $(BOOK_STAMP)
	$(BIN)/python -m pip install -e ".[book,lab]"
	@touch $@

# --all: Sphinx re-reads only changed pages, so a second build would not repeat an unchanged page's
# warnings and -W would pass. Every build reads every page (about 10 s instead of 5).
book: $(BOOK_STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going --all
	@echo
	@echo "The book is built. Open it in a browser:"
	@echo "  file://$(CURDIR)/_build/html/index.html"

# npm fetches MathJax, require.js and the widget manager (package-lock.json) into node_modules/.
book-offline: $(BOOK_STAMP)
	$(BIN)/python -m tools.offline_book

lab: $(LAB_STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=chapters $(ROOT_ARG) $(LAB_ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/python -m pytest tests -p no:nbval -o addopts=-ra -m "$(CHECK_MARKERS)"

execute: $(STAMP)
	$(BIN)/python -m tools.execute_notebooks

course-edition: $(STAMP)
	$(BIN)/python -m tools.course edition

# Extra arguments for release/autograde, e.g. COURSE_ARGS="--jobs 4 01_neurons"
COURSE_ARGS ?=

release: $(STAMP)
	$(BIN)/python -m tools.course release $(COURSE_ARGS)

autograde: $(STAMP)
	$(BIN)/python -m tools.course autograde $(COURSE_ARGS)

# Extra arguments for the benchmarks, e.g. BENCH_ARGS=--make-test (also times the whole make test)
BENCH_ARGS ?=

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# _build/course holds students' submissions and grades: clean keeps it (python -m tools.course clean
# deletes its build output, --include-grades everything).
clean:
	@if [ -d _build ]; then find _build -mindepth 1 -maxdepth 1 ! -name course -exec rm -rf {} +; fi
	rm -rf .pytest_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
	@if [ -d _build/course ]; then echo "Kept _build/course/ (submissions and grades): \
	  .venv/bin/python -m tools.course clean [--include-grades] cleans it."; fi

distclean: clean
	rm -rf $(VENV) *.egg-info node_modules
