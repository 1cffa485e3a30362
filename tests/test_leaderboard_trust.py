"""A leaderboard people can trust: badges derived from the leaderboard's own reproduction
records, tamper-evident submissions, a bad file rejected while the rest builds, and concurrent
adds that leave one submission."""

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from leaderboard_support import (
    gold_as_predictions,
    make_project,
    only_layer,
    plugin_provenance,
    populate,
    rewrite,
)

from claimbench.corpus.store import load_corpus
from claimbench.errors import InputError
from claimbench.leaderboard.build import build_leaderboard
from claimbench.leaderboard.submissions import (
    MAX_PROVENANCE_DEPTH,
    add_submission,
    load_submission,
    submission_hash,
)
from claimbench.leaderboard.verification import Outcome, read_record
from claimbench.reporting.provenance import GitState
from tests.checkout import PROJECT_ROOT

# The command line with the race window widened: each process waits for the others to start
# (a "go" file), and sleeps between finding no duplicate and writing, so that without the lock
# every add would find none and write.
RACING_CLAIMBENCH = """
import pathlib, sys, time
import claimbench.leaderboard.submissions as submissions
go = pathlib.Path(sys.argv.pop(1))
while not go.exists():
    time.sleep(0.01)
write = submissions.write_atomic
def slow_write(*args, **kwargs):
    time.sleep(1.5)
    return write(*args, **kwargs)
submissions.write_atomic = slow_write
from claimbench.cli import main
main()
"""


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path, Path, dict[str, Path]]:
    corpus_dir, gold_dir, board = make_project(tmp_path)
    return corpus_dir, gold_dir, board, populate(corpus_dir, gold_dir, board)


def badges_of(board: Path, stem: str) -> list[str]:
    """The badges shown in the ranking row of submission `stem`."""
    html = (board / "site" / "index.html").read_text()
    row = re.search(rf'<tr [^>]*data-key="{re.escape(stem)}".*?</tr>', html, re.S)
    assert row is not None, stem
    return re.findall(r'<span class="badge badge-[a-z]+">([a-z]+)</span>', row.group(0))


def rejected_reasons(report) -> dict[str, str]:
    return {item.path.name: " ".join(item.reasons) for item in report.rejected}


def test_badges_come_from_verification_records_not_from_the_file(project):
    corpus_dir, gold_dir, board, made = project
    build_leaderboard(board, corpus_dir, gold_dir)
    assert badges_of(board, made["perfect"].stem) == ["verified"]
    assert badges_of(board, made["xss"].stem) == ["baseline", "verified"]
    assert badges_of(board, made["noisy"].stem) == []  # a file handed in: nothing to re-run
    page = (board / "site" / "submissions" / f"{made['noisy'].stem}.html").read_text()
    assert "Not verifiable: it was made from a predictions file handed in" in page


def test_a_forged_badge_is_not_shown(project):
    corpus_dir, gold_dir, board, made = project
    data = json.loads(made["noisy"].read_text())
    data["badges"] = ["baseline", "verified"]
    rewrite(made["noisy"], data)  # both hashes recomputed: only the badge gives it away
    report = build_leaderboard(board, corpus_dir, gold_dir)
    assert "may not carry badges" in rejected_reasons(report)[made["noisy"].name]
    html = (board / "site" / "index.html").read_text()
    assert f'data-key="{made["noisy"].stem}"' not in html
    assert not (board / "site" / "submissions" / f"{made['noisy'].stem}.html").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (("provenance", "git"), {"commit": "f" * 40, "dirty": False}),
        (("provenance", "plugin", "version"), "9.9"),
        (("metadata", "authors"), ["Somebody Else"]),
        (("name",), "A better name"),
    ],
)
def test_an_edited_provenance_or_metadata_field_marks_the_entry_rejected(project, field, value):
    corpus_dir, gold_dir, board, made = project
    data = json.loads(made["xss"].read_text())
    target = data
    for key in field[:-1]:
        target = target[key]
    target[field[-1]] = value
    made["xss"].write_text(json.dumps(data))  # the whole-file hash is not recomputed
    report = build_leaderboard(board, corpus_dir, gold_dir)
    reason = rejected_reasons(report)[made["xss"].name]
    assert "the submission was changed after it was written" in reason
    assert report.entries == 3


def nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


def test_nan_huge_integer_and_deep_submissions_are_rejected_while_the_others_build(
    project, run_cli
):
    corpus_dir, gold_dir, board, made = project
    folder = board / "submissions"
    template = json.loads(made["numbers"].read_text())

    def variant(name: str, edit) -> Path:
        data = json.loads(json.dumps(template))
        edit(data)
        data["predictions_sha256"] = "0" * 64  # replaced below where the JSON allows it
        path = folder / f"{name}.json"
        rewrite(path, data)
        return path

    nan = variant("nan", lambda d: d["provenance"].update(score=float("nan")))
    infinite = variant("infinite", lambda d: d["predictions"][0]["numbers"][0]["value"].update(
        high=float("inf")))  # fmt: skip
    deep = variant(
        "deep", lambda d: d["provenance"].update(layers=nested(MAX_PROVENANCE_DEPTH + 5))
    )
    # Beyond what the JSON reader can parse: written as text, with no valid hash possible.
    text = made["numbers"].read_text()
    for name, value in (("huge-int", "9" * 5000), ("very-deep", "[" * 10**5 + "]" * 10**5)):
        edited = text.replace('"provenance": {', f'"provenance": {{"x": {value}, ', 1)
        (folder / f"{name}.json").write_text(edited)
    bignum = variant("big-int", lambda d: d["provenance"].update(n=2**60))
    report = build_leaderboard(board, corpus_dir, gold_dir)
    reasons = rejected_reasons(report)
    # The JSON reader refuses NaN and Infinity (issue 17); the submission's own limits, what
    # a page cannot show (deep provenance, integers beyond 2**53): each file named, rejected.
    assert "malformed JSON" in reasons[nan.name]
    assert "malformed JSON" in reasons[infinite.name]
    assert f"nested more than {MAX_PROVENANCE_DEPTH} levels deep" in reasons[deep.name]
    assert "provenance.n = 1152921504606846976: an integer beyond" in reasons[bignum.name]
    assert "huge-int.json" in reasons and "very-deep.json" in reasons
    assert report.entries == 4  # every original entry is still built
    index = (board / "site" / "index.html").read_text()
    for name in ("nan.json", "huge-int.json", "very-deep.json", "deep.json"):
        assert name in index
    result = run_cli("leaderboard", "build", "--leaderboard", board, "--corpus", corpus_dir,
                     "--gold", gold_dir)  # fmt: skip
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert str(folder / "very-deep.json") in result.output


def test_an_oversized_file_is_rejected_before_it_is_read(project, monkeypatch):
    corpus_dir, gold_dir, board, made = project
    monkeypatch.setattr("claimbench.leaderboard.submissions.MAX_SUBMISSION_BYTES", 1000)
    report = build_leaderboard(board, corpus_dir, gold_dir)
    assert len(report.rejected) == 4
    assert "bytes, more than the 1,000 allowed" in rejected_reasons(report)[made["noisy"].name]


def test_the_whole_file_hash_survives_reformatting(project):
    _, _, _, made = project
    data = json.loads(made["xss"].read_text())
    made["xss"].write_text(json.dumps(data, indent=7, sort_keys=True, ensure_ascii=True))
    assert load_submission(made["xss"]).sha256 == submission_hash(data)


