"""Paragraph bootstrap: 95% intervals of headline F1 and the paired test between two systems.

Resampling units are paragraphs (a document's lines), pooled over the corpus. One resample
draws as many paragraphs as there are, with replacement; its counts are the weighted sum of the
paragraphs' counts, so 1,000 resamples are one matrix product (`weights @ counts`). Every
figure of a resample follows the same zero-division rules as the point estimate.

That bootstrap (`bootstrap_f1`) needs every paragraph's counts at the end, since a resample
draws exactly as many paragraphs as the corpus has. Summary scoring (`detail=False`), which
must not keep anything per paragraph, uses the Poisson bootstrap instead (`PoissonBootstrap`;
Hanley & MacGibbon 2006, Chamandy et al. 2012): each paragraph gets an independent Poisson(1)
weight in each resample (the limit of the multinomial's Binomial(n, 1/n) weights), so the
resamples are running sums, updated as paragraphs stream in, and only (resamples x layers x 3)
numbers are kept. Its resamples vary in size (n paragraphs on average, give or take sqrt(n)),
so on a small corpus the two intervals can differ by more than noise, but on a large one they
agree to within the Monte Carlo error of 1,000 resamples: on a synthetic corpus of 2,400
paragraphs (`tests/test_scoring_summary.py`, ten seeds) the bounds of an F1 interval 0.026 wide
differ by about 0.0006 on average (at most about 0.002), where two seeds of the paragraph
bootstrap differ by about 0.0005 (at most about 0.0015). Point estimates are the same.

The paired test is approximate randomisation (Noreen 1989; Riezler & Maxwell 2005): for each
resample each paragraph's counts are swapped between the two systems with probability 1/2, and
the p-value is the share of resamples whose absolute difference in overall score reaches the
observed one (with the usual +1 correction). Both systems must be scored on the same paragraphs,
and a layer only one of them attempted is counted, for the other, as attempted and found
nothing, in the observed difference as in the resamples.
"""

from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from claimbench.scoring.figures import f1_array

FloatArray = NDArray[np.float64]


BLOCK_CELLS = 4_000_000
"""Resamples, and the paired test's swaps, are drawn in blocks of at most this many (resample,
paragraph) weights, so memory stays bounded however large the corpus."""
WEIGHT_CELLS = 500_000
"""Bootstrap weights are handed on in pieces of at most this many (resample, paragraph) cells
(4 MB), cut from a block's draws; the figures do not depend on it (the counts are whole or
half numbers, so every sum of weighted counts is exact)."""


def resample_weights(units: int, resamples: int, seed: int) -> Iterator[FloatArray]:
    """How often each paragraph is drawn in each resample, in blocks of shape (rows, units);
    small draws are cached (see `_blocks`).

    Examples
    --------
    >>> blocks = list(resample_weights(4, 3, seed=0))
    >>> [b.shape for b in blocks], blocks[0].sum(axis=1).tolist()
    ([(3, 4)], [4.0, 4.0, 4.0])
    """
    return _blocks(_draw_weights, units, resamples, seed)


Draw = Callable[[int, int, int], Iterator[FloatArray]]
"""Draws `(units, resamples, seed)` in blocks of (rows, units), one resample a row."""

_CACHED_CELLS = 1_000_000
"""The largest draw, in (resample, paragraph) cells, that is cached: a leaderboard's (1,000
resamples of a few hundred paragraphs) fits many times over, while a large corpus's, which
could take gigabytes, is drawn again each time rather than held."""


def _blocks(draw: Draw, units: int, resamples: int, seed: int) -> Iterator[FloatArray]:
    """The blocks of `draw`; cached, read-only, when small, since a leaderboard build scores
    and tests many submissions on the same paragraphs with the same seed."""
    if units * resamples <= _CACHED_CELLS:
        yield from _cached_blocks(draw, units, resamples, seed)
    else:
        yield from draw(units, resamples, seed)


@lru_cache(maxsize=16)  # 8 draws of each kind, the bootstrap's and the paired test's
def _cached_blocks(draw: Draw, units: int, resamples: int, seed: int) -> tuple[FloatArray, ...]:
    blocks = tuple(draw(units, resamples, seed))
    for block in blocks:
        block.flags.writeable = False
    return blocks


