"""The adjudicated gold, handed in as predictions, scores 1.0 on every layer and on claims: a
check of the scorer, the claims resolution and the gold's own consistency at once."""

import json

from claimbench.paths import DEFAULT_GOLD


def _gold_as_predictions() -> list[dict]:
    slots = json.loads((DEFAULT_GOLD / "slots.json").read_text())
    slot_of = {member: slot["id"] for slot in slots["slots"] for member in slot["members"]}
    records = []
    for path in sorted(DEFAULT_GOLD.glob("0*.json")):
        gold = json.loads(path.read_text())
        numbers = {n["id"]: n for n in gold["numbers"]}
        cues = {a["id"]: a["cue"] for a in gold["attributions"]}

        def span(item: dict) -> dict:
            return {"start": item["start"], "end": item["end"]}

        claims = [
            {
                "number": span(numbers[claim["number"]]),
                "cue": None if claim["attribution"] is None else span(cues[claim["attribution"]]),
                "counted": claim["counted"],
                "event": claim["event"],
                "slot": slot_of[f"{gold['doc_id']}:{claim['id']}"],
                **({"within": span(numbers[claim["within"]])} if claim.get("within") else {}),
            }
            for claim in gold["claims"]
        ]
        layers = {layer: gold[layer] for layer in ("entities", "numbers", "attributions")}
        records.append({"doc_id": gold["doc_id"], **layers, "claims": claims})
    return records


def test_the_gold_scores_one_against_itself(run_cli, tmp_path):
    predictions = tmp_path / "gold.jsonl"
    predictions.write_text("".join(json.dumps(r) + "\n" for r in _gold_as_predictions()))
    result = run_cli("score", "--predictions", predictions, "--format", "json", "--resamples", "50")
    assert result.exit_code == 0, result.output
    headline = json.loads(result.output)["headline"]
    assert set(headline.values()) == {1.0}, headline
    assert {"claims.value_f1", "slots.contradiction_f1"} <= set(headline)
    table = run_cli("score", "--predictions", predictions, "--resamples", "0").output
    assert "slots (contradictions)  1.0000" in table


def test_without_the_partitive_bound_the_dawn_contradictions_are_missed(run_cli, tmp_path):
    # GUIDELINES §13.8 C2: Dawn's "at least eight or nine of the [top 10] commanders" contradicts
    # the five counts of commanders killed only once capped at 10 (`within`). A plugin that
    # leaves `within` out finds every other contradiction and predicts none that is wrong.
    records = _gold_as_predictions()
    for record in records:
        for claim in record["claims"]:
            claim.pop("within", None)
    predictions = tmp_path / "no-within.jsonl"
    predictions.write_text("".join(json.dumps(r) + "\n" for r in records))
    result = run_cli("score", "--predictions", predictions, "--format", "json", "--resamples", "0")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)["claims"]["contradictions"]
    assert (found["gold"], found["tp"], found["predicted"]) == (19, 14, 14)
