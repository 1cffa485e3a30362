"""The contradiction map of a gold folder: the gold loaded and validated, mapped, and rendered
for the terminal or as Markdown (`claimbench claims`)."""

from pathlib import Path

from claimbench.claims.contradiction_map import ContradictionMap, MapRow, build_contradiction_map
from claimbench.corpus.store import Corpus, load_corpus
from claimbench.errors import InputError
from claimbench.models import SlotRelation
from claimbench.reporting.formats import escape_markdown
from claimbench.validation.gold import SLOTS_FILE, GoldSet, load_gold


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
    >>> from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
    >>> found = load_contradiction_map(DEFAULT_GOLD, DEFAULT_CORPUS)
    >>> found.rows[0].slot
    'mastung-raid-militants-killed'
    """
    corpus = load_corpus(corpus_dir)
    gold = load_gold(gold_dir, corpus)
    found = gold_contradiction_map(gold, corpus)
    if found is None:
        annotated = sum(doc.claims is not None for doc in gold.documents.values())
        raise InputError.single(
            gold_dir / SLOTS_FILE,
            f"the gold has no claims yet: no {SLOTS_FILE} ({annotated} of "
            f"{len(gold.documents)} documents have `claims`); the contradiction map needs the "
            "adjudicated claims and slots (gold/GUIDELINES.md §13)",
        )
    return found


def gold_contradiction_map(gold: GoldSet, corpus: Corpus) -> ContradictionMap | None:
    """The contradiction map of validated gold, each document's outlet from the corpus
    manifest; None when the gold has no `slots.json` yet."""
    if gold.slots is None:
        return None
    outlets = {doc_id: corpus.entry(doc_id).outlet for doc_id in gold.documents}
    return build_contradiction_map(gold.documents, gold.slots, gold.catalog, outlets)


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
        lines += ["", f"### {escape_markdown(row.question)}{flag}", "", f"`{row.slot}`", ""]
        lines += ["| outlet | value | normalised | source |", "| --- | --- | --- | --- |"]
        for m in row.members:
            cells = (m.label, m.number.text, m.normalised, m.source)
            lines.append(f"| {' | '.join(escape_markdown(cell) for cell in cells)} |")
        if row.note:
            lines += ["", f"Note: {escape_markdown(row.note)}"]
        if row.pairs:
            lines.append("")
        for pair in row.pairs:
            relation_text = pair.relation.value
            if pair.relation is SlotRelation.CONTRADICTS:
                relation_text = f"**{relation_text}**"
            note = f" ({escape_markdown(pair.note)})" if pair.note else ""
            sides = (escape_markdown(_pair_side(row, ref)) for ref in (pair.a, pair.b))
            lines.append(f"- {' vs '.join(sides)}: {relation_text}{note}")
    return "\n".join(lines) + "\n"
