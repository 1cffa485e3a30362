"""Hand-worked span cases: every expected count is derived by hand in the comment above it.

TEXT has words at offsets 0-5, 6-11, 12-17, 18-23, 24-29, ... (five letters and a space).
"""

import pytest

from claimbench.models import Layer
from claimbench.scoring.matches import Tally
from tests.scoring_support import ents, micro, score_one

E = Layer.ENTITIES


def test_a_tally_gives_its_accuracy():
    assert Tally(correct=1, total=2).accuracy == 0.5


def test_exact_match_is_correct_under_every_scheme():
    s = score_one(ents((0, 5, "PERSON")), ents((0, 5, "PERSON")), E)
    for scheme in ("strict", "exact", "type", "partial"):
        assert micro(s, E, scheme)["cor"] == 1 and micro(s, E, scheme)["f1"] == 1.0


def test_type_error_is_a_miss_for_gold_label_and_false_positive_for_predicted_label():
    # Same boundaries, PERSON vs ORG: strict INC, exact COR, type INC, partial COR.
    s = score_one(ents((0, 5, "PERSON")), ents((0, 5, "ORG")), E)
    assert [micro(s, E, k)["cor"] for k in ("strict", "exact", "type", "partial")] == [0, 1, 0, 1]
    assert micro(s, E, "strict")["inc"] == 1
    per_label = s.layers[E].schemes["strict"].per_label
    # PERSON: 1 gold, 0 credited -> recall 0, fn 1; ORG: 1 predicted, 0 credited -> fp 1.
    assert (per_label["PERSON"].gold, per_label["PERSON"].fn, per_label["PERSON"].fp) == (1, 1, 0)
    assert (per_label["ORG"].predicted, per_label["ORG"].fp, per_label["ORG"].fn) == (1, 1, 0)


def test_boundary_shift_gets_half_credit_under_partial_only():
    # Gold 0-11 ("Aaaaa Bbbbb"), prediction 0-5: overlap, same label, other boundaries.
    s = score_one(ents((0, 11, "GPE")), ents((0, 5, "GPE")), E)
    assert micro(s, E, "strict")["inc"] == 1 and micro(s, E, "exact")["inc"] == 1
    assert micro(s, E, "type")["cor"] == 1
    partial = micro(s, E, "partial")
    # COR 0, PAR 1: precision = (0 + 0.5) / 1, recall = 0.5 / 1.
    assert (partial["par"], partial["precision"], partial["recall"]) == (1, 0.5, 0.5)


def test_a_duplicate_prediction_is_a_false_positive_never_a_second_true_positive():
    s = score_one(ents((0, 5, "GPE")), ents((0, 5, "GPE"), (0, 5, "GPE")), E)
    strict = micro(s, E, "strict")
    # One COR, one SPU: P = 1/2, R = 1/1.
    assert (strict["cor"], strict["spu"], strict["precision"], strict["recall"]) == (1, 1, 0.5, 1.0)


def test_one_prediction_over_two_gold_spans_is_counted_once():
    # nervaluate PR #85. Prediction 0-17 covers gold 0-5 and 12-17: one pair, one miss.
    s = score_one(ents((0, 5, "ORG"), (12, 17, "ORG")), ents((0, 17, "ORG")), E)
    partial = micro(s, E, "partial")
    assert (partial["par"], partial["mis"], partial["spu"]) == (1, 1, 0)


def test_two_partial_predictions_on_one_gold_earn_one_credit():
    # eval4ner #2. Gold 0-17; predictions 0-5 and 12-17 both overlap it: one PAR, one SPU.
    s = score_one(ents((0, 17, "ORG")), ents((0, 5, "ORG"), (12, 17, "ORG")), E)
    partial = micro(s, E, "partial")
    assert (partial["par"], partial["spu"], partial["mis"]) == (1, 1, 0)


def test_nested_predictions_align_the_exact_one():
    # Gold 0-11; predictions 0-5 (nested) and 0-11 (exact): the exact one has more overlap.
    s = score_one(ents((0, 11, "GPE")), ents((0, 5, "GPE"), (0, 11, "GPE")), E)
    strict = micro(s, E, "strict")
    assert (strict["cor"], strict["spu"]) == (1, 1)


def test_overlapping_gold_spans_each_get_their_best_prediction():
    # Gold 0-11 and 6-17 overlap each other; predictions equal them in reverse order.
    s = score_one(ents((0, 11, "ORG"), (6, 17, "GPE")), ents((6, 17, "GPE"), (0, 11, "ORG")), E)
    assert micro(s, E, "strict")["cor"] == 2


