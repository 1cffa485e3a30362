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
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

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

    def covered(self, spans: Sequence[Span]) -> set[int]:
        """Indices of the tokens that share a character with any of `spans`."""
        covered: set[int] = set()
        for span in spans:
            covered.update(
                range(bisect_right(self.ends, span.start), bisect_left(self.starts, span.end))
            )
        return covered


@lru_cache(maxsize=256)
def tokens_of(text: str) -> Tokens:
    """The word tokens of `text`, cached: a leaderboard build scores many submissions on the
    same few texts."""
    return Tokens.of(text)


def _role_tokens(
    items: list[PredictedAttribution], docs: IntArray, tokens: list[Tokens]
) -> list[list[set[int]]]:
    """Per item, the tokens covered by its cue, its source and its content (in `ROLES` order)."""
    return [
        [tokens[doc].covered(_role_spans(item, role)) for role in ROLES]
        for item, doc in zip(items, docs.tolist(), strict=True)
    ]


def token_f1(gold: set[int], predicted: set[int]) -> float:
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


def _same_spans(a: Sequence[Span], b: Sequence[Span]) -> bool:
    return sorted((s.start, s.end) for s in a) == sorted((s.start, s.end) for s in b)


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


def _role_spans(item: PredictedAttribution, role: str) -> list[Span]:
    value = getattr(item, role)
    return [] if value is None else list(value) if role == "content" else [value]


@dataclass
class AttributionScorer(LayerScorer):
    """Attributions; headline attribution-level F1 (`match` scheme)."""

    layer = Layer.ATTRIBUTIONS
    schemes = (MATCH,)
    headline = MATCH
    labels = tuple(q.value for q in QuoteType)
    roles: dict[str, RoleCounts] = field(default_factory=dict)

    def __init__(self, *, min_dice: float, keep_matches: bool, detail: bool = True) -> None:
        super().__init__(min_dice=min_dice, keep_matches=keep_matches, detail=detail)
        self.roles = {role: RoleCounts() for role in ROLES}

    def add(self, layout: Layout) -> None:
        """Align and count one batch of documents."""
        quote = {label: i for i, label in enumerate(self.labels)}
        gold, pred = (side_of(layout, self.layer, g, "cue", "quote", quote) for g in (True, False))
        tokens = [tokens_of(d.text) for d in layout.docs]
        gold_words, pred_words = (
            _role_tokens(side.objects, side.items.doc, tokens) for side in (gold, pred)
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
        self._count_roles(gold.objects, pred.objects, gi, pj, (gold_words, pred_words))
        self._count_tallies(gold.objects, pred.objects, gi[matched], pj[matched])
        if self.keep_matches:
            self.log(layout, gold, pred, gi, pj, MATCH.outcomes(facts)[None, :])

    def _count_roles(
        self,
        gold: list[PredictedAttribution],
        pred: list[PredictedAttribution],
        gi: IntArray,
        pj: IntArray,
        words: tuple[list[list[set[int]]], list[list[set[int]]]],
    ) -> None:
        gold_words, pred_words = words
        for r, role in enumerate(ROLES):
            counts = self.roles[role]
            counts.gold_items += sum(1 for item in gold if _role_spans(item, role))
            counts.predicted_items += sum(1 for item in pred if _role_spans(item, role))
            counts.gold_tokens += sum(len(sets[r]) for sets in gold_words)
            counts.predicted_tokens += sum(len(sets[r]) for sets in pred_words)
            for g, p in zip(gi.tolist(), pj.tolist(), strict=True):
                a, b = _role_spans(gold[g], role), _role_spans(pred[p], role)
                counts.exact += bool(a) and bool(b) and _same_spans(a, b)
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
