"""The documents a page highlights, as JSON for the page's script (`templates/documents.js`).

A submission page shows every document with its matches, false positives and misses; the corpus
page shows the gold. The pages carry the texts, the items and the aligned pairs, and the script
cuts the text at every span edge and wraps the pieces in `<mark>` elements in the reader's
browser. The texts and the gold (`corpus_json`) are the same on every page: serialised once per
build, and put into each submission page only when it is written, so a build's worker renders
and sends back a page without them. Per submission there is only its predictions and pairs
(`submission_json`).
"""

import json
from collections.abc import Mapping, Sequence

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


def corpus_json(
    headings: Sequence[DocumentView], texts: Mapping[str, str], gold: Mapping[str, Extraction]
) -> Markup:
    """Every document's text and gold items (every layer), in the order of `headings`: the
    JSON that the corpus page and every submission page carry, the same on all of them.

    Returns
    -------
    Markup
        `{"documents": [{"id", "text", "gold": {layer: [item, ...]}}, ...]}`, safe inside
        `<script>` (`<`, `>` and `&` escaped as JSON escapes).

    Examples
    --------
    >>> from claimbench.models import PredictedEntity
    >>> gold = {"d": Extraction(entities=[PredictedEntity(start=0, end=3, label="ORG")])}
    >>> page = str(corpus_json([DocumentView("d", None, None)], {"d": "<b>"}, gold))
    >>> "<" in page, json.loads(page)["documents"][0]["gold"]["entities"]
    (False, [{'start': 0, 'end': 3, 'label': 'ORG'}])
    """
    parts = []
    for doc_id in (heading.doc_id for heading in headings):
        layers = ",".join(f'"{layer}":{_items_json(gold[doc_id], layer)}' for layer in FIELDS)
        text = json.dumps(texts[doc_id], ensure_ascii=False)
        parts.append(f'{{"id":{json.dumps(doc_id)},"text":{text},"gold":{{{layers}}}}}')
    return safe_json(f'{{"documents":[{",".join(parts)}]}}')


def submission_json(
    schemes: Mapping[str, str], predicted: Sequence[PredictionRecord], pairs: Pairs
) -> Markup:
    """A submission's predictions and their aligned pairs, which its page's script marks on
    the texts and gold of `corpus_json`.

    Parameters
    ----------
    schemes : Mapping[str, str]
        The layers the page shows, each with its headline scheme (named in the hover text of
        refused pairs).
    predicted : Sequence[PredictionRecord]
        The predictions. A document without a record, or a record without a layer, found
        nothing there.
    pairs : Pairs
        The aligned pairs of the predictions, from the scorer's match log.

    Returns
    -------
    Markup
        `{"schemes", "pairs": {doc_id: {layer: [[gold, predicted, outcome], ...]}},
        "predicted": [record, ...]}`, safe inside `<script>`.

    Examples
    --------
    >>> from claimbench.models import PredictedEntity
    >>> found = PredictionRecord(doc_id="d", entities=[PredictedEntity(start=0, end=3,
    ...                                                                 label="ORG")])
    >>> pairs = {("d", "entities"): [(0, 0, "COR")]}
    >>> json.loads(str(submission_json({"entities": "strict"}, [found], pairs)))["pairs"]
    {'d': {'entities': [[0, 0, 'COR']]}}
    """
    by_document: dict[str, dict[str, Sequence[Pair]]] = {}
    for (doc_id, layer), aligned in pairs.items():
        if layer in schemes:
            by_document.setdefault(doc_id, {})[layer] = aligned
    head = json.dumps(dict(schemes), separators=(",", ":"))
    aligned = json.dumps(by_document, separators=(",", ":"))
    records = ",".join(_record_json(record, list(schemes)) for record in predicted)
    return safe_json(f'{{"schemes":{head},"pairs":{aligned},"predicted":[{records}]}}')


def safe_json(text: str) -> Markup:
    """JSON text made safe inside `<script>`: `<`, `>` and `&` as JSON escapes.

    Examples
    --------
    >>> "<" in safe_json('{"a": "</script>"}')
    False
    """
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
