# Two commands do all set-up: `make serve` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --disable-pip-version-check -q -c constraints.txt
HOST   ?= 127.0.0.1:8000
# Material's notice about its end of life is known (see README); keep build output readable.
export NO_MKDOCS_2_WARNING := 1

DOCS_STAMP := $(VENV)/.installed-docs
TEST_STAMP := $(VENV)/.installed-test

.PHONY: serve site test lint check bench peer-test lock system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The site alone: enough to write and preview pages.
$(DOCS_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e .
	touch $@

# The site, the test tools and the ML stack the example projects teach.
$(TEST_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e '.[test,examples]'
	touch $@ $(DOCS_STAMP)

serve: $(DOCS_STAMP)
	$(BIN)/mkdocs serve -a $(HOST) --watch snippets --watch examples --watch overrides --watch src

site: $(DOCS_STAMP)
	$(BIN)/mkdocs build --strict -d site

# Debian's chromium for the browser tests; installed only when missing.
system-deps:
	@bash scripts/install-system-deps.sh

# ruff (style, imports, pyupgrade, docstrings, bugbear) and mypy (the package); test-only tools.
# mypy without its cache: a cache written before a change once hid a finding a fresh clone reports.
lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy --no-incremental

test: $(TEST_STAMP) system-deps lint
	$(BIN)/python -m pytest -n auto

check: $(DOCS_STAMP)
	$(BIN)/workshop check

bench: $(TEST_STAMP)
	$(BIN)/python bench/run.py
	# The entry-point property test with many more generated pages than `make test` gives it.
	WK_PROPERTY_EXAMPLES=500 $(BIN)/python -m pytest -q -n 0 -p no:cacheprovider tests/gates/test_entry_points_property.py

# Python-Markdown's and pymdown-extensions' own suites, as they are and with our extensions
# injected; differences must be listed in tests/peer/allowlist.txt. Fetches their sdists.
peer-test: $(TEST_STAMP)
	$(BIN)/python tests/peer/peer_test.py

# Re-resolve every dependency and write the pins back into constraints.txt.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install -q -e '.[test,examples]'
	{ sed -n '1,2p' constraints.txt; .lock-venv/bin/pip freeze --exclude-editable | grep -v '^-e'; } > constraints.new
	mv constraints.new constraints.txt && rm -rf .lock-venv

clean:
	rm -rf site .pytest_cache build
