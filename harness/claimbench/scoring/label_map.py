"""Mapping predicted labels onto the gold's labels at scoring time (`--label-map`).

A plugin that emits OntoNotes labels can be scored on a corpus annotated with fewer types (an
imported CoNLL-2003 corpus has PERSON, ORG, GPE and NORP: `claimbench.interop.labels`) without
a second entry point: each predicted entity or number whose label the map names gets the
mapped label, or is left out when the map sends it to nothing. A label stays in its layer (an
entity label maps onto an entity label). The map is applied to the predictions only, before
scoring, and recorded in the results' provenance.

The built-in `ontonotes-to-conll` map sends the OntoNotes name types onto the labels the CoNLL
importer gives the four CoNLL types: LOC and FAC onto GPE (CoNLL's LOC, imported as GPE, holds
both), and the types CoNLL calls MISC (NORP, EVENT, WORK_OF_ART, PRODUCT, LAW, LANGUAGE) onto
NORP (MISC is imported as NORP).
"""

from collections.abc import Iterable, Mapping

from claimbench.errors import UsageError
from claimbench.models import ENTITY_LABELS, NUMBER_LABELS, Extraction
from claimbench.models.compiled import replaced

LabelMapping = Mapping[str, str | None]
"""Predicted label -> gold label, or None to leave such predictions out."""

NAMED_LABEL_MAPS: Mapping[str, LabelMapping] = {
    "ontonotes-to-conll": {
        "LOC": "GPE",
        "FAC": "GPE",
        "EVENT": "NORP",
        "WORK_OF_ART": "NORP",
        "PRODUCT": "NORP",
        "LAW": "NORP",
        "LANGUAGE": "NORP",
    },
}


def check_label_map(mapping: LabelMapping, where: str = "--label-map") -> dict[str, str | None]:
    """`mapping` as a dict, once every entry is checked: both labels known, in one layer.

    Parameters
    ----------
    mapping : LabelMapping
        Predicted label -> gold label (None: leave out).
    where : str
        What to name in an error (the option or the file).

    Returns
    -------
    dict[str, str | None]
        The same entries.

    Raises
    ------
    UsageError
        Naming the first entry with an unknown label or one that changes layer.

    Examples
    --------
    >>> check_label_map({"LOC": "GPE", "MONEY": None})
    {'LOC': 'GPE', 'MONEY': None}
    >>> check_label_map({"LOC": "DATE"})
    Traceback (most recent call last):
    claimbench.errors.UsageError: --label-map LOC=DATE: an entity label maps onto an entity label
    """
    for source, target in mapping.items():
        layer = _layer_labels(source)
        if layer is None:
            raise UsageError(f"{where} {source}={target or ''}: unknown label {source!r}")
        if target is not None and target not in layer:
            kind = "an entity" if layer is ENTITY_LABELS else "a number"
            known = "" if _layer_labels(target) else f" ({target!r} is not a label)"
            raise UsageError(
                f"{where} {source}={target}: {kind} label maps onto {kind} label{known}"
            )
    return dict(mapping)


def _layer_labels(label: str) -> frozenset[str] | None:
    """The labels of the layer `label` belongs to (None: not a label)."""
    return next((labels for labels in (ENTITY_LABELS, NUMBER_LABELS) if label in labels), None)


def parse_label_map(entries: Iterable[str]) -> dict[str, str | None]:
    """The map that `PRED=GOLD` entries (`PRED=` leaves PRED out) and built-in names make,
    later entries overriding earlier ones.

    Parameters
    ----------
    entries : Iterable[str]
        ``"LOC=GPE"``, ``"MONEY="`` or a name of `NAMED_LABEL_MAPS`.

    Returns
    -------
    dict[str, str | None]
        The checked map.

    Raises
    ------
    UsageError
        For an entry that is neither, or a label that is not known.

    Examples
    --------
    >>> parse_label_map(["ontonotes-to-conll", "LAW="])["LAW"] is None
    True
    """
    mapping: dict[str, str | None] = {}
    for entry in entries:
        source, sep, target = entry.partition("=")
        if sep:
            mapping[source] = target or None
        elif entry in NAMED_LABEL_MAPS:
            mapping.update(NAMED_LABEL_MAPS[entry])
        else:
            names = ", ".join(NAMED_LABEL_MAPS)
            raise UsageError(
                f"--label-map {entry!r}: expected PRED=GOLD, a mapping file or a name ({names})"
            )
    return check_label_map(mapping)


def map_labels(extraction: Extraction, mapping: LabelMapping) -> Extraction:
    """`extraction` with its entity and number labels mapped (items mapped to None left out).

    Parameters
    ----------
    extraction : Extraction
        One document's predictions.
    mapping : LabelMapping
        A checked map (`check_label_map`).

    Returns
    -------
    Extraction
        A copy; layers that were not attempted stay absent.

    Examples
    --------
    >>> from claimbench.models import PredictedEntity
    >>> found = Extraction(entities=[PredictedEntity(start=0, end=5, label="LOC"),
    ...                              PredictedEntity(start=6, end=9, label="LAW")])
    >>> [e.label.value for e in map_labels(found, {"LOC": "GPE", "LAW": None}).entities]
    ['GPE']
    """
    update = {}
    for layer in ("entities", "numbers"):
        items = getattr(extraction, layer)
        if items is not None:
            update[layer] = [
                replaced(item, label=type(item.label)(mapping[item.label.value]))
                if item.label.value in mapping and mapping[item.label.value] is not None
                else item
                for item in items
                if mapping.get(item.label.value, item.label.value) is not None
            ]
    return replaced(extraction, **update)
