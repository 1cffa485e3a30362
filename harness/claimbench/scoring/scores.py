"""What the scorer returns: every figure of every layer, with intervals and raw counts.

`Scores` is plain data (pydantic, JSON-ready): results files embed it, and `claimbench compare`
reads the per-paragraph headline counts back from two results files to run the paired test.
"""

from collections.abc import Iterator
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, PrivateAttr

from claimbench.models import Layer
from claimbench.scoring.matches import Match, MatchBlock

SCORES_SCHEMA_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Figure(_Model):
    """A score with its bootstrap interval (None when there was nothing to resample)."""

    value: float
    low: float | None = None
    high: float | None = None

    @classmethod
    def of(cls, value: float, bounds: tuple[float, float] | None) -> "Figure":
        """`value` with the interval `bounds`, if any.

        Examples
        --------
        >>> Figure.of(0.5, (0.4, 0.6)).high, Figure.of(0.5, None).low
        (0.6, None)
        """
        if bounds is None:
            return cls(value=value)
        return cls(value=value, low=bounds[0], high=bounds[1])


class Rates(_Model):
    """Credit, errors and the figures derived from them."""

    tp: float
    fp: float
    fn: float
    precision: float
    recall: float
    f1: float


class CategoryFigures(Rates):
    """MUC / SemEval-2013 categories and the figures derived from them."""

    cor: int
    inc: int
    par: int
    mis: int
    spu: int


class LabelFigures(Rates):
    """One label: gold and predicted items of the label, credited pairs whose labels agree."""

    gold: int
    predicted: int
    cor: int
    par: int


class MacroFigures(_Model):
    """Unweighted means over the labels present in gold or predictions."""

    precision: float
    recall: float
    f1: float


class SchemeFigures(_Model):
    """One scheme of one layer: micro, macro, per label and per document."""

    micro: CategoryFigures
    macro: MacroFigures
    per_label: dict[str, LabelFigures]
    per_document: dict[str, CategoryFigures]


class Accuracy(_Model):
    """An attribute checked on matched pairs."""

    correct: int
    total: int
    accuracy: float | None

    @classmethod
    def of(cls, correct: int, total: int) -> "Accuracy":
        """`correct` of `total`, with the accuracy (None when nothing was compared).

        Examples
        --------
        >>> Accuracy.of(3, 4).accuracy, Accuracy.of(0, 0).accuracy
        (0.75, None)
        """
        return cls(correct=correct, total=total, accuracy=correct / total if total else None)


class RoleFigures(_Model):
    """Exact or token-overlap figures of one attribution role."""

    matched: int
    gold: int
    predicted: int
    precision: float
    recall: float
    f1: float


class LayerScores(_Model):
    """Every figure of one layer; only `attempted` (and `annotated`) when the plugin did not
    attempt it or the gold does not annotate it (then it is not in the overall score)."""

    attempted: bool
    annotated: bool = True
    headline_scheme: str | None = None
    f1: Figure | None = None
    precision: float | None = None
    recall: float | None = None
    schemes: dict[str, SchemeFigures] = {}
    accuracy: dict[str, Accuracy] = {}
    roles: dict[str, dict[str, RoleFigures]] | None = None
    paragraph_counts: list[tuple[float, int, int]] = []
    """Headline (credit, gold, predicted) per paragraph, in `Scores.units` order."""


class Units(_Model):
    """The resampling units: each document's paragraphs, in corpus order; empty in summary
    scores (`ScoringSettings.detail` off), which keep nothing per document."""

    documents: list[str]
    paragraphs: list[int]


class ScoringSettings(_Model):
    """How the scores were computed."""

    resamples: int = 1000
    seed: int = 0
    confidence: float = 0.95
    min_dice: float = 0.0
    detail: bool = True
    """Per-document figures and per-paragraph counts in the scores; without them memory stays
    flat on very large corpora, the intervals come from the Poisson bootstrap (on large corpora
    the same to within Monte Carlo error, see `claimbench.scoring.bootstrap`), and the scores
    cannot be used by `compare`."""


class Scores(_Model):
    """All scores of one system on one gold."""

    schema_version: Literal[1] = SCORES_SCHEMA_VERSION
    settings: ScoringSettings
    units: Units
    overall: Figure
    layers: dict[Layer, LayerScores]
    _matches: list[MatchBlock] = PrivateAttr(default_factory=list)
    _paragraph_arrays: tuple[tuple[object, ...], list[np.ndarray | None]] | None = PrivateAttr(
        default=None
    )
    """The arrays `paragraph_arrays` made last, with the `paragraph_counts` lists they were made
    from (None where not attempted)."""

    def headline_metrics(self) -> dict[str, float | None]:
        """`overall` and `<layer>.f1|precision|recall` (None for a layer not attempted).

        Examples
        --------
        >>> scores = Scores(settings=ScoringSettings(), units=Units(documents=[], paragraphs=[]),
        ...                 overall=Figure(value=0.5), layers={})
        >>> scores.headline_metrics()
        {'overall': 0.5}
        """
        metrics: dict[str, float | None] = {"overall": self.overall.value}
        for layer, scores in self.layers.items():
            metrics[f"{layer.value}.f1"] = scores.f1.value if scores.f1 else None
            metrics[f"{layer.value}.precision"] = scores.precision
            metrics[f"{layer.value}.recall"] = scores.recall
        return metrics

    def paragraph_arrays(self) -> list[np.ndarray | None]:
        """Per layer the gold annotates (in `Layer` order), the headline counts per paragraph,
        or None where not attempted; so the paired test's overall is the mean over them.

        Converted once and kept (read-only): ranking a leaderboard tests each entry many times.
        They are kept with the very lists they were made from and made again when the layers
        hold other lists, so a copy with other layers (`model_copy(update=...)`, which copies
        what is kept) does not reuse them; a list changed in place would not be noticed, and
        scores are not changed once made.
        """
        sources = tuple(
            self._paragraph_counts(layer)
            for layer in Layer
            if layer not in self.layers or self.layers[layer].annotated
        )
        kept = self._paragraph_arrays
        if kept is None or any(old is not new for old, new in zip(kept[0], sources, strict=True)):
            arrays = [None if counts is None else _read_only(counts) for counts in sources]
            kept = self._paragraph_arrays = (sources, arrays)
        return kept[1]

    def _paragraph_counts(self, layer: Layer) -> list[tuple[float, int, int]] | None:
        scores = self.layers.get(layer)
        return scores.paragraph_counts if scores is not None and scores.attempted else None

    def matches(self) -> list[Match]:
        """The match log, when the scores were computed with `keep_matches=True`: per layer,
        its pairs, then its misses, then its false positives."""
        return [match for block in self._matches for match in block.rows()]

    def pairs(self) -> Iterator[tuple[str, str, int, int, str]]:
        """The aligned pairs of the match log, without building its rows: `(doc_id, layer,
        gold index, predicted index, outcome under the layer's headline scheme)`."""
        for block in self._matches:
            headline = self.layers[Layer(block.layer)].headline_scheme
            assert headline is not None  # a layer with a match log was scored
            for doc_id, gold, predicted, outcome in block.pairs(headline):
                yield doc_id, block.layer, gold, predicted, outcome


def _read_only(counts: list[tuple[float, int, int]]) -> np.ndarray:
    """`counts` as a read-only array of shape (paragraphs, 3)."""
    array = np.array(counts, float).reshape(-1, 3)
    array.flags.writeable = False
    return array
