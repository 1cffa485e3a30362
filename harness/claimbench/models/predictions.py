"""What a plugin returns per document (DESIGN §4).

A layer that is absent (or null) means "not attempted" and is reported as N/A; an empty list
means "attempted, found nothing".
"""

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


class PredictionRecord(Extraction):
    """One line of a predictions JSON Lines file."""

    doc_id: DocId
