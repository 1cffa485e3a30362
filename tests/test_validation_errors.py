"""Bad input gets a precise message (file, line, document, field, value) and exit code 2."""

import json
from pathlib import Path

import pytest

from claimbench.corpus.store import load_corpus
from claimbench.paths import DEFAULT_CORPUS
from tests.checkout import CLAIMBENCH

CORPUS = load_corpus(DEFAULT_CORPUS)
DOC = CORPUS.document("000-afp")
QUETTA = {"start": 0, "end": 6, "text": "QUETTA", "label": "GPE"}


def write_predictions(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    return path


def assert_rejected(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    for fragment in fragments:
        assert fragment in result.output, (fragment, result.output)
    assert "Traceback" not in result.output


def test_valid_predictions_pass(run_cli, tmp_path):
    path = write_predictions(tmp_path / "p.jsonl", {"doc_id": DOC.id, "entities": [QUETTA]})
    result = run_cli("validate", "predictions", path)
    assert result.exit_code == 0 and "1 documents" in result.output


def test_truncated_json(run_cli, tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"doc_id": "000-afp", "entities": [{"start": 0, "end"\n')
    assert_rejected(run_cli("validate", "predictions", path), "p.jsonl:1", "malformed JSON")


def test_truncated_gold_json(run_cli, tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "entities.json").write_text('{"schema_version": 1, "entities": [')
    assert_rejected(
        run_cli("validate", "--gold", gold, "gold"), "entities.json:1", "malformed JSON"
    )


def test_offset_out_of_range(run_cli, tmp_path):
    far = {"start": 5000, "end": 5006, "label": "GPE"}
    path = write_predictions(tmp_path / "p.jsonl", {"doc_id": DOC.id, "entities": [far]})
    assert_rejected(
        run_cli("validate", "predictions", path),
        "p.jsonl:1",
        "'000-afp'",
        "entities[0].end = 5006",
        f"document has {len(DOC.text)} characters",
    )


def test_offset_out_of_range_in_an_attribution_names_the_role(run_cli, tmp_path):
    far = {"start": 5000, "end": 5006}
    said = {"cue": {"start": 0, "end": 6}, "content": [{"start": 7, "end": 9}, far],
            "quote": "indirect"}  # fmt: skip
    path = write_predictions(tmp_path / "p.jsonl", {"doc_id": DOC.id, "attributions": [said]})
    assert_rejected(
        run_cli("validate", "predictions", path),
        "attributions[0].content[1].end = 5006",
        f"document has {len(DOC.text)} characters",
    )


def test_span_text_mismatch(run_cli, tmp_path):
    wrong = {**QUETTA, "text": "KARACH"}
    path = write_predictions(tmp_path / "p.jsonl", {"doc_id": DOC.id, "entities": [wrong]})
    assert_rejected(
        run_cli("validate", "predictions", path),
        "entities[0].text = 'KARACH'",
        "'QUETTA' at [0, 6)",
    )


def test_unknown_label(run_cli, tmp_path):
    path = write_predictions(
        tmp_path / "p.jsonl", {"doc_id": DOC.id, "entities": [{**QUETTA, "label": "CITY"}]}
    )
    assert_rejected(
        run_cli("validate", "predictions", path), "entities[0].label = 'CITY'", "'PERSON'"
    )


def test_duplicate_id(run_cli, tmp_path):
    entities = [{**QUETTA, "id": "e1"}, {"start": 8, "end": 16, "label": "ORG", "id": "e1"}]
    path = write_predictions(tmp_path / "p.jsonl", {"doc_id": DOC.id, "entities": entities})
    assert_rejected(
        run_cli("validate", "predictions", path),
        "entities[1].id = 'e1'",
        "duplicate id (first used at entities[0].id)",
    )


def test_duplicate_document_and_unknown_document(run_cli, tmp_path):
    path = write_predictions(
        tmp_path / "p.jsonl",
        {"doc_id": DOC.id, "entities": []},
        {"doc_id": DOC.id, "entities": []},
        {"doc_id": "999-nowhere", "entities": []},
    )
    assert_rejected(
        run_cli("validate", "predictions", path),
        "p.jsonl:2",
        "predicted twice (first at line 1)",
        "p.jsonl:3",
        "doc_id = '999-nowhere': document is not in the corpus",
    )


def test_non_utf8(run_cli, tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_bytes(b'{"doc_id": "000-afp", "entities": [{"text": "caf\xe9"}]}\n')
    assert_rejected(run_cli("validate", "predictions", path), "p.jsonl:1", "not valid UTF-8")


def test_byte_order_mark(run_cli, tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"doc_id": DOC.id}).encode() + b"\n")
    assert_rejected(run_cli("validate", "predictions", path), "byte-order mark")


def test_crlf_in_corpus_text(run_cli, corpus_copy):
    text_path = corpus_copy / "texts" / "000-afp.txt"
    text_path.write_bytes(text_path.read_bytes().replace(b"\n", b"\r\n"))
    assert_rejected(
        run_cli("validate", "--corpus", corpus_copy, "corpus"), "000-afp.txt:1", "carriage return"
    )


def test_crlf_json_lines_are_accepted_because_json_allows_them(run_cli, tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_bytes(json.dumps({"doc_id": DOC.id, "entities": [QUETTA]}).encode() + b"\r\n")
    assert run_cli("validate", "predictions", path).exit_code == 0


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_file(run_cli, tmp_path, content):
    path = tmp_path / "p.jsonl"
    path.write_bytes(content)
    assert_rejected(run_cli("validate", "predictions", path), "p.jsonl", "file is empty")


def test_missing_file(run_cli, tmp_path):
    assert_rejected(run_cli("validate", "predictions", tmp_path / "nope.jsonl"), "file not found")


def test_every_problem_is_reported_not_only_the_first(run_cli, tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"doc_id": "000-afp", "entities": [{"start": 0, "end": 6, "label": "CITY"}]}\n'
        "not json\n"
        '{"doc_id": "001-dawn", "numbers": [{"start": 3, "end": 1, "label": "CARDINAL"}]}\n'
    )
    assert_rejected(
        run_cli("validate", "predictions", path),
        "p.jsonl:1",
        "p.jsonl:2",
        "p.jsonl:3",
        "numbers[0]",
        "must be greater than start",
    )


def test_unknown_field_is_an_error_not_silently_dropped(run_cli, tmp_path):
    path = write_predictions(tmp_path / "p.jsonl", {"doc_id": DOC.id, "entites": [QUETTA]})
    assert_rejected(run_cli("validate", "predictions", path), "entites", "Extra inputs")


def test_tampered_corpus_text_is_detected(run_cli, corpus_copy):
    (corpus_copy / "texts" / "002-voa.txt").write_text("Officials in Pakistan say nothing.\n")
    assert_rejected(
        run_cli("validate", "--corpus", corpus_copy, "corpus"),
        "002-voa",
        "differs from the manifest",
    )


def test_gold_errors_name_document_and_field(run_cli, tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "entities.json").write_text(
        json.dumps({"entities": [{"id": "quetta", "name": "Quetta", "label": "GPE"}]})
    )
    for doc_id in CORPUS.doc_ids[:2]:
        text = CORPUS.document(doc_id).text
        quetta_at = text.index("Mastung")
        mention = {"start": quetta_at, "end": quetta_at + 7, "text": "Mastung"}
        (gold / f"{doc_id}.json").write_text(
            json.dumps(
                {
                    "doc_id": doc_id,
                    "text_sha256": CORPUS.entry(doc_id).text_sha256,
                    "entities": [{**mention, "id": "e1", "label": "GPE", "entity": "mastng"}],
                    # A gold number must be normalised: this one has no value.
                    "numbers": [{**mention, "id": "n1", "label": "CARDINAL"}]
                    if doc_id == "001-dawn"
                    else [],
                    "attributions": [],
                }
            )
        )
    result = run_cli("validate", "--gold", gold, "gold")
    assert_rejected(
        result,
        "000-afp.json: document '000-afp': entities[0].entity = 'mastng'",
        "not defined in entities.json",
        "001-dawn.json: document '001-dawn': numbers[0]",
        "needs `value` and `form`",
        "002-voa",
        "no gold for this corpus document",
    )


@pytest.mark.parametrize("command", [["score", "--predictions"], ["validate", "predictions"]])
def test_a_piped_file_is_refused_with_what_to_do_not_called_malformed(command):
    # A JSON Lines input is read more than once: from a pipe, the second read started where
    # the first had stopped, and a valid file was reported as malformed JSON.
    import subprocess

    lines = "".join(
        json.dumps({"doc_id": doc_id, "entities": [], "numbers": []}).ljust(2000) + "\n"
        for doc_id in CORPUS.doc_ids
    )
    result = subprocess.run(
        [CLAIMBENCH, *command, "/dev/stdin"], input=lines.encode(), capture_output=True, check=False
    )
    assert result.returncode == 2, result.stderr
    stderr = result.stderr.decode()
    assert (
        "/dev/stdin: is not a regular file (a pipe or a device), and a JSON Lines input is read "
        "more than once: save it to a file first" in stderr
    ), stderr
    assert "malformed" not in stderr
