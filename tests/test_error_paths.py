"""Error paths of the command line that had no test: each exits 2 with a message naming the
option or file and the value (DESIGN §7), never a traceback.

`--label-map` (a file that is not an object, an unknown built-in name, bad `PRED=GOLD`
entries), `compare --label-map` on results files, `evaluate --record` with a JSON Lines corpus,
and a schema-1 submission file in the leaderboard folder (`leaderboard build` and `add`).
"""

import json
import shutil
import sys
from pathlib import Path

import pytest

from claimbench.errors import UsageError
from claimbench.scoring.label_map import parse_label_map
from tests.checkout import PROJECT_ROOT
from tests.plugins_support import EXAMPLES, write_gold, write_jsonl

RULES_SUBMISSION = PROJECT_ROOT / "leaderboard" / "submissions" / "rules-1-2-0-cba5f6cf.json"


@pytest.fixture
def scored(tmp_path: Path) -> dict[str, Path]:
    """Fixture gold and a predictions file that matches it."""
    gold = write_gold(tmp_path / "gold")
    perfect = [{"doc_id": doc, **layers} for doc, layers in gold.items()]
    return {"gold": tmp_path / "gold", "perfect": write_jsonl(tmp_path / "perfect.jsonl", perfect)}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2]", "expected a JSON object of PRED: GOLD"),
        ('"LOC=GPE"', "expected a JSON object of PRED: GOLD"),
        ('{"LOC": 3}', "LOC = 3: expected a label (a string), or null to leave it out"),
        ('{"LOC": "DATE"}', "LOC=DATE: an entity label maps onto an entity label"),
        ('{"PLACE": "GPE"}', "PLACE=GPE: unknown label 'PLACE'"),
    ],
)
def test_a_label_map_file_that_is_not_an_object_of_labels(
    run_cli, scored, tmp_path, content, message
):
    mapping = tmp_path / "map.json"
    mapping.write_text(content, encoding="utf-8")
    result = run_cli(
        "score", "--predictions", scored["perfect"], "--gold", scored["gold"],
        "--label-map", mapping,
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert f"error: --label-map {mapping}" in result.output
    assert message in result.output


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("ontonotes-to-ace", "--label-map 'ontonotes-to-ace': expected PRED=GOLD, a mapping file "
         "or a name (ontonotes-to-conll)"),
        ("PLACE=GPE", "--label-map PLACE=GPE: unknown label 'PLACE'"),
        ("=GPE", "--label-map =GPE: unknown label ''"),
        ("LOC=PLACE", "--label-map LOC=PLACE: an entity label maps onto an entity label "
         "('PLACE' is not a label)"),
        ("PERSON=CARDINAL", "--label-map PERSON=CARDINAL: an entity label maps onto an entity "
         "label"),
        ("CARDINAL=GPE", "--label-map CARDINAL=GPE: a number label maps onto a number label"),
    ],
)  # fmt: skip
def test_an_unknown_label_map_name_or_a_bad_entry(run_cli, scored, entry, message):
    with pytest.raises(UsageError) as caught:
        parse_label_map([entry])
    assert str(caught.value) == message
    result = run_cli(
        "score", "--predictions", scored["perfect"], "--gold", scored["gold"], "--label-map", entry
    )
    assert result.exit_code == 2, result.output
    assert f"error: {message}" in result.output


