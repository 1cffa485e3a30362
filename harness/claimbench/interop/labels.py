"""Mapping a source corpus's annotation types onto claimbench's OntoNotes labels.

Every map is the identity on the OntoNotes labels claimbench knows (entity and value types), so
brat and spaCy corpora annotated with OntoNotes types come in unchanged, and maps CoNLL's
unambiguous PER to PERSON. The CoNLL-2003 importer also maps the other three CoNLL types (LOC
and MISC only there, since an OntoNotes corpus's LOC means LOC), unless the files' tags use
OntoNotes types (GPE, DATE, ...: `uses_ontonotes_types`), as OntoNotes data in the CoNLL
layout does; their LOC is then OntoNotes's natural location and stays LOC:

=====  ===========  ==========================================================================
CoNLL  claimbench   why
=====  ===========  ==========================================================================
PER    PERSON       the same class
ORG    ORG          the same class
LOC    GPE          most CoNLL locations are countries, cities and regions (OntoNotes GPE);
                    map ``LOC=LOC`` for a corpus of mountains, rivers and seas
MISC   NORP         the largest MISC group is nationalities and groups ("German", "Muslim");
                    MISC also holds events and titles, so map ``MISC=`` to drop it when that
                    matters
=====  ===========  ==========================================================================

Any entry can be overridden with ``SOURCE=LABEL``; ``SOURCE=`` (no label) drops that type on
purpose. A type that the map does not name is an error, never silently dropped.
"""

from collections.abc import Iterable, Mapping

from claimbench.errors import UsageError
from claimbench.models import ENTITY_LABELS, NUMBER_LABELS

CONLL_DEFAULTS: Mapping[str, str] = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE", "MISC": "NORP"}
ONTONOTES_EXTRAS: Mapping[str, str] = {"PER": "PERSON"}

_ONTONOTES_ONLY = (ENTITY_LABELS | NUMBER_LABELS) - set(CONLL_DEFAULTS)

LabelMap = Mapping[str, str | None]
"""Source type -> claimbench label (an entity or number label), or None to drop the type."""


def default_label_map(*, conll: bool = False) -> dict[str, str | None]:
    """The identity on OntoNotes labels plus PER, and the CoNLL-2003 types when `conll`.

    Examples
    --------
    >>> default_label_map()["LOC"], default_label_map(conll=True)["LOC"]
    ('LOC', 'GPE')
    >>> default_label_map()["PER"], default_label_map()["DATE"], "MISC" in default_label_map()
    ('PERSON', 'DATE', False)
    """
    identity: dict[str, str | None] = {label: label for label in ENTITY_LABELS | NUMBER_LABELS}
    extras = CONLL_DEFAULTS if conll else ONTONOTES_EXTRAS
    return {**dict(sorted(identity.items())), **extras}


def label_map(overrides: Iterable[str] = (), *, conll: bool = False) -> dict[str, str | None]:
    """The default map with `SOURCE=LABEL` overrides applied (`SOURCE=` drops the type).

    Parameters
    ----------
    overrides : Iterable[str]
        Strings such as ``"LOC=LOC"`` or ``"MISC="``.
    conll : bool
        Start from the CoNLL-2003 defaults (LOC -> GPE, MISC -> NORP).

    Returns
    -------
    dict[str, str | None]
        The complete map.

    Raises
    ------
    UsageError
        When an override has no `=` or names a label claimbench does not know.

    Examples
    --------
    >>> mapping = label_map(["LOC=LOC", "MISC="], conll=True)
    >>> mapping["LOC"], mapping["MISC"]
    ('LOC', None)
    """
    mapping = default_label_map(conll=conll)
    for override in overrides:
        source, sep, target = override.partition("=")
        if not sep or not source:
            raise UsageError(f"label map entry {override!r} is not SOURCE=LABEL")
        if target and target not in ENTITY_LABELS | NUMBER_LABELS:
            known = ", ".join(sorted(ENTITY_LABELS | NUMBER_LABELS))
            raise UsageError(f"label map entry {override!r}: unknown label (known: {known})")
        mapping[source] = target or None
    return mapping


def uses_ontonotes_types(types: Iterable[str]) -> bool:
    """Whether tag types are OntoNotes's: any OntoNotes label that is not a CoNLL-2003 type.

    Parameters
    ----------
    types : Iterable[str]
        The entity types a file's tags name.

    Returns
    -------
    bool
        True when the CoNLL-2003 defaults (LOC=GPE, MISC=NORP) do not apply.

    Examples
    --------
    >>> uses_ontonotes_types({"PER", "LOC", "ORG", "MISC"}), uses_ontonotes_types({"LOC", "GPE"})
    (False, True)
    """
    return not _ONTONOTES_ONLY.isdisjoint(types)
