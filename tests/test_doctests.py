"""The docstring examples of the modules whose own test files do not run them."""

import doctest
from types import ModuleType

import pytest

from claimbench import errors, fileio
from claimbench.corpus import build
from claimbench.evaluation import pipeline, sources
from claimbench.leaderboard import record
from claimbench.models import gold as gold_models
from claimbench.validation import gold as gold_validation
from claimbench.validation import predictions


@pytest.mark.parametrize(
    "module",
    [errors, fileio, build, gold_models, gold_validation, predictions, pipeline, sources, record],
    ids=lambda module: module.__name__,
)
def test_docstring_examples_run(module: ModuleType) -> None:
    assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0, module.__name__
