"""The match log: which gold item matched which prediction, and what each scheme made of it."""

from dataclasses import asdict, dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict


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
    None). Indices point into the document's gold and predicted lists of the layer. A plain
    dataclass: a leaderboard build makes hundreds of thousands of them."""

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