def test_a_recording_from_a_dirty_tree_is_not_verifiable_and_the_page_says_why(project, run_cli):
    corpus_dir, gold_dir, board, _ = project
    corpus = load_corpus(corpus_dir)
    provenance = plugin_provenance("dirty")
    provenance["git"]["dirty"] = True
    path = add_submission(only_layer(gold_as_predictions(gold_dir, corpus), "numbers", 0.3),
                          provenance, board, corpus=corpus, name="Dirty", version="1")  # fmt: skip
    result = run_cli("leaderboard", "verify", path, "--leaderboard", board, "--corpus", corpus_dir)
    assert result.exit_code == 1
    record = read_record(board, path.stem)
    assert record is not None and record.outcome == Outcome.NOT_VERIFIABLE
    build_leaderboard(board, corpus_dir, gold_dir)
    assert badges_of(board, path.stem) == []
    page = (board / "site" / "submissions" / f"{path.stem}.html").read_text()
    assert "Not verifiable: it was recorded from a claimbench checkout with uncommitted" in page


@pytest.fixture
def rules_recorded(tmp_path: Path, run_cli, monkeypatch) -> tuple[Path, Path, Path, Path]:
    """The shipped `rules` baseline recorded with `evaluate --record` from a clean checkout."""
    corpus_dir, gold_dir, board = make_project(tmp_path)
    clean = GitState(commit="0" * 40, dirty=False)
    monkeypatch.setattr("claimbench.reporting.provenance.git_state", lambda root: clean)
    args = ["evaluate", "rules", "--corpus", corpus_dir, "--gold", gold_dir, "--resamples", "0"]
    result = run_cli(*args, "--record", "--leaderboard", board, "--author", "claimbench")
    assert result.exit_code == 0, result.output
    (path,) = (board / "submissions").glob("*.json")
    return corpus_dir, gold_dir, board, path


def test_verify_on_a_shipped_baseline_writes_a_record_and_the_build_shows_verified(
    rules_recorded, run_cli
):
    corpus_dir, gold_dir, board, path = rules_recorded
    build_leaderboard(board, corpus_dir, gold_dir)
    assert badges_of(board, path.stem) == []  # recorded, not yet verified
    result = run_cli("leaderboard", "verify", path, "--leaderboard", board, "--corpus", corpus_dir)
    assert result.exit_code == 0, result.output
    record = read_record(board, path.stem)
    assert record is not None and record.outcome == Outcome.REPRODUCED
    assert record.plugin is not None and record.plugin.distribution.startswith("claimbench")
    assert record.predictions_sha256 == load_submission(path).predictions_sha256
    build_leaderboard(board, corpus_dir, gold_dir)
    assert badges_of(board, path.stem) == ["baseline", "verified"]
    page = (board / "site" / "submissions" / f"{path.stem}.html").read_text()
    assert "Verified: `claimbench leaderboard verify` re-ran python plugin" in page
    again = run_cli("leaderboard", "verify", "--all", "--leaderboard", board, "--corpus",
                    corpus_dir)  # fmt: skip
    assert again.exit_code == 0
    # Edited after verification (hashes recomputed): the record no longer names this file.
    data = json.loads(path.read_text())
    data["metadata"]["description"] = "edited"
    rewrite(path, data)
    build_leaderboard(board, corpus_dir, gold_dir)
    assert badges_of(board, path.stem) == []


def test_verify_on_predictions_that_do_not_reproduce_does_not_award_verified(
    rules_recorded, run_cli
):
    corpus_dir, gold_dir, board, path = rules_recorded
    data = json.loads(path.read_text())
    data["predictions"][0]["entities"] = data["predictions"][0]["entities"][1:]
    rewrite(path, data)  # claims to be `rules`, but holds other predictions
    result = run_cli("leaderboard", "verify", path, "--leaderboard", board, "--corpus", corpus_dir)
    assert result.exit_code == 1
    assert "produced other predictions here" in result.output
    record = read_record(board, path.stem)
    assert record is not None and record.outcome == Outcome.DIFFERENT
    build_leaderboard(board, corpus_dir, gold_dir)
    assert badges_of(board, path.stem) == []
    page = (board / "site" / "submissions" / f"{path.stem}.html").read_text()
    assert "Verification failed: python plugin &#39;rules&#39;" in page


