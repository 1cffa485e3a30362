"""The repairs that turn a raw seed into canonical text, planned as edits on the seed.

Each rule finds stretches of the seed and says what they become and why. The rules never
overlap: metadata is cut from the head, boilerplate from the tail, and in between only runs of
white space and non-NFC character clusters are touched. Applying the plan gives the canonical
text; the same plan is the offset map.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from claimbench.grounding import clusters
from claimbench.models import EditKind

# A leading scraper field such as " date 2017-06-05 " (DESIGN §2: metadata goes to the manifest).
METADATA_FIELD = re.compile(r"\A\s*date (?P<date>\d{4}-\d{2}-\d{2})\s+")

# Lines that start the web page around an article rather than the article itself. The cut is made
# at the first of these lines and runs to the end of the seed.
BOILERPLATE_MARKERS = (
    (re.compile(r"^Opinion$"), "the site's opinion list after the article"),
    (re.compile(r"^Do you like this article\?$"), "the site's reader poll and comment form"),
    (re.compile(r"^\d+ Comment\(s\)$"), "the site's comment form"),
)

# A single line break after one of these ends a paragraph; otherwise it wraps a line.
PARAGRAPH_END = frozenset(".!?:”\"’')]…")

# A word split by a line break is rejoined only when the joined word is common English and
# clearly more common (in Zipf units) than the rarer fragment: "ki|dnapped" but not "of|the".
JOINED_MIN_ZIPF = 3.0
JOINED_MARGIN_ZIPF = 1.0

_WHITESPACE_RUN = re.compile(r"[ \t\u00a0\u2028\u2029\r\n]+")
_LETTERS_BEFORE = re.compile(r"[^\W\d_]+\Z")
_LETTERS_AFTER = re.compile(r"\A[^\W\d_]+")

Lexicon = Callable[[str], float]
"""Zipf frequency of a lower-case English word (0 for unknown words)."""


@dataclass(frozen=True)
class PlannedEdit:
    """Replace seed `[start, end)` by `replacement`."""

    start: int
    end: int
    replacement: str
    kind: EditKind
    reason: str


def plan_edits(seed: str, lexicon: Lexicon) -> list[PlannedEdit]:
    """Plan every edit from `seed` to canonical text, sorted and non-overlapping.

    Parameters
    ----------
    seed : str
        The decoded seed text.
    lexicon : Lexicon
        Word frequencies used to tell a split word from a wrapped line.

    Returns
    -------
    list[PlannedEdit]
        The edits, in seed order.

    Examples
    --------
    >>> freq = {"kidnapped": 4.0, "ki": 3.9, "of": 7.4, "the": 7.7, "ofthe": 3.3}.get
    >>> [e.replacement for e in plan_edits("two ki\\ndnapped men\\n", lambda w: freq(w, 0.0))]
    ['']
    >>> apply_edits("two ki\\ndnapped men\\n", plan_edits("two ki\\ndnapped men\\n",
    ...             lambda w: freq(w, 0.0)))
    'two kidnapped men\\n'
    """
    body_start, head = _plan_head(seed)
    body_end, tail = _plan_tail(seed, body_start)
    body: list[PlannedEdit] = []
    for match in _WHITESPACE_RUN.finditer(seed, body_start, body_end):
        edit = _plan_whitespace(seed, match.start(), match.end(), lexicon)
        if edit is not None:
            body.append(edit)
    body.extend(_plan_nfc(seed, body_start, body_end))
    body.sort(key=lambda edit: edit.start)
    return [*head, *body, *tail]


def apply_edits(seed: str, edits: list[PlannedEdit]) -> str:
    """The text that `edits` make of `seed`."""
    parts: list[str] = []
    position = 0
    for edit in edits:
        parts.append(seed[position : edit.start])
        parts.append(edit.replacement)
        position = edit.end
    parts.append(seed[position:])
    return "".join(parts)


def _plan_head(seed: str) -> tuple[int, list[PlannedEdit]]:
    edits: list[PlannedEdit] = []
    position = 0
    if seed.startswith("\ufeff"):
        edits.append(PlannedEdit(0, 1, "", EditKind.BYTE_ORDER_MARK, "byte-order mark removed"))
        position = 1
    field = METADATA_FIELD.match(seed, position)
    if field:
        edits.append(
            PlannedEdit(
                position,
                field.end(),
                "",
                EditKind.METADATA,
                f"scraper metadata field 'date {field['date']}' moved to the manifest",
            )
        )
        return field.end(), edits
    leading = re.compile(r"\s+").match(seed, position)
    if leading:
        edits.append(
            PlannedEdit(position, leading.end(), "", EditKind.WHITESPACE, "leading white space")
        )
        return leading.end(), edits
    return position, edits


def _plan_tail(seed: str, body_start: int) -> tuple[int, list[PlannedEdit]]:
    cut, reason = len(seed), ""
    for line in re.finditer(r"^.*$", seed[body_start:], flags=re.MULTILINE):
        found = next(
            (why for marker, why in BOILERPLATE_MARKERS if marker.match(line.group().strip())),
            None,
        )
        if found:
            cut, reason = body_start + line.start(), found
            break
    body_end = len(seed[:cut].rstrip())
    removed = seed[body_end:]
    if cut < len(seed):
        return body_end, [PlannedEdit(body_end, len(seed), "\n", EditKind.BOILERPLATE, reason)]
    if removed != "\n":
        reason = "the text ends with one line break"
        return body_end, [PlannedEdit(body_end, len(seed), "\n", EditKind.FINAL_NEWLINE, reason)]
    return body_end, []


def _plan_whitespace(seed: str, start: int, end: int, lexicon: Lexicon) -> PlannedEdit | None:
    run = seed[start:end]
    breaks = len(re.findall(r"\r\n|\r|\n|\u2028|\u2029", run))
    if breaks == 0:
        if run == " ":
            return None
        return PlannedEdit(start, end, " ", EditKind.WHITESPACE, f"{run!r} becomes one space")
    if breaks > 1:
        if run == "\n":
            return None
        reason = "blank lines between paragraphs: one paragraph per line"
        return PlannedEdit(start, end, "\n", EditKind.PARAGRAPH_BREAK, reason)
    before = seed[:start]
    if before and before[-1] in PARAGRAPH_END:
        if run == "\n":
            return None
        return PlannedEdit(start, end, "\n", EditKind.PARAGRAPH_BREAK, "paragraph break")
    split = _word_split(before, seed[end:], lexicon)
    if split is not None:
        return PlannedEdit(start, end, "", EditKind.WORD_SPLIT, split)
    reason = "a line break inside a sentence (the line does not end a paragraph) becomes a space"
    return PlannedEdit(start, end, " ", EditKind.LINE_WRAP, reason)


def _word_split(before: str, after: str, lexicon: Lexicon) -> str | None:
    """The reason to rejoin the fragments around a line break, or None to keep them apart."""
    left = _LETTERS_BEFORE.search(before[-50:])
    right = _LETTERS_AFTER.search(after[:50])
    if not left or not right or not right.group()[0].islower():
        return None
    left_word, right_word = left.group(), right.group()
    joined = left_word + right_word
    joined_freq = lexicon(joined.lower())
    rarer_freq = min(lexicon(left_word.lower()), lexicon(right_word.lower()))
    if joined_freq < JOINED_MIN_ZIPF or joined_freq < rarer_freq + JOINED_MARGIN_ZIPF:
        return None
    return (
        f"word split by a line break: {left_word!r} + {right_word!r} -> {joined!r} "
        f"(word frequency {joined_freq:.2f} Zipf; rarer fragment {rarer_freq:.2f})"
    )


def _plan_nfc(seed: str, start: int, end: int) -> list[PlannedEdit]:
    """Edits that bring each non-NFC cluster (a base character and its marks) to NFC."""
    edits: list[PlannedEdit] = []
    for position, cluster_end in clusters(seed, start, end):
        cluster = seed[position:cluster_end]
        normal = unicodedata.normalize("NFC", cluster)
        if normal != cluster:
            reason = f"{cluster!r} is not in Unicode NFC"
            edits.append(PlannedEdit(position, cluster_end, normal, EditKind.UNICODE_NFC, reason))
    return edits