def test_order_of_predictions_never_changes_the_result_nervaluate_40():
    # nervaluate #40/#39: gold 0-11; predictions 0-5 and 0-11. nervaluate's strict F1 is 0 in
    # one order and 0.667 in the other; here both orders give COR 1, SPU 1: F1 = 2/3.
    gold = ents((0, 11, "LOC"))
    one = score_one(gold, ents((0, 5, "LOC"), (0, 11, "LOC")), E)
    other = score_one(gold, ents((0, 11, "LOC"), (0, 5, "LOC")), E)
    assert micro(one, E, "strict") == micro(other, E, "strict")
    assert micro(one, E, "strict")["f1"] == pytest.approx(2 / 3)


def test_nervaluate_itself_depends_on_order_in_that_case():
    from nervaluate import Evaluator

    gold = [[{"label": "LOC", "start": 0, "end": 10}]]
    first = [[{"label": "LOC", "start": 0, "end": 4}, {"label": "LOC", "start": 0, "end": 10}]]
    second = [list(reversed(first[0]))]
    f1 = [
        Evaluator(gold, p, tags=["LOC"], loader="dict").evaluate()["overall"]["strict"].f1
        for p in (first, second)
    ]
    assert f1[0] != f1[1]


def test_spurious_prediction_of_another_label_is_charged_to_that_label_only():
    # nervaluate #42/#66: a spurious LAW must not lower PERSON's precision.
    s = score_one(ents((0, 5, "PERSON")), ents((0, 5, "PERSON"), (24, 29, "LAW")), E)
    per_label = s.layers[E].schemes["strict"].per_label
    assert per_label["PERSON"].precision == 1.0
    assert (per_label["LAW"].fp, per_label["LAW"].precision) == (1, 0.0)
    # Macro over the labels present (PERSON, LAW): F1 (1 + 0) / 2.
    assert s.layers[E].schemes["strict"].macro.f1 == 0.5


def test_partial_credit_survives_summing_over_documents():
    # nervaluate PR #109: doc 1 COR 1; doc 2 PAR 1, SPU 1. Summed: ACT 3, POS 2, credit 1.5.
    from claimbench.scoring import score

    texts = {"a": "Aaaaa Bbbbb\n", "b": "Aaaaa Bbbbb Ccccc\n"}
    gold = {"a": ents((0, 5, "ORG")), "b": ents((0, 11, "ORG"))}
    pred = {"a": ents((0, 5, "ORG")), "b": ents((0, 5, "ORG"), (12, 17, "ORG"))}
    s = score(gold, pred, texts, attempted=[E], resamples=0)
    partial = micro(s, E, "partial")
    assert (partial["precision"], partial["recall"]) == (0.5, 0.75)
    assert s.layers[E].schemes["partial"].per_document["b"].par == 1


def test_empty_gold_and_empty_predictions():
    # Zero-division rules: nothing to find and nothing claimed is perfect.
    s = score_one(ents(), ents(), E)
    assert micro(s, E, "strict")["f1"] == 1.0
    # Gold but no predictions: precision 0 (not undefined), recall 0.
    s = score_one(ents((0, 5, "GPE")), ents(), E)
    assert (micro(s, E, "strict")["precision"], micro(s, E, "strict")["recall"]) == (0.0, 0.0)
    # Predictions but no gold: all false positives.
    s = score_one(ents(), ents((0, 5, "GPE")), E)
    assert micro(s, E, "strict")["spu"] == 1 and micro(s, E, "strict")["f1"] == 0.0


def test_sprawling_prediction_and_the_symmetric_overlap_threshold():
    # ANCHORS: a long prediction around a short name. Gold 0-5; prediction 0-59 (whole line).
    gold, pred = ents((0, 5, "PERSON")), ents((0, 59, "PERSON"))
    # MUC/SemEval convention (default): any overlap, full `type` credit.
    assert micro(score_one(gold, pred, E), E, "type")["cor"] == 1
    # With a Dice threshold the pair is no match: Dice = 2*5/(5+59) = 0.16 < 0.5.
    strict = micro(score_one(gold, pred, E, min_dice=0.5), E, "type")
    assert (strict["cor"], strict["mis"], strict["spu"]) == (0, 1, 1)
    # A tight boundary error still passes it: Dice = 2*5/(5+11) = 0.625.
    near = score_one(ents((0, 11, "PERSON")), ents((0, 5, "PERSON")), E, min_dice=0.5)
    assert micro(near, E, "type")["cor"] == 1


def test_match_log_names_every_pair_miss_and_false_positive():
    s = score_one(
        ents((0, 5, "GPE"), (12, 17, "ORG")),
        ents((0, 5, "GPE"), (24, 29, "LAW")),
        E,
        keep_matches=True,
    )
    rows = {(m.gold, m.predicted): m.outcomes["strict"] for m in s.matches()}
    assert rows == {(0, 0): "COR", (1, None): "MIS", (None, 1): "SPU"}
