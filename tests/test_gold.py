"""The adjudicated gold: valid, internally consistent, and its agreement report reproducible."""

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from claimbench.models import GoldDocument
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from tests.checkout import PROJECT_ROOT

MANIFEST = json.loads((DEFAULT_CORPUS / "manifest.json").read_text(encoding="utf-8"))
DOC_IDS = [entry["id"] for entry in MANIFEST["documents"]]
TEMPORAL = {"DATE", "TIME"}
AGREEMENT_SCRIPT = PROJECT_ROOT / "scripts" / "agreement.py"
AGREEMENT_REPORT = DEFAULT_GOLD / "AGREEMENT.md"
GOLD_1_0 = DEFAULT_GOLD / "history" / "1.0.0"
"""Gold 1.0.0 as adjudicated from the passes (gold/CHANGELOG.md lists every change since)."""
TABLE_BLOCK = re.compile(
    r"<!-- agreement-table:start -->\n(.*?)<!-- agreement-table:end -->", re.DOTALL
)
CLAIMS_BLOCK = re.compile(
    r"<!-- claims-agreement-table:start -->\n(.*?)<!-- claims-agreement-table:end -->", re.DOTALL
)


def gold(doc_id: str, version_dir: Path = DEFAULT_GOLD) -> dict[str, Any]:
    """`gold/<doc_id>.json` as plain JSON (from `version_dir`: a frozen version's folder)."""
    return json.loads((version_dir / f"{doc_id}.json").read_text(encoding="utf-8"))


def text(doc_id: str) -> str:
    """The canonical text of a document."""
    return (DEFAULT_CORPUS / "texts" / f"{doc_id}.txt").read_text(encoding="utf-8")


def catalog() -> dict[str, dict[str, Any]]:
    """`gold/entities.json` records by id."""
    records = json.loads((DEFAULT_GOLD / "entities.json").read_text(encoding="utf-8"))
    return {record["id"]: record for record in records["entities"]}


