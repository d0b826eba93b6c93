# Two commands do everything on a fresh machine:
#   make run   - set up, build the model, ingest corpus/ and print the obligations summary
#   make test  - set up and run the test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint models bench bench-scale fuzz clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

models: $(STAMP)
	$(BIN)/directive-nlp build-model

run: $(STAMP)
	$(BIN)/directive-nlp build-model --if-missing
	$(BIN)/directive-nlp ingest corpus/
	$(BIN)/directive-nlp obligations --summary

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/gapcheck.py

# at scale (minutes): reports on a 500-document store, ingest memory at 500 and 1,000 documents
bench-scale: $(STAMP)
	$(BIN)/python bench/ux.py
	$(BIN)/python bench/ingest_memory.py

# Hypothesis properties with many examples for FUZZ_MINUTES (summary in outputs/fuzz-report.json),
# then the bomb-sized hostile families (marker slow_hostile)
FUZZ_MINUTES ?= 10
fuzz: $(STAMP)
	FUZZ_MINUTES=$(FUZZ_MINUTES) $(BIN)/python -m pytest -q -p no:cacheprovider tests/hostile/test_properties.py
	$(BIN)/python -m pytest -q -m slow_hostile tests/hostile

clean:
	rm -rf $(VENV) outputs/*.db
