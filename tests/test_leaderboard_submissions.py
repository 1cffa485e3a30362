"""Leaderboard submissions: adding them atomically, refusing overwrites and duplicates, and
checking every submission committed to leaderboard/submissions/."""

import json
import sys
from pathlib import Path

import pytest
from leaderboard_support import gold_as_predictions, make_project, only_layer
from plugins_support import EXAMPLES

from claimbench.corpus.store import load_corpus
from claimbench.errors import InputError, UsageError
from claimbench.leaderboard.submissions import (
    add_submission,
    check_submission,
    load_submission,
    load_submissions,
)
from claimbench.leaderboard.verification import not_verifiable_reason
from claimbench.models import Extraction
from claimbench.paths import DEFAULT_CORPUS
from tests.checkout import DEFAULT_LEADERBOARD, PROJECT_ROOT


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path, Path]:
    return make_project(tmp_path)


def test_add_writes_predictions_provenance_and_corpus_hashes(project):
    corpus_dir, gold_dir, board = project
    corpus = load_corpus(corpus_dir)
    provenance = {"plugin": {"name": "rules", "version": "0.3"}, "git": {"commit": "abc"}}
    predictions = only_layer(gold_as_predictions(gold_dir, corpus), "entities")
    path = add_submission(predictions, provenance, board, corpus=corpus)
    saved = load_submission(path)
    assert path.parent == board / "submissions"
    assert (saved.name, saved.version) == ("rules", "0.3")
    assert "badges" not in json.loads(path.read_text())  # derived at build time, never stored
    assert saved.provenance == provenance
    assert saved.corpus.texts == {e.id: e.text_sha256 for e in corpus.manifest.documents}
    saved_layers = {
        r.doc_id: Extraction(entities=r.entities, numbers=r.numbers, attributions=r.attributions)
        for r in saved.predictions
    }
    assert saved_layers == predictions
    assert [layer.value for layer in saved.attempted()] == ["entities"]


def test_stored_predictions_leave_out_defaults_and_survive_reformatting(project):
    """The hash covers the predictions as stored, so a later optional field in the models (at
    its default, left out) or a reformatted file does not make a submission look edited."""
    corpus_dir, gold_dir, board = project
    corpus = load_corpus(corpus_dir)
    path = add_submission(gold_as_predictions(gold_dir, corpus), {}, board, corpus=corpus,
                          name="a", version="1")  # fmt: skip
    data = json.loads(path.read_text())
    assert "null" not in json.dumps(data["predictions"])
    assert "claims" not in data["predictions"][0]
    path.write_text(json.dumps(data, indent=4, sort_keys=True))
    assert load_submission(path).predictions_sha256 == data["predictions_sha256"]


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


def test_add_checks_predictions_against_the_corpus(project, run_cli, tmp_path):
    """At the door (`load_predictions`): `add_submission` trusts what it is given."""
    corpus_dir, _, board = project
    bad = tmp_path / "bad.jsonl"
    for line, problem in (
        ({"doc_id": "000-afp", "entities": [{"start": 0, "end": 99999, "label": "ORG"}]},
         "out of range"),
        ({"doc_id": "nope", "entities": []}, "not in the corpus"),
    ):  # fmt: skip
        bad.write_text(json.dumps(line) + "\n")
        result = run_cli("leaderboard", "add", bad, "--name", "a", "--version", "1",
                         "--leaderboard", board, "--corpus", corpus_dir)  # fmt: skip
        assert result.exit_code == 2 and problem in result.output
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
    with pytest.raises(InputError, match="changed after"):
        load_submissions(board)


