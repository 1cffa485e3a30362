"""One rule for where the data are (claimbench.paths): option, environment variable, the
enclosing checkout, the installed package; and writing never goes into the package."""

import json
from pathlib import Path

import pytest

from claimbench.cli import leaderboard_cmd
from claimbench.errors import UsageError
from claimbench.paths import (
    DEFAULT_CORPUS,
    PACKAGE_DATASET,
    DataKind,
    Origin,
    find_checkout,
    locate,
    writable_folder,
)
from tests.checkout import PROJECT_ROOT


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A folder that is a claimbench checkout by its pyproject.toml, with a nested folder."""
    root = tmp_path / "mine"
    (root / "deep" / "er").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "claimbench"\n')
    return root


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current directory: an empty folder in no checkout, no CLAIMBENCH_* variables."""
    for kind in DataKind:
        monkeypatch.delenv(kind.variable, raising=False)
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_the_rule_takes_the_option_then_the_variable_then_the_checkout_then_the_package(
    checkout, tmp_path
):
    inside = checkout / "deep" / "er"
    environ = {"CLAIMBENCH_GOLD": "/data/gold"}
    given = locate(DataKind.GOLD, Path("g"), environ=environ, cwd=inside)
    assert (given.path, given.origin) == (Path("g"), Origin.OPTION)
    variable = locate(DataKind.GOLD, environ=environ, cwd=inside)
    assert (variable.path, variable.origin) == (Path("/data/gold"), Origin.ENVIRONMENT)
    found = locate(DataKind.GOLD, environ={}, cwd=inside)
    assert (found.path, found.origin) == (checkout / "gold", Origin.CHECKOUT)
    shipped = locate(DataKind.GOLD, environ={}, cwd=tmp_path)
    assert (shipped.path, shipped.origin) == (PACKAGE_DATASET / "gold", Origin.PACKAGE)
    assert locate(DataKind.LEADERBOARD, environ={}, cwd=tmp_path).path is None


def test_only_a_claimbench_pyproject_marks_a_checkout(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "my-extractor"\n')
    assert find_checkout(tmp_path) is None
    (tmp_path / "pyproject.toml").write_text("not [ toml")
    assert find_checkout(tmp_path) is None
    assert find_checkout(PROJECT_ROOT / "harness" / "claimbench") == PROJECT_ROOT


def test_the_package_dataset_is_the_checkouts_own(tmp_path):
    for kind in ("corpus", "gold", "seeds"):
        assert (PACKAGE_DATASET / kind).resolve() == (PROJECT_ROOT / kind).resolve()
    with pytest.raises(UsageError, match="inside the installed claimbench package"):
        writable_folder(DataKind.CORPUS, DEFAULT_CORPUS)
    assert writable_folder(DataKind.CORPUS, tmp_path) == tmp_path
    assert writable_folder(DataKind.CORPUS, PROJECT_ROOT / "corpus") == PROJECT_ROOT / "corpus"


def test_info_says_where_each_folder_comes_from_and_why(run_cli, elsewhere, monkeypatch):
    monkeypatch.setenv("CLAIMBENCH_GOLD", str(PROJECT_ROOT / "gold"))
    result = run_cli("info", "--json", "--leaderboard", elsewhere / "board")
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["corpus"]["origin"] == "package"
    assert info["corpus"]["reason"] == (
        "the dataset inside the installed claimbench package (read-only)"
    )
    assert info["gold"]["origin"] == "environment"
    assert info["gold"]["path"] == str(PROJECT_ROOT / "gold")
    assert info["gold"]["name"] == "claimbench-mastung-gold"
    assert info["leaderboard"]["origin"] == "option"
    assert info["leaderboard"]["submissions"] == 0
    table = run_cli("info").stdout
    assert "why: the CLAIMBENCH_GOLD environment variable" in table
    assert "leaderboard  (none)" in table


def test_info_in_the_checkout_names_it_and_its_commit(run_cli, monkeypatch):
    monkeypatch.chdir(PROJECT_ROOT / "docs")
    for kind in DataKind:
        monkeypatch.delenv(kind.variable, raising=False)
    info = json.loads(run_cli("info", "--json").stdout)
    assert info["leaderboard"]["path"] == str(PROJECT_ROOT / "leaderboard")
    assert info["leaderboard"]["origin"] == "checkout"
    assert info["claimbench"]["checkout"] == str(PROJECT_ROOT)


def test_writing_commands_refuse_the_package_outside_a_checkout(run_cli, elsewhere):
    for args, option in [
        (["corpus", "build"], "--corpus"),
        (["leaderboard", "build"], "--leaderboard"),
        (["leaderboard", "add", "p.jsonl"], "--leaderboard"),
        (["schemas"], "--dir"),
    ]:
        result = run_cli(*args)
        assert result.exit_code == 2, (args, result.output)
        assert f"give {option} DIR" in result.output
    # Checking writes nothing, so the package's own data may be checked.
    assert run_cli("corpus", "build", "--check").exit_code == 0
    assert run_cli("schemas", "--check").exit_code == 0
    assert list(elsewhere.iterdir()) == []


def test_a_leaderboard_outside_a_checkout_is_built_with_its_own_page_hint(run_cli, elsewhere):
    assert "commit it and open a pull request" in leaderboard_cmd.next_step(PROJECT_ROOT)
    assert "--leaderboard" in leaderboard_cmd.next_step(elsewhere)
