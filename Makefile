# The two entry points of README.md. Each sets up what it needs from scratch, so a fresh clone
# needs nothing installed by hand beyond python3 (3.11+).
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test setup lint

setup: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,spacy]'
	touch $(STAMP)

# The main job: build and check the corpus, then print its statistics.
run: setup
	$(BIN)/claimbench corpus build
	$(BIN)/claimbench validate
	$(BIN)/claimbench corpus stats

# The whole test suite, lint included. The leaderboard's browser tests need Debian's Chromium:
# installed here when missing (as root, with apt-get; a no-op once it is there).
test: setup
	scripts/install-browser.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest
