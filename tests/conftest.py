"""Shared fixtures: the project's folders, and a runner for the command line."""

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from claimbench.cli import main
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_SEEDS
from tests.checkout import PROJECT_ROOT

SHARED_SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """Invoke `claimbench ARGS...` in-process and return click's result."""
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(main, [str(arg) for arg in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the built corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS, target)
    return target


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the seeds."""
    target = tmp_path / "seeds"
    shutil.copytree(DEFAULT_SEEDS, target)
    return target


def manifest(corpus_dir: Path = DEFAULT_CORPUS) -> dict:
    """The corpus manifest as plain JSON."""
    return json.loads((corpus_dir / "manifest.json").read_text())
