# The two entry points of README.md. Each sets up what it needs from scratch, so a fresh clone
# needs nothing installed by hand beyond python3 (3.11+).
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test setup docs

setup: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,spacy]'
	touch $(STAMP)

# The main job: build and check the corpus; evaluate the two baselines on it and record them on
# the leaderboard (a rerun finds the same predictions there and records nothing); rebuild the
# leaderboard page from every submission and the current gold, and print where it is.
run: setup
	$(BIN)/claimbench corpus build
	$(BIN)/claimbench validate
	$(BIN)/claimbench corpus stats
	$(BIN)/claimbench evaluate rules --record
	$(BIN)/claimbench evaluate spacy --record
	$(BIN)/claimbench claims --only-contradictions
	$(BIN)/claimbench leaderboard build

# The whole test suite, lint included. The leaderboard's browser tests need Debian's Chromium:
# installed here when missing (as root, with apt-get; a no-op once it is there).
test: setup
	scripts/install-browser.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

# The documentation site (docs/, mkdocs.yml) in site/; strict: any warning is an error. The test
# suite builds it too (tests/test_docs_site.py).
docs: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict
