"""Claims and cross-document slots (DESIGN §3, gold/GUIDELINES.md §13).

A claim ties a number mention to the attribution that carries it (or to the outlet's own voice),
with what is counted and what happened to it. `gold/slots.json` groups the claims that answer
the same question across documents and labels every cross-document pair of members.
"""

from itertools import combinations
from typing import Annotated, Self

from pydantic import Field, model_validator

from claimbench.models.annotations import Span
from claimbench.models.base import OMITTED_WHEN_NULL, ContractModel, EntityId, ItemId
from claimbench.models.labels import ClaimEvent, CountedClass, SlotRelation

ClaimRef = Annotated[
    str,
    Field(
        min_length=3,
        max_length=401,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*:[A-Za-z0-9_.:-]+$",
        description='A claim of a gold document, as "<doc_id>:<claim_id>".',
    ),
]
Note = Annotated[str, Field(min_length=1, max_length=1000)]


def claim_doc(ref: str) -> str:
    """The document id of a `"<doc_id>:<claim_id>"` reference.

    Examples
    --------
    >>> claim_doc("002-voa:c3")
    '002-voa'
    """
    return ref.split(":", 1)[0]


class PredictedClaim(ContractModel):
    """A claim as a plugin returns it: the number and the attribution cue are given as spans.

    `cue` is the cue span of the attribution that carries the number; null is the outlet's own
    voice. `slot` is the plugin's own grouping key: claims of different documents with equal
    keys form one predicted slot (scored as pairwise links against `gold/slots.json`); null
    puts the claim in no slot. `within`, like a gold claim's, is the span of the number that
    states the size of the set a partitive restricts the claim to (GUIDELINES §13.8 C2): the
    claim's value, as the plugin's numbers give it, is capped at that number's value when its
    relations are derived. It is left out of dumps while null.
    """

    id: ItemId | None = None
    number: Span
    cue: Span | None = None
    counted: CountedClass
    event: ClaimEvent
    slot: Annotated[str, Field(min_length=1, max_length=400)] | None = None
    within: Annotated[Span | None, OMITTED_WHEN_NULL] = None


class Claim(ContractModel):
    """A gold claim: references to a number mention and an attribution of the same document.

    `within` is left out of dumps while null: claims without a partitive bound are written as
    before the field existed.
    """

    id: ItemId
    number: ItemId = Field(description="Id of a gold number mention of the same document.")
    attribution: ItemId | None = Field(
        description="Id of the innermost gold attribution whose content contains the number; "
        "null for the outlet's own voice."
    )
    counted: CountedClass
    event: ClaimEvent
    within: Annotated[ItemId | None, OMITTED_WHEN_NULL] = Field(
        default=None,
        description="Id of the gold number mention of the same document that states the size "
        'of the set a partitive restricts the claim to ("eight or nine of the [top 10] '
        "commanders\"); the claim's compared value is capped at that size (GUIDELINES §13.8, "
        "decision C2). Null when no partitive bounds the claim.",
    )
    note: Note | None = None


class SlotPair(ContractModel):
    """The relation between two members of a slot from different documents (`a` < `b`)."""

    a: ClaimRef
    b: ClaimRef
    relation: SlotRelation
    note: Note | None = None

    @model_validator(mode="after")
    def _well_formed(self) -> Self:
        if not self.a < self.b:
            raise ValueError(f"pair members must be in sorted order: {self.a!r} < {self.b!r}")
        if claim_doc(self.a) == claim_doc(self.b):
            raise ValueError(f"{self.a!r} and {self.b!r} are in the same document")
        if self.relation is SlotRelation.SCOPE_MISMATCH and self.note is None:
            raise ValueError("a scope_mismatch pair needs a `note` saying how the scopes differ")
        return self


class Slot(ContractModel):
    """Claims that answer one question: same episode, counted class and event.

    The id is `<episode>-<counted>-<event>`; `pairs` holds every unordered pair of members from
    different documents exactly once.
    """

    id: ItemId
    episode: EntityId
    counted: CountedClass
    event: ClaimEvent
    question: Annotated[str, Field(min_length=1, max_length=300)]
    members: Annotated[list[ClaimRef], Field(min_length=1)]
    pairs: list[SlotPair]
    note: Note | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        expected_id = f"{self.episode}-{self.counted.value}-{self.event.value}"
        if self.id != expected_id:
            raise ValueError(f"slot id {self.id!r} must be {expected_id!r}")
        if len(set(self.members)) != len(self.members):
            raise ValueError("a claim is listed twice among the members")
        expected = {
            (a, b) for a, b in combinations(sorted(self.members), 2) if claim_doc(a) != claim_doc(b)
        }
        given = [(pair.a, pair.b) for pair in self.pairs]
        if len(set(given)) != len(given):
            raise ValueError("a pair is labelled twice")
        missing = sorted(expected - set(given))
        extra = sorted(set(given) - expected)
        if missing or extra:
            raise ValueError(
                "pairs must be every cross-document pair of members exactly once; "
                f"missing {missing}, not pairs of members {extra}"
            )
        return self


class SlotsFile(ContractModel):
    """`gold/slots.json`: the cross-document slots; every gold claim is in exactly one slot."""

    schema_version: int = 1
    slots: list[Slot]

    @model_validator(mode="after")
    def _each_claim_once(self) -> Self:
        seen: dict[str, str] = {}
        ids: set[str] = set()
        for slot in self.slots:
            if slot.id in ids:
                raise ValueError(f"slot id {slot.id!r} is used twice")
            ids.add(slot.id)
            for member in slot.members:
                if member in seen:
                    raise ValueError(f"{member!r} is in slots {seen[member]!r} and {slot.id!r}")
                seen[member] = slot.id
        return self
