"""What a plugin returns per document (DESIGN §4).

A layer that is absent (or null) means "not attempted" and is reported as N/A; an empty list
means "attempted, found nothing".
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from claimbench.models.annotations import PredictedAttribution, PredictedEntity, PredictedNumber
from claimbench.models.base import DocId, OptionalClaimsModel
from claimbench.models.claims import PredictedClaim
from claimbench.models.labels import Layer


class Extraction(OptionalClaimsModel):
    """The layers a plugin extracted from one document.

    `claims` is an optional extra layer outside `Layer` (and the overall score), scored on its
    own; null means not attempted.
    """

    entities: list[PredictedEntity] | None = None
    numbers: list[PredictedNumber] | None = None
    attributions: list[PredictedAttribution] | None = None
    claims: list[PredictedClaim] | None = None

    def attempted(self) -> list[Layer]:
        """The layers present in this extraction, in `Layer` order."""
        return [layer for layer in Layer if getattr(self, layer.value) is not None]

    @classmethod
    def found_nothing(cls, layers: Iterable[Layer]) -> "Extraction":
        """What a document without predictions counts as: each of `layers` attempted, and
        nothing found (the one rule for a missing or failed document).

        Examples
        --------
        >>> Extraction.found_nothing([Layer.NUMBERS]).numbers
        []
        """
        return cls.model_construct(**{layer.value: [] for layer in layers})


class PredictionRecord(Extraction):
    """One line of a predictions JSON Lines file."""

    doc_id: DocId


@dataclass
class LayerPresence:
    """Which layers a set of extractions has: documents per layer, the first document
    without each layer, and whether any has claims.

    Examples
    --------
    >>> presence = LayerPresence.of({"a": Extraction(numbers=[]), "b": Extraction()})
    >>> presence.layers, presence.lacking[Layer.NUMBERS]
    ([<Layer.NUMBERS: 'numbers'>], 'b')
    """

    documents: int = 0
    counts: Counter[Layer] = field(default_factory=Counter)
    lacking: dict[Layer, str] = field(default_factory=dict)
    claims: bool = False

    @classmethod
    def of(cls, extractions: Mapping[str, Extraction]) -> "LayerPresence":
        """The presence of the layers of `extractions` (each is read once, in order)."""
        presence = cls()
        for doc_id, extraction in extractions.items():
            presence.add(doc_id, extraction)
        return presence

    def add(self, doc_id: str, extraction: Extraction) -> None:
        """Count the layers of one more document."""
        self.documents += 1
        self.claims = self.claims or extraction.claims is not None
        for layer in Layer:
            if getattr(extraction, layer.value) is not None:
                self.counts[layer] += 1
            else:
                self.lacking.setdefault(layer, doc_id)

    @property
    def layers(self) -> list[Layer]:
        """The layers present in any document, in `Layer` order."""
        return [layer for layer in Layer if self.counts[layer]]
