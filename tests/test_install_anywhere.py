"""claimbench installed from its wheel (not editable) with the example plugin, run from an empty
folder outside the checkout with no --corpus or --gold: it finds the dataset inside the
package, gives exactly the checkout's scores and hashes, and never writes into the package."""

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from claimbench.corpus.store import load_corpus
from claimbench.reporting.provenance import data_provenance
from tests.checkout import PROJECT_ROOT
from tests.install_support import (
    EXAMPLE_PACKAGE,
    Environment,
    build_wheel,
    install,
    make_environment,
)


def guide_commands() -> list[list[str]]:
    """The commands of the "Installed from anywhere" block of docs/how-to/install.md, comments
    dropped."""
    guide = (PROJECT_ROOT / "docs" / "how-to" / "install.md").read_text()
    block = re.search(r"## Installed from anywhere\n\n```\n(.*?)```", guide, re.DOTALL)
    assert block is not None
    return [shlex.split(line, comments=True) for line in block.group(1).splitlines()]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Environment:
    """A fresh environment with claimbench's wheel and the example plugin, both installed
    from copies (nothing is built inside the checkout)."""
    work = tmp_path_factory.mktemp("install")
    wheel = build_wheel(work)
    environment = make_environment(work)
    example = shutil.copytree(EXAMPLE_PACKAGE, work / "example-plugin")
    install(environment, wheel, example)
    return environment


@pytest.fixture
def anywhere(tmp_path: Path) -> Path:
    """An empty folder outside the checkout."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    assert not folder.resolve().is_relative_to(PROJECT_ROOT)
    return folder


def claimbench(
    environment: Environment, cwd: Path, *args: str, expect: int = 0
) -> subprocess.CompletedProcess:
    """Run the installed `claimbench ARGS` in `cwd`, checking its exit code."""
    done = subprocess.run(
        [str(environment.bin / "claimbench"), *args],
        cwd=cwd,
        env=environment.variables(cwd),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == expect, f"{args}: {done.stdout}\n{done.stderr}"
    return done


def test_the_wheel_carries_the_dataset_and_runs_from_anywhere(installed, anywhere, run_cli):
    listed = claimbench(installed, anywhere, "plugins", "list").stdout
    assert "ok      gazetteer 0.1.0  layers: entities" in listed
    for baseline in ("rules", "spacy"):
        assert f"n/a     {baseline}  (" in listed
    assert "unavailable: needs the optional extra [spacy]" in listed
    assert "pip install 'claimbench[spacy]'" in listed

    checked = claimbench(installed, anywhere, "plugins", "check", "gazetteer").stdout
    assert "PASS  determinism" in checked

    claimbench(
        installed,
        anywhere,
        "evaluate",
        "gazetteer",
        "--fail-under",
        "entities.precision=0.5",
        "--report",
        "markdown=summary.md",
        "--report",
        "junit=junit.xml",
        "--output",
        "r.json",
    )
    summary = (anywhere / "summary.md").read_text()
    assert "| ✅ | entities.precision \\>= 0.5 |" in summary
    assert "- gold claimbench-mastung-gold" in summary
    assert "<testsuite" in (anywhere / "junit.xml").read_text()
    results = json.loads((anywhere / "r.json").read_text())
    claimbench(installed, anywhere, "predict", "gazetteer", "-o", "p.jsonl")

    # The checkout scores the same predictions identically, on identical data.
    here = run_cli(
        "score", "--predictions", anywhere / "p.jsonl", "--output", anywhere / "checkout.json"
    )
    assert here.exit_code == 0, here.output
    checkout = json.loads((anywhere / "checkout.json").read_text())
    assert results["headline"] == checkout["headline"]
    assert results["scores"] == checkout["scores"]
    data = data_provenance(load_corpus(PROJECT_ROOT / "corpus"), PROJECT_ROOT / "gold")
    assert results["provenance"]["data"] == data.model_dump(mode="json")
    assert results["provenance"]["git"] == {"commit": None, "dirty": None}

    compared = claimbench(installed, anywhere, "compare", "r.json", "p.jsonl").stdout
    assert "overall" in compared
    claims = claimbench(installed, anywhere, "claims").stdout
    assert claims == run_cli("claims", "--gold", PROJECT_ROOT / "gold").stdout

    info = json.loads(claimbench(installed, anywhere, "info", "--json").stdout)
    assert Path(info["claimbench"]["package"]).is_relative_to(installed.root)
    assert info["corpus"]["origin"] == "package"
    assert info["corpus"]["sha256"] == data.corpus_sha256
    assert info["gold"]["version"] == data.gold_version
    assert info["leaderboard"]["path"] is None
    assert info["claimbench"]["git"] == {"commit": None, "dirty": None}


def test_writing_commands_need_an_explicit_folder_outside_a_checkout(installed, anywhere):
    before = installed.files()
    refused = claimbench(installed, anywhere, "evaluate", "gazetteer", "--record", expect=2)
    assert "give --leaderboard DIR (or set CLAIMBENCH_LEADERBOARD)" in refused.stderr
    refused = claimbench(installed, anywhere, "corpus", "build", expect=2)
    assert "inside the installed claimbench package" in refused.stderr
    assert "give --corpus DIR" in refused.stderr
    claimbench(installed, anywhere, "leaderboard", "build", expect=2)
    assert installed.files() == before
    assert list(anywhere.iterdir()) == []

    # The guide's commands: with a leaderboard folder given, recording works from an
    # installed copy (the pip line is what `installed` did, from a wheel of this checkout).
    pip, *commands = guide_commands()
    assert pip[:3] == ["pip", "install", "claimbench @ git+https://github.com/OWNER/claimbench@REF"]
    outputs = [claimbench(installed, anywhere, *command[1:]) for command in commands]
    assert "why: the dataset inside the installed claimbench package" in outputs[0].stdout
    assert "entities" in outputs[1].stdout
    board = anywhere / "board"
    assert "`claimbench leaderboard build --leaderboard board` shows the page" in (
        outputs[2].stderr
    )
    (submission,) = (board / "submissions").glob("*.json")
    provenance = json.loads(submission.read_text())["provenance"]
    assert provenance["claimbench_version"] and provenance["data"]["gold_version"]
    built = claimbench(
        installed,
        anywhere,
        "leaderboard",
        "build",
        "--leaderboard",
        "board",
        "--resamples",
        "0",
        "--test-resamples",
        "1",
    )
    assert "1 entries" in built.stdout
    claimbench(installed, anywhere, "evaluate", "gazetteer", "--output", "r.json")
    claimbench(installed, anywhere, "predict", "gazetteer", "-o", "p.jsonl")
    added = claimbench(
        installed,
        anywhere,
        "leaderboard",
        "add",
        "p.jsonl",
        "--results",
        "r.json",
        "--leaderboard",
        "b2",
    )
    assert "added b2/submissions/gazetteer-0-1-0-" in added.stdout
    assert installed.files() == before
