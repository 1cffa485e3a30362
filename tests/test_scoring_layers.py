"""Hand-worked cases for numbers and attributions, the overall score, intervals and the test.

TEXT has words at offsets 0-5, 6-11, 12-17, 18-23, 24-29, ... (five letters and a space).
"""

import pytest

from claimbench.errors import InputError
from claimbench.models import Extraction, Layer
from claimbench.scoring import Scorer, ScoringSettings, compare, score
from claimbench.validation.predictions import annotated_layers
from tests.scoring_support import TEXT, attr, ents, micro, nums, score_one

N, A = Layer.NUMBERS, Layer.ATTRIBUTIONS
TWELVE = {"value": {"low": 12, "high": 12}, "form": "exact"}


def test_value_f1_needs_overlap_and_the_same_value_not_the_same_boundaries():
    # Gold "12" at 6-11; prediction "some 12" at 0-11 with value 12 approximate: a value match
    # (overlap, same interval) though strict fails; form accuracy 0 of 1.
    gold = nums((6, 11, "CARDINAL", TWELVE))
    pred = nums((0, 11, "CARDINAL", {"value": {"low": 12, "high": 12}, "form": "approximate"}))
    s = score_one(gold, pred, N)
    assert micro(s, N, "value")["cor"] == 1 and micro(s, N, "strict")["cor"] == 0
    layer = s.layers[N]
    assert (layer.f1.value, layer.headline_scheme) == (1.0, "value")
    assert (layer.accuracy["form"].correct, layer.accuracy["form"].total) == (0, 1)


def test_a_wrong_value_is_a_false_positive_and_a_miss():
    # "eight or nine" is [8, 9] alternatives; [8, 8] overlaps but is another value.
    gold = nums((0, 17, "CARDINAL", {"value": {"low": 8, "high": 9}, "form": "alternatives"}))
    pred = nums((0, 5, "CARDINAL", {"value": {"low": 8, "high": 8}, "form": "exact"}))
    s = score_one(gold, pred, N)
    value = micro(s, N, "value")
    assert (value["inc"], value["precision"], value["recall"]) == (1, 0.0, 0.0)
    assert s.layers[N].accuracy["value_on_overlap"].accuracy == 0.0


def test_a_number_without_value_never_matches_by_value():
    s = score_one(nums((0, 5, "CARDINAL", TWELVE)), nums((0, 5, "CARDINAL", {})), N)
    assert micro(s, N, "value")["cor"] == 0 and micro(s, N, "strict")["cor"] == 1


def test_timex_value_decides_the_match_and_type_and_mod_are_reported():
    gold = nums((0, 5, "DATE", {"timex": {"type": "DATE", "value": "2017-06-04"}}))
    pred = nums((0, 5, "DATE", {"timex": {"type": "DATE", "value": "2017-06-04", "mod": "END"}}))
    s = score_one(gold, pred, N)
    assert s.layers[N].f1.value == 1.0
    assert s.layers[N].accuracy["timex"].accuracy == 0.0


def test_value_breaks_ties_between_equal_overlaps():
    # Two predictions on the same span, the second with the right value: it is the one matched.
    gold = nums((0, 5, "CARDINAL", TWELVE))
    wrong = (0, 5, "CARDINAL", {"value": {"low": 13, "high": 13}, "form": "exact"})
    s = score_one(gold, nums(wrong, (0, 5, "CARDINAL", TWELVE)), N)
    assert micro(s, N, "value")["cor"] == 1


# Attributions: "Aaaaa(0-5) Bbbbb(6-11) Ccccc(12-17) Ddddd(18-23) Eeeee(24-29) Fffff(30-35)".
GOLD_ATTR = attr((6, 11), (0, 5), (12, 35))


def _attributions(*items):
    return Extraction(attributions=list(items))


def test_attribution_matches_on_cue_source_and_content_token_f1():
    # Content 12-29 shares 3 of gold's 4 tokens: token F1 = 2*3/(4+3) = 0.857 >= 0.5.
    s = score_one(_attributions(GOLD_ATTR), _attributions(attr((6, 11), (0, 5), (12, 29))), A)
    assert s.layers[A].f1.value == 1.0
    roles = s.layers[A].roles
    assert roles["content"]["exact"].matched == 0 and roles["cue"]["exact"].matched == 1
    # Token precision divides by predicted tokens (3), recall by gold tokens (4): never swapped.
    assert (roles["content"]["token"].precision, roles["content"]["token"].recall) == (1.0, 0.75)


def test_attribution_fails_on_thin_content_or_missing_source():
    thin = attr((6, 11), (0, 5), (30, 35))  # 1 of 4 tokens: F1 = 0.4 < 0.5
    agentless = attr((6, 11), None, (12, 35))
    for pred in (thin, agentless):
        s = score_one(_attributions(GOLD_ATTR), _attributions(pred), A)
        assert (s.layers[A].f1.value, micro(s, A, "match")["inc"]) == (0.0, 1)


def test_duplicate_attribution_is_a_false_positive():
    s = score_one(_attributions(GOLD_ATTR), _attributions(GOLD_ATTR, GOLD_ATTR), A)
    m = micro(s, A, "match")
    assert (m["cor"], m["spu"], s.layers[A].precision) == (1, 1, 0.5)


def test_overall_is_the_mean_of_layer_headlines_and_unattempted_layers_count_zero():
    gold = Extraction(entities=ents((0, 5, "GPE")).entities, numbers=[], attributions=[])
    pred = Extraction(entities=ents((0, 5, "GPE")).entities)
    s = score({"d": gold}, {"d": pred}, {"d": TEXT}, attempted=[Layer.ENTITIES], resamples=0)
    assert s.overall.value == pytest.approx(1 / 3)
    assert s.headline_metrics()["numbers.f1"] is None
    assert not s.layers[N].attempted


