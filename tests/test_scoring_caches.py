"""The scorer's caches: kept arrays follow the scores they describe; large draws are not held."""

import threading

import numpy as np

from claimbench.models import Layer
from claimbench.scoring import bootstrap, score
from tests.scoring_support import TEXT, ents


def _scores():
    gold = {"d": ents((0, 5, "GPE"), (12, 17, "ORG"))}
    found = {"d": ents((0, 5, "GPE"))}
    return score(gold, found, {"d": TEXT}, attempted=[Layer.ENTITIES], resamples=0)


def test_paragraph_arrays_are_kept_but_not_carried_to_a_copy_with_other_layers():
    scores = _scores()
    arrays = scores.paragraph_arrays()
    assert scores.paragraph_arrays() is arrays  # kept: ranking reads them many times
    layer = scores.layers[Layer.ENTITIES]
    perfect = [(2.0, 2, 2), *layer.paragraph_counts[1:]]
    copy = scores.model_copy(
        update={"layers": {Layer.ENTITIES: layer.model_copy(update={"paragraph_counts": perfect})}}
    )
    assert copy.paragraph_arrays()[0][0].tolist() == [2.0, 2.0, 2.0]
    assert arrays[0][0].tolist() == [1.0, 2.0, 1.0]
    assert copy.paragraph_arrays()[1:] == [None, None]


def test_small_draws_are_cached_and_large_ones_drawn_each_time():
    bootstrap._cached_blocks.cache_clear()
    small, large = (4, 10), (bootstrap._CACHED_CELLS // 10 + 1, 10)
    for draw in (bootstrap._draw_weights, bootstrap._draw_kept):
        first, again = (list(bootstrap._blocks(draw, *small, 0)) for _ in range(2))
        assert first[0] is again[0] and not first[0].flags.writeable
        first, again = (list(bootstrap._blocks(draw, *large, 0)) for _ in range(2))
        assert first[0] is not again[0] and (first[0] == again[0]).all()
    assert bootstrap._cached_blocks.cache_info().currsize == 2


def test_weights_are_the_counts_of_numpys_default_draw():
    """The weights are drawn as int32 for speed; they must count exactly the draws NumPy's
    default (int64) `integers` makes, on which every recorded interval rests. Over
    `WEIGHT_CELLS` per piece and `BLOCK_CELLS` per block, so pieces and blocks are crossed."""
    units, resamples, seed = 40_001, 120, 7
    weights = np.concatenate(list(bootstrap._draw_weights(units, resamples, seed)))
    rng = np.random.default_rng(seed)
    expected = []
    for rows in bootstrap._block_rows(units, resamples):
        draws = rng.integers(0, units, size=(rows, units))
        expected += [np.bincount(row, minlength=units) for row in draws]
    assert weights.shape == (resamples, units)
    assert np.array_equal(weights, np.array(expected, dtype=np.float64))


def test_a_draw_left_early_leaves_no_drawing_thread():
    """Blocks after the first are drawn in a thread; a consumer that stops (an error while
    scoring, an interrupt) must not leave it behind holding a block."""
    weights = bootstrap._draw_weights(40_001, 120, 7)
    next(weights)
    assert any(t.name.startswith("bootstrap-draws") for t in threading.enumerate())
    weights.close()
    assert not any(t.name.startswith("bootstrap-draws") for t in threading.enumerate())
