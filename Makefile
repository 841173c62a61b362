# Everyday tasks. The virtual environment is .venv (see the README's quick start).
PY ?= .venv/bin/python

.PHONY: test lint golden bench bench-forecast check-examples

test:            ## the README's test command
	$(PY) -m pytest

lint:            ## ruff and the import layers
	$(PY) -m ruff check src tests bench
	.venv/bin/lint-imports

golden:          ## rewrite golden files and the error corpus output; review with git diff
	$(PY) -m pytest --update-golden

bench:           ## the benchmark tables (1k, 10k, 100k tasks; mpm forecast at 10k and 100k)
	$(PY) bench/run.py

bench-forecast:  ## only the mpm forecast table
	$(PY) bench/run.py --forecast-only

check-examples:  ## what CI checks on the examples
	.venv/bin/mpm check --workspace examples/acme
	.venv/bin/mpm fmt --check --workspace examples/acme
