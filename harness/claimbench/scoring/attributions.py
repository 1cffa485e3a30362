"""The attribution scorer: cue-anchored alignment, attribution-level F1 and per-role scores.

Attributions are aligned one to one on their cues (maximum total cue overlap; ties go to the
pair that matches as a whole, then to the higher content token F1). An aligned pair *matches*
when the cues overlap, the sources overlap or are both absent, and the content token F1 is at
least 0.5; attribution F1 (the headline) counts those matches.

Per role (cue, source, content) two figures are reported over all items: `exact` (the role's
spans are identical) and `token` (word tokens shared, so a content span that is off by a word
still earns most of its credit; precision divides by the predicted tokens, recall by the gold
tokens). Quote type and the speaker entity are checked on matched pairs.
"""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Set
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from claimbench.models import Layer, PredictedAttribution, QuoteType, Span
from claimbench.scoring.batch import Layout, align_sides, side_of
from claimbench.scoring.figures import prf
from claimbench.scoring.schemes import MATCH, PairFacts
from claimbench.scoring.span_layers import LayerScorer

IntArray = NDArray[np.int64]
ROLES = ("cue", "source", "content")
CONTENT_F1 = 0.5
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Tokens:
    """Word tokens of a text, to measure overlap of spans in tokens."""

    starts: list[int]
    ends: list[int]

    @classmethod
    def of(cls, text: str) -> "Tokens":
        """The word tokens (`\\w+`) of `text`."""
        found = [m.span() for m in _TOKEN.finditer(text)]
        return cls([s for s, _ in found], [e for _, e in found])


@lru_cache(maxsize=256)
def tokens_of(text: str) -> Tokens:
    """The word tokens of `text`, cached: a leaderboard build scores many submissions on the
    same few texts."""
    return Tokens.of(text)


Bounds = tuple[tuple[int, int], ...]
"""The `(start, end)` of a role's spans (none for an absent source)."""
RoleBounds = tuple[Bounds, Bounds, Bounds]
"""An attribution's spans per role, in `ROLES` order."""


def role_bounds(item: PredictedAttribution) -> RoleBounds:
    """The spans of an attribution's cue, source and content.

    Examples
    --------
    >>> role_bounds(PredictedAttribution(cue=Span(start=5, end=9), content=[Span(start=10,
    ...             end=14)], quote="indirect"))
    (((5, 9),), (), ((10, 14),))
    """
    source = () if item.source is None else ((item.source.start, item.source.end),)
    content = tuple((span.start, span.end) for span in item.content)
    return ((item.cue.start, item.cue.end),), source, content


# Small, since each entry keeps its document's whole text alive: summary scoring must not hold
# thousands of texts. Enough for a leaderboard build, whose gold (81 attributions in 5 texts)
# is looked up again for every submission: each adds fewer than 100 new entries, so the gold's
# stay cached.
@lru_cache(maxsize=256)
def role_tokens(text: str, bounds: RoleBounds) -> tuple[frozenset[int], ...]:
    """Per role, the indices of the word tokens of `text` that share a character with its spans.

    Cached: the gold's attributions recur in every submission of a leaderboard build.

    Examples
    --------
    >>> role_tokens("Police said the raid ended", (((7, 11),), ((0, 6),), ((12, 26),)))
    (frozenset({1}), frozenset({0}), frozenset({2, 3, 4}))
    """
    tokens = tokens_of(text)
    return tuple(
        frozenset(
            index
            for start, end in spans
            for index in range(bisect_right(tokens.ends, start), bisect_left(tokens.starts, end))
        )
        for spans in bounds
    )


def token_f1(gold: Set[int], predicted: Set[int]) -> float:
    """F1 of two token sets (1.0 when both are empty).

    Examples
    --------
    >>> token_f1({1, 2, 3, 4}, {3, 4})
    0.6666666666666666
    """
    return prf(len(gold & predicted), len(gold), len(predicted))[2]


def roles_overlap(a: Span | None, b: Span | None) -> bool:
    """Whether two optional role spans agree: both absent, or both present and overlapping.

    Examples
    --------
    >>> roles_overlap(None, None), roles_overlap(Span(start=0, end=3), None)
    (True, False)
    """
    if a is None or b is None:
        return a is None and b is None
    return min(a.end, b.end) > max(a.start, b.start)


@dataclass
class RoleCounts:
    """Exact and token counts of one role over all items."""

    gold_items: int = 0
    predicted_items: int = 0
    exact: int = 0
    gold_tokens: int = 0
    predicted_tokens: int = 0
    shared_tokens: int = 0

    def figures(self) -> dict[str, dict[str, float | int]]:
        """Exact and token precision, recall and F1, with their counts."""
        exact = prf(self.exact, self.gold_items, self.predicted_items)
        token = prf(self.shared_tokens, self.gold_tokens, self.predicted_tokens)
        names = ("precision", "recall", "f1")
        return {
            "exact": {
                "matched": self.exact,
                "gold": self.gold_items,
                "predicted": self.predicted_items,
                **dict(zip(names, exact, strict=True)),
            },
            "token": {
                "matched": self.shared_tokens,
                "gold": self.gold_tokens,
                "predicted": self.predicted_tokens,
                **dict(zip(names, token, strict=True)),
            },
        }