def spans(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every span of a gold document: mentions, numbers, and each attribution role."""
    found = [*doc["entities"], *doc["numbers"]]
    for attribution in doc["attributions"]:
        found.append(attribution["cue"])
        if attribution["source"] is not None:
            found.append(attribution["source"])
        found.extend(attribution["content"])
    return found


def test_claimbench_validate_passes(run_cli: Callable[..., Result]) -> None:
    result = run_cli("validate")
    assert result.exit_code == 0, result.output
    assert "gold ok: 5 documents" in result.output


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_document_is_the_gold_model_of_the_current_text(doc_id: str) -> None:
    doc = GoldDocument.model_validate(gold(doc_id))
    entry = next(e for e in MANIFEST["documents"] if e["id"] == doc_id)
    assert doc.doc_id == doc_id
    assert doc.schema_version == 1
    assert doc.text_sha256 == entry["text_sha256"]


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_span_text_is_the_document_slice(doc_id: str) -> None:
    doc, canonical = gold(doc_id), text(doc_id)
    for span in spans(doc):
        assert 0 <= span["start"] < span["end"] <= len(canonical)
        assert canonical[span["start"] : span["end"]] == span["text"], span


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_no_span_starts_or_ends_inside_a_word(doc_id: str) -> None:
    # The slip adjudicated as D1: "he" found inside "the".
    canonical = text(doc_id)
    for span in spans(gold(doc_id)):
        start, end = span["start"], span["end"]
        assert not (start > 0 and canonical[start - 1].isalnum() and canonical[start].isalnum())
        assert not (
            end < len(canonical) and canonical[end].isalnum() and canonical[end - 1].isalnum()
        )


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_entity_id_is_in_the_catalogue(doc_id: str) -> None:
    known = catalog()
    doc = gold(doc_id)
    for mention in doc["entities"]:
        assert mention["entity"] in known, mention
        assert known[mention["entity"]]["label"] == mention["label"], mention
    for attribution in doc["attributions"]:
        speaker = attribution["source_entity"]
        assert speaker is None or speaker in known, attribution["id"]


def test_catalogue_names_and_aliases_are_the_surface_forms() -> None:
    forms: dict[str, set[str]] = {}
    speakers: set[str] = set()
    for doc_id in DOC_IDS:
        doc = gold(doc_id)
        for mention in doc["entities"]:
            forms.setdefault(mention["entity"], set()).add(mention["text"])
        speakers.update(a["source_entity"] for a in doc["attributions"] if a["source_entity"])
    records = catalog()
    assert list(records) == sorted(records)
    for entity_id, surface in forms.items():
        record = records[entity_id]
        assert {record["name"], *record["aliases"]} == surface, entity_id
        assert record["aliases"] == sorted(surface - {record["name"]}), entity_id
    unnamed = set(records) - set(forms)
    assert unnamed == speakers - set(forms), "every record is used"
    assert all(records[s]["label"] is None and records[s]["note"] for s in unnamed)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_number_is_normalised(doc_id: str) -> None:
    for number in gold(doc_id)["numbers"]:
        if number["label"] in TEMPORAL:
            assert number["timex"] is not None and number["timex"]["value"], number
            assert number["value"] is None and number["form"] is None, number
        else:
            value = number["value"]
            assert value is not None and number["form"] is not None, number
            assert value["low"] is not None or value["high"] is not None, number
            assert number["timex"] is None, number


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_attributions_lie_inside_their_document_and_parents_exist(doc_id: str) -> None:
    doc, length = gold(doc_id), len(text(doc_id))
    ids = [a["id"] for a in doc["attributions"]]
    assert len(ids) == len(set(ids))
    for attribution in doc["attributions"]:
        roles = [attribution["cue"], *attribution["content"]]
        if attribution["source"] is not None:
            roles.append(attribution["source"])
        assert all(0 <= s["start"] < s["end"] <= length for s in roles), attribution["id"]
        parent = attribution["parent"]
        if parent is not None:
            assert parent in ids and parent != attribution["id"], attribution["id"]
            outer = next(a for a in doc["attributions"] if a["id"] == parent)
            cue = attribution["cue"]
            assert any(
                c["start"] <= cue["start"] and cue["end"] <= c["end"] for c in outer["content"]
            ), f"{attribution['id']}: cue not inside the content of {parent}"


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_item_ids_follow_text_order(doc_id: str) -> None:
    doc = gold(doc_id)
    for layer, prefix in (("entities", "e"), ("numbers", "n")):
        items = doc[layer]
        assert [i["id"] for i in items] == [f"{prefix}{k}" for k in range(1, len(items) + 1)]
        assert [(i["start"], i["end"]) for i in items] == sorted(
            (i["start"], i["end"]) for i in items
        )
    attributions = doc["attributions"]
    assert [a["id"] for a in attributions] == [f"a{k}" for k in range(1, len(attributions) + 1)]
    cues = [a["cue"]["start"] for a in attributions]
    assert cues == sorted(cues)


def test_agreement_script_reproduces_the_recorded_figures() -> None:
    printed = subprocess.run(
        [sys.executable, str(AGREEMENT_SCRIPT)],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
    ).stdout
    report = AGREEMENT_REPORT.read_text(encoding="utf-8")
    recorded = TABLE_BLOCK.search(report)
    assert recorded is not None, "AGREEMENT.md has no agreement-table block"
    claims = CLAIMS_BLOCK.search(report)
    assert claims is not None, "AGREEMENT.md has no claims-agreement-table block"
    assert printed == recorded.group(1) + "\n" + claims.group(1)


def test_corpus_stats_counts_the_gold_layers(run_cli: Callable[..., Result]) -> None:
    result = run_cli("corpus", "stats", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)["gold"]
    for layer in ("entities", "numbers", "attributions"):
        total = sum(len(gold(doc_id)[layer]) for doc_id in DOC_IDS)
        assert total > 0
        assert figures[layer]["total"] == total
    assert figures["canonical_entities"] == len(catalog())
    table = run_cli("corpus", "stats").output
    assert re.search(r"^\s+attributions\s+\d+", table, re.MULTILINE)


def _pass_layer(annotator: str, layer: str) -> dict[str, list[dict[str, Any]]]:
    path = DEFAULT_GOLD / "passes" / annotator / f"{layer}.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {record["doc_id"]: record[layer] for record in records}


def _differences(layer: str, annotator: str, notes: bool = False) -> list[tuple[str, str, str]]:
    """(document, item id, field) of every field where gold 1.0.0 differs from a pass (free-text
    notes compared only when asked)."""
    found = []
    passes = _pass_layer(annotator, layer)
    for doc_id in DOC_IDS:
        ours, theirs = gold(doc_id, GOLD_1_0)[layer], passes[doc_id]
        assert [item["id"] for item in ours] == [item["id"] for item in theirs], (doc_id, layer)
        for mine, other in zip(ours, theirs, strict=True):
            found += [
                (doc_id, mine["id"], key)
                for key in sorted(set(mine) | set(other))
                if (notes or key != "note") and mine.get(key) != other.get(key)
            ]
    return found


def test_gold_1_0_differs_from_the_passes_only_as_agreement_report_says() -> None:
    # AGREEMENT.md: gold v1 equals pass b except 003 a23's source, and pass a except the 15
    # source spans; the claims are pass a's (and pass b's, which agree); slots.json is pass a's.
    # Gold 1.1 differs from 1.0 as gold/CHANGELOG.md lists (tests/test_gold_changelog.py).
    for layer in ("entities", "numbers", "claims"):
        assert _differences(layer, "a") == _differences(layer, "b") == [], layer
    assert _differences("claims", "a", notes=True) == []
    assert _differences("attributions", "b") == [("003-pakistan-forward", "a23", "source")]
    from_a = _differences("attributions", "a")
    assert len(from_a) == 15 and {key for _, _, key in from_a} == {"source"}
    slots = json.loads((GOLD_1_0 / "slots.json").read_text(encoding="utf-8"))
    assert slots == json.loads((DEFAULT_GOLD / "passes" / "a" / "slots.json").read_text())


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_content_spans_never_hold_half_a_quotation(doc_id: str) -> None:
    # GUIDELINES §7.4 (D16): the trim keeps a quotation mark whose partner is inside the span.
    for attribution in gold(doc_id)["attributions"]:
        for span in attribution["content"]:
            content = span["text"]
            balanced = content.count("“") == content.count("”") and content.count('"') % 2 == 0
            assert balanced, (doc_id, attribution["id"], content)