def test_a_submission_that_breaks_the_schema_names_file_field_and_value(project):
    corpus_dir, gold_dir, board = project
    corpus = load_corpus(corpus_dir)
    path = add_submission(
        gold_as_predictions(gold_dir, corpus), {}, board, corpus=corpus, name="a", version="1"
    )
    data = json.loads(path.read_text())
    data["predictions"][0]["entities"][0]["label"] = "BOGUS"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError) as caught:
        load_submissions(board)
    (problem,) = caught.value.problems
    assert str(path) in str(problem)
    assert "predictions[0].entities[0].label" in str(problem)
    assert "'BOGUS'" in str(problem)


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
    about = ["--author", "A. Author", "--author", "B. Author", "--code-url",
             "https://example.org/code", "--model-licence", "MIT"]  # fmt: skip
    first = run_cli("leaderboard", "add", predictions, *common, *about)
    assert first.exit_code == 0, first.output
    saved = load_submission(Path(first.output.split()[1]))
    assert saved.metadata.authors == ["A. Author", "B. Author"]
    assert (str(saved.metadata.code_url), saved.metadata.model_licence) == (
        "https://example.org/code", "MIT")  # fmt: skip
    bad_url = run_cli("leaderboard", "add", predictions, *common, "--paper-url", "javascript:x")
    assert bad_url.exit_code == 2
    assert "--paper-url" in bad_url.output and "Traceback" not in bad_url.output
    again = run_cli("leaderboard", "add", predictions, *common)
    assert again.exit_code == 2
    assert "already submitted" in again.output


def test_evaluate_record_runs_the_plugin_and_adds_a_submission(project, run_cli):
    corpus_dir, gold_dir, board = project
    command = f"{sys.executable} {PROJECT_ROOT / 'examples' / 'command_plugin.py'}"
    args = ["evaluate", "--command", command, "--corpus", corpus_dir, "--gold", gold_dir]
    first = run_cli(*args, "--record", "--leaderboard", board, "--format", "json")
    assert first.exit_code == 0, first.output
    (path,) = (board / "submissions").glob("*.json")
    saved = load_submission(path)
    assert (saved.name, saved.version) == ("digits", "0.1.0")
    assert saved.provenance["plugin"]["kind"] == "command"
    assert saved.provenance["failed_documents"] == []
    assert [layer.value for layer in saved.attempted()] == ["numbers"]
    again = run_cli(*args, "--record", "--leaderboard", board)
    assert again.exit_code == 0, again.output
    assert f"already on the leaderboard as {path}; nothing recorded" in again.output
    assert list((board / "submissions").glob("*.json")) == [path]
    built = run_cli("leaderboard", "build", "--leaderboard", board, "--corpus", corpus_dir,
                    "--gold", gold_dir)  # fmt: skip
    assert built.exit_code == 0, built.output
    assert "digits" in (board / "site" / "index.html").read_text()


def test_evaluate_record_of_a_predictions_file_is_not_verifiable(project, run_cli, tmp_path):
    corpus_dir, gold_dir, board = project
    predictions = tmp_path / "mine.jsonl"
    predictions.write_text(json.dumps({"doc_id": "000-afp", "entities": []}) + "\n")
    result = run_cli("evaluate", "--predictions", predictions, "--corpus", corpus_dir,
                     "--gold", gold_dir, "--record", "--leaderboard", board)  # fmt: skip
    assert result.exit_code == 0, result.output
    (path,) = (board / "submissions").glob("*.json")
    reason = not_verifiable_reason(load_submission(path))
    assert reason is not None and "predictions file handed in" in reason


def test_every_committed_submission_is_valid():
    """The check CI runs on a pull request that adds a submission."""
    texts = {document.id: document.text for document in load_corpus(DEFAULT_CORPUS).documents()}
    submissions = load_submissions(DEFAULT_LEADERBOARD)
    problems = [
        problem
        for key, submission in submissions.items()
        for problem in check_submission(
            submission, texts, DEFAULT_LEADERBOARD / "submissions" / f"{key}.json"
        )
    ]
    assert not problems, "\n".join(str(problem) for problem in problems)


def test_entry_metadata_comes_from_the_plugin_unless_given(project, run_cli, monkeypatch):
    corpus_dir, gold_dir, board = project
    monkeypatch.syspath_prepend(str(EXAMPLES / "claimbench-example-plugin" / "src"))
    args = ["evaluate", "claimbench_example.gazetteer:Gazetteer", "--corpus", corpus_dir,
            "--gold", gold_dir, "--resamples", "0", "--record", "--leaderboard", board]  # fmt: skip
    result = run_cli(*args, "--model-licence", "Apache-2.0")
    assert result.exit_code == 0, result.output
    (path,) = (board / "submissions").glob("*.json")
    metadata = load_submission(path).metadata
    assert metadata.authors == ["claimbench example"]  # the plugin's
    assert metadata.description == "A list of known names, matched as whole words."
    assert metadata.model_licence == "Apache-2.0"  # the option replaces the plugin's
