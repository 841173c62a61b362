# Everyday tasks. The virtual environment is .venv (see the README's quick start).
PY ?= .venv/bin/python

.PHONY: test lint golden bench check-examples

test:            ## the README's test command
	$(PY) -m pytest

lint:            ## ruff and the import layers
	$(PY) -m ruff check src tests bench
	.venv/bin/lint-imports

golden:          ## rewrite golden files and the error corpus output; review with git diff
	$(PY) -m pytest --update-golden

bench:           ## the benchmark table (1k, 10k, 100k tasks)
	$(PY) bench/run.py

check-examples:  ## what CI checks on the examples
	.venv/bin/mpm check --workspace examples/acme
	.venv/bin/mpm fmt --check --workspace examples/acme
