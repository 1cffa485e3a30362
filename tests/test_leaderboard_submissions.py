"""Leaderboard submissions: adding them atomically, refusing overwrites and duplicates, and
checking every submission committed to leaderboard/submissions/."""

import json
from pathlib import Path

import pytest
from leaderboard_support import gold_as_predictions, make_project, only_layer

from claimbench.corpus.store import load_corpus
from claimbench.errors import InputError, UsageError
from claimbench.leaderboard.submissions import (
    Badge,
    add_submission,
    check_submission,
    load_submission,
    load_submissions,
)
from claimbench.models import Extraction, PredictedEntity
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_LEADERBOARD


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path, Path]:
    return make_project(tmp_path)


def test_add_writes_predictions_provenance_and_corpus_hashes(project):
    corpus_dir, gold_dir, board = project
    corpus = load_corpus(corpus_dir)
    provenance = {"plugin": {"name": "rules", "version": "0.3"}, "git": {"commit": "abc"}}
    predictions = only_layer(gold_as_predictions(gold_dir, corpus), "entities")
    path = add_submission(predictions, provenance, board, corpus=corpus, badges=[Badge.BASELINE])
    saved = load_submission(path)
    assert path.parent == board / "submissions"
    assert (saved.name, saved.version) == ("rules", "0.3")
    assert saved.badges == [Badge.BASELINE]
    assert saved.provenance == provenance
    assert saved.corpus.texts == {e.id: e.text_sha256 for e in corpus.manifest.documents}
    assert saved.extractions() == predictions
    assert [layer.value for layer in saved.attempted()] == ["entities"]


def test_add_refuses_the_same_predictions_twice_even_under_another_name(project):
    corpus_dir, gold_dir, board = project
    corpus = load_corpus(corpus_dir)
    predictions = gold_as_predictions(gold_dir, corpus)
    add_submission(predictions, {}, board, corpus=corpus, name="a", version="1")
    with pytest.raises(InputError, match="already submitted"):
        add_submission(predictions, {}, board, corpus=corpus, name="b", version="2")
    assert len(list((board / "submissions").glob("*.json"))) == 1


def test_add_never_overwrites_an_existing_file(project, monkeypatch):
    corpus_dir, gold_dir, board = project
    corpus = load_corpus(corpus_dir)
    predictions = gold_as_predictions(gold_dir, corpus)
    path = add_submission(predictions, {}, board, corpus=corpus, name="a", version="1")
    original = path.read_bytes()
    monkeypatch.setattr(
        "claimbench.leaderboard.submissions._refuse_duplicate", lambda folder, digest: None
    )
    with pytest.raises(InputError, match="not overwritten"):
        add_submission(predictions, {}, board, corpus=corpus, name="a", version="1")
    assert path.read_bytes() == original


def test_add_checks_predictions_against_the_corpus(project):
    corpus_dir, _, board = project
    corpus = load_corpus(corpus_dir)
    bad = {"000-afp": Extraction(entities=[PredictedEntity(start=0, end=99999, label="ORG")])}
    with pytest.raises(InputError, match="out of range"):
        add_submission(bad, {}, board, corpus=corpus, name="a", version="1")
    with pytest.raises(InputError, match="not in the corpus"):
        add_submission({"nope": Extraction()}, {}, board, corpus=corpus, name="a", version="1")
    assert not list((board / "submissions").glob("*"))


def test_add_needs_a_name(project):
    corpus_dir, _, board = project
    with pytest.raises(UsageError, match="--name"):
        add_submission({}, {}, board, corpus=load_corpus(corpus_dir), version="1")


def test_a_submission_edited_after_the_fact_is_rejected(project):
    corpus_dir, gold_dir, board = project
    corpus = load_corpus(corpus_dir)
    path = add_submission(
        gold_as_predictions(gold_dir, corpus), {}, board, corpus=corpus, name="a", version="1"
    )
    data = json.loads(path.read_text())
    data["predictions"][0]["entities"] = []
    path.write_text(json.dumps(data))
    with pytest.raises(InputError, match="changed after submission"):
        load_submissions(board)


def test_cli_add_from_a_predictions_file(project, run_cli, tmp_path):
    corpus_dir, gold_dir, board = project
    corpus = load_corpus(corpus_dir)
    lines = [
        json.dumps({"doc_id": doc_id, **extraction.model_dump(mode="json")})
        for doc_id, extraction in gold_as_predictions(gold_dir, corpus).items()
    ]
    predictions = tmp_path / "p.jsonl"
    predictions.write_text("\n".join(lines) + "\n")
    common = ["--leaderboard", board, "--corpus", corpus_dir, "--name", "cli", "--version", "1"]
    first = run_cli("leaderboard", "add", predictions, *common, "--baseline")
    assert first.exit_code == 0, first.output
    saved = load_submission(Path(first.output.split()[1]))
    assert saved.badges == [Badge.BASELINE]
    again = run_cli("leaderboard", "add", predictions, *common)
    assert again.exit_code == 2
    assert "already submitted" in again.output


def test_every_committed_submission_is_valid():
    """The check CI runs on a pull request that adds a submission."""
    corpus = load_corpus(DEFAULT_CORPUS)
    submissions = load_submissions(DEFAULT_LEADERBOARD)
    problems = [
        problem
        for key, submission in submissions.items()
        for problem in check_submission(
            submission, corpus, DEFAULT_LEADERBOARD / "submissions" / f"{key}.json"
        )
    ]
    assert not problems, "\n".join(str(problem) for problem in problems)
