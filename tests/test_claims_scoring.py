"""Hand-worked claims scoring: every expected count is derived by hand in the comment above it.

Two documents. In each, line 1 says how many militants died and line 2 how many soldiers were
hurt, each carried by an attribution whose cue is "said":

    a: "Army said 12 died.\\nTroops said 5 hurt.\\n"     "12" [10, 12)   "5" [31, 32)
    b: "Police said 10 died.\\nMedics said 5 hurt.\\n"   "10" [12, 14)   "5" [33, 34)

Gold claims: a:c1 "12" and b:c1 "10" (militants killed), a:c2 "5" and b:c2 "5" (security
personnel injured). Gold slots: killed {a:c1, b:c1}, pair contradicts (12 vs 10); injured
{a:c2, b:c2}, pair equal. So there are 4 gold claims, 2 gold links and 1 gold contradiction.
"""

import random
from pathlib import Path

import pytest

from claimbench.errors import InputError, Where
from claimbench.models import Extraction, GoldDocument, SlotsFile
from claimbench.scoring.claims import ClaimScores, score_claims
from claimbench.validation.gold import claim_problems, slot_problems
from claimbench.validation.predictions import check_prediction

TEXTS = {
    "a": "Army said 12 died.\nTroops said 5 hurt.\n",
    "b": "Police said 10 died.\nMedics said 5 hurt.\n",
}
NUMBERS = {"a": ("12", "5"), "b": ("10", "5")}
EVENTS = (("militants", "killed"), ("security_personnel", "injured"))


def span(doc: str, text: str, after: int = 0) -> dict:
    """`text`'s first occurrence in document `doc` at or after `after`."""
    start = TEXTS[doc].index(text, after)
    return {"start": start, "end": start + len(text), "text": text}


def line_start(doc: str, line: int) -> int:
    return 0 if line == 0 else TEXTS[doc].index("\n") + 1


def gold_document(doc: str) -> GoldDocument:
    numbers, attributions, claims = [], [], []
    for line, value in enumerate(NUMBERS[doc]):
        after = line_start(doc, line)
        number = span(doc, value, after)
        numbers.append(
            {"id": f"n{line + 1}", "label": "CARDINAL", **number,
             "value": {"low": int(value), "high": int(value)}, "form": "exact"}
        )  # fmt: skip
        content = {"start": number["start"], "end": TEXTS[doc].index(".", after)}
        content["text"] = TEXTS[doc][content["start"] : content["end"]]
        attributions.append(
            {"id": f"a{line + 1}", "cue": span(doc, "said", after), "source": None,
             "source_entity": None, "content": [content], "quote": "indirect", "parent": None}
        )  # fmt: skip
        counted, event = EVENTS[line]
        claims.append(
            {"id": f"c{line + 1}", "number": f"n{line + 1}", "attribution": f"a{line + 1}",
             "counted": counted, "event": event}
        )  # fmt: skip
    return GoldDocument.model_validate(
        {"doc_id": doc, "text_sha256": "0" * 64, "entities": [], "numbers": numbers,
         "attributions": attributions, "claims": claims}
    )  # fmt: skip


GOLD = {doc: gold_document(doc) for doc in TEXTS}
SLOTS = SlotsFile.model_validate(
    {"slots": [
        {"id": "raid-militants-killed", "episode": "raid", "counted": "militants",
         "event": "killed", "question": "How many militants were killed?",
         "members": ["a:c1", "b:c1"],
         "pairs": [{"a": "a:c1", "b": "b:c1", "relation": "contradicts"}]},
        {"id": "raid-security_personnel-injured", "episode": "raid",
         "counted": "security_personnel", "event": "injured",
         "question": "How many security personnel were injured?",
         "members": ["a:c2", "b:c2"],
         "pairs": [{"a": "a:c2", "b": "b:c2", "relation": "equal"}]},
    ]}
)  # fmt: skip


def claim(doc: str, line: int, **change: object) -> dict:
    """The correct predicted claim of `doc`'s line, slot key "killed"/"injured", with changes."""
    after = line_start(doc, line)
    counted, event = EVENTS[line]
    found = {
        "number": span(doc, NUMBERS[doc][line], after),
        "cue": span(doc, "said", after),
        "counted": counted,
        "event": event,
        "slot": event,
    }
    return found | change


