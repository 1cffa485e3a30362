"""Property tests: order independence, and agreement with nervaluate 1.2.1 on flat spans."""

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from nervaluate import Evaluator

from claimbench.models import Extraction, Layer, PredictedEntity
from claimbench.scoring import score
from claimbench.scoring.figures import f1_array, prf, prf_arrays

LABELS = ("PERSON", "ORG", "GPE")
TEXT = "x" * 400 + "\n" + "y" * 400 + "\n"
SCHEMES = {"strict": "strict", "exact": "exact", "type": "ent_type", "partial": "partial"}

span = st.tuples(st.integers(0, 780), st.integers(1, 20), st.sampled_from(LABELS))


def _entities(triples) -> list[PredictedEntity]:
    return [PredictedEntity(start=s, end=min(s + n, len(TEXT)), label=lab) for s, n, lab in triples]


def _figures(gold, pred) -> dict:
    s = score(
        {"d": Extraction(entities=gold)},
        {"d": Extraction(entities=pred)},
        {"d": TEXT},
        attempted=[Layer.ENTITIES],
        resamples=50,
        seed=1,
    )
    return s.model_dump()


@settings(max_examples=60, deadline=None)
@given(st.lists(span, max_size=25), st.lists(span, max_size=25), st.randoms())
def test_shuffling_predictions_or_gold_never_changes_any_figure(gold, pred, rnd: random.Random):
    gold_items, pred_items = _entities(gold), _entities(pred)
    before = _figures(gold_items, pred_items)
    rnd.shuffle(pred_items)
    rnd.shuffle(gold_items)
    assert _figures(gold_items, pred_items) == before


def _flat(draw_spans: list[tuple[int, int]], labels: list[str]) -> list[tuple[int, int, str]]:
    """Non-overlapping spans from sorted cut points."""
    return [(s, e, lab) for (s, e), lab in zip(draw_spans, labels, strict=False)]


@st.composite
def flat_pair(draw):
    """Gold and predictions, each flat (no two spans of a side overlap), whose overlap graph
    pairs each span with at most one span of the other side: the case where one-to-one
    maximum-overlap alignment and nervaluate's greedy reading must agree."""
    slots = draw(st.lists(st.sampled_from(["both", "gold", "pred", "none"]), max_size=30))
    gold, pred, position = [], [], 0
    for slot in slots:
        start, length = position, draw(st.integers(2, 8))
        if slot in ("both", "gold"):
            gold.append((start, start + length, draw(st.sampled_from(LABELS))))
        if slot in ("both", "pred"):
            shift = draw(st.integers(-1, 1)) if slot == "both" else 0
            end_shift = draw(st.integers(-1, 1)) if slot == "both" else 0
            p_start = start + max(shift, 0)
            p_end = max(p_start + 1, start + length + end_shift)
            pred.append((p_start, p_end, draw(st.sampled_from(LABELS))))
        position += length + 3
    return gold, pred


@settings(max_examples=150, deadline=None)
@given(flat_pair())
def test_counts_equal_nervaluate_on_flat_one_to_one_spans(pair):
    gold, pred = pair
    to_entities = lambda items: [PredictedEntity(start=s, end=e, label=lab) for s, e, lab in items]  # noqa: E731
    s = score(
        {"d": Extraction(entities=to_entities(gold))},
        {"d": Extraction(entities=to_entities(pred))},
        {"d": TEXT},
        attempted=[Layer.ENTITIES],
        resamples=0,
    )
    as_dicts = lambda items: [[{"label": lab, "start": a, "end": b - 1} for a, b, lab in items]]  # noqa: E731
    if not gold and not pred:
        return
    nerv = Evaluator(as_dicts(gold), as_dicts(pred), tags=list(LABELS), loader="dict").evaluate()
    layer = s.layers[Layer.ENTITIES]
    for ours, theirs in SCHEMES.items():
        mine, other = layer.schemes[ours].micro, nerv["overall"][theirs]
        assert (mine.cor, mine.inc, mine.par, mine.mis, mine.spu) == (
            other.correct,
            other.incorrect,
            other.partial,
            other.missed,
            other.spurious,
        ), ours
        assert (mine.precision, mine.recall, mine.f1) == (
            other.precision,
            other.recall,
            other.f1,
        ) or abs(mine.f1 - other.f1) < 1e-12
        for label, figures in layer.schemes[ours].per_label.items():
            theirs_label = nerv["entities"][label][theirs]
            assert abs(figures.f1 - theirs_label.f1) < 1e-12, (ours, label)
            assert figures.gold == theirs_label.possible
            assert figures.predicted == theirs_label.actual


counts = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(0, 40), st.booleans()),
    min_size=1,
    max_size=30,
)


@given(counts)
@settings(max_examples=300, deadline=None)
def test_f1_alone_equals_the_f1_of_precision_and_recall_bit_for_bit(rows):
    # Resampled counts can give credit above one side (credit and predictions are charged to
    # the paragraphs their items start in), and partial credit gives halves.
    credit = np.array([c / 2 if half else c for c, _, _, half in rows], dtype=float)
    gold = np.array([g for _, g, _, _ in rows], dtype=float)
    predicted = np.array([p for _, _, p, _ in rows], dtype=float)
    alone = f1_array(credit, gold, predicted)
    assert alone.tobytes() == prf_arrays(credit, gold, predicted)[2].tobytes()
    for c, g, p, f in zip(credit, gold, predicted, alone, strict=True):
        assert f == prf(c, g, p)[2]
