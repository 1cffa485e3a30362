"""`claimbench evaluate PLUGIN` streams the run: each prediction goes to the scorer as its
document finishes, with nothing written to disk. The results (scores, headline, claims, failures,
match log) are exactly those of scoring the run's predictions held in memory, with and without
`--summary`; a run in which every document failed still writes its results before exit code 3;
the temporary folder stays empty."""

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimbench.corpus.store import load_corpus
from claimbench.evaluation.pipeline import (
    gold_extractions,
    score_predictions,
)
from claimbench.evaluation.plugin_runs import plugin_spec
from claimbench.evaluation.sources import Predicted, Started
from claimbench.extractors.plugin import Plugin
from claimbench.leaderboard.submissions import load_submission
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from claimbench.scoring import ScoringSettings
from claimbench.validation.gold import load_gold
from tests.plugins_support import run_plugin
from tests.test_claims_evaluate import records as claims_records

CORPUS = load_corpus(DEFAULT_CORPUS)
DOCS = CORPUS.doc_ids
RESAMPLES = 30
MODULE = "cb_stream_plugins"

PLUGINS = '''
import json
from pathlib import Path

from claimbench.models import Extraction

ANSWERS = json.loads(Path(__file__).with_name("answers.json").read_text())


class Oracle:
    """Answers what answers.json holds for each document; raises where it holds "fail"."""

    name, version, layers = "oracle", "1.0", ["entities", "numbers", "attributions"]

    def extract(self, document):
        answer = ANSWERS[document.id]
        if answer == "fail":
            raise RuntimeError(f"cannot read {document.id}")
        return Extraction.model_validate(answer)


class Fails:
    name, version, layers = "fails", "1.0", ["numbers"]

    def extract(self, document):
        raise RuntimeError(f"cannot read {document.id}")
'''


def _answers() -> dict[str, object]:
    """Every layer (claims too) made from the project's gold, every other item dropped; the
    last document fails and the one before it found nothing."""
    gold = gold_extractions(DEFAULT_GOLD, CORPUS).hold().held
    claims = {
        line["doc_id"]: line["claims"]
        for line in claims_records(load_gold(DEFAULT_GOLD, CORPUS), list(DOCS[:3]))
    }
    answers: dict[str, object] = {}
    for doc_id in DOCS[:-2]:
        layers = gold[doc_id].model_dump(mode="json", exclude={"claims"})
        kept = {layer: items[::2] for layer, items in layers.items()}
        for attribution in kept["attributions"]:
            attribution["parent"] = None
        answers[doc_id] = {**kept, "claims": claims[doc_id]}
    answers[DOCS[-2]] = {"entities": [], "numbers": [], "attributions": []}
    answers[DOCS[-1]] = "fail"
    return answers


@pytest.fixture(scope="module")
def plugins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The test plugins' module, importable for the whole module; its name."""
    folder = tmp_path_factory.mktemp("plugins")
    (folder / f"{MODULE}.py").write_text(PLUGINS)
    (folder / "answers.json").write_text(json.dumps(_answers()))
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(folder))
        yield MODULE
    sys.modules.pop(MODULE, None)


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The command's temporary folder, which must stay empty."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _is_clean(folder: Path) -> bool:
    return not any(folder.iterdir())


def _open(target: str) -> Plugin:
    spec = plugin_spec(target, None, timeout=60, memory_mb=0, cpu_seconds=0, env_options=())
    return spec.open()


def _in_memory(target: str, settings: ScoringSettings, match_log: Path) -> dict:
    """The results of the run's predictions held in memory (a `Run` of the same plugin), as JSON."""
    run = run_plugin(_open(target), CORPUS.documents())
    evaluation = score_predictions(
        Predicted(run.info, run.predictions, Started.now(), run.failures),
        gold_extractions(DEFAULT_GOLD, CORPUS),
        settings=settings,
        match_log=match_log,
    )
    return evaluation.results.model_dump(mode="json")


COMPARED = ("headline", "scores", "documents", "failures", "claims")


@pytest.mark.parametrize("summary", [True, False])
def test_streamed_results_equal_the_in_memory_path(run_cli, plugins, scratch, tmp_path, summary):
    target = f"{plugins}:Oracle"
    log = tmp_path / "streamed.jsonl"
    args = ["--format", "json", "--resamples", RESAMPLES, "--match-log", log]
    result = run_cli("evaluate", target, *args, *(["--summary"] if summary else []))
    assert result.exit_code == 0, result.output
    streamed = json.loads(result.stdout)
    expected_log = tmp_path / "in-memory.jsonl"
    settings = ScoringSettings(resamples=RESAMPLES, detail=not summary)
    expected = _in_memory(target, settings, expected_log)
    assert {key: streamed.get(key) for key in COMPARED} == {
        key: expected.get(key) for key in COMPARED
    }
    assert streamed["provenance"]["plugin"] == expected["provenance"]["plugin"]
    assert log.read_bytes() == expected_log.read_bytes()
    # Every layer, claims included, was scored, and the failure recorded.
    assert streamed["claims"] is not None
    assert all(streamed["headline"][f"{layer}.f1"] for layer in ("entities", "numbers"))
    assert [(f["doc_id"], f["cause"]) for f in streamed["failures"]] == [(DOCS[-1], "exception")]
    assert "cannot read" in result.stderr
    assert _is_clean(scratch)


def test_every_document_failed_writes_results_then_exits_3(run_cli, plugins, scratch, tmp_path):
    output = tmp_path / "results.json"
    result = run_cli("evaluate", f"{plugins}:Fails", "--summary", "--output", output,
                     "--resamples", RESAMPLES)  # fmt: skip
    assert result.exit_code == 3
    assert f"the plugin failed on all {len(DOCS)} documents" in result.output
    results = json.loads(output.read_text())
    assert [(f["doc_id"], f["cause"]) for f in results["failures"]] == [
        (doc_id, "exception") for doc_id in DOCS
    ]
    assert results["headline"]["numbers.f1"] == 0.0
    assert _is_clean(scratch)


def test_fail_fast_stops_and_leaves_nothing_behind(run_cli, plugins, scratch):
    result = run_cli("evaluate", f"{plugins}:Oracle", "--summary", "--fail-fast")
    assert result.exit_code == 3
    assert f"--fail-fast: document {DOCS[-1]!r}" in result.output
    assert _is_clean(scratch)


def test_record_with_summary_records_the_run_predictions(run_cli, plugins, scratch, tmp_path):
    board = tmp_path / "leaderboard"
    result = run_cli("evaluate", f"{plugins}:Oracle", "--summary", "--resamples", "0",
                     "--record", "--leaderboard", board)  # fmt: skip
    assert result.exit_code == 0, result.output
    (path,) = (board / "submissions").glob("*.json")
    saved = load_submission(path)
    run = run_plugin(_open(f"{plugins}:Oracle"), CORPUS.documents())
    assert [record.model_dump(mode="json") for record in saved.predictions] == [
        run.predictions[doc_id].model_dump(mode="json") for doc_id in sorted(DOCS[:-1])
    ]
    assert saved.provenance["failed_documents"] == [DOCS[-1]]
    assert _is_clean(scratch)