def number(doc: str, line: int, value: int | None = None) -> dict:
    """The plugin's number mention on `doc`'s line, with its gold value unless `value`."""
    text = NUMBERS[doc][line]
    value = int(text) if value is None else value
    return {
        "label": "CARDINAL",
        **span(doc, text, line_start(doc, line)),
        "value": {"low": value, "high": value},
        "form": "exact",
    }


def perfect(doc: str) -> dict:
    return {"numbers": [number(doc, 0), number(doc, 1)], "claims": [claim(doc, 0), claim(doc, 1)]}


def run(predictions: dict[str, dict], resamples: int = 0, **gold: object) -> ClaimScores:
    extractions = {doc: Extraction.model_validate(p) for doc, p in predictions.items()}
    return score_claims(
        gold.get("docs", GOLD), gold.get("slots", SLOTS), extractions, TEXTS, resamples=resamples
    )


def counts(figures) -> tuple:
    return (figures.tp, figures.gold, figures.predicted)


def test_perfect_predictions():
    s = run({doc: perfect(doc) for doc in TEXTS})
    # 4 of 4 claims by value and by source; links: a:c1-b:c1 and a:c2-b:c2, 2 of 2;
    # contradictions: the plugin's 12 vs 10 contradicts (1 predicted), 5 vs 5 is equal.
    assert counts(s.value) == (4, 4, 4) and s.value.f1.value == 1.0
    assert counts(s.source) == (4, 4, 4)
    assert counts(s.links) == (2, 2, 2)
    assert counts(s.contradictions) == (1, 1, 1)
    assert set(s.headline_metrics().values()) == {1.0}


def test_a_duplicate_is_a_false_positive():
    predictions = {doc: perfect(doc) for doc in TEXTS}
    predictions["a"]["claims"].append(claim("a", 0))
    s = run(predictions)
    # Value: 4 matches, 5 predicted: P 4/5, R 1, F1 8/9.
    assert counts(s.value) == (4, 4, 5) and s.value.f1.value == pytest.approx(8 / 9)
    # Links: slot "killed" holds a:c1, a:dup, b:c1 -> cross-document pairs a:c1-b:c1 and
    # a:dup-b:c1; "injured" one pair: 3 predicted, 2 correct (the duplicate is unaligned).
    assert counts(s.links) == (2, 2, 3) and s.links.f1.value == pytest.approx(0.8)
    # Both "killed" pairs are 12 vs 10, contradicts: 2 predicted, 1 correct: F1 2/3.
    assert counts(s.contradictions) == (1, 1, 2)
    assert s.contradictions.f1.value == pytest.approx(2 / 3)


def test_empty_gold_and_empty_predictions():
    empty_gold = {doc: g.model_copy(update={"claims": []}) for doc, g in GOLD.items()}
    nothing = {doc: {"numbers": [], "claims": []} for doc in TEXTS}
    # Nothing to find and nothing claimed: every figure is 1.0 (the zero-division rule).
    s = run(nothing, docs=empty_gold, slots=SlotsFile(slots=[]))
    assert set(s.headline_metrics().values()) == {1.0}
    # Gold but no predictions: P 0 (not undefined), R 0, F1 0 everywhere.
    s = run(nothing)
    assert counts(s.value) == (0, 4, 0) and (s.value.precision, s.value.recall) == (0.0, 0.0)
    assert counts(s.links) == (0, 2, 0) and counts(s.contradictions) == (0, 1, 0)
    assert set(s.headline_metrics().values()) == {0.0}
    # Predictions but no gold: all false positives.
    s = run({doc: perfect(doc) for doc in TEXTS}, docs=empty_gold, slots=SlotsFile(slots=[]))
    assert counts(s.value) == (0, 0, 4) and counts(s.links) == (0, 0, 2)
    assert counts(s.contradictions) == (0, 0, 1) and s.contradictions.f1.value == 0.0


def test_a_contradiction_is_found_only_when_the_values_contradict():
    predictions = {doc: perfect(doc) for doc in TEXTS}
    # The plugin reads b's "10" as 12: b:c1 loses its value match (3 of 4)...
    predictions["b"]["numbers"][0] = number("b", 0, value=12)
    s = run(predictions)
    assert counts(s.value) == (3, 4, 4)
    # ... the link is still right (same slot key) ...
    assert counts(s.links) == (2, 2, 2)
    # ... but by its own values 12 vs 12 is equal: no contradiction predicted, the gold one
    # missed: P 0 (nothing predicted, something to find), R 0.
    assert counts(s.contradictions) == (0, 1, 0) and s.contradictions.f1.value == 0.0


