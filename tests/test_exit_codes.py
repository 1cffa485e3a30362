"""Every exit code of `claimbench evaluate` and `claimbench score` (DESIGN §7), end to end with
the real scorer: 0 ok, 1 a gate failed, 2 bad usage or invalid input, 3 the plugin failed.

Each case also checks the message, so that a code is never right for the wrong reason. `score`
runs no plugin, so it has no exit code 3: bad predictions files are invalid input (2).
"""

import json
import sys
from pathlib import Path

import pytest

from claimbench.corpus.store import load_corpus
from claimbench.paths import DEFAULT_CORPUS
from tests.plugins_support import EXAMPLES, faulty_plugin, write_gold

DOCS = load_corpus(DEFAULT_CORPUS).doc_ids
EXAMPLE_COMMAND = f"{sys.executable} {EXAMPLES / 'command_plugin.py'}"


def _mkdir(folder: Path) -> Path:
    folder.mkdir()
    return folder


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Fixture gold, predictions files, a baseline and broken inputs, by placeholder name."""
    folder = tmp_path_factory.mktemp("exit-codes")
    gold = write_gold(folder / "gold")
    perfect = [{"doc_id": doc, **layers} for doc, layers in gold.items()]
    worse = [{**record, "numbers": []} for record in perfect]

    def jsonl(name: str, records: list[dict]) -> Path:
        path = folder / name
        path.write_text("".join(json.dumps(record) + "\n" for record in records))
        return path

    invalid = perfect[0] | {"numbers": [{"start": 0, "end": 10**6, "label": "CARDINAL"}]}
    return {
        "gold": str(folder / "gold"),
        "perfect": str(jsonl("perfect.jsonl", perfect)),
        "worse": str(jsonl("worse.jsonl", worse)),
        "invalid": str(jsonl("invalid.jsonl", [invalid])),
        "corpus_jsonl": str(jsonl("corpus.jsonl", [{"id": "x", "text": "X.\n"}])),
        "not_results": str(jsonl("not-results.json", [{"schema_version": 99}])),
        "baseline": str(folder / "baseline.json"),
        "crashes": faulty_plugin(_mkdir(folder / "all"), dict.fromkeys(DOCS, "crash")),
        "first_crashes": faulty_plugin(_mkdir(folder / "first"), {DOCS[0]: "crash"}),
        "example": EXAMPLE_COMMAND,
    }


@pytest.fixture(scope="module")
def baseline(world: dict[str, str]) -> str:
    """Results of the perfect predictions, as a `--baseline` file."""
    from click.testing import CliRunner

    from claimbench.cli import main

    args = ["score", "--predictions", world["perfect"], "--gold", world["gold"]]
    args += ["--resamples", "0", "--output", world["baseline"]]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return world["baseline"]


GOLD = ["--gold", "{gold}", "--resamples", "0"]

EVALUATE_CASES = [
    # 0: ok
    (["--command", "{example}"], 0, "digits 0.1.0 (command)"),
    (["--predictions", "{perfect}", "--fail-under", "overall=1"], 0, "PASS  overall >= 1"),
    (["--command", "{first_crashes}"], 0, f"warning: document {DOCS[0]!r}: crash"),
    # 1: a gate failed
    (["--command", "{example}", "--fail-under", "overall=0.5"], 1, "gate failed: overall >= 0.5"),
    (
        ["--predictions", "{worse}", "--baseline", "{baseline}", "--max-drop", "0.02"],
        1,
        "gate failed: numbers.f1 drop <= 0.02",
    ),
    # 2: bad usage or invalid input
    (["--command", "{example}", "--fail-under", "speed=1"], 2, "valid keys: overall, entities.f1"),
    (["--command", "{example}", "--fail-under", "overall"], 2, "expected KEY=VALUE"),
    (["--command", "{example}", "--fail-under", "overall=2"], 2, "2 is outside [0, 1]"),
    (["--command", "{example}", "--max-drop", "0.1"], 2, "--max-drop needs --baseline"),
    (
        ["--command", "{example}", "--baseline", "{not_results}"],
        2,
        "not-results.json: schema_version = 99",
    ),
    (["--command", "{example}", "--report", "pdf=x.pdf"], 2, "expected FORMAT=FILE"),
    (["--command", "{example}", "--format", "pdf"], 2, "Invalid value for '--format'"),
    (["--predictions", "{invalid}"], 2, "numbers[0].end = 1000000: offset out of range"),
    (["rules", "--predictions", "{perfect}"], 2, "--predictions replaces PLUGIN and --command"),
    ([], 2, "name one plugin"),
    (
        ["--command", "{example}", "--corpus", "{corpus_jsonl}"],
        2,
        "checked against a corpus folder",
    ),
    (["--command", "{example}", "--env", "G={gold}/x"], 2, "points into the gold folder"),
    (["--command", "{example}", "--jobs", "2", "--dask", "tcp://h:1"], 2, "not both"),
    (["no-such-plugin"], 2, "no plugin named 'no-such-plugin'"),
    (["--command", "'unclosed"], 2, '--command "\'unclosed": No closing quotation'),
    (["--command", " "], 2, "--command ' ': no program to run"),
    # 3: the plugin failed
    (["--command", "/no/such/program"], 3, "cannot start command '/no/such/program'"),
    (["--command", "{crashes}"], 3, "the plugin failed on all 5 documents"),
    (["--command", "{first_crashes}", "--fail-fast"], 3, f"--fail-fast: document {DOCS[0]!r}"),
]

SCORE_CASES = [
    (["--predictions", "{perfect}"], 0, "entities      1.0000     1.0000  1.0000"),
    (["--predictions", "{perfect}", "--fail-under", "numbers.recall=1"], 0, "PASS"),
    (["--predictions", "{worse}", "--fail-under", "numbers.f1=0.1"], 1, "numbers.f1 = 0.0000"),
    (
        ["--predictions", "{worse}", "--baseline", "{baseline}", "--max-drop", "0.02"],
        1,
        "gate failed: overall drop <= 0.02",
    ),
    (["--predictions", "{perfect}", "--fail-under", "numbers.f2=1"], 2, "unknown key 'numbers.f2'"),
    (["--predictions", "{invalid}"], 2, "document '000-afp': numbers[0].end = 1000000"),
    (["--predictions", "{gold}/no-such.jsonl"], 2, "no-such.jsonl: file not found"),
    ([], 2, "Missing option '--predictions'"),
]


def _fill(args: list[str], world: dict[str, str]) -> list[str]:
    return [arg.format(**world) for arg in args]


@pytest.mark.parametrize(("args", "code", "message"), EVALUATE_CASES)
def test_evaluate_exit_codes(run_cli, world, baseline, args, code, message):
    result = run_cli("evaluate", *_fill(args + GOLD, world))
    assert result.exit_code == code, result.output
    assert message in result.output


@pytest.mark.parametrize(("args", "code", "message"), SCORE_CASES)
def test_score_exit_codes(run_cli, world, baseline, args, code, message):
    result = run_cli("score", *_fill(args + GOLD, world))
    assert result.exit_code == code, result.output
    assert message in result.output


def test_every_exit_code_is_covered():
    codes = {code for _, code, _ in EVALUATE_CASES}
    assert codes == {0, 1, 2, 3}
    assert {code for _, code, _ in SCORE_CASES} == {0, 1, 2}


def test_results_are_written_before_exit_3_when_every_document_failed(run_cli, world, tmp_path):
    output = tmp_path / "results.json"
    result = run_cli(
        "evaluate", "--command", world["crashes"], "--output", output, *_fill(GOLD, world)
    )
    assert result.exit_code == 3
    failures = json.loads(output.read_text())["failures"]
    assert [(f["doc_id"], f["cause"]) for f in failures] == [(doc, "crash") for doc in DOCS]
