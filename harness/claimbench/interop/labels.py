"""Mapping a source corpus's annotation types onto claimbench's OntoNotes labels.

The default map is the identity on every OntoNotes label claimbench knows (entity and value
types), plus the four CoNLL-2003 types:

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

LabelMap = Mapping[str, str | None]
"""Source type -> claimbench label (an entity or number label), or None to drop the type."""


def default_label_map() -> dict[str, str | None]:
    """The identity on OntoNotes labels plus the CoNLL-2003 types.

    Examples
    --------
    >>> default_label_map()["PER"], default_label_map()["GPE"], default_label_map()["DATE"]
    ('PERSON', 'GPE', 'DATE')
    """
    identity: dict[str, str | None] = {label: label for label in ENTITY_LABELS | NUMBER_LABELS}
    return {**dict(sorted(identity.items())), **CONLL_DEFAULTS}


def label_map(overrides: Iterable[str] = ()) -> dict[str, str | None]:
    """The default map with `SOURCE=LABEL` overrides applied (`SOURCE=` drops the type).

    Parameters
    ----------
    overrides : Iterable[str]
        Strings such as ``"LOC=LOC"`` or ``"MISC="``.

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
    >>> mapping = label_map(["LOC=LOC", "MISC="])
    >>> mapping["LOC"], mapping["MISC"]
    ('LOC', None)
    """
    mapping = default_label_map()
    for override in overrides:
        source, sep, target = override.partition("=")
        if not sep or not source:
            raise UsageError(f"label map entry {override!r} is not SOURCE=LABEL")
        if target and target not in ENTITY_LABELS | NUMBER_LABELS:
            known = ", ".join(sorted(ENTITY_LABELS | NUMBER_LABELS))
            raise UsageError(f"label map entry {override!r}: unknown label (known: {known})")
        mapping[source] = target or None
    return mapping