@dataclass
class AttributionScorer(LayerScorer):
    """Attributions; headline attribution-level F1 (`match` scheme)."""

    layer = Layer.ATTRIBUTIONS
    schemes = (MATCH,)
    headline = MATCH
    labels = tuple(q.value for q in QuoteType)
    roles: dict[str, RoleCounts] = field(default_factory=dict)

    def __init__(self, **options: Any) -> None:
        """The options of `LayerScorer`."""
        super().__init__(**options)
        self.roles = {} if self.headline_only else {role: RoleCounts() for role in ROLES}

    def add(self, layout: Layout) -> None:
        """Align and count one batch of documents."""
        quote = {label: i for i, label in enumerate(self.labels)}
        gold, pred = (side_of(layout, self.layer, g, "cue", "quote", quote) for g in (True, False))
        texts = [doc.text for doc in layout.docs]
        gold_bounds, pred_bounds = (
            [role_bounds(item) for item in side.objects] for side in (gold, pred)
        )
        gold_words, pred_words = (
            [
                role_tokens(texts[doc], b)
                for b, doc in zip(bounds, side.items.doc.tolist(), strict=True)
            ]
            for side, bounds in ((gold, gold_bounds), (pred, pred_bounds))
        )

        def judge(g: int, p: int) -> tuple[bool, float]:
            f1 = token_f1(gold_words[g][2], pred_words[p][2])
            a, b = gold.objects[g], pred.objects[p]
            return roles_overlap(a.source, b.source) and f1 >= CONTENT_F1, f1

        def agreement(gi: IntArray, pj: IntArray) -> NDArray[np.float64]:
            judged = [judge(g, p) for g, p in zip(gi.tolist(), pj.tolist(), strict=True)]
            return np.array([2.0 * m + f1 for m, f1 in judged], dtype=np.float64)

        keys = (gold.items.label, pred.items.label)
        gi, pj = align_sides(layout, gold, pred, keys, agreement, 3.0, self.min_dice)
        matched = np.array(
            [judge(g, p)[0] for g, p in zip(gi.tolist(), pj.tolist(), strict=True)], dtype=bool
        )
        g, p = gold.items, pred.items
        same_bounds = (g.start[gi] == p.start[pj]) & (g.end[gi] == p.end[pj])
        facts = PairFacts(same_bounds, g.label[gi] == p.label[pj], matched)
        self.counts.add(g, p, gi, pj, facts, layout.batch)
        if not self.headline_only:
            self._count_roles((gold_bounds, pred_bounds), (gold_words, pred_words), gi, pj)
            self._count_tallies(gold.objects, pred.objects, gi[matched], pj[matched])
        if self.keep_matches:
            self.log(layout, gold, pred, gi, pj, MATCH.outcomes(facts)[None, :])

    def _count_roles(
        self,
        bounds: tuple[list[RoleBounds], list[RoleBounds]],
        words: tuple[list[tuple[frozenset[int], ...]], list[tuple[frozenset[int], ...]]],
        gi: IntArray,
        pj: IntArray,
    ) -> None:
        (gold_bounds, pred_bounds), (gold_words, pred_words) = bounds, words
        pairs = list(zip(gi.tolist(), pj.tolist(), strict=True))
        for r, role in enumerate(ROLES):
            counts = self.roles[role]
            counts.gold_items += sum(1 for spans in gold_bounds if spans[r])
            counts.predicted_items += sum(1 for spans in pred_bounds if spans[r])
            counts.gold_tokens += sum(len(sets[r]) for sets in gold_words)
            counts.predicted_tokens += sum(len(sets[r]) for sets in pred_words)
            for g, p in pairs:
                a, b = gold_bounds[g][r], pred_bounds[p][r]
                counts.exact += bool(a) and sorted(a) == sorted(b)
                counts.shared_tokens += len(gold_words[g][r] & pred_words[p][r])

    def _count_tallies(
        self,
        gold: list[PredictedAttribution],
        pred: list[PredictedAttribution],
        gi: IntArray,
        pj: IntArray,
    ) -> None:
        pairs = [(gold[g], pred[p]) for g, p in zip(gi.tolist(), pj.tolist(), strict=True)]
        self.tally("quote", sum(a.quote == b.quote for a, b in pairs), len(pairs))
        speakers = [(a, b) for a, b in pairs if b.source_entity is not None]
        self.tally(
            "source_entity",
            sum(a.source_entity == b.source_entity for a, b in speakers),
            len(speakers),
        )
