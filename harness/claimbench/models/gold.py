"""Gold documents and the canonical entity catalogue (DESIGN §3)."""

from typing import Annotated, Self

from pydantic import Field, model_validator

from claimbench.models.annotations import Attribution, EntityMention, NumberMention
from claimbench.models.base import OMITTED_WHEN_NULL, ContractModel, DocId, EntityId, Sha256
from claimbench.models.claims import Claim
from claimbench.models.labels import EntityLabel
from claimbench.models.predictions import Extraction


class GoldDocument(ContractModel):
    """`gold/<doc_id>.json`. A layer that is present is annotated (an empty list means none in
    the text); a layer that is absent (or null) is not annotated: an imported corpus with
    entities only. It is then not scored and not in the overall score; a gold set annotates a
    layer in every document or in none (`claimbench.validation.predictions.annotated_layers`).

    `claims` is the later claims layer (GUIDELINES §13): null until the document is annotated.
    """

    schema_version: int = 1
    doc_id: DocId
    text_sha256: Sha256
    entities: Annotated[list[EntityMention] | None, OMITTED_WHEN_NULL] = None
    numbers: Annotated[list[NumberMention] | None, OMITTED_WHEN_NULL] = None
    attributions: Annotated[list[Attribution] | None, OMITTED_WHEN_NULL] = None
    claims: Annotated[list[Claim] | None, OMITTED_WHEN_NULL] = None

    @model_validator(mode="after")
    def _claims_need_their_layers(self) -> Self:
        if self.claims is not None and (self.numbers is None or self.attributions is None):
            raise ValueError("claims need the numbers and attributions layers annotated")
        return self

    def extraction(self) -> Extraction:
        """The entity, number and attribution layers as an `Extraction`, what the scorer and the
        span and id checks take (gold items subclass the predicted ones). `claims` are left out:
        they are scored against the slots (`claimbench.scoring.claims`).

        Examples
        --------
        >>> gold = GoldDocument(doc_id="d", text_sha256="0" * 64, entities=[], numbers=[],
        ...                     attributions=[], claims=[])
        >>> gold.extraction()
        Extraction(entities=[], numbers=[], attributions=[], claims=None)
        """
        # The items were validated with the document: not again.
        return Extraction.model_construct(
            entities=self.entities, numbers=self.numbers, attributions=self.attributions
        )


class GoldManifest(ContractModel):
    """`gold/manifest.json`: the gold's name and semantic version.

    The version changes with every correction of the gold (`gold/CHANGELOG.md` lists each one),
    so a result or a leaderboard entry can say which gold it was scored against. Gold folders
    made by the importers carry none.

    Examples
    --------
    >>> GoldManifest(name="claimbench-mastung-gold", version="1.0.0").version
    '1.0.0'
    """

    schema_version: int = 1
    name: Annotated[str, Field(min_length=1, max_length=200)]
    version: Annotated[str, Field(pattern=r"^[0-9]+\.[0-9]+\.[0-9]+$")]


class EntityRecord(ContractModel):
    """A canonical entity: the id that mentions point to, its name, label and aliases."""

    id: EntityId
    name: Annotated[str, Field(min_length=1)]
    label: EntityLabel | None
    aliases: list[str] = Field(default_factory=list)
    note: str | None = None


class EntityCatalog(ContractModel):
    """`gold/entities.json`."""

    schema_version: int = 1
    entities: list[EntityRecord]
