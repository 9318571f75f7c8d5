"""The course's command-line tools, run from the repository's root as modules, for example
``python -m tools.execute_notebooks`` (the Makefile's targets call them this way)."""