def _two_systems():
    texts = {f"d{i}": TEXT for i in range(6)}
    gold = {d: ents((0, 5, "GPE"), (12, 17, "ORG"), (24, 29, "PERSON")) for d in texts}
    good = {d: ents((0, 5, "GPE"), (12, 17, "ORG"), (24, 29, "PERSON")) for d in texts}
    bad = {d: ents((0, 5, "ORG")) for d in texts}
    run = {
        name: score(gold, p, texts, attempted=[Layer.ENTITIES], resamples=500, seed=3)
        for name, p in (("good", good), ("bad", bad))
    }
    return run, gold, texts


def test_intervals_contain_the_estimate_and_are_reproducible():
    run, gold, texts = _two_systems()
    mixed = {d: ents((0, 5, "GPE")) if i % 2 else gold[d] for i, d in enumerate(texts)}
    s1, s2 = (score(gold, mixed, texts, attempted=[Layer.ENTITIES], seed=1) for _ in range(2))
    figure = s1.layers[Layer.ENTITIES].f1
    assert figure.low <= figure.value <= figure.high and figure.low < figure.high
    assert s1 == s2
    assert run["good"].layers[Layer.ENTITIES].f1.low == 1.0


def test_paired_test_separates_clearly_different_systems_and_not_identical_ones():
    run, _, _ = _two_systems()
    different = compare(run["good"], run["bad"], resamples=999)
    assert different.significant and different.difference > 0
    assert "significant" in different.verdict("good", "bad")
    same = compare(run["good"], run["good"], resamples=999)
    assert not same.significant and same.p_value == 1.0


def test_paired_test_finds_no_difference_on_an_empty_layer_one_system_skipped():
    # The gold has numbers, none of them: finding none (B) and not attempting the layer (A)
    # are the same, though B's overall counts that layer's F1 as 1 and A's as 0 (the gold
    # annotates two layers, so the overall is their mean).
    texts = {f"d{i}": TEXT for i in range(6)}
    gold = {d: Extraction(entities=ents((0, 5, "GPE")).entities, numbers=[]) for d in texts}
    found = {d: Extraction(entities=ents((0, 5, "GPE")).entities, numbers=[]) for d in texts}
    a, b = (
        score(gold, found, texts, attempted=layers, resamples=0)
        for layers in ([Layer.ENTITIES], [Layer.ENTITIES, Layer.NUMBERS])
    )
    assert b.overall.value - a.overall.value == pytest.approx(1 / 2)
    comparison = compare(a, b, resamples=999)
    assert (comparison.difference, comparison.p_value) == (0.0, 1.0)
    assert not comparison.significant


def test_compare_refuses_scores_on_different_documents():
    run, _, _ = _two_systems()
    other = score({"x": ents()}, {"x": ents()}, {"x": TEXT}, attempted=[Layer.ENTITIES])
    with pytest.raises(InputError, match="not on the same documents"):
        compare(run["good"], other)


def test_bad_input_is_a_located_error_never_a_silent_drop():
    gold = {"d": ents((0, 5, "GPE"))}
    with pytest.raises(InputError, match="'x': document is not in the gold"):
        score(gold, {"d": ents(), "x": ents()}, {"d": TEXT}, attempted=[Layer.ENTITIES])
    with pytest.raises(InputError, match="'d': no prediction for this gold document"):
        score(gold, {}, {"d": TEXT}, attempted=[Layer.ENTITIES])
    with pytest.raises(InputError, match=r"entities\[0\].end = 500: offset out of range"):
        score(gold, {"d": ents((0, 500, "GPE"))}, {"d": TEXT}, attempted=[Layer.ENTITIES])
    with pytest.raises(InputError, match="layer entities missing"):
        score(gold, {"d": Extraction()}, {"d": TEXT}, attempted=[Layer.ENTITIES])


def test_a_layer_missing_from_some_gold_documents_names_the_first_of_them():
    # Checked where the gold is read (`annotated_layers`, run by `load_gold` and the
    # evaluation pipeline); the scorer trusts its gold.
    gold = {"a": nums(), "b": Extraction(), "c": Extraction()}
    with pytest.raises(InputError, match=r"document 'b': layer numbers is missing here but"):
        annotated_layers(gold)


def test_a_document_added_twice_with_detail_is_an_error_naming_it():
    scorer = Scorer([Layer.ENTITIES], ScoringSettings(resamples=0))
    scorer.add("d", TEXT, ents(), ents())
    with pytest.raises(InputError, match="document 'd': document scored twice"):
        scorer.add("d", TEXT, ents(), ents())


def test_summary_scores_equal_detailed_ones_without_per_document_figures():
    run, gold, texts = _two_systems()
    mixed = {d: ents((0, 5, "GPE")) if i % 2 else gold[d] for i, d in enumerate(texts)}
    full, summary = (
        score(gold, mixed, texts, attempted=[Layer.ENTITIES], seed=2, detail=detail)
        for detail in (True, False)
    )
    for name in ("strict", "exact", "type", "partial"):
        kept, folded = (s.layers[Layer.ENTITIES].schemes[name] for s in (full, summary))
        assert (kept.micro, kept.per_label, kept.macro) == (
            folded.micro,
            folded.per_label,
            folded.macro,
        )
        assert kept.per_document and not folded.per_document
    assert full.layers[Layer.ENTITIES].f1.value == summary.layers[Layer.ENTITIES].f1.value
    assert summary.layers[Layer.ENTITIES].paragraph_counts == []
    with pytest.raises(InputError, match="without detail"):
        compare(summary, run["good"])
