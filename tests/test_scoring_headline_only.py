"""Headline-only scoring (what the leaderboard asks for) against full scoring."""

import pytest

from claimbench.corpus.store import load_corpus
from claimbench.evaluation.pipeline import gold_extractions
from claimbench.leaderboard.submissions import load_submissions
from claimbench.models import Layer
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from claimbench.scoring import score
from tests.checkout import DEFAULT_LEADERBOARD


@pytest.mark.parametrize("key", sorted(load_submissions(DEFAULT_LEADERBOARD)))
def test_headline_only_gives_the_headline_figures_and_pairs_of_full_scoring(key):
    corpus = load_corpus(DEFAULT_CORPUS)
    texts = {document.id: document.text for document in corpus.documents()}
    gold = gold_extractions(DEFAULT_GOLD, corpus).hold().held
    submission = load_submissions(DEFAULT_LEADERBOARD)[key]
    predicted = {record.doc_id: record for record in submission.predictions}
    options = {"attempted": submission.attempted(), "resamples": 200, "keep_matches": True}

    full = score(gold, predicted, texts, **options)
    slim = score(gold, predicted, texts, headline_only=True, **options)

    assert slim.overall == full.overall
    extras = {"schemes", "accuracy", "roles"}  # what headline-only scoring leaves out
    for layer, found in full.layers.items():
        shown = slim.layers[layer]
        assert shown.model_dump(exclude=extras) == found.model_dump(exclude=extras)
        assert (shown.accuracy, shown.roles) == ({}, None)
        if found.headline_scheme is not None:
            assert shown.schemes == {found.headline_scheme: found.schemes[found.headline_scheme]}
    # Full scoring has what was left out, so the comparison above is not empty-handed.
    assert all(len(full.layers[layer].schemes) > 1 for layer in (Layer.ENTITIES, Layer.NUMBERS)
               if full.layers[layer].attempted)  # fmt: skip
    assert any(found.accuracy for found in full.layers.values())
    assert list(slim.pairs()) == list(full.pairs())