def test_a_broken_verification_record_rejects_its_entry_with_a_reason(project):
    corpus_dir, gold_dir, board, made = project
    (board / "verifications" / f"{made['perfect'].stem}.json").write_text('{"outcome": 1}')
    report = build_leaderboard(board, corpus_dir, gold_dir)
    assert "verifications" in " ".join(str(p) for r in report.rejected for p in r.problems)


def test_verify_needs_a_submission(project, run_cli):
    _, _, board, _ = project
    result = run_cli("leaderboard", "verify", "--leaderboard", board)
    assert result.exit_code == 2
    assert "name a SUBMISSION file, or pass --all" in result.output


@pytest.mark.parametrize("same_name", [True, False])
def test_concurrent_adds_of_one_prediction_file_leave_one_submission(tmp_path, same_name):
    """Issue 17, finding 10: six simultaneous `leaderboard add` of the same predictions."""
    corpus_dir, gold_dir, board = make_project(tmp_path)
    corpus = load_corpus(corpus_dir)
    predictions = tmp_path / "p.jsonl"
    predictions.write_text("".join(
        json.dumps({"doc_id": doc_id, **extraction.model_dump(mode="json", exclude_none=True)})
        + "\n" for doc_id, extraction in gold_as_predictions(gold_dir, corpus).items()
    ))  # fmt: skip
    common = ["leaderboard", "add", str(predictions), "--leaderboard", str(board),
              "--corpus", str(corpus_dir), "--version", "1"]  # fmt: skip
    go = tmp_path / "go"
    runs = [
        subprocess.Popen([sys.executable, "-c", RACING_CLAIMBENCH, str(go), *common, "--name",
                          "same" if same_name else f"n{number}"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for number in range(6)
    ]  # fmt: skip
    time.sleep(2.0)  # let every process import claimbench and wait at the start line
    go.touch()
    outputs = [(run.wait(timeout=120), run.stdout.read()) for run in runs if run.stdout]
    assert sorted(code for code, _ in outputs) == [0, 2, 2, 2, 2, 2], outputs
    refused = [text for code, text in outputs if code == 2]
    assert all("already submitted" in text or "not overwritten" in text for text in refused), (
        refused
    )
    assert all("Traceback" not in text for _, text in outputs)
    assert len(list((board / "submissions").glob("*.json"))) == 1
    assert not [p for p in (board / "submissions").iterdir() if p.suffix != ".json"]
    report = build_leaderboard(board, corpus_dir, gold_dir, resamples=0)
    assert (report.entries, report.rejected) == (1, [])


def test_records_that_give_different_layers_are_rejected_as_evaluate_rejects_them(project):
    """A submission is scored by the evaluation pipeline, so its documents must give the same
    layers, as in a predictions file (before, the build scored a missing layer as found
    nothing where `evaluate` refused the file)."""
    corpus_dir, gold_dir, board, made = project
    data = json.loads(made["perfect"].read_text())
    del data["predictions"][1]["numbers"]
    rewrite(made["perfect"], data)
    report = build_leaderboard(board, corpus_dir, gold_dir)
    reason = rejected_reasons(report)[made["perfect"].name]
    doc_id = data["predictions"][1]["doc_id"]
    assert f"document {doc_id!r}: layer numbers is missing here but present in" in reason
    assert report.entries == 3


def test_a_submission_with_a_bad_url_is_refused_at_the_door(project):
    _, _, _, made = project
    data = json.loads(made["noisy"].read_text())
    data["metadata"] = {"code_url": "javascript:alert(1)"}
    rewrite(made["noisy"], data)
    with pytest.raises(InputError, match=r"metadata\.code_url"):
        load_submission(made["noisy"])


def test_verify_re_runs_a_command_plugin_from_its_recorded_command(tmp_path, run_cli, monkeypatch):
    corpus_dir, gold_dir, board = make_project(tmp_path)
    clean = GitState(commit="0" * 40, dirty=False)
    monkeypatch.setattr("claimbench.reporting.provenance.git_state", lambda root: clean)
    command = f"{sys.executable} {PROJECT_ROOT / 'examples' / 'command_plugin.py'}"
    result = run_cli("evaluate", "--command", command, "--corpus", corpus_dir, "--gold", gold_dir,
                     "--resamples", "0", "--record", "--leaderboard", board)  # fmt: skip
    assert result.exit_code == 0, result.output
    (path,) = (board / "submissions").glob("*.json")
    verified = run_cli("leaderboard", "verify", path, "--leaderboard", board, "--corpus",
                       corpus_dir)  # fmt: skip
    assert verified.exit_code == 0, verified.output
    record = read_record(board, path.stem)
    assert record is not None and record.outcome == Outcome.REPRODUCED
    assert record.plugin is not None and record.plugin.kind == "command"
    build_leaderboard(board, corpus_dir, gold_dir, resamples=0)
    assert badges_of(board, path.stem) == ["verified"]  # not shipped with claimbench


def test_verify_all_goes_on_past_a_plugin_that_cannot_run_here(rules_recorded, run_cli):
    # The main branch's workflow verifies every submission and then publishes: one plugin
    # that is not installed there must cost its own badge, not the other records and the site.
    corpus_dir, gold_dir, board, rules = rules_recorded
    corpus = load_corpus(corpus_dir)
    gone = add_submission(only_layer(gold_as_predictions(gold_dir, corpus), "numbers", 0.3),
                          plugin_provenance("gone"), board, corpus=corpus, name="Absent",
                          version="1.0")  # fmt: skip
    assert gone.name < rules.name  # verified first
    result = run_cli("leaderboard", "verify", "--all", "--leaderboard", board, "--corpus",
                     corpus_dir)  # fmt: skip
    assert result.exit_code == 1, result.output
    assert (
        f"{gone.name}: not verifiable: python plugin 'm:gone' cannot be run here: plugin "
        "'m:gone': there is no module 'm'"
    ) in result.output
    record = read_record(board, gone.stem)
    assert record is not None and record.outcome == Outcome.NOT_VERIFIABLE
    reproduced = read_record(board, rules.stem)
    assert reproduced is not None and reproduced.outcome == Outcome.REPRODUCED
    build_leaderboard(board, corpus_dir, gold_dir)
    page = (board / "site" / "submissions" / f"{gone.stem}.html").read_text()
    assert "Verification failed: python plugin &#39;m:gone&#39; cannot be run here" in page


def test_verify_all_goes_on_past_a_file_that_is_not_a_submission(rules_recorded, run_cli):
    # As `leaderboard build` passes over a broken file: the others keep their records, the
    # broken file is named, and the command exits 2 (invalid input).
    corpus_dir, _, board, rules = rules_recorded
    broken = board / "submissions" / "aaa-broken.json"  # verified first
    broken.write_text('{"schema_version": 2, "name": ')
    result = run_cli("leaderboard", "verify", "--all", "--leaderboard", board, "--corpus",
                     corpus_dir)  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "aaa-broken.json: not a valid submission: passed over" in result.output
    assert f"{broken}:1: malformed JSON" in result.output
    reproduced = read_record(board, rules.stem)
    assert reproduced is not None and reproduced.outcome == Outcome.REPRODUCED
    assert read_record(board, broken.stem) is None


def test_predictions_added_with_evaluate_results_are_verifiable(tmp_path, run_cli, monkeypatch):
    """A newcomer added `predict` output with the results of `evaluate` on the same plugin:
    `verify` said "its provenance does not list the failed documents" (the results keep them
    apart from the provenance), where the docs said it re-runs the plugin the results name."""
    corpus_dir, gold_dir, board = make_project(tmp_path)
    clean = GitState(commit="0" * 40, dirty=False)
    monkeypatch.setattr("claimbench.reporting.provenance.git_state", lambda root: clean)
    common = ["--corpus", corpus_dir]
    predictions, results = tmp_path / "rules.jsonl", tmp_path / "rules.json"
    assert run_cli("predict", "rules", *common, "--output", predictions).exit_code == 0
    evaluated = run_cli("evaluate", "rules", *common, "--gold", gold_dir, "--resamples", "0",
                        "--output", results)  # fmt: skip
    assert evaluated.exit_code == 0, evaluated.output
    added = run_cli("leaderboard", "add", predictions, "--results", results, "--leaderboard",
                    board, *common)  # fmt: skip
    assert added.exit_code == 0, added.output
    (path,) = (board / "submissions").glob("*.json")
    assert load_submission(path).provenance["failed_documents"] == []
    verified = run_cli("leaderboard", "verify", path, "--leaderboard", board, *common)
    assert verified.exit_code == 0, verified.output
    record = read_record(board, path.stem)
    assert record is not None and record.outcome == Outcome.REPRODUCED


def test_a_plugin_that_cannot_run_here_keeps_the_record_that_reproduced_it(
    tmp_path, run_cli, monkeypatch
):
    """A newcomer verified a command plugin recorded with a relative script path from another
    folder: "different: ... is version unknown here" (nothing had run), and the record that
    had reproduced it was replaced."""
    corpus_dir, gold_dir, board = make_project(tmp_path)
    clean = GitState(commit="0" * 40, dirty=False)
    monkeypatch.setattr("claimbench.reporting.provenance.git_state", lambda root: clean)
    home = tmp_path / "home"
    (home / "plugin").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "examples" / "command_plugin.py", home / "plugin" / "cp.py")
    monkeypatch.chdir(home)
    command = f"{sys.executable} plugin/cp.py"
    result = run_cli("evaluate", "--command", command, "--corpus", corpus_dir, "--gold", gold_dir,
                     "--resamples", "0", "--record", "--leaderboard", board)  # fmt: skip
    assert result.exit_code == 0, result.output
    (path,) = (board / "submissions").glob("*.json")
    verify = ["leaderboard", "verify", path, "--leaderboard", board, "--corpus", corpus_dir]
    assert run_cli(*verify).exit_code == 0
    monkeypatch.chdir(tmp_path)  # plugin/cp.py is not here
    elsewhere = run_cli(*verify)
    assert elsewhere.exit_code == 1
    assert f"{path.name}: not verifiable here: command plugin {command!r} cannot be run here: " in (
        elsewhere.output
    )
    assert "the plugin failed on all 5 documents; the first: document " in elsewhere.output
    assert "the record that reproduced it is kept" in elsewhere.output
    record = read_record(board, path.stem)
    assert record is not None and record.outcome == Outcome.REPRODUCED


def test_a_copy_of_a_verified_entry_does_not_push_it_out(rules_recorded, run_cli):
    """A hostile pass copied the verified `rules` submission to a name that sorts first: the
    copy stayed (without badges) and the original was rejected as its duplicate."""
    corpus_dir, gold_dir, board, path = rules_recorded
    assert run_cli("leaderboard", "verify", path, "--leaderboard", board, "--corpus",
                   corpus_dir).exit_code == 0  # fmt: skip
    copy = path.with_name("0-copy.json")
    copy.write_bytes(path.read_bytes())
    report = build_leaderboard(board, corpus_dir, gold_dir)
    assert [item.path.name for item in report.rejected] == [copy.name]
    assert " ".join(report.rejected[0].reasons).endswith(f"the same predictions as {path.name}")
    assert badges_of(board, path.stem) == ["baseline", "verified"]
