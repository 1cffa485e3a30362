"""The match log: which gold item matched which prediction, and what each scheme made of it."""

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

from claimbench.scoring.schemes import Outcome

IntArray = NDArray[np.int64]
NONE = -1
"""An absent index (the gold of a false positive, the prediction of a miss), or the outcome
code of an unpaired row."""
_TAGS = tuple(outcome.name for outcome in sorted(Outcome))
"""Each outcome code's name, by code."""


class Tally(BaseModel):
    """`correct` out of `total` (an accuracy on matched pairs); `accuracy` is None when empty."""

    model_config = ConfigDict(extra="forbid")

    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float | None:
        """correct / total, or None when nothing was compared.

        Examples
        --------
        >>> Tally(correct=3, total=4).accuracy, Tally().accuracy
        (0.75, None)
        """
        return self.correct / self.total if self.total else None

    def add(self, correct: int, total: int) -> None:
        """Count `total` more comparisons, `correct` of them right."""
        self.correct += correct
        self.total += total


@dataclass(frozen=True, slots=True)
class Match:
    """One row of the match log: a pair, a miss (`predicted` None) or a false positive (`gold`
    None). Indices point into the document's gold and predicted lists of the layer."""

    doc_id: str
    layer: str
    gold: int | None
    predicted: int | None
    outcomes: dict[str, str]
    """Per scheme: COR, PAR or INC for a pair; MIS or SPU otherwise."""

    def as_dict(self) -> dict[str, Any]:
        """The row as plain JSON-ready data.

        Examples
        --------
        >>> Match("d", "entities", 0, None, {"strict": "MIS"}).as_dict()["outcomes"]
        {'strict': 'MIS'}
        """
        return asdict(self)


@dataclass(frozen=True)
class MatchBlock:
    """The match log of one layer in one batch of documents, kept as columns.

    Rows become `Match` objects only when read (`rows`), and the aligned pairs can be read
    without them (`pairs`): a leaderboard build logs every item of a thousand submissions and
    reads only the pairs.
    """

    layer: str
    schemes: tuple[str, ...]
    doc_ids: Sequence[str]
    """The batch's documents."""
    doc: IntArray
    """Per row, its document (an index into `doc_ids`)."""
    gold: IntArray
    """Per row, the gold item's index in its document's list, or `NONE`."""
    predicted: IntArray
    """Per row, the prediction's index in its document's list, or `NONE`."""
    outcomes: IntArray
    """Rows x schemes: the `Outcome` of a pair, `NONE` for a miss or a false positive."""

    def rows(self) -> Iterator[Match]:
        """Every row: pairs, then misses, then false positives.

        Examples
        --------
        >>> block = MatchBlock("entities", ("strict",), ["d"], np.array([0, 0]),
        ...                    np.array([0, 1]), np.array([0, NONE]), np.array([[2], [NONE]]))
        >>> [(m.gold, m.predicted, m.outcomes) for m in block.rows()]
        [(0, 0, {'strict': 'COR'}), (1, None, {'strict': 'MIS'})]
        """
        columns = zip(
            self.doc.tolist(),
            self.gold.tolist(),
            self.predicted.tolist(),
            self.outcomes.tolist(),
            strict=True,
        )
        for doc, gold, predicted, codes in columns:
            if gold == NONE or predicted == NONE:
                tag = "MIS" if predicted == NONE else "SPU"
                outcomes = dict.fromkeys(self.schemes, tag)
            else:
                outcomes = {
                    name: _TAGS[code] for name, code in zip(self.schemes, codes, strict=True)
                }
            yield Match(
                self.doc_ids[doc],
                self.layer,
                None if gold == NONE else gold,
                None if predicted == NONE else predicted,
                outcomes,
            )

    def pairs(self, scheme: str) -> Iterator[tuple[str, int, int, str]]:
        """The aligned pairs as `(doc_id, gold index, predicted index, outcome under scheme)`.

        Examples
        --------
        >>> block = MatchBlock("entities", ("strict",), ["d"], np.array([0, 0]),
        ...                    np.array([0, 1]), np.array([0, NONE]), np.array([[2], [NONE]]))
        >>> list(block.pairs("strict"))
        [('d', 0, 0, 'COR')]
        """
        paired = np.flatnonzero((self.gold != NONE) & (self.predicted != NONE))
        codes = self.outcomes[paired, self.schemes.index(scheme)].tolist()
        columns = zip(
            self.doc[paired].tolist(),
            self.gold[paired].tolist(),
            self.predicted[paired].tolist(),
            codes,
            strict=True,
        )
        for doc, gold, predicted, code in columns:
            yield self.doc_ids[doc], gold, predicted, _TAGS[code]
