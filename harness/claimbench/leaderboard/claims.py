"""The claims side of the leaderboard: the contradiction map page and each entry's claims and
slots figures.

The map page renders the rows of `claimbench.claims.contradiction_map` (the same data that
`claimbench claims` prints), reshaped here for the template: members numbered, each pair naming
its two members, and the notes of the pairs listed once. The figures come from
`claimbench.scoring.claims.score_claims`; they are shown beside the three layers and never enter
the overall score or the ranking.
"""

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claimbench.claims.contradiction_map import ContradictionMap, MapMember, MapRow
from claimbench.leaderboard.views import ClaimRow
from claimbench.models import SlotRelation

if TYPE_CHECKING:
    from claimbench.corpus.store import Corpus
    from claimbench.scoring.claims import ClaimFigures, ClaimScores
    from claimbench.validation.gold import GoldSet

FIGURE_NAMES = (
    ("value", "claim value"),
    ("source", "claim value + source"),
    ("links", "slot links"),
    ("contradictions", "contradictions"),
)
"""The `ClaimScores` figures shown, in order, with their names on the page."""
RELATION_ORDER = [relation.value for relation in SlotRelation]


@dataclass(frozen=True)
class SourceStepView:
    """One speaker of a source chain and the cue that introduces it."""

    speaker: str
    cue: str


@dataclass(frozen=True)
class MemberView:
    """One claim of a slot, numbered within its slot."""

    number: int
    label: str
    """The outlet, or the document id where the corpus names no outlet."""
    doc_id: str
    claim_id: str
    written: str
    """The value as written in the text."""
    normalised: str
    chain: list[SourceStepView]
    """Innermost speaker first; empty: the outlet's own voice."""
    note: str | None


@dataclass(frozen=True)
class PairView:
    """Two members of a slot, their relation, and the number of its note (1-based) if any."""

    a: MemberView
    b: MemberView
    relation: str
    contradiction: bool
    note: int | None


@dataclass(frozen=True)
class SlotView:
    """One slot of the map page."""

    slot: str
    question: str
    episode: str
    counted: str
    event: str
    members: list[MemberView]
    pairs: list[PairView]
    pair_notes: list[str]
    """The distinct notes of the pairs, in order of first use."""
    relation_counts: list[tuple[str, int]]
    """How many pairs have each relation, in `SlotRelation` order."""
    contradiction: bool
    disagreement: bool
    note: str | None


def map_views(contradiction_map: ContradictionMap) -> list[SlotView]:
    """The map's rows as the page shows them, in the order of `gold/slots.json`.

    Examples
    --------
    >>> map_views(ContradictionMap(rows=[]))
    []
    """
    return [slot_view(row) for row in contradiction_map.rows]


def slot_view(row: MapRow) -> SlotView:
    """One row of the map, its members numbered and its pair notes listed once."""
    members = {
        member.ref: _member_view(number, member)
        for number, member in enumerate(row.members, start=1)
    }
    notes: list[str] = []
    pairs = []
    for pair in row.pairs:
        if pair.note and pair.note not in notes:
            notes.append(pair.note)
        pairs.append(
            PairView(
                a=members[pair.a],
                b=members[pair.b],
                relation=pair.relation.value,
                contradiction=pair.relation is SlotRelation.CONTRADICTS,
                note=notes.index(pair.note) + 1 if pair.note else None,
            )
        )
    counts = Counter(pair.relation for pair in pairs)
    return SlotView(
        slot=row.slot,
        question=row.question,
        episode=row.episode,
        counted=row.counted.value,
        event=row.event.value,
        members=list(members.values()),
        pairs=pairs,
        pair_notes=notes,
        relation_counts=[(name, counts[name]) for name in RELATION_ORDER if counts[name]],
        contradiction=row.contradiction,
        disagreement=row.disagreement,
        note=row.note,
    )


def _member_view(number: int, member: MapMember) -> MemberView:
    return MemberView(
        number=number,
        label=member.label,
        doc_id=member.doc_id,
        claim_id=member.ref.split(":", 1)[1],
        written=member.number.text or "",
        normalised=member.normalised,
        chain=[SourceStepView(step.speaker, step.cue.text or "") for step in member.chain],
        note=member.note,
    )


def gold_map(gold: "GoldSet | None", corpus: "Corpus") -> ContradictionMap | None:
    """The contradiction map of validated gold, or None when there is no gold folder (`gold` is
    None) or it has no `slots.json` yet."""
    from claimbench.reporting.contradictions import gold_contradiction_map

    return None if gold is None else gold_contradiction_map(gold, corpus)


def claim_rows(scores: "ClaimScores | None") -> list[ClaimRow]:
    """An entry's claims and slots figures (scored by
    `claimbench.evaluation.pipeline.score_documents`, as in `claimbench evaluate`): claim
    value, value + source, slot link and contradiction figures; empty when they were not
    scored (no `claims` layer, or a gold without `slots.json`).

    Examples
    --------
    >>> claim_rows(None)
    []
    """
    if scores is None:
        return []
    return [_claim_row(name, getattr(scores, key)) for key, name in FIGURE_NAMES]


def _claim_row(name: str, figures: "ClaimFigures") -> ClaimRow:
    return ClaimRow(
        name=name,
        f1=figures.f1,
        precision=figures.precision,
        recall=figures.recall,
        gold=figures.gold,
    )
