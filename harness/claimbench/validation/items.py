"""Checks shared by gold and predictions: spans against the text, ids, references."""

from collections.abc import Iterator
from operator import attrgetter

from claimbench.errors import Problem, Where, describe_value, json_path
from claimbench.models import Extraction, Span


def layer_spans(extraction: Extraction) -> Iterator[tuple[tuple[str | int, ...], Span]]:
    """Every span of every attempted layer, with its JSON path as parts,
    `("attributions", 2, "content", 0)` (formatted by `json_path` only for a problem: most
    spans have none)."""
    for index, entity in enumerate(extraction.entities or []):
        yield ("entities", index), entity
    for index, number in enumerate(extraction.numbers or []):
        yield ("numbers", index), number
    for index, attribution in enumerate(extraction.attributions or []):
        yield ("attributions", index, "cue"), attribution.cue
        if attribution.source is not None:
            yield ("attributions", index, "source"), attribution.source
        for part, content in enumerate(attribution.content):
            yield ("attributions", index, "content", part), content
    for index, claim in enumerate(extraction.claims or []):
        yield ("claims", index, "number"), claim.number
        if claim.cue is not None:
            yield ("claims", index, "cue"), claim.cue


_END, _TEXT, _ID = attrgetter("end"), attrgetter("text"), attrgetter("id")


def _flat_spans_fit(extraction: Extraction, length: int) -> bool:
    """Whether every entity and number ends within the text and gives no `text` to compare,
    and there are no attributions or claims: then no span has a problem. Checked at C speed,
    since most predictions are such flat layers."""
    if extraction.attributions or extraction.claims:
        return False
    items = [*(extraction.entities or ()), *(extraction.numbers or ())]
    return max(map(_END, items), default=0) <= length and not any(map(_TEXT, items))


def span_problems(extraction: Extraction, text: str, where: Where) -> list[Problem]:
    """Spans that fall outside the text or whose `text` differs from the document's."""
    if _flat_spans_fit(extraction, len(text)):
        return []
    problems = []
    for path, span in layer_spans(extraction):
        if span.end > len(text):
            problems.append(
                where.problem(
                    f"offset out of range: the document has {len(text)} characters",
                    json_path((*path, "end")),
                    span.end,
                )
            )
        elif span.text is not None and text[span.start : span.end] != span.text:
            problems.append(
                where.problem(
                    f"span text differs from the document, which has "
                    f"{describe_value(text[span.start : span.end])} at [{span.start}, {span.end})",
                    json_path((*path, "text")),
                    span.text,
                )
            )
    return problems


def id_problems(extraction: Extraction, where: Where) -> list[Problem]:
    """Item ids used twice in one document, and attribution parents that do not resolve."""
    if not extraction.attributions and not any(
        map(_ID, [*(extraction.entities or ()), *(extraction.numbers or ())])
    ):
        return []  # no ids, no parents: nothing to check (at C speed)
    problems = []
    seen: dict[str, str] = {}
    items = [
        *(("entities", i, item) for i, item in enumerate(extraction.entities or [])),
        *(("numbers", i, item) for i, item in enumerate(extraction.numbers or [])),
        *(("attributions", i, item) for i, item in enumerate(extraction.attributions or [])),
    ]
    for layer, index, item in items:
        if item.id is None:
            continue
        path = f"{layer}[{index}].id"
        if item.id in seen:
            problems.append(
                where.problem(f"duplicate id (first used at {seen[item.id]})", path, item.id)
            )
        else:
            seen[item.id] = path
    attribution_ids = {a.id for a in extraction.attributions or [] if a.id is not None}
    for index, attribution in enumerate(extraction.attributions or []):
        parent = attribution.parent
        if parent is None:
            continue
        path = f"attributions[{index}].parent"
        if parent == attribution.id:
            problems.append(where.problem("an attribution cannot be its own parent", path, parent))
        elif parent not in attribution_ids:
            problems.append(
                where.problem("parent is not an attribution of this document", path, parent)
            )
    return problems
