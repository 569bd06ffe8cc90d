# The two quick-start targets set everything up themselves on a machine with Python 3.10+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench model fast-spec

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/alto translate "How do I reset MFA?"

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check alto_cli tests benchmarks

bench: $(STAMP)
	$(BIN)/alto benchmark --json bench-out/benchmark.json --markdown bench-out/benchmark.md \
		--html bench-out/benchmark.html

# The local translator's intent model, from the labelled sets in the repository (numpy).
model: $(STAMP)
	$(BIN)/python benchmarks/translation/train_intent.py

# The start-up fast path's parser spec, from the Typer declarations of translate, run,
# validate and search (run after changing one of their flags; a test checks it is current).
fast-spec: $(STAMP)
	$(BIN)/python -m alto_cli.cli.fast_spec_build
