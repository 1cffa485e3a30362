"""The contradiction map: one row per slot of `gold/slots.json`, each outlet's value and who it
is attributed to, and how the values relate (gold/GUIDELINES.md §13.7-13.9).

`build_contradiction_map` is pure (gold documents, slots, catalogue and outlets in, plain
pydantic data out), so the terminal command and the leaderboard page render the same map;
`load_contradiction_map` reads it from a gold folder and a corpus.
"""

from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from claimbench.claims.relations import Quantity
from claimbench.claims.resolve import ResolvedClaim, SourceStep, resolve_claims, speaker_names
from claimbench.errors import InputError, Problem
from claimbench.models import (
    ClaimEvent,
    CountedClass,
    EntityCatalog,
    GoldDocument,
    SlotRelation,
    SlotsFile,
    Span,
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MapMember(_Model):
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


class MapPair(_Model):
    """Two members of a slot from different documents and their relation."""

    a: str
    b: str
    relation: SlotRelation
    note: str | None = None


class MapRow(_Model):
    """One slot: the question, its members and pairs, and whether any pair contradicts."""

    slot: str
    question: str
    episode: str
    counted: CountedClass
    event: ClaimEvent
    members: list[MapMember]
    pairs: list[MapPair]
    contradiction: bool
    note: str | None = None

    def member(self, ref: str) -> MapMember:
        """The member named `ref` (`KeyError` when there is none)."""
        for member in self.members:
            if member.ref == ref:
                return member
        raise KeyError(ref)


class ContradictionMap(_Model):
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
    InputError
        When a slot names a claim that is not in the documents.

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
    >>> row.contradiction
    False
    """
    names = speaker_names(catalog)
    claims: dict[str, ResolvedClaim] = {}
    for doc_id, document in documents.items():
        for claim in resolve_claims(document, names, file=f"{doc_id}.json"):
            claims[claim.ref] = claim
    missing = [
        Problem(
            "slots.json",
            "not a claim of a gold document",
            field=f"slots[{s}].members",
            value=ref,
            has_value=True,
        )
        for s, slot in enumerate(slots.slots)
        for ref in slot.members
        if ref not in claims
    ]
    if missing:
        raise InputError(missing)
    rows = [
        MapRow(
            slot=slot.id,
            question=slot.question,
            episode=slot.episode,
            counted=slot.counted,
            event=slot.event,
            members=[_member(claims[ref], outlets.get(claims[ref].doc_id)) for ref in slot.members],
            pairs=[
                MapPair(a=pair.a, b=pair.b, relation=pair.relation, note=pair.note)
                for pair in slot.pairs
            ],
            contradiction=any(p.relation is SlotRelation.CONTRADICTS for p in slot.pairs),
            note=slot.note,
        )
        for slot in slots.slots
    ]
    return ContradictionMap(rows=rows)


def load_contradiction_map(gold_dir: Path, corpus_dir: Path) -> ContradictionMap:
    """The contradiction map of the gold folder `gold_dir` (validated first).

    Parameters
    ----------
    gold_dir, corpus_dir : Path
        The gold folder (with `slots.json`) and the corpus it annotates.

    Returns
    -------
    ContradictionMap
        See `build_contradiction_map`.

    Raises
    ------
    InputError
        When the gold is invalid, or has no claims yet (no `slots.json`).

    Examples
    --------
    `claimbench claims` prints it; the leaderboard page renders the same rows.
    """
    from claimbench.corpus.store import load_corpus
    from claimbench.validation.gold import SLOTS_FILE, load_gold

    corpus = load_corpus(corpus_dir)
    gold = load_gold(gold_dir, corpus)
    if gold.slots is None:
        annotated = sum(doc.claims is not None for doc in gold.documents.values())
        raise InputError.single(
            gold_dir / SLOTS_FILE,
            f"the gold has no claims yet: no {SLOTS_FILE} ({annotated} of "
            f"{len(gold.documents)} documents have `claims`); the contradiction map needs the "
            "adjudicated claims and slots (gold/GUIDELINES.md §13)",
        )
    outlets = {doc_id: corpus.entry(doc_id).outlet for doc_id in gold.documents}
    return build_contradiction_map(gold.documents, gold.slots, gold.catalog, outlets)
