"""The contradiction map: one row per slot of `gold/slots.json`, each outlet's value and who it
is attributed to, and how the values relate (gold/GUIDELINES.md §13.7-13.9).

`build_contradiction_map` is pure (gold documents, slots, catalogue and outlets in, plain
pydantic data out), so the terminal command and the leaderboard page render the same map;
`claimbench.reporting.contradictions.load_contradiction_map` reads it from a gold folder and
a corpus.
"""

import re
from collections.abc import Mapping

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
    >>> row.contradiction, row.disagreement
    (False, False)
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
            disagreement=any(p.relation is not SlotRelation.EQUAL for p in slot.pairs),
            note=slot.note,
        )
        for slot in slots.slots
    ]
    return ContradictionMap(rows=rows)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")
CONTRADICTION_MARK = "!!"
"""Marks a contradicting pair in the terminal layout."""


def _pair_side(row: MapRow, ref: str) -> str:
    """`Outlet "value"`, with the claim id when the document has several members here."""
    member = row.member(ref)
    side = f'{member.label} "{member.number.text}"'
    if sum(m.doc_id == member.doc_id for m in row.members) > 1:
        side += f" ({ref.split(':', 1)[1]})"
    return side


def render_table(contradiction_map: ContradictionMap) -> str:
    """The map for a terminal: per slot its id and question, one line per member (outlet, value
    as written, normalised value, source chain), then the relations, contradictions marked.

    Examples
    --------
    >>> print(render_table(ContradictionMap(rows=[])), end="")
    contradiction map: 0 slots, 0 with a contradiction
    """
    rows = contradiction_map.rows
    lines = [
        f"contradiction map: {len(rows)} slots, "
        f"{sum(row.contradiction for row in rows)} with a contradiction"
    ]
    for row in rows:
        flag = f"  {CONTRADICTION_MARK} CONTRADICTION" if row.contradiction else ""
        if row.disagreement and not row.contradiction:
            flag = "  (values differ, no contradiction)"
        lines += ["", f"{row.slot}{flag}", f"  {row.question}"]
        cells = [
            (m.label, f'"{m.number.text}"', m.normalised, m.source, m.ref) for m in row.members
        ]
        widths = [max(len(cell[i]) for cell in cells) for i in range(3)]
        for label, text, value, source, ref in cells:
            columns = (label.ljust(widths[0]), text.ljust(widths[1]), value.ljust(widths[2]))
            lines.append(f"    {'  '.join(columns)}  {source}  [{ref}]")
        if row.note:
            lines.append(f"  note: {row.note}")
        if row.pairs:
            lines.append("  relations:")
        for pair in row.pairs:
            mark = CONTRADICTION_MARK if pair.relation is SlotRelation.CONTRADICTS else " " * 2
            note = f" ({pair.note})" if pair.note else ""
            lines.append(
                f"  {mark}  {_pair_side(row, pair.a)} vs {_pair_side(row, pair.b)}: "
                f"{pair.relation.value}{note}"
            )
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """`text` safe inside Markdown (table cells included): specials escaped, one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def render_markdown(contradiction_map: ContradictionMap) -> str:
    """The map as Markdown: per slot a heading, a table of members and a list of relations,
    contradictions in bold.

    Examples
    --------
    >>> render_markdown(ContradictionMap(rows=[])).splitlines()[0]
    '## Contradiction map: 0 slots, 0 with a contradiction'
    """
    rows = contradiction_map.rows
    lines = [
        f"## Contradiction map: {len(rows)} slots, "
        f"{sum(row.contradiction for row in rows)} with a contradiction"
    ]
    for row in rows:
        flag = " (contradiction)" if row.contradiction else ""
        lines += ["", f"### {_md(row.question)}{flag}", "", f"`{row.slot}`", ""]
        lines += ["| outlet | value | normalised | source |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {_md(m.label)} | {_md(m.number.text)} | {_md(m.normalised)} | {_md(m.source)} |"
            for m in row.members
        ]
        if row.note:
            lines += ["", f"Note: {_md(row.note)}"]
        if row.pairs:
            lines.append("")
        for pair in row.pairs:
            relation_text = pair.relation.value
            if pair.relation is SlotRelation.CONTRADICTS:
                relation_text = f"**{relation_text}**"
            note = f" ({_md(pair.note)})" if pair.note else ""
            lines.append(
                f"- {_md(_pair_side(row, pair.a))} vs {_md(_pair_side(row, pair.b))}: "
                f"{relation_text}{note}"
            )
    return "\n".join(lines) + "\n"


def only_contradictions(contradiction_map: ContradictionMap) -> ContradictionMap:
    """The rows with at least one `contradicts` pair (each with all its members and pairs).

    Examples
    --------
    >>> only_contradictions(ContradictionMap(rows=[])).rows
    []
    """
    return ContradictionMap(rows=contradiction_map.contradictions)
