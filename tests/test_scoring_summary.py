"""Summary scoring (`detail=False`): the same figures as full detail, intervals from the streamed
Poisson bootstrap within Monte Carlo error of the paragraph bootstrap's on a large corpus, and
retained state that does not grow with the corpus."""

import random

import numpy as np
import pytest

from claimbench.models import Extraction, Layer, PredictedEntity
from claimbench.scoring import Scorer, ScoringSettings, score
from claimbench.scoring import scorer as scorer_module

PARAGRAPH = "Osorno and Valdivia flooded.\n"
TEXT = PARAGRAPH * 3
NAMES = ((0, 6, "GPE"), (11, 19, "GPE"))
OTHER_WORDS = ((7, 10), (20, 27))
LAYERS = [Layer.ENTITIES]


def _entities(spans) -> Extraction:
    return Extraction(entities=[PredictedEntity(start=s, end=e, label=lab) for s, e, lab in spans])


def _corpus(documents: int, seed: int = 0) -> tuple[dict, dict, dict]:
    """Texts, gold (two names per paragraph) and predictions: each name found, mislabelled,
    cut short or missed for a false positive at random, so every document has 12 items."""
    rng = random.Random(seed)
    texts, gold, predicted = {}, {}, {}
    for index in range(documents):
        doc_id = f"d{index:05d}"
        spans, found = [], []
        for paragraph, (start, end, label), (other_start, other_end) in (
            (p * len(PARAGRAPH), name, other)
            for p in range(3)
            for name, other in zip(NAMES, OTHER_WORDS, strict=True)
        ):
            start, end = start + paragraph, end + paragraph
            spans.append((start, end, label))
            draw = rng.random()
            if draw < 0.7:
                found.append((start, end, label))
            elif draw < 0.8:
                found.append((start, end, "ORG"))
            elif draw < 0.9:
                found.append((start, start + 3, label))
            else:
                found.append((paragraph + other_start, paragraph + other_end, "ORG"))
        texts[doc_id], gold[doc_id], predicted[doc_id] = TEXT, _entities(spans), _entities(found)
    return texts, gold, predicted


def test_summary_intervals_are_within_monte_carlo_error_of_the_full_ones():
    texts, gold, predicted = _corpus(800)  # 2,400 paragraphs
    full, summary = (
        score(gold, predicted, texts, attempted=LAYERS, resamples=1000, seed=4, detail=detail)
        for detail in (True, False)
    )
    assert summary.headline_metrics() == full.headline_metrics()
    pairs = [(full.overall, summary.overall)]
    pairs.append((full.layers[Layer.ENTITIES].f1, summary.layers[Layer.ENTITIES].f1))
    for kept, streamed in pairs:
        assert kept.low < kept.value < kept.high
        # Entities: interval width 0.026; two seeds of the paragraph bootstrap differ by 0.001.
        assert abs(streamed.low - kept.low) < 0.004 and abs(streamed.high - kept.high) < 0.004


def test_summary_intervals_do_not_depend_on_how_documents_are_batched(monkeypatch):
    texts, gold, predicted = _corpus(400)

    def summary() -> dict:
        s = score(gold, predicted, texts, attempted=LAYERS, resamples=200, detail=False)
        return s.model_dump()

    expected = summary()
    monkeypatch.setattr(scorer_module, "BATCH_ITEMS", 37)
    assert summary() == expected


def _retained(value: object, seen: set[int]) -> int:
    """Bytes of arrays, characters of strings and entries of containers reachable from
    `value`: a measure of what an object keeps."""
    if id(value) in seen or callable(value):
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return len(value) + sum(_retained(v, seen) for v in [*value, *value.values()])
    if isinstance(value, list | tuple | set | frozenset):
        return len(value) + sum(_retained(v, seen) for v in value)
    if hasattr(value, "__dict__"):
        return _retained(vars(value), seen)
    return 0


@pytest.mark.parametrize("detail", [False, True])
def test_summary_scorer_keeps_nothing_that_grows_with_the_documents(monkeypatch, detail):
    # 12 items a document: batches of 64 documents, and 3,072 or 6,144 paragraphs (whole blocks
    # of the Poisson bootstrap), so both corpora end on the same partial state.
    monkeypatch.setattr(scorer_module, "BATCH_ITEMS", 64 * 12)
    texts, gold, predicted = _corpus(2048)
    doc_ids = list(texts)
    sizes = []
    for documents in (1024, 2048):
        scorer = Scorer(LAYERS, ScoringSettings(resamples=100, detail=detail))
        for doc_id in doc_ids[:documents]:
            scorer.add(doc_id, texts[doc_id], gold[doc_id], predicted[doc_id])
        scorer.result()
        sizes.append(_retained(scorer, set()))
    if detail:
        assert sizes[1] > 1.9 * sizes[0]  # the measure sees per-document state
    else:
        assert sizes[1] == sizes[0]
