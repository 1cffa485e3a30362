"""spaCy DocBin import: entity spans with their character offsets, value types left out."""

import json
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")
from spacy.tokens import DocBin, Span  # noqa: E402

from claimbench.interop.docbin import load_docs  # noqa: E402


@pytest.fixture
def docbin(tmp_path: Path) -> Path:
    """Two documents written for the test, with OntoNotes entities, saved as a DocBin."""
    nlp = spacy.blank("en")
    first = nlp("Ana Rojas visited Valdivia on Tuesday with 40 volunteers.")
    first.ents = [
        Span(first, 0, 2, "PERSON"),
        Span(first, 3, 4, "GPE"),
        Span(first, 5, 6, "DATE"),
        Span(first, 7, 8, "CARDINAL"),
    ]
    second = nlp("The Red Cross opened a shelter in Osorno.")
    second.ents = [Span(second, 1, 3, "ORG"), Span(second, 7, 8, "GPE")]
    second.user_data["doc_id"] = "osorno-shelter"
    path = tmp_path / "news.spacy"
    DocBin(docs=[first, second], store_user_data=True).to_disk(path)
    return path


def test_import_keeps_entities_and_counts_unnormalised_values(run_cli, docbin, tmp_path):
    out = tmp_path / "out"
    result = run_cli("import", "docbin", docbin, "--out", out)
    assert result.exit_code == 0, result.output
    assert "imported 2 documents (4 entities; not annotated: numbers, attributions)" in (
        result.stderr
    )
    assert "skipped 2 number mentions without a normalised value" in result.stderr
    first = json.loads((out / "gold" / "news-1.json").read_text())
    assert [(e["text"], e["label"]) for e in first["entities"]] == [
        ("Ana Rojas", "PERSON"),
        ("Valdivia", "GPE"),
    ]
    second = json.loads((out / "gold" / "osorno-shelter.json").read_text())
    assert [(e["start"], e["text"]) for e in second["entities"]] == [
        (4, "Red Cross"),
        (34, "Osorno"),
    ]


def test_unknown_label_and_not_a_docbin_exit_2(run_cli, docbin, tmp_path):
    result = run_cli("import", "docbin", docbin, "--out", tmp_path / "a", "--label", "GPE=CITY")
    assert result.exit_code == 2
    assert "label map entry 'GPE=CITY': unknown label" in result.stderr
    junk = tmp_path / "junk.spacy"
    junk.write_bytes(b"not msgpack at all")
    result = run_cli("import", "docbin", junk, "--out", tmp_path / "b")
    assert result.exit_code == 2
    assert f"{junk}: not a spaCy DocBin" in result.stderr


def test_unmapped_custom_label_is_located(docbin, tmp_path, run_cli):
    nlp = spacy.blank("en")
    doc = nlp("Flooding hit Valdivia.")
    doc.ents = [Span(doc, 2, 3, "CITY")]
    path = tmp_path / "custom.spacy"
    DocBin(docs=[doc]).to_disk(path)
    assert len(load_docs(path)) == 1
    result = run_cli("import", "docbin", path, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "document 'custom-1': ents[0].label = 'CITY': unknown entity label" in result.stderr
    mapped = run_cli("import", "docbin", path, "--out", tmp_path / "ok", "--label", "CITY=GPE")
    assert mapped.exit_code == 0, mapped.output


@pytest.fixture
def release(tmp_path: Path) -> Path:
    """A DocBin as pipelines and `spacy convert` leave them: user data beside the doc id
    (an extension attribute's tuple key), no sentence boundaries, an empty document, and
    overlapping spans in a span group beside the entities."""
    nlp = spacy.blank("en")
    visit = nlp("Ana Rojas visited Valdivia. She met the mayor.")
    visit.user_data["doc_id"] = "visit"
    visit.user_data[("._.", "source", None, None)] = "wire"
    visit.ents = [Span(visit, 0, 2, "PERSON"), Span(visit, 3, 4, "GPE")]
    visit.spans["sc"] = [Span(visit, 0, 2, "PERSON"), Span(visit, 1, 2, "SURNAME")]
    empty = nlp("")
    unsplit = nlp("The Red Cross came")
    unsplit.ents = [Span(unsplit, 1, 3, "ORG")]
    path = tmp_path / "release.spacy"
    DocBin(docs=[visit, empty, unsplit], store_user_data=True).to_disk(path)
    return path


def test_an_empty_document_is_counted_not_fatal(run_cli, release, tmp_path):
    out = tmp_path / "out"
    result = run_cli("import", "docbin", release, "--out", out)
    assert result.exit_code == 0, result.output
    assert "imported 2 documents (3 entities;" in result.stderr
    assert "skipped 1 empty documents (no text, nothing annotated)" in result.stderr
    assert sorted(path.name for path in (out / "gold").iterdir()) == [
        "entities.json",
        "release-3.json",
        "visit.json",
    ]
    assert "2 documents without sentence boundaries" in result.stderr


def test_span_groups_are_counted_not_dropped_unsaid(run_cli, release, tmp_path):
    """doc.spans holds overlapping spans (span categorisation); claimbench reads the named
    entities (doc.ents) only, so the spans of each group are counted as left out."""
    out = tmp_path / "out"
    result = run_cli("import", "docbin", release, "--out", out)
    assert result.exit_code == 0, result.output
    assert "skipped 2 spans of span group 'sc' (doc.spans; the entities are doc.ents)" in (
        result.stderr
    )
    visit = json.loads((out / "gold" / "visit.json").read_text())
    assert [(e["text"], e["label"]) for e in visit["entities"]] == [
        ("Ana Rojas", "PERSON"),
        ("Valdivia", "GPE"),
    ]


def test_a_docbin_that_spacy_cannot_decode_is_not_a_docbin(run_cli, tmp_path):
    # Well-formed msgpack with no attributes: spaCy's decoder divides by zero.
    import zlib

    import srsly

    path = tmp_path / "odd.spacy"
    fields = {"attrs": [], "tokens": b"", "spaces": b"", "lengths": b"", "strings": []}
    path.write_bytes(zlib.compress(srsly.msgpack_dumps({**fields, "cats": [], "flags": []})))
    result = run_cli("import", "docbin", path, "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert f"{path}: not a spaCy DocBin: integer division or modulo by zero" in result.stderr
