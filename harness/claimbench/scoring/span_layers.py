"""Scorers of the span layers: entities (headline strict F1) and numbers (headline value F1).

Each scorer owns one `LayerCounts` and adds batches of documents to it. Beside the schemes it
keeps tallies on matched pairs: entity links for entities; form, unit and timex for numbers.
"""

from typing import Any

import numpy as np
from numpy.typing import NDArray

from claimbench.models import EntityLabel, Layer, NumberLabel, PredictedNumber
from claimbench.scoring.batch import Layout, Side, align_sides, side_of
from claimbench.scoring.counts import LayerCounts
from claimbench.scoring.matches import NONE, MatchBlock, Tally
from claimbench.scoring.schemes import SPAN_SCHEMES, STRICT, VALUE, PairFacts, Scheme

IntArray = NDArray[np.int64]


class LayerScorer:
    """What every layer scorer has: counts, tallies, an optional match log (one block per
    batch). With `headline_only` it counts the headline scheme alone and keeps no tallies (nor
    role counts, for attributions)."""

    layer: Layer
    schemes: tuple[Scheme, ...]
    headline: Scheme
    labels: tuple[str, ...]

    def __init__(
        self,
        *,
        min_dice: float,
        keep_matches: bool,
        detail: bool = True,
        headline_only: bool = False,
    ) -> None:
        self.min_dice = min_dice
        self.keep_matches = keep_matches
        self.headline_only = headline_only
        if headline_only:
            self.schemes = (self.headline,)
        headline = self.schemes.index(self.headline)
        self.counts = LayerCounts(self.schemes, self.labels, headline, detail=detail)
        self.tallies: dict[str, Tally] = {}
        self.matches: list[MatchBlock] = []

    def tally(self, name: str, correct: int, total: int) -> None:
        """Add to the named accuracy on matched pairs."""
        self.tallies.setdefault(name, Tally()).add(correct, total)

    def log(
        self,
        layout: Layout,
        gold: Side,
        pred: Side,
        gi: IntArray,
        pj: IntArray,
        outcomes: NDArray,
    ) -> None:
        """Record every pair, miss and false positive of a batch in the match log."""
        missed, spurious = _unpaired(len(gold.items), gi), _unpaired(len(pred.items), pj)
        unpaired = len(missed) + len(spurious)

        def local(side: Side, indices: IntArray) -> IntArray:
            return indices - side.first[side.items.doc[indices]]

        none = np.full(unpaired, NONE, np.int64)
        block = MatchBlock(
            layer=self.layer.value,
            schemes=tuple(scheme.name for scheme in self.schemes),
            doc_ids=[doc.doc_id for doc in layout.docs],
            doc=np.concatenate(
                [gold.items.doc[gi], gold.items.doc[missed], pred.items.doc[spurious]]
            ),
            gold=np.concatenate([local(gold, gi), local(gold, missed), none[: len(spurious)]]),
            predicted=np.concatenate([local(pred, pj), none[: len(missed)], local(pred, spurious)]),
            outcomes=np.vstack(
                [outcomes.T, np.full((unpaired, len(self.schemes)), NONE, np.int64)]
            ),
        )
        self.matches.append(block)


def _unpaired(size: int, paired: IntArray) -> IntArray:
    """The indices below `size` that `paired` does not hold, in order."""
    unpaired = np.ones(size, dtype=bool)
    unpaired[paired] = False
    return np.flatnonzero(unpaired)


