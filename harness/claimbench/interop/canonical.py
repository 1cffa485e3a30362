"""Canonical text for imported documents: no carriage returns, NFC, one paragraph per line.

An imported text is changed only where claimbench's text rules require it, and every change is
recorded as an `Edit`, so annotation offsets in the source text are projected through an
`OffsetMap` exactly as the seed repairs are. Unlike the seed repairs, nothing is rejoined or cut:
line wrapping, boilerplate and word splits are the source corpus's business.
"""

import re
import unicodedata

from claimbench.corpus.build import _edits
from claimbench.corpus.cleaning import PlannedEdit, _plan_nfc, apply_edits
from claimbench.corpus.offsets import OffsetMap
from claimbench.models import Edit, EditKind

_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
_SPACE_RUN = re.compile(r"[ \t\f\v\u00a0\r\n\u2028\u2029]+")


def plan_canonical_edits(source: str) -> list[PlannedEdit]:
    """The edits that make `source` canonical, sorted and non-overlapping.

    Parameters
    ----------
    source : str
        The imported document's text, as the source corpus has it.

    Returns
    -------
    list[PlannedEdit]
        Removal of a byte-order mark and of leading white space; `\\r\\n`, `\\r`, U+2028 and
        U+2029 become `\\n`; blank lines go; the text ends with one `\\n`; non-NFC clusters are
        normalised.

    Examples
    --------
    >>> source = "Head\\r\\n\\r\\nBody"
    >>> apply_edits(source, plan_canonical_edits(source))
    'Head\\nBody\\n'
    """
    edits: list[PlannedEdit] = []
    start = 0
    if source.startswith("\ufeff"):
        edits.append(PlannedEdit(0, 1, "", EditKind.BYTE_ORDER_MARK, "byte-order mark removed"))
        start = 1
    body_end = len(source[start:].rstrip()) + start
    position = start
    for run in _SPACE_RUN.finditer(source, start, body_end):
        whitespace = _plan_run(source, run.start(), run.end(), at_start=run.start() == start)
        edits += [*_plan_nfc(source, position, run.start()), *whitespace]
        position = run.end()
    edits += _plan_nfc(source, position, body_end)
    if source[body_end:] != "\n":
        reason = "the text ends with one line break"
        edits.append(PlannedEdit(body_end, len(source), "\n", EditKind.FINAL_NEWLINE, reason))
    return edits


def _plan_run(source: str, start: int, end: int, *, at_start: bool) -> list[PlannedEdit]:
    run = source[start:end]
    if at_start:
        return [PlannedEdit(start, end, "", EditKind.WHITESPACE, "leading white space")]
    breaks = list(_BREAK.finditer(run))
    if len(breaks) > 1:
        reason = "blank lines between paragraphs: one paragraph per line"
        return [PlannedEdit(start, end, "\n", EditKind.PARAGRAPH_BREAK, reason)]
    return [
        PlannedEdit(
            start + found.start(),
            start + found.end(),
            "\n",
            EditKind.WHITESPACE,
            f"line break {found.group()!r} becomes '\\n'",
        )
        for found in breaks
        if found.group() != "\n"
    ]


def canonicalise(source: str) -> tuple[str, list[Edit], OffsetMap]:
    """The canonical text of `source`, its edits, and the map from source to text offsets.

    Raises
    ------
    ValueError
        When the text is not NFC after cluster-wise normalisation (a composition across
        clusters, such as conjoining Hangul jamo), which the edit list cannot express.

    Examples
    --------
    >>> text, edits, omap = canonicalise("A\\r\\nB")
    >>> text, [edit.kind.value for edit in edits], omap.to_text(3, 4)
    ('A\\nB\\n', ['whitespace', 'final_newline'], (2, 3))
    """
    planned = plan_canonical_edits(source)
    text = apply_edits(source, planned)
    if not unicodedata.is_normalized("NFC", text):
        raise ValueError("the text is not in Unicode NFC after normalising each character cluster")
    edits = _edits(source, planned)
    return text, edits, OffsetMap(edits, len(source), len(text))
