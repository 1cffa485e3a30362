"""The contradiction map: one row per slot of `gold/slots.json`, each outlet's value and who it
is attributed to, and how the values relate (gold/GUIDELINES.md §13.7-13.9).

`build_contradiction_map` is pure (gold documents, slots, catalogue and outlets in, plain
pydantic data out), so the terminal command and the leaderboard page render the same map;
`claimbench.reporting.contradictions` reads it from a gold folder and renders it.
"""

from collections.abc import Mapping

from claimbench.claims.relations import Quantity
from claimbench.claims.resolve import ResolvedClaim, SourceStep, resolve_claims, speaker_names
from claimbench.models import (
    ClaimEvent,
    CountedClass,
    EntityCatalog,
    GoldDocument,
    SlotPair,
    SlotRelation,
    SlotsFile,
    Span,
)
from claimbench.models.base import ContractModel


class MapMember(ContractModel):
    """One claim of a slot: which document and outlet, the value as written and normalised,
    and its source chain."""

    ref: str
    """`"<doc_id>:<claim_id>"`."""
    doc_id: str
    outlet: str | None
    """The outlet from the corpus manifest (None where the text does not name it)."""
    number: Span
    """The number mention: offsets and text (`number.text` is the value as written)."""
    value: Quantity
    normalised: str
    """`value` for readers, e.g. "~12", ">= 7", "12-13", "3 days"."""
    attribution: str | None
    chain: list[SourceStep]
    """The carrying attribution and its parents, innermost first (empty: the outlet's voice)."""
    source: str
    """The chain as one line: "a provincial government official (VOA)", "intelligence
    reports <- Local media (VOA)" or "outlet's own voice"."""
    note: str | None = None

    @property
    def label(self) -> str:
        """The outlet, or the document id where the outlet is unknown."""
        return self.outlet or self.doc_id


class MapRow(ContractModel):
    """One slot: the question, its members and pairs, and whether any pair contradicts."""

    slot: str
    question: str
    episode: str
    counted: CountedClass
    event: ClaimEvent
    members: list[MapMember]
    pairs: list[SlotPair]
    contradiction: bool
    """Some pair is labelled `contradicts`."""
    disagreement: bool
    """Some pair is labelled other than `equal`: the outlets do not all say the same (a
    contradiction, a wider or narrower value, an approximate one, or another scope)."""
    note: str | None = None

    def member(self, ref: str) -> MapMember:
        """The member named `ref` (`KeyError` when there is none)."""
        for member in self.members:
            if member.ref == ref:
                return member
        raise KeyError(ref)


class ContradictionMap(ContractModel):
    """Every slot of the gold, in the order of `gold/slots.json`."""

    rows: list[MapRow]

    @property
    def contradictions(self) -> list[MapRow]:
        """The rows with at least one `contradicts` pair."""
        return [row for row in self.rows if row.contradiction]


def _member(claim: ResolvedClaim, outlet: str | None) -> MapMember:
    return MapMember(
        ref=claim.ref,
        doc_id=claim.doc_id,
        outlet=outlet,
        number=claim.number,
        value=claim.value,
        normalised=str(claim.value),
        attribution=claim.attribution,
        chain=claim.chain,
        source=claim.chain_text(outlet),
        note=claim.note,
    )


def build_contradiction_map(
    documents: Mapping[str, GoldDocument],
    slots: SlotsFile,
    catalog: EntityCatalog | None,
    outlets: Mapping[str, str | None],
) -> ContradictionMap:
    """The contradiction map of validated gold, as plain data.

    The gold is not checked again: it must be as `claimbench.validation.gold.load_gold` returns
    it (`claim_problems` and `slot_problems` find nothing).

    Parameters
    ----------
    documents : Mapping[str, GoldDocument]
        Gold documents with their claims.
    slots : SlotsFile
        `gold/slots.json`.
    catalog : EntityCatalog or None
        `gold/entities.json`, for speaker names (None: source texts only).
    outlets : Mapping[str, str or None]
        Outlet per document id (the corpus manifest's `outlet`).

    Returns
    -------
    ContradictionMap
        One row per slot, members in the order of the slot, pairs as labelled.

    Raises
    ------
    KeyError
        On gold that is not valid: a slot naming a claim the documents do not have, or a claim
        naming a number or attribution its document does not have (see `resolve_claims`).
    AssertionError
        On a claim naming a number without a comparable value (see `resolve_claims`).

    Examples
    --------
    >>> from claimbench.fileio import read_json
    >>> from claimbench.paths import DEFAULT_GOLD
    >>> docs = {}
    >>> for doc_id, number, attribution in (("002-voa", "n4", "a2"),
    ...                                     ("004-quetta-security-forces", "n5", "a3")):
    ...     data = read_json(DEFAULT_GOLD / f"{doc_id}.json")
    ...     data["claims"] = [{"id": "c1", "number": number, "attribution": attribution,
    ...                        "counted": "security_personnel", "event": "injured"}]
    ...     docs[doc_id] = GoldDocument.model_validate(data)
    >>> slots = SlotsFile.model_validate({"slots": [{
    ...     "id": "mastung-raid-security_personnel-injured", "episode": "mastung-raid",
    ...     "counted": "security_personnel", "event": "injured",
    ...     "question": "How many security personnel were injured in the Mastung raid?",
    ...     "members": ["002-voa:c1", "004-quetta-security-forces:c1"],
    ...     "pairs": [{"a": "002-voa:c1", "b": "004-quetta-security-forces:c1",
    ...                "relation": "equal"}]}]})
    >>> row = build_contradiction_map(docs, slots, None, {"002-voa": "VOA"}).rows[0]
    >>> [(m.label, m.number.text, m.source) for m in row.members]
    [('VOA', 'five', 'A military statement (VOA)'), \
('004-quetta-security-forces', '5', 'it')]
    >>> row.contradiction, row.disagreement
    (False, False)
    """
    names = speaker_names(catalog)
    claims = {
        claim.ref: claim
        for document in documents.values()
        for claim in resolve_claims(document, names)
    }
    rows = [
        MapRow(
            slot=slot.id,
            question=slot.question,
            episode=slot.episode,
            counted=slot.counted,
            event=slot.event,
            members=[_member(claims[ref], outlets.get(claims[ref].doc_id)) for ref in slot.members],
            pairs=slot.pairs,
            contradiction=any(p.relation is SlotRelation.CONTRADICTS for p in slot.pairs),
            disagreement=any(p.relation is not SlotRelation.EQUAL for p in slot.pairs),
            note=slot.note,
        )
        for slot in slots.slots
    ]
    return ContradictionMap(rows=rows)


def only_contradictions(contradiction_map: ContradictionMap) -> ContradictionMap:
    """The rows with at least one `contradicts` pair (each with all its members and pairs).

    Examples
    --------
    >>> only_contradictions(ContradictionMap(rows=[])).rows
    []
    """
    return ContradictionMap(rows=contradiction_map.contradictions)
