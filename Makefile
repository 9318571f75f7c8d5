# Deep Learning, Simply: one entry point for building, running and testing the course.
# A fresh machine needs only python3 (3.10+) with pip/venv, and make.
#
#   make book     set up .venv, build the website, print the page to open
#   make book-offline  the website with MathJax and the widget code bundled: works with no internet
#   make test     set up .venv, run every test (dlkit unit tests, nbval on every notebook, book build,
#                 and the site in headless Chromium when it is installed)
#   make lab      set up .venv (+ JupyterLab), open the notebooks in JupyterLab
#   make execute  re-execute every notebook in place to refresh its saved outputs
#   make course-edition  build the website with every solution removed (_build/course-edition)
#   make release  student versions of every chapter with nbgrader (_build/course/release)
#   make autograde  grade _build/course/submitted/<student>/<chapter>/ and write grades.csv
#   make bench    run the benchmarks and write benchmarks/RESULTS.md
#   make clean    remove build output and caches (make distclean also removes .venv)

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

.DEFAULT_GOAL := help
.PHONY: help setup book book-offline lab test execute course-edition release autograde bench clean distclean

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

book: $(BOOK_STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo
	@echo "The book is built. Open it in a browser:"
	@echo "  file://$(CURDIR)/_build/html/index.html"

# npm fetches MathJax, require.js and the widget manager (package-lock.json) into node_modules/.
book-offline: $(BOOK_STAMP)
	$(BIN)/python tools/offline_book.py

lab: $(LAB_STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=chapters $(ROOT_ARG) $(LAB_ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest

execute: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py

course-edition: $(STAMP)
	$(BIN)/python tools/course.py edition

release: $(STAMP)
	$(BIN)/python tools/course.py release

autograde: $(STAMP)
	$(BIN)/python tools/course.py autograde

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf _build .pytest_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info node_modules