def _block_rows(units: int, resamples: int) -> Iterator[int]:
    """The rows of each block of a (resamples, units) draw: at most `BLOCK_CELLS` weights a
    block, and at least one row."""
    rows = max(1, BLOCK_CELLS // max(units, 1))
    for first in range(0, resamples, rows):
        yield min(rows, resamples - first)


def _draw_weights(units: int, resamples: int, seed: int) -> Iterator[FloatArray]:
    """`resample_weights`, drawn each time (none without paragraphs)."""
    if units == 0:
        return
    rows = max(1, WEIGHT_CELLS // units)
    for draws in _drawn_blocks(np.random.default_rng(seed), units, resamples):
        # The block's draws turned into weights a few rows at a time: only the draws are held
        # whole (they must be drawn whole to give the same resamples).
        for first in range(0, len(draws), rows):
            yield _counted(draws[first : first + rows], units)
        del draws  # before the block after the next is drawn


def _drawn_blocks(
    rng: np.random.Generator, units: int, resamples: int
) -> Iterator[NDArray[np.int32]]:
    """The draws of each block, in order; when there are several, each is drawn in a thread
    while the one before is counted.

    NumPy's generator lets go of the GIL while it draws, so on two cores drawing and counting
    overlap (the bootstrap of 5,000 documents: 0.29 s to 0.20 s). The blocks are drawn one
    after another from the one generator, so the draws are those of a single thread; at most
    two blocks are held.
    """
    shapes = [(rows, units) for rows in _block_rows(units, resamples)]
    if len(shapes) < 2:
        yield from (_draw(rng, shape) for shape in shapes)
        return
    # Imported here: only a draw of several blocks (a large corpus) uses a thread, and the
    # import would lengthen every small command's start.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bootstrap-draws") as drawer:
        pending = drawer.submit(_draw, rng, shapes[0])
        for shape in shapes[1:]:
            draws = pending.result()
            pending = drawer.submit(_draw, rng, shape)
            yield draws
            del draws
        yield pending.result()


def _draw(rng: np.random.Generator, shape: tuple[int, int]) -> NDArray[np.int32]:
    """One block of draws. int32: the same draws as the default int64 (below 2**32 both take
    NumPy's 32-bit bounded generator), in half the memory and a quarter less time."""
    return rng.integers(0, shape[1], size=shape, dtype=np.int32)


def _counted(draws: NDArray[np.int32], units: int) -> FloatArray:
    """How often each of `units` paragraphs is drawn in each row of `draws`."""
    weights = np.empty((len(draws), units), dtype=np.float64)
    for row, drawn in enumerate(draws):
        weights[row] = np.bincount(drawn, minlength=units)
    return weights


def f1_of(counts: FloatArray) -> FloatArray:
    """F1 of (credit, gold, predicted) rows: shape (..., 3) gives shape (...)."""
    return f1_array(counts[..., 0], counts[..., 1], counts[..., 2])


def bootstrap_f1(
    layer_units: Sequence[FloatArray | None],
    resamples: int,
    seed: int,
    *,
    layers: int | None = None,
) -> tuple[list[FloatArray | None], FloatArray]:
    """Resampled F1 of every layer and of the overall score (mean of the layers, a layer not
    attempted counting 0), all from the same resamples.

    Parameters
    ----------
    layer_units : sequence of ndarray or None
        Per layer, (credit, gold, predicted) per paragraph; None for a layer not attempted.
    resamples, seed : int
        Number of resamples and the seed.
    layers : int or None
        How many layers the overall score is the mean of (the layers the gold annotates);
        None: `len(layer_units)`.

    Returns
    -------
    tuple
        Per layer the resampled F1s (None where not attempted), and the resampled overall.
    """
    units = next((len(u) for u in layer_units if u is not None), 0)
    per_layer: list[list[FloatArray]] = [[] for _ in layer_units]
    for weights in resample_weights(units, resamples, seed):
        for index, counts in enumerate(layer_units):
            if counts is not None:
                per_layer[index].append(f1_of(weights @ counts))
    samples = [
        None if counts is None else np.concatenate(blocks) if blocks else np.zeros(0)
        for counts, blocks in zip(layer_units, per_layer, strict=True)
    ]
    attempted = [s for s in samples if s is not None]
    divisor = len(layer_units) if layers is None else max(layers, 1)
    overall = (sum(attempted) / divisor) if attempted else np.zeros(0)
    if not units:
        overall = np.zeros(0)
    return samples, np.asarray(overall, dtype=np.float64)


UNIT_BLOCK = 1024
"""Paragraphs per draw of the Poisson bootstrap. Blocks are counted from the corpus's first
paragraph and each has its own generator, seeded by (seed, block index), so the weights do not
depend on how documents were batched; a draw holds (resamples x UNIT_BLOCK) weights."""


def poisson_weights(units: int, resamples: int, seed: Sequence[int]) -> FloatArray:
    """Independent Poisson(1) weights of `units` paragraphs in each of `resamples` resamples.

    Drawn as a Poisson(units) number of paragraphs per resample, each paragraph equally likely
    (a Poissonised multinomial, whose counts are exactly independent Poisson(1)): one uniform
    integer per weight, several times faster than one Poisson variate per weight.

    Parameters
    ----------
    units, resamples : int
        The shape of the weights (resamples, units).
    seed : sequence of int
        Entropy of the generator (`numpy.random.SeedSequence`).

    Returns
    -------
    ndarray
        Shape (resamples, units).

    Examples
    --------
    >>> weights = poisson_weights(2000, 3, seed=(0, 0))
    >>> weights.shape, bool(abs(weights.mean() - 1) < 0.05), bool(weights.var() > 0.9)
    ((3, 2000), True, True)
    """
    if not units:
        return np.zeros((resamples, 0))
    rng = np.random.default_rng(list(seed))
    rows = np.repeat(np.arange(resamples) * units, rng.poisson(units, size=resamples))
    flat = rows + rng.integers(0, units, size=len(rows))
    counts = np.bincount(flat, minlength=resamples * units)
    return counts.reshape(resamples, units).astype(np.float64)


class PoissonBootstrap:
    """The Poisson bootstrap of headline F1, streamed: paragraphs are added in corpus order and
    each resample keeps only its running (credit, gold, predicted) per layer.

    Parameters
    ----------
    layers : int
        How many layers' counts each paragraph has.
    resamples, seed : int
        Number of resamples (0: none) and the seed.

    Examples
    --------
    >>> boot = PoissonBootstrap(1, resamples=500, seed=0)
    >>> boot.add(np.array([[[1.0, 1, 1]], [[0.0, 1, 0]]] * 500))
    >>> boot.totals.tolist(), boot.units
    ([[500.0, 1000.0, 500.0]], 1000)
    >>> samples = boot.f1_samples()
    >>> samples.shape, [round(bound, 2) for bound in interval(samples[:, 0])]
    ((500, 1), [0.64, 0.69])
    """

    def __init__(self, layers: int, resamples: int, seed: int) -> None:
        self.layers, self.resamples, self.seed = layers, resamples, seed
        self.totals = np.zeros((layers, 3))
        """The point estimate's counts: (credit, gold, predicted) per layer over the corpus."""
        self._sums = np.zeros((resamples, layers * 3))
        self._done = 0
        self._pending = np.zeros((0, layers * 3))
        """Paragraphs after the last full block (fewer than `UNIT_BLOCK`)."""

    @property
    def units(self) -> int:
        """Paragraphs added so far."""
        return self._done + len(self._pending)

    def add(self, counts: FloatArray) -> None:
        """Add the next paragraphs' headline counts, shape (paragraphs, layers, 3)."""
        self.totals += counts.sum(axis=0)
        pending = np.concatenate([self._pending, counts.reshape(len(counts), -1)])
        full = len(pending) - len(pending) % UNIT_BLOCK
        for first in range(0, full, UNIT_BLOCK):
            self._sums += self._weighted(pending[first : first + UNIT_BLOCK])
            self._done += UNIT_BLOCK
        self._pending = pending[full:]

    def _weighted(self, block: FloatArray) -> FloatArray:
        """Every resample's weighted sum of the block of paragraphs that starts at `_done`."""
        if not self.resamples:
            return np.zeros((0, self.layers * 3))
        block_index = self._done // UNIT_BLOCK
        return poisson_weights(len(block), self.resamples, (self.seed, block_index)) @ block

    def f1_samples(self) -> FloatArray:
        """Resampled F1 per layer, shape (resamples, layers); no rows without paragraphs or
        resamples. The last, partial block is counted here (nothing is changed, so more
        paragraphs can still be added)."""
        if not self.units:
            return np.zeros((0, self.layers))
        sums = self._sums + self._weighted(self._pending)
        return f1_of(sums.reshape(self.resamples, self.layers, 3))


def interval(samples: FloatArray, confidence: float = 0.95) -> tuple[float, float] | None:
    """The percentile interval of `samples` (None without samples).

    Examples
    --------
    >>> interval(np.linspace(0, 1, 101))
    (0.025, 0.975)
    """
    return intervals([samples], confidence)[0]


def intervals(
    samples: Sequence[FloatArray | None], confidence: float = 0.95
) -> list[tuple[float, float] | None]:
    """The percentile interval of each array of `samples` (None for None or no samples), all
    in one call: each is the one `interval` gives (the arrays are of one length, as the
    figures of one bootstrap are).

    Examples
    --------
    >>> intervals([np.linspace(0, 1, 101), None, np.zeros(0)])
    [(0.025, 0.975), None, None]
    """
    found: list[tuple[float, float] | None] = [None] * len(samples)
    present = [i for i, array in enumerate(samples) if array is not None and len(array)]
    if present:
        tail = (1 - confidence) / 2 * 100
        stacked = np.stack([samples[i] for i in present])
        low, high = np.percentile(stacked, [tail, 100 - tail], axis=1).tolist()
        for i, lower, upper in zip(present, low, high, strict=True):
            found[i] = (round(lower, 12), round(upper, 12))
    return found


def _found_nothing(counts: FloatArray) -> FloatArray:
    """The counts of a system that found nothing where `counts` was scored: same gold."""
    nothing = np.zeros_like(counts)
    nothing[:, 1] = counts[:, 1]
    return nothing


def randomisation_test(
    a: Sequence[FloatArray | None], b: Sequence[FloatArray | None], *, resamples: int, seed: int
) -> tuple[float, float]:
    """Observed difference in overall score (a - b) and its two-sided p-value.

    The overall score compared is the mean of the layers' headline F1 on counts the two systems
    can swap: where only one of them attempted a layer, the other is counted as having attempted
    it and found nothing (`_comparable`), in the observed difference as in every resample. That
    is the difference of the two `Scores.overall`, where a layer not attempted scores 0, except
    on a layer whose gold has no items: there finding nothing scores 1, so not attempting such
    a layer and finding nothing in it do not differ.

    Parameters
    ----------
    a, b : sequence of ndarray or None
        Per layer, the (credit, gold, predicted) counts per paragraph of each system (None for
        a layer not attempted); both on the same paragraphs.
    resamples, seed : int
        Number of random swaps and the seed.

    Returns
    -------
    tuple of float
        The difference and the p-value.

    Examples
    --------
    >>> good = [np.array([[1.0, 1, 1]] * 30)]
    >>> bad = [np.array([[0.0, 1, 1]] * 30)]
    >>> diff, p = randomisation_test(good, bad, resamples=999, seed=0)
    >>> diff, bool(p < 0.01)
    (1.0, True)
    """
    return randomisation_tests(a, [b], resamples=resamples, seed=seed)[0]


def randomisation_tests(
    a: Sequence[FloatArray | None],
    others: Sequence[Sequence[FloatArray | None]],
    *,
    resamples: int,
    seed: int,
) -> list[tuple[float, float]]:
    """`randomisation_test` of `a` against each of `others`, all at once on the same swaps
    (what ranking a leaderboard asks: one group's head against the entries below it).

    Parameters
    ----------
    a : sequence of ndarray or None
        Per layer, the counts per paragraph of one system (None: layer not attempted).
    others : sequence of sequences of ndarray or None
        The same for each system it is tested against, on the same paragraphs.
    resamples, seed : int
        Number of random swaps and the seed.

    Returns
    -------
    list of tuple of float
        Per other system, the difference in overall score (a - other, on the counts that
        `randomisation_test` describes) and its p-value, as `randomisation_test` gives them
        one at a time.

    Examples
    --------
    >>> good = [np.array([[1.0, 1, 1]] * 30)]
    >>> [(d, bool(p < 0.01)) for d, p in randomisation_tests(
    ...     good, [good, [np.array([[0.0, 1, 1]] * 30)]], resamples=999, seed=0)]
    [(0.0, False), (1.0, True)]
    """
    units = next((len(u) for u in (*a, *(u for b in others for u in b)) if u is not None), 0)
    layers = [_sides(ua, [b[layer] for b in others], units) for layer, ua in enumerate(a)]
    # Per layer, on the counts the resamples swap, averaged over the layers as they are.
    observed = sum(f1_of(left.sum(axis=-2)) - f1_of(right.sum(axis=-2)) for left, right in layers)
    observed /= len(a)
    keeps = _blocks(_draw_kept, units, resamples, seed)
    blocks = [_swapped_differences(keep, layers) for keep in keeps]
    diffs = np.concatenate(blocks, axis=1) / len(a) if blocks else np.zeros((len(others), 0))
    extreme = np.count_nonzero(np.abs(diffs) >= np.abs(observed)[:, None] - 1e-12, axis=1)
    p_values = (extreme + 1) / (resamples + 1)
    return list(zip(observed.tolist(), p_values.tolist(), strict=True))


def _sides(
    ua: FloatArray | None, others: Sequence[FloatArray | None], units: int
) -> tuple[FloatArray, FloatArray]:
    """One layer's comparable counts (`_comparable`): `a`'s, shape (units, 3), or one per other
    system, shape (others, units, 3), where `a` did not attempt the layer; the others'."""
    pairs = [_comparable(ua, ub, units) for ub in others]
    right = np.stack([q for _, q in pairs])
    # `a`'s side is the same for every other system unless it did not attempt the layer.
    left = ua if ua is not None else np.stack([p for p, _ in pairs])
    return left, right


def _swapped_differences(
    keep: FloatArray, layers: Sequence[tuple[FloatArray, FloatArray]]
) -> FloatArray:
    """Per other system and resample of the block `keep` (which paragraphs each resample keeps
    rather than swaps), the sum over layers of the swapped systems' F1 difference."""
    diffs = np.zeros((len(layers[0][1]), len(keep)))
    for left, right in layers:
        kept_left, kept_right = keep @ left, keep @ right
        # What a resample swaps in is the other side's total less what that side keeps: one
        # product per side instead of two, and exact, the counts being small whole or half numbers.
        swapped_left = left.sum(axis=-2, keepdims=True) - kept_left
        swapped_right = right.sum(axis=-2, keepdims=True) - kept_right
        diffs += f1_of(kept_left + swapped_right) - f1_of(kept_right + swapped_left)
    return diffs


def _comparable(
    ua: FloatArray | None, ub: FloatArray | None, units: int
) -> tuple[FloatArray, FloatArray]:
    """Two systems' counts on one layer, ready to swap.

    A layer one system did not attempt is counted, for it, as attempted and found nothing: no
    credit, no prediction, every gold item missed. Counted so, the two systems' paragraphs stay
    exchangeable on that layer too. A layer neither attempted is all zeros on both sides, so it
    adds exactly 0 to every difference.
    """
    if ua is None:
        return (
            (np.zeros((units, 3)), np.zeros((units, 3))) if ub is None else (_found_nothing(ub), ub)
        )
    return ua, _found_nothing(ua) if ub is None else ub


def _draw_kept(units: int, resamples: int, seed: int) -> Iterator[FloatArray]:
    """Which paragraphs each resample keeps (1.0) rather than swaps, in blocks of (rows, units):
    the same numbers, block by block, as one draw of (resamples, units)."""
    rng = np.random.default_rng(seed)
    for rows in _block_rows(units, resamples):
        yield 1.0 - (rng.random((rows, units)) < 0.5).astype(np.float64)
