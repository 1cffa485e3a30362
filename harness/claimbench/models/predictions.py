"""What a plugin returns per document (DESIGN §4).

A layer that is absent (or null) means "not attempted" and is reported as N/A; an empty list
means "attempted, found nothing".
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated

from claimbench.models.annotations import PredictedAttribution, PredictedEntity, PredictedNumber
from claimbench.models.base import OMITTED_WHEN_NULL, ContractModel, DocId
from claimbench.models.claims import PredictedClaim
from claimbench.models.labels import Layer

_LAYER_FIELDS = tuple((layer, layer.value) for layer in Layer)
"""Each layer with its field name, in `Layer` order: read for every document, where iterating
the enum and reading `.value` cost more than the rest of the loop."""


class Extraction(ContractModel):
    """The layers a plugin extracted from one document.

    `claims` is an optional extra layer outside `Layer` (and the overall score), scored on its
    own; null means not attempted.
    """

    entities: list[PredictedEntity] | None = None
    numbers: list[PredictedNumber] | None = None
    attributions: list[PredictedAttribution] | None = None
    claims: Annotated[list[PredictedClaim] | None, OMITTED_WHEN_NULL] = None

    def attempted(self) -> list[Layer]:
        """The layers present in this extraction, in `Layer` order."""
        return [layer for layer, name in _LAYER_FIELDS if getattr(self, name) is not None]

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
    without each layer, and whether any has claims; and how many numbers and attributions
    there are, and how many lack what their layer's headline needs (`silent_zeros`).

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
    numbers: int = 0
    numbers_without_value: int = 0
    attributions: int = 0
    attributions_without_source: int = 0
    lacking_line: dict[Layer, int] = field(default_factory=dict)
    """The line of the first document without each layer, when read from a file."""

    @classmethod
    def of(cls, extractions: Mapping[str, Extraction]) -> "LayerPresence":
        """The presence of the layers of `extractions` (each is read once, in order)."""
        presence = cls()
        for doc_id, extraction in extractions.items():
            presence.add(doc_id, extraction)
        return presence

    def add(self, doc_id: str, extraction: Extraction, line: int | None = None) -> None:
        """Count the layers of one more document (read from `line` of a file, if given)."""
        self.documents += 1
        self.claims = self.claims or extraction.claims is not None
        for number in extraction.numbers or ():
            self.numbers += 1
            self.numbers_without_value += number.value is None and number.timex is None
        for attribution in extraction.attributions or ():
            self.attributions += 1
            self.attributions_without_source += attribution.source is None
        for layer, name in _LAYER_FIELDS:
            if getattr(extraction, name) is not None:
                self.counts[layer] += 1
            elif layer not in self.lacking:
                self.lacking[layer] = doc_id
                if line is not None:
                    self.lacking_line[layer] = line

    @property
    def layers(self) -> list[Layer]:
        """The layers present in any document, in `Layer` order."""
        return [layer for layer in Layer if self.counts[layer]]

    def silent_zeros(self) -> list[str]:
        """Why a headline will be (nearly) zero whatever the spans: every predicted number
        lacks its normalised value, or every predicted attribution lacks a source.

        Examples
        --------
        >>> from claimbench.models import PredictedNumber
        >>> numbers = [PredictedNumber(start=0, end=2, label="CARDINAL")]
        >>> print(*LayerPresence.of({"a": Extraction(numbers=numbers)}).silent_zeros())
        ... # doctest: +ELLIPSIS
        none of the 1 predicted numbers has a `value` (`timex` for DATE and TIME): ...
        """
        found = []
        if self.numbers and self.numbers_without_value == self.numbers:
            found.append(
                f"none of the {self.numbers} predicted numbers has a `value` (`timex` for DATE "
                "and TIME): the numbers headline (value F1) counts a number only when its "
                "normalised value equals the gold's, so it is 0 whatever the spans; "
                "claimbench.normalise gives values"
            )
        if self.attributions and self.attributions_without_source == self.attributions:
            found.append(
                f"none of the {self.attributions} predicted attributions has a `source`: the "
                "attributions headline counts an attribution only when its source overlaps "
                "the gold's (or both are absent), so only the gold's sourceless attributions "
                "can match"
            )
        return found
