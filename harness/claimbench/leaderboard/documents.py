"""The documents a page highlights, as JSON for the page's script (`templates/documents.js`).

A submission page shows every document with its matches, false positives and misses; the corpus
page shows the gold. The pages carry the texts, the items and the aligned pairs, and the script
cuts the text at every span edge and wraps the pieces in `<mark>` elements in the reader's
browser. Building a thousand pages then costs one JSON dump of each submission's predictions,
not a thousand highlighted documents in Python; the texts and the gold are serialised once per
build and shared by every page.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup
from pydantic import TypeAdapter

from claimbench.leaderboard.views import DocumentView, Pair
from claimbench.models import (
    Extraction,
    Layer,
    PredictedAttribution,
    PredictedEntity,
    PredictedNumber,
    PredictionRecord,
)

_SPAN = {"start": True, "end": True}
FIELDS = {
    Layer.ENTITIES.value: {"__all__": {"start", "end", "label"}},
    Layer.NUMBERS.value: {"__all__": {"start", "end", "label", "value", "timex"}},
    Layer.ATTRIBUTIONS.value: {
        "__all__": {"cue": _SPAN, "source": _SPAN, "content": {"__all__": _SPAN}, "quote": True}
    },
}
"""What the script reads of each item: its spans, label, value, timex or quote type."""
_LISTS = {
    Layer.ENTITIES.value: TypeAdapter(list[PredictedEntity]),
    Layer.NUMBERS.value: TypeAdapter(list[PredictedNumber]),
    Layer.ATTRIBUTIONS.value: TypeAdapter(list[PredictedAttribution]),
}
_ESCAPES = (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"))
"""JSON inside `<script>`: no character may close the element or open a comment."""

Pairs = Mapping[tuple[str, str], Sequence[Pair]]
"""Aligned pairs by (document id, layer)."""


@dataclass(frozen=True)
class GoldDocuments:
    """Every document's heading, text and gold, each layer serialised once for all pages of a
    build."""

    headings: list[DocumentView]
    texts: dict[str, str]
    """The text of each document as a JSON string."""
    gold: dict[tuple[str, str], str]
    """The gold items of each (document, layer) as a JSON array."""

    @classmethod
    def of(
        cls,
        headings: Sequence[DocumentView],
        texts: Mapping[str, str],
        gold: Mapping[str, Extraction],
    ) -> "GoldDocuments":
        """Serialise the texts and gold of the documents, in the order of `headings`.

        Examples
        --------
        >>> from claimbench.models import PredictedEntity
        >>> gold = {"d": Extraction(entities=[PredictedEntity(start=0, end=3, label="ORG")])}
        >>> shared = GoldDocuments.of([DocumentView("d", None, None)], {"d": "ISI"}, gold)
        >>> shared.gold[("d", "entities")]
        '[{"start":0,"end":3,"label":"ORG"}]'
        """
        doc_ids = [heading.doc_id for heading in headings]
        return cls(
            headings=list(headings),
            texts={doc_id: json.dumps(texts[doc_id], ensure_ascii=False) for doc_id in doc_ids},
            gold={
                (doc_id, layer): _items_json(gold[doc_id], layer)
                for doc_id in doc_ids
                for layer in FIELDS
            },
        )


def documents_json(
    documents: GoldDocuments,
    layers: Sequence[str],
    *,
    schemes: Mapping[str, str] | None = None,
    predicted: Sequence[PredictionRecord] | None = None,
    pairs: Pairs | None = None,
) -> Markup:
    """The JSON a page's script highlights, safe to place inside `<script>`.

    Parameters
    ----------
    documents : GoldDocuments
        Texts and gold, serialised once per build.
    layers : Sequence[str]
        The layers the page shows.
    schemes : Mapping[str, str], optional
        The headline scheme of each layer, named in the hover text of refused pairs.
    predicted : Sequence[PredictionRecord], optional
        A submission's predictions (None: the corpus page, gold only). A document without a
        record, or a record without a layer, found nothing there.
    pairs : Pairs, optional
        The aligned pairs of the predictions, from the scorer's match log.

    Returns
    -------
    Markup
        `{"schemes", "documents": [{"id", "text", "gold", "pairs"}, ...], "predicted"}`, with
        `<`, `>` and `&` escaped as JSON escapes.

    Examples
    --------
    >>> from claimbench.models import PredictedEntity
    >>> gold = {"d": Extraction(entities=[PredictedEntity(start=0, end=3, label="ORG")])}
    >>> shared = GoldDocuments.of([DocumentView("d", None, None)], {"d": "<b>"}, gold)
    >>> page = str(documents_json(shared, ["entities"]))
    >>> "<" in page, json.loads(page)["documents"][0]["text"]
    (False, '<b>')
    """
    parts = []
    for doc_id in (heading.doc_id for heading in documents.headings):
        gold = ",".join(f'"{layer}":{documents.gold[(doc_id, layer)]}' for layer in layers)
        part = f'{{"id":{json.dumps(doc_id)},"text":{documents.texts[doc_id]},"gold":{{{gold}}}'
        if predicted is not None:
            aligned = {layer: (pairs or {}).get((doc_id, layer), []) for layer in layers}
            part += f',"pairs":{json.dumps(aligned, separators=(",", ":"))}'
        parts.append(part + "}")
    head = json.dumps(dict(schemes or {}), separators=(",", ":"))
    text = f'{{"schemes":{head},"documents":[{",".join(parts)}]'
    if predicted is not None:
        records = ",".join(_record_json(record, layers) for record in predicted)
        text += f',"predicted":[{records}]'
    text += "}"
    for character, escaped in _ESCAPES:
        text = text.replace(character, escaped)
    return Markup(text)  # safe inside <script>: every "<" is escaped


def _record_json(record: PredictionRecord, layers: Sequence[str]) -> str:
    # Layer by layer: a record's own serialiser (which drops an absent claims layer) would be
    # called once per record, and costs more than the dumps it wraps.
    found = "".join(
        f',"{layer}":{_items_json(record, layer)}'
        for layer in layers
        if getattr(record, layer) is not None
    )
    return f'{{"doc_id":{json.dumps(record.doc_id)}{found}}}'


def _items_json(extraction: Extraction, layer: str) -> str:
    items = getattr(extraction, layer) or []
    return _LISTS[layer].dump_json(items, include=FIELDS[layer], exclude_none=True).decode()
