# calmcrown: `make run` to use it, `make test` to check it. Both set up what is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench system-packages clean

run: $(STAMP)
	$(BIN)/calmcrown serve

test: $(STAMP) system-packages lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy src

pytest: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Debian packages the tests use, installed only where missing: espeak-ng for speech,
# Chromium for the browser tests (Playwright drives Debian's build; it never downloads
# one), poppler-utils to turn the PDF report into pictures, PostgreSQL's server binaries
# for the diary tests (they start their own cluster).
system-packages:
	@scripts/ensure-system-packages espeak-ng chromium poppler-utils:pdftoppm
	@scripts/ensure-postgres

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || { $(BIN)/python -m ensurepip -q >/dev/null 2>&1; \
	  $(BIN)/python -m pip install -qq --disable-pip-version-check uv; }
	$(BIN)/uv pip install -q --python $(BIN)/python -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