def test_a_missed_link():
    predictions = {doc: perfect(doc) for doc in TEXTS}
    predictions["b"]["claims"][1]["slot"] = "something else"
    s = run(predictions)
    # Only a:c1-b:c1 is predicted, and it is right: P 1/1, R 1/2, F1 2/3.
    assert counts(s.links) == (1, 2, 1) and s.links.f1.value == pytest.approx(2 / 3)
    # The link that was missed was not a contradiction: contradictions are all found.
    assert counts(s.contradictions) == (1, 1, 1)
    # No key at all is no slot: the same miss.
    predictions["b"]["claims"][1]["slot"] = None
    assert counts(run(predictions).links) == (1, 2, 1)


def test_a_link_through_an_unmatched_claim_is_a_false_positive():
    predictions = {doc: perfect(doc) for doc in TEXTS}
    # An extra claim on "died" in b, keyed "killed": no gold claim there, so it is unaligned;
    # its link to a:c1 is a false positive: links 2 correct of 3.
    predictions["b"]["claims"].append(claim("b", 0, number=span("b", "died")))
    s = run(predictions)
    assert counts(s.links) == (2, 2, 3)
    # It has no value (no number mention on its span), so it predicts no contradiction.
    assert counts(s.contradictions) == (1, 1, 1)
    assert counts(s.value) == (4, 4, 5)


def test_source_needs_the_cue_of_the_gold_attribution():
    predictions = {doc: perfect(doc) for doc in TEXTS}
    # a:c1 given as the outlet's own voice: value still matches, source does not.
    predictions["a"]["claims"][0]["cue"] = None
    s = run(predictions)
    assert counts(s.value) == (4, 4, 4) and counts(s.source) == (3, 4, 4)
    assert s.accuracy["cue"].correct == 3


def test_value_needs_counted_event_and_the_number_layer():
    predictions = {doc: perfect(doc) for doc in TEXTS}
    predictions["a"]["claims"][0]["counted"] = "people"  # another class: no value match
    predictions["a"]["claims"][1]["event"] = "killed"  # another event: no value match
    del predictions["b"]["numbers"][0]  # no number on b's "10": no value
    s = run(predictions)
    assert counts(s.value) == (1, 4, 4)
    assert (s.accuracy["counted"].correct, s.accuracy["event"].correct) == (3, 3)
    # The links are scored on the alignment alone: all right.
    assert counts(s.links) == (2, 2, 2)


def test_two_values_for_one_span_are_no_value():
    predictions = {doc: perfect(doc) for doc in TEXTS}
    predictions["a"]["numbers"].append(number("a", 0, value=13))
    s = run(predictions)
    assert counts(s.value) == (3, 4, 4)


def test_order_of_predictions_never_changes_the_result():
    predictions = {doc: perfect(doc) for doc in TEXTS}
    predictions["a"]["claims"].append(claim("a", 0, counted="people"))
    predictions["b"]["claims"].append(claim("b", 1, cue=None))
    first = run(predictions, resamples=200)
    shuffled = {doc: {k: list(v) for k, v in p.items()} for doc, p in predictions.items()}
    for p in shuffled.values():
        random.Random(1).shuffle(p["claims"])
        p["claims"].reverse()
    assert run(shuffled, resamples=200) == first
    # The correct claim wins the alignment over its wrong duplicate.
    assert counts(first.value) == (4, 4, 6)


def test_intervals_are_reproducible_and_bracket_the_range():
    predictions = {doc: perfect(doc) for doc in TEXTS}
    predictions["b"]["claims"][1]["slot"] = None
    s = run(predictions, resamples=300)
    assert s == run(predictions, resamples=300)
    for figures in (s.value, s.source, s.links, s.contradictions):
        assert figures.f1.low is not None and 0.0 <= figures.f1.low <= figures.f1.high <= 1.0
    # Links resample documents: a resample that draws only "a" (or only "b") has no
    # cross-document pair at all (F1 1.0); one with both keeps P 1, R 1/2.
    assert s.links.f1.high == 1.0 and s.links.f1.low == pytest.approx(2 / 3)