class SpanLayerScorer(LayerScorer):
    """Entities and numbers: spans with a label, aligned for the maximum total overlap."""

    def add(self, layout: Layout) -> None:
        """Align and count one batch of documents."""
        label_index = {label: i for i, label in enumerate(self.labels)}
        gold, pred = (
            side_of(layout, self.layer, g, None, "label", label_index) for g in (True, False)
        )
        gold_values, pred_values = self.value_ids(gold.objects, pred.objects)
        keys = (
            gold.items.label * (len(label_index) + 1) + gold_values,
            pred.items.label * (len(label_index) + 1) + pred_values,
        )

        def facts_of(gi: IntArray, pj: IntArray) -> PairFacts:
            g, p = gold.items, pred.items
            same_bounds = (g.start[gi] == p.start[pj]) & (g.end[gi] == p.end[pj])
            agree = (gold_values[gi] == pred_values[pj]) & (gold_values[gi] >= 0)
            return PairFacts(same_bounds, g.label[gi] == p.label[pj], agree)

        gi, pj = align_sides(
            layout,
            gold,
            pred,
            keys,
            lambda a, b: self.agreement(facts_of(a, b)),
            self.max_agreement,
            self.min_dice,
        )
        facts = facts_of(gi, pj)
        self.counts.add(gold.items, pred.items, gi, pj, facts, layout.batch)
        if not self.headline_only:
            self.count_tallies(gold.objects, pred.objects, gi, pj, facts)
        if self.keep_matches:
            outcomes = np.stack([s.outcomes(facts) for s in self.schemes]).reshape(
                len(self.schemes), len(gi)
            )
            self.log(layout, gold, pred, gi, pj, outcomes)

    max_agreement: float = 3

    def agreement(self, facts: PairFacts) -> NDArray[np.float64]:
        """Tie-break between equal overlaps: same boundaries first, then same label."""
        return 2.0 * facts.same_bounds + facts.same_label

    def value_ids(self, gold: list[Any], pred: list[Any]) -> tuple[IntArray, IntArray]:
        """Normalised-value ids (equal ids, equal values; negative: no value). None here."""
        return np.zeros(len(gold), np.int64), np.zeros(len(pred), np.int64)

    def count_tallies(
        self, gold: list[Any], pred: list[Any], gi: IntArray, pj: IntArray, facts: PairFacts
    ) -> None:
        """Accuracies on matched pairs (layer-specific)."""


class EntityScorer(SpanLayerScorer):
    """Named entities; headline strict micro F1; entity links checked on strict matches."""

    layer = Layer.ENTITIES
    schemes = SPAN_SCHEMES
    headline = STRICT
    labels = tuple(label.value for label in EntityLabel)

    def count_tallies(
        self, gold: list[Any], pred: list[Any], gi: IntArray, pj: IntArray, facts: PairFacts
    ) -> None:
        strict = facts.same_bounds & facts.same_label
        linked = [
            (gold[g].entity, pred[p].entity)
            for g, p in zip(gi[strict].tolist(), pj[strict].tolist(), strict=True)
            if pred[p].entity is not None
        ]
        self.tally("entity_link", sum(g == p for g, p in linked), len(linked))


def value_key(number: PredictedNumber) -> tuple[Any, ...] | None:
    """What `value` F1 compares: the interval of a numeric mention, the timex value of a
    temporal one; None when the mention carries neither.

    Examples
    --------
    >>> value_key(PredictedNumber(start=0, end=2, label="CARDINAL",
    ...                           value={"low": 12, "high": 12}))
    ('n', 12.0, 12.0)
    """
    if number.timex is not None:
        return ("t", number.timex.value)
    if number.value is not None:
        low, high = number.value.low, number.value.high
        return ("n", None if low is None else float(low), None if high is None else float(high))
    return None


class NumberScorer(SpanLayerScorer):
    """Numbers and times; headline value F1; form, unit and timex accuracy on value matches."""

    layer = Layer.NUMBERS
    schemes = (*SPAN_SCHEMES, VALUE)
    headline = VALUE
    labels = tuple(label.value for label in NumberLabel)
    max_agreement = 7

    def agreement(self, facts: PairFacts) -> NDArray[np.float64]:
        """Tie-break between equal overlaps: same value, then boundaries, then label."""
        return 4.0 * facts.agree + 2.0 * facts.same_bounds + facts.same_label

    def value_ids(self, gold: list[Any], pred: list[Any]) -> tuple[IntArray, IntArray]:
        ids: dict[tuple[Any, ...], int] = {}

        def ids_of(numbers: list[Any]) -> IntArray:
            keys = [value_key(n) for n in numbers]
            return np.array(
                [-1 if k is None else ids.setdefault(k, len(ids)) for k in keys], dtype=np.int64
            )

        return ids_of(gold), ids_of(pred)

    def count_tallies(
        self, gold: list[Any], pred: list[Any], gi: IntArray, pj: IntArray, facts: PairFacts
    ) -> None:
        self.tally("value_on_overlap", int(facts.agree.sum()), len(gi))
        pairs = [
            (gold[g], pred[p])
            for g, p in zip(gi[facts.agree].tolist(), pj[facts.agree].tolist(), strict=True)
        ]
        numeric = [(g, p) for g, p in pairs if g.timex is None]
        temporal = [(g, p) for g, p in pairs if g.timex is not None]
        self.tally("form", sum(g.form == p.form for g, p in numeric), len(numeric))
        self.tally("unit", sum(g.unit == p.unit for g, p in numeric), len(numeric))
        self.tally("timex", sum(g.timex == p.timex for g, p in temporal), len(temporal))
