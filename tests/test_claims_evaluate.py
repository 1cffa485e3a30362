"""The claims figures in `claimbench score` / `evaluate` results, headline and gates.

Predictions are made from the project's gold claims (number spans, cues, counted, event, and
the gold slot id as the plugin's slot key), so every expected figure follows from the gold's
own counts.
"""

import json
from pathlib import Path

import pytest

from claimbench.claims.resolve import resolve_claims
from claimbench.corpus.store import load_corpus
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from claimbench.scoring.claims import HEADLINE_KEYS
from claimbench.validation.gold import GoldSet, load_gold

pytestmark = pytest.mark.skipif(
    not (DEFAULT_GOLD / "slots.json").exists(),
    reason="gold/slots.json is absent: the adjudicated gold claims are not in gold/ yet",
)


@pytest.fixture(scope="module")
def gold() -> GoldSet:
    return load_gold(DEFAULT_GOLD, load_corpus(DEFAULT_CORPUS))


def records(gold: GoldSet, kept: list[str], *, with_claims: bool = True) -> list[dict]:
    """Gold-made predictions for the `kept` documents, nothing found on the others."""
    slot_of = {ref: s.id for s in gold.slots.slots for ref in s.members}
    lines = []
    for doc_id, document in gold.documents.items():
        numbers = [n.model_dump(mode="json") for n in document.numbers]
        claims = [
            {"number": c.number.model_dump(mode="json"),
             "cue": None if c.cue is None else c.cue.model_dump(mode="json"),
             "counted": c.counted.value, "event": c.event.value, "slot": slot_of[c.ref],
             **({} if c.within is None else {"within": c.within.model_dump(mode="json")})}
            for c in resolve_claims(document, {})
        ]  # fmt: skip
        if doc_id not in kept:
            numbers, claims = [], []
        line = {"doc_id": doc_id, "numbers": numbers}
        if with_claims:
            line["claims"] = claims
        lines.append(line)
    return lines


def write(path: Path, lines: list[dict]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_claims_scored_from_gold_made_predictions(run_cli, gold, tmp_path):
    docs = list(gold.documents)
    kept = docs[:3]
    path = write(tmp_path / "half.jsonl", records(gold, kept))
    result = run_cli("score", "--predictions", path, "--format", "json", "--resamples", "0")
    assert result.exit_code == 0, result.output
    results = json.loads(result.stdout)
    claims = results["claims"]
    # Claims: all predicted ones are right; recall is the share of gold claims in kept docs.
    total = sum(len(d.claims) for d in gold.documents.values())
    found = sum(len(gold.documents[d].claims) for d in kept)
    assert (claims["value"]["tp"], claims["value"]["gold"], claims["value"]["predicted"]) == (
        found, total, found
    )  # fmt: skip
    assert claims["source"]["tp"] == found
    # Links: every gold pair within the kept documents is found, the others missed.
    pairs = [p for s in gold.slots.slots for p in s.pairs]
    inside = [p for p in pairs if p.a.split(":")[0] in kept and p.b.split(":")[0] in kept]
    assert (claims["links"]["tp"], claims["links"]["gold"]) == (len(inside), len(pairs))
    assert claims["links"]["precision"] == 1.0
    contradicts = [p for p in pairs if p.relation.value == "contradicts"]
    found_c = [p for p in inside if p.relation.value == "contradicts"]
    assert (claims["contradictions"]["tp"], claims["contradictions"]["gold"]) == (
        len(found_c), len(contradicts)
    )  # fmt: skip
    assert claims["contradictions"]["predicted"] == len(found_c)
    headline = results["headline"]
    recall = found / total
    assert headline["claims.value_f1"] == pytest.approx(2 * recall / (1 + recall))
    assert set(HEADLINE_KEYS) <= set(headline)
    # The overall score stays the mean of the three layers.
    layers = [headline[f"{layer}.f1"] for layer in ("entities", "numbers", "attributions")]
    assert headline["overall"] == pytest.approx(sum(v or 0.0 for v in layers) / 3)


def test_perfect_claims_pass_every_claims_gate(run_cli, gold, tmp_path):
    path = write(tmp_path / "all.jsonl", records(gold, list(gold.documents)))
    gates = [arg for key in HEADLINE_KEYS for arg in ("--fail-under", f"{key}=1.0")]
    result = run_cli("score", "--predictions", path, "--resamples", "50", *gates)
    assert result.exit_code == 0, result.output
    for key in HEADLINE_KEYS:
        assert f"PASS  {key} >= 1" in result.stdout


def test_a_plugin_without_claims_has_no_claims_figures(run_cli, gold, tmp_path):
    path = write(tmp_path / "none.jsonl", records(gold, list(gold.documents), with_claims=False))
    output = tmp_path / "results.json"
    result = run_cli(
        "score", "--predictions", path, "--resamples", "0", "--output", output,
        "--fail-under", "slots.link_f1=0.5",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "slots.link_f1 is N/A (not scored: not attempted, or no gold claims)" in result.stdout
    results = json.loads(output.read_text())
    assert "claims" not in results and not set(HEADLINE_KEYS) & set(results["headline"])


def test_an_unknown_gate_key_lists_the_claims_keys(run_cli, tmp_path):
    result = run_cli("score", "--predictions", tmp_path / "x.jsonl", "--fail-under", "claims=1")
    assert result.exit_code == 2
    assert "claims.value_f1, claims.source_f1, slots.link_f1, slots.contradiction_f1" in (
        result.stderr
    )