def test_bad_input_is_reported_with_its_place():
    # Predicted spans are checked where the predictions are read (`check_prediction`, which
    # the evaluation pipeline runs on each document as it reads its text); the scorer trusts
    # them.
    predictions = {doc: perfect(doc) for doc in TEXTS}
    predictions["a"]["claims"][0]["number"] = {"start": 30, "end": 99}
    predictions["b"]["claims"][0]["number"]["text"] = "xx"
    found = [
        str(problem)
        for doc in ("a", "b")
        for problem in check_prediction(
            Extraction.model_validate(predictions[doc]), TEXTS[doc], Where("predictions", doc)
        )
    ]
    assert any("document 'a': claims[0].number.end = 99" in problem for problem in found)
    assert any("claims[0].number.text = 'xx': span text differs" in problem for problem in found)
    predictions = {doc: perfect(doc) for doc in TEXTS}
    del predictions["b"]["claims"]
    with pytest.raises(InputError, match="document 'b': layer claims missing"):
        run(predictions)


def changed(doc: str, index: int, **change: str) -> dict[str, GoldDocument]:
    """GOLD with claim `index` of `doc` changed."""
    claims = list(GOLD[doc].claims or [])
    claims[index] = claims[index].model_copy(update=change)
    return GOLD | {doc: GOLD[doc].model_copy(update={"claims": claims})}


UNKNOWN_MEMBER = SlotsFile.model_validate(
    {"slots": [
        {**SLOTS.slots[0].model_dump(), "members": ["a:c1", "b:c9"],
         "pairs": [{"a": "a:c1", "b": "b:c9", "relation": "contradicts"}]},
        SLOTS.slots[1].model_dump(),
    ]}
)  # fmt: skip


@pytest.mark.parametrize(
    ("gold", "slots", "predicted", "texts", "problem"),
    [
        pytest.param(GOLD, SLOTS, ["a", "b", "c"], TEXTS,
                     "predictions: document 'c': document is not in the gold", id="extra"),
        pytest.param(GOLD, SLOTS, ["a", "b"], {"a": TEXTS["a"]},
                     "corpus: document 'b': no text for this gold document", id="no text"),
    ],
)  # fmt: skip
def test_inputs_are_checked_before_scoring(gold, slots, predicted, texts, problem):
    # A document the gold lacks gets the predictions of "a": only its absence is wrong.
    extractions = {
        doc: Extraction.model_validate(perfect(doc if doc in TEXTS else "a")) for doc in predicted
    }
    with pytest.raises(InputError) as caught:
        score_claims(gold, slots, extractions, texts, resamples=0)
    assert problem in [str(found) for found in caught.value.problems]


@pytest.mark.parametrize(
    ("gold", "slots", "problem"),
    [
        pytest.param(GOLD | {"b": GOLD["b"].model_copy(update={"claims": None})}, SLOTS,
                     "b.json: document 'b': slots.json exists but this document has no "
                     "`claims` (annotate every document before grouping claims into slots)",
                     id="no gold claims"),
        pytest.param(changed("a", 0, number="n9"), SLOTS,
                     "a.json: document 'a': claims[0].number = 'n9': not a number mention of "
                     "this document", id="unknown number"),
        pytest.param(changed("b", 1, attribution="a9"), SLOTS,
                     "b.json: document 'b': claims[1].attribution = 'a9': not an attribution "
                     "of this document", id="unknown attribution"),
        pytest.param(GOLD, UNKNOWN_MEMBER,
                     "slots.json: slots[0].members[1] = 'b:c9': not a claim of a gold "
                     "document", id="unknown slot member"),
    ],
)  # fmt: skip
def test_gold_claims_and_slots_are_checked_at_the_door(gold, slots, problem):
    """What `claimbench validate gold` and every command loading the gold check
    (`claim_problems`, `slot_problems`), so that the scorer can trust the gold."""
    caught = [
        problem for doc_id, document in gold.items()
        for problem in claim_problems(document, Where(f"{doc_id}.json", doc_id))
    ] + slot_problems(slots, dict(gold), Path())  # fmt: skip
    assert problem in [str(found) for found in caught]