def test_compare_label_map_applies_to_predictions_files_only(run_cli, scored, tmp_path):
    results = []
    for name in ("first", "second"):
        path = tmp_path / f"{name}.json"
        result = run_cli(
            "score", "--predictions", scored["perfect"], "--gold", scored["gold"],
            "--resamples", "0", "--output", path,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        results.append(path)
    plain = run_cli("compare", *results, "--gold", scored["gold"], "--resamples", "10")
    assert plain.exit_code == 0, plain.output
    result = run_cli(
        "compare", *results, "--gold", scored["gold"], "--resamples", "10", "--label-map", "LOC=GPE"
    )
    assert result.exit_code == 2, result.output
    assert f"--label-map applies to predictions files (.jsonl), not {results[0]}" in result.output


def test_record_with_a_json_lines_corpus_names_the_option_and_file(run_cli, tmp_path):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", [{"id": "x", "text": "X.\n"}])
    gold = write_jsonl(tmp_path / "gold.jsonl", [{"doc_id": "x", "entities": [], "numbers": []}])
    board = tmp_path / "board"
    result = run_cli(
        "evaluate", "--command", f"{sys.executable} {EXAMPLES / 'command_plugin.py'}",
        "--corpus", corpus, "--gold", gold, "--record", "--leaderboard", board,
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert (
        "error: --record needs a corpus folder (a submission records its manifest), not the "
        f"JSON Lines file --corpus {corpus}"
    ) in result.output
    assert not board.exists()


def test_a_schema_1_submission_is_refused_with_what_to_do(run_cli, tmp_path):
    submissions = tmp_path / "board" / "submissions"
    submissions.mkdir(parents=True)
    stored = json.loads(RULES_SUBMISSION.read_text(encoding="utf-8"))
    old = submissions / "rules-old.json"
    old.write_text(json.dumps({**stored, "schema_version": 1}, indent=2), encoding="utf-8")
    build = ("leaderboard", "build", "--leaderboard", tmp_path / "board", "--resamples", "0")
    result = run_cli(*build, "--test-resamples", "1")
    assert result.exit_code == 2, result.output
    assert (
        f"{old}: schema_version = 1: written by an earlier claimbench (schema 1, whose hash "
        "covers only the predictions): move it out of the submissions folder"
    ) in result.output
    # While it is there, its predictions count as submitted: `add` refuses them, naming it.
    predictions = write_jsonl(tmp_path / "rules.jsonl", stored["predictions"])
    add = ("leaderboard", "add", predictions, "--leaderboard", tmp_path / "board")
    result = run_cli(*add, "--name", "rules", "--version", "1.2.0")
    assert result.exit_code == 2, result.output
    assert f"{old}: these predictions are already submitted; nothing written" in result.output
    # Moved out, as the message says, the same predictions are recorded again and build.
    old.rename(tmp_path / "rules-old.json")
    assert run_cli(*add, "--name", "rules", "--version", "1.2.0").exit_code == 0
    result = run_cli(*build, "--test-resamples", "1")
    assert result.exit_code == 0, result.output
    assert [path.name for path in submissions.glob("*.json")] == ["rules-1-2-0-cba5f6cf.json"]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
@pytest.mark.parametrize(
    ("command", "option"),
    [("score", "--min-overlap"), ("evaluate", "--timeout"), ("compare", "--alpha")],
)
def test_a_float_option_must_be_a_finite_number(run_cli, scored, tmp_path, command, option, value):
    # nan compares false with every bound, so click's range let it through: --min-overlap nan
    # scored every span as missed (exit 0), --alpha nan gave the verdict "p >= nan", and
    # --timeout nan or inf ended in a traceback.
    given = {
        "score": ["--predictions", scored["perfect"]],
        "evaluate": ["--command", f"{sys.executable} {EXAMPLES / 'command_plugin.py'}"],
        "compare": [scored["perfect"], scored["perfect"]],
    }[command]
    result = run_cli(command, *given, "--gold", scored["gold"], option, value)
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}': {value!r} is not a finite number" in result.output


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--timeout", "1e300", "--timeout 1e+300: Input should be less than or equal to"),
        ("--memory-mb", "99999999999999999999", "--memory-mb 99999999999999999999: Input "
         "should be less than or equal to"),
        ("--cpu-seconds", "99999999999999999999", "--cpu-seconds 99999999999999999999: Input "
         "should be less than or equal to"),
    ],
)  # fmt: skip
def test_a_plugin_limit_beyond_what_the_system_takes_is_a_usage_error(
    run_cli, scored, option, value, message
):
    # A traceback before: poll() overflowed on the timeout, setrlimit() in the plugin's
    # preexec_fn on the memory and CPU limits.
    command = f"{sys.executable} {EXAMPLES / 'command_plugin.py'}"
    result = run_cli("evaluate", "--command", command, "--gold", scored["gold"], option, value)
    assert result.exit_code == 2, result.output
    assert f"error: {message}" in result.output


@pytest.mark.parametrize("command", ["score", "compare", "leaderboard build"])
def test_a_negative_seed_is_a_usage_error(run_cli, scored, tmp_path, command):
    # numpy refuses a negative seed: it ended in a traceback.
    given = {
        "score": ["--predictions", scored["perfect"], "--gold", scored["gold"]],
        "compare": [scored["perfect"], scored["perfect"], "--gold", scored["gold"]],
        "leaderboard build": ["--leaderboard", tmp_path / "board", "--gold", scored["gold"]],
    }[command]
    result = run_cli(*command.split(), *given, "--seed", "-1")
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--seed': -1 is not in the range x>=0" in result.output


def test_bad_metadata_options_are_named_by_option(run_cli, scored, tmp_path):
    """`leaderboard add` (and `evaluate --record`) name the option given, not the field of the
    submission it fills (`command-line options: code_url = ...` before)."""
    board = tmp_path / "board"
    result = run_cli(
        "leaderboard", "add", scored["perfect"], "--leaderboard", board,
        "--code-url", "notaurl", "--author", "A. Author", "--author", "x" * 201,
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "command-line options: --code-url = 'notaurl': Input should be a valid URL" in (
        result.output
    )
    assert "command-line options: --author #2 = 'xxx" in result.output
    assert not (board / "submissions").exists()


@pytest.mark.parametrize(
    "text_path", ["../../etc/passwd", "/etc/passwd", "texts/../../x.txt", "texts\\000-afp.txt"]
)
def test_a_corpus_manifest_cannot_name_a_file_outside_its_folder(
    run_cli, tmp_path, monkeypatch, text_path
):
    corpus = tmp_path / "corpus"
    shutil.copytree(PROJECT_ROOT / "corpus", corpus)
    manifest = json.loads((corpus / "manifest.json").read_text())
    manifest["documents"][0]["text_path"] = text_path
    (corpus / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setenv("CLAIMBENCH_CORPUS", str(corpus))
    result = run_cli("validate", "corpus")
    assert result.exit_code == 2, result.output
    assert (
        f"manifest.json: documents[0].text_path = {text_path!r}: must be a relative path "
        "inside the folder"
    ) in result.output
