"""Grounding: from the strings an extractor returned back to character offsets in the text.

A language model answers with strings ("Mastung", "around a dozen", a quotation), not offsets,
and its strings rarely match the text byte for byte: it straightens curly quotes, collapses or
adds spaces, returns decomposed accents, or repeats a name that occurs several times. This
module finds each string in the document and says which occurrence it took and why, so every
plugin grounds its strings the same way.

Rules
-----
**Folding.** The document and each string are compared after the same folding, character
cluster by character cluster (a character with its combining marks): Unicode NFKC (so NFD and
NFC spellings, ligatures, full-width forms and no-break spaces compare equal); every single
quotation mark (‘ ’ ‚ ‛ ′ ` ´) becomes ``'``, every double one (“ ” „ ‟ ″ « ») ``"``, every dash
or hyphen (‐ ‑ ‒ – — ― −) ``-``; zero-width characters and soft hyphens are dropped; a run of
whitespace (line breaks included) is one space. A string is also stripped of surrounding
whitespace. Case is kept: "Mastung" never grounds on "mastung". A grounded span always covers
whole clusters of the original text, and its edges are never whitespace.

**Candidates.** Every occurrence of the folded string in the folded document, overlapping ones
included, in text order. An occurrence is *whole-word* when the string's first and last
characters do not continue a word of the text ("IS" in "IS militants", not in "ISLAMABAD").

**Choice**, in this order, each step applied only when it is asked for or needed:

1. ``occurrence=k``: the k-th candidate (0-based, counting every candidate). Out of range: not
   grounded.
2. ``before`` / ``after`` context: the candidates whose surroundings agree with the context
   over the most characters (common suffix of the folded text before the candidate and the
   folded ``before``, plus common prefix after it and the folded ``after``) are kept.
3. ``near=offset``: the candidates whose start is closest to the offset are kept.
4. Whole-word candidates are kept when there are any.
5. Repeated requests: when a batch (`ground_all`) asks several times for the same folded
   string with the same folded context and ``near``, and no ``occurrence``, the n-th request
   takes the n-th remaining candidate in text order, so a name returned twice lands on its
   first two occurrences, never twice on one. A request beyond the last candidate is not
   grounded (a duplicate answer, reported as ``exhausted``).

When more than one candidate remains for the first request, the first is taken and the result
is marked ambiguous. Nothing depends on anything but the text and the requests, so grounding
is deterministic.

Examples
--------
>>> from claimbench.grounding import Request, ground, ground_all
>>> text = "Officials said “12 militants” died in Mastung.\\nMastung is in Balochistan."
>>> g = ground(text, '"12  militants"')
>>> g.span, text[g.start : g.end], g.resolution.value
((15, 29), '“12 militants”', 'unique')
>>> report = ground_all(text, ["Mastung", "Mastung", "Mastung", "Quetta"])
>>> [r.span for r in report.results]
[(38, 45), (47, 54), None, None]
>>> print(report.describe())
'Mastung': 2 occurrences, took the first (ambiguous)
'Mastung': request 2 for this string took occurrence 2 of 2
'Mastung': not grounded: all 2 occurrences already taken by earlier requests
'Quetta': not grounded: not found in the text
"""

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum

_SINGLE_QUOTES = "‘’‚‛′`´"
_DOUBLE_QUOTES = "“”„‟″«»"
_DASHES = "‐‑‒–—―−"
_STYLE = str.maketrans(
    {
        **dict.fromkeys(_SINGLE_QUOTES, "'"),
        **dict.fromkeys(_DOUBLE_QUOTES, '"'),
        **dict.fromkeys(_DASHES, "-"),
        **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", ""),
    }
)


class Resolution(Enum):
    """How a request was resolved (or why it was not)."""

    UNIQUE = "unique"
    OCCURRENCE = "occurrence"
    CONTEXT = "context"
    NEAR = "near"
    WHOLE_WORD = "whole-word"
    REPEATED = "repeated"
    FIRST = "first"
    NOT_FOUND = "not-found"
    OUT_OF_RANGE = "out-of-range"
    EXHAUSTED = "exhausted"
    EMPTY = "empty"


_NOT_GROUNDED = {
    Resolution.NOT_FOUND,
    Resolution.OUT_OF_RANGE,
    Resolution.EXHAUSTED,
    Resolution.EMPTY,
}


@dataclass(frozen=True)
class Request:
    """A string an extractor returned, with what it said about where it is.

    Attributes
    ----------
    text:
        The string, as the extractor wrote it.
    before, after:
        Optional text just before and just after it in the document.
    occurrence:
        Optional 0-based index among all occurrences of the folded string, in text order.
    near:
        Optional character offset; the occurrence starting closest to it is preferred.
    """

    text: str
    before: str = ""
    after: str = ""
    occurrence: int | None = None
    near: int | None = None


@dataclass(frozen=True)
class Grounded:
    """Where one request was grounded, or why it was not.

    Attributes
    ----------
    request:
        What was asked.
    start, end:
        The span in the original text (half-open code-point offsets), or None.
    candidates:
        How many occurrences of the folded string the text has.
    resolution:
        Which rule decided (see the module's rules).
    remaining:
        How many candidates were still equally good when the rules had been applied; more than
        one for `Resolution.FIRST` means the choice was ambiguous.
    rank:
        Which of those was taken (0-based); above 0 only for a repeated request.
    """

    request: Request
    start: int | None
    end: int | None
    candidates: int
    resolution: Resolution
    remaining: int = 1
    rank: int = 0

    @property
    def span(self) -> tuple[int, int] | None:
        """``(start, end)``, or None when the request was not grounded."""
        return None if self.start is None or self.end is None else (self.start, self.end)

    @property
    def ambiguous(self) -> bool:
        """True when several candidates were equally good and the first was taken."""
        return self.resolution is Resolution.FIRST

    def describe(self) -> str:
        """One line saying what happened to the request, for a plugin's log.

        Examples
        --------
        >>> ground("a cat, a cat", "cat", occurrence=5).describe()
        "'cat': not grounded: occurrence 5 asked for, 2 found"
        """
        name = repr(self.request.text)
        reasons = {
            Resolution.UNIQUE: "the only occurrence",
            Resolution.OCCURRENCE: f"occurrence {self.request.occurrence} as asked",
            Resolution.CONTEXT: f"chosen by its context among {self.candidates}",
            Resolution.NEAR: f"the closest to offset {self.request.near} of {self.candidates}",
            Resolution.WHOLE_WORD: f"the only whole-word one of {self.candidates}",
            Resolution.FIRST: f"{self.remaining} occurrences, took the first (ambiguous)",
            Resolution.NOT_FOUND: "not grounded: not found in the text",
            Resolution.OUT_OF_RANGE: (
                f"not grounded: occurrence {self.request.occurrence} asked for, "
                f"{self.candidates} found"
            ),
            Resolution.EXHAUSTED: (
                f"not grounded: all {self.remaining} occurrences already taken by earlier requests"
            ),
            Resolution.EMPTY: "not grounded: nothing but whitespace",
        }
        if self.resolution is Resolution.REPEATED:
            return (
                f"{name}: request {self.rank + 1} for this string took occurrence "
                f"{self.rank + 1} of {self.remaining}"
            )
        return f"{name}: {reasons[self.resolution]}"


@dataclass(frozen=True)
class GroundingReport:
    """The results of a batch of requests, in request order.

    Attributes
    ----------
    results:
        One `Grounded` per request.
    """

    results: tuple[Grounded, ...] = field(default_factory=tuple)

    @property
    def grounded(self) -> list[Grounded]:
        """The requests that were grounded (ambiguous ones included)."""
        return [result for result in self.results if result.span is not None]

    @property
    def ungrounded(self) -> list[Grounded]:
        """The requests that could not be grounded."""
        return [result for result in self.results if result.span is None]

    @property
    def ambiguous(self) -> list[Grounded]:
        """The requests grounded on the first of several equally good occurrences."""
        return [result for result in self.results if result.ambiguous]

    def describe(self, everything: bool = False) -> str:
        """What could not be grounded or was not obvious, one line per request.

        Parameters
        ----------
        everything:
            Also list the requests with a single occurrence.

        Returns
        -------
        str
            Lines of `Grounded.describe`, joined by line breaks.

        Examples
        --------
        >>> print(ground_all("one two", ["two", "three"]).describe(everything=True))
        'two': the only occurrence
        'three': not grounded: not found in the text
        """
        return "\n".join(
            result.describe()
            for result in self.results
            if everything or result.resolution is not Resolution.UNIQUE
        )


@dataclass(frozen=True)
class _Folded:
    """A text after folding, with the original span of each folded character."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def fold(text: str) -> str:
    """The folded form of `text` that grounding compares (see the module's rules).

    Parameters
    ----------
    text:
        Any string.

    Returns
    -------
    str
        NFKC, quotes and dashes in one style, zero-width characters dropped, whitespace runs as
        one space, no whitespace at either end.

    Examples
    --------
    >>> fold("  “Caf\u0065\u0301”\u00a0— \\n ‘ok’ ")
    '"Café" - \\'ok\\''
    """
    return _fold_with_offsets(text).text.strip(" ")


def clusters(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """The spans of the character clusters of `text[start:end]`: each character with the
    marks that follow it (combining marks, and spacing marks such as vowel signs) or, in
    Hangul written as letters, the vowel and final consonant that follow it (a mark at `start`
    begins a cluster). Grounding folds the text cluster by cluster;
    `claimbench.corpus.cleaning` brings each cluster to NFC, which composes no further.

    Parameters
    ----------
    text : str
        Any string.
    start, end : int, optional
        The part of `text` to cut (default: all of it).

    Returns
    -------
    Iterator[tuple[int, int]]
        `(start, end)` of each cluster, in text order, covering the part without gaps.

    Examples
    --------
    >>> list(clusters("Cafe\u0301!"))
    [(0, 1), (1, 2), (2, 3), (3, 5), (5, 6)]
    >>> list(clusters("e\u0301e\u0301", 1))
    [(1, 2), (2, 4)]
    >>> list(clusters("\u1109\u1165\u110b\u116e\u11af"))  # 서울 as Hangul letters
    [(0, 2), (2, 5)]
    """
    stop = len(text) if end is None else end
    cluster_start = start
    for index in range(start + 1, stop + 1):
        # Below U+0300 nothing joins: most text is decided by the comparison, without a call.
        if index == stop or text[index] < "\u0300" or not _joins(text[index]):
            yield cluster_start, index
            cluster_start = index


def _joins(char: str) -> bool:
    """Whether `char` (U+0300 or above) belongs to the cluster before it (see `clusters`)."""
    return (
        unicodedata.combining(char) != 0
        or unicodedata.category(char) == "Mc"
        or "\u1160" <= char <= "\u11ff"  # Hangul Jamo vowels and final consonants
        or "\ud7b0" <= char <= "\ud7ff"  # and their extension B
    )


def _fold_with_offsets(text: str) -> _Folded:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in clusters(text):
        folded = unicodedata.normalize("NFKC", text[start:end]).translate(_STYLE)
        for char in folded:
            if char.isspace():
                if chars and chars[-1] == " ":
                    ends[-1] = end
                    continue
                char = " "
            chars.append(char)
            starts.append(start)
            ends.append(end)
    return _Folded("".join(chars), tuple(starts), tuple(ends))


def _occurrences(haystack: str, needle: str) -> list[int]:
    found = []
    index = haystack.find(needle)
    while index >= 0:
        found.append(index)
        index = haystack.find(needle, index + 1)
    return found


def _common_suffix(left: str, right: str) -> int:
    count = 0
    while count < min(len(left), len(right)) and left[-1 - count] == right[-1 - count]:
        count += 1
    return count


def _common_prefix(left: str, right: str) -> int:
    count = 0
    while count < min(len(left), len(right)) and left[count] == right[count]:
        count += 1
    return count


class Grounder:
    """Grounds requests on one document; keeps the folded text for many requests.

    Parameters
    ----------
    text:
        The document's text.

    Examples
    --------
    >>> grounder = Grounder("He said: 'No.' She said: 'Yes.'")
    >>> grounder.ground(Request("said", after=": ‘Yes")).span
    (19, 23)
    >>> grounder.find("said")
    [(3, 7), (19, 23)]
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._folded = _fold_with_offsets(text)

    def find(self, string: str) -> list[tuple[int, int]]:
        """Every occurrence of `string`, whole-word ones only when there are any.

        Parameters
        ----------
        string:
            What to look for; folded like the text.

        Returns
        -------
        list of (int, int)
            Spans in text order.

        Examples
        --------
        >>> Grounder("IS said ISIS and IS").find("IS")
        [(0, 2), (17, 19)]
        """
        needle = fold(string)
        positions = _occurrences(self._folded.text, needle) if needle else []
        if not positions:
            return []
        whole_word, _ = self._narrow(Request(string), len(needle), positions)
        return [self._span(position, len(needle)) for position in whole_word]

    def ground_all(self, requests: Sequence[Request | str]) -> GroundingReport:
        """Ground a batch of requests; the n-th of identical requests takes the n-th remaining
        occurrence (rule 5). See the module function `ground_all`.

        Parameters
        ----------
        requests:
            Strings, or `Request` objects.

        Returns
        -------
        GroundingReport
            One result per request, in order.

        Examples
        --------
        >>> [r.span for r in Grounder("a b a").ground_all(["a", "a"]).results]
        [(0, 1), (4, 5)]
        """
        asked: dict[tuple[str, str, str, int | None], int] = {}
        results = []
        for item in requests:
            request = Request(item) if isinstance(item, str) else item
            taken = 0
            if request.occurrence is None:
                key = (fold(request.text), fold(request.before), fold(request.after), request.near)
                taken = asked.get(key, 0)
                asked[key] = taken + 1
            results.append(self.ground(request, taken))
        return GroundingReport(tuple(results))

    def ground(self, request: Request, taken: int = 0) -> Grounded:
        """Ground one request.

        Parameters
        ----------
        request:
            The string and what is known about where it is.
        taken:
            How many earlier requests of a batch were the same request (rule 5).

        Returns
        -------
        Grounded
            The span, or why there is none.

        Examples
        --------
        >>> Grounder("5 dead, 5 hurt").ground(Request("5", after=" hurt")).span
        (8, 9)
        """
        needle = fold(request.text)
        positions = _occurrences(self._folded.text, needle) if needle else []
        count = len(positions)
        if not needle or not positions:
            reason = Resolution.NOT_FOUND if needle else Resolution.EMPTY
            return Grounded(request, None, None, count, reason, 0)
        if request.occurrence is not None:
            if not 0 <= request.occurrence < count:
                return Grounded(request, None, None, count, Resolution.OUT_OF_RANGE, 0)
            chosen = positions[request.occurrence]
            return self._result(request, chosen, needle, count, Resolution.OCCURRENCE, 1)
        remaining, decided_by = self._narrow(request, len(needle), positions)
        if taken >= len(remaining):
            return Grounded(request, None, None, count, Resolution.EXHAUSTED, len(remaining))
        if taken:
            resolution = Resolution.REPEATED
        elif len(remaining) > 1:
            resolution = Resolution.FIRST
        elif count == 1:
            resolution = Resolution.UNIQUE
        else:
            resolution = decided_by or Resolution.UNIQUE
        chosen = remaining[taken]
        return self._result(request, chosen, needle, count, resolution, len(remaining), taken)

    def _narrow(
        self, request: Request, length: int, positions: list[int]
    ) -> tuple[list[int], Resolution | None]:
        """Rules 2 to 4: keep the candidates the context, `near` and word edges prefer; say
        which rule left a single one."""
        steps = []
        if request.before or request.after:
            before, after = fold(request.before), fold(request.after)
            steps.append(
                (Resolution.CONTEXT, lambda p: self._context_score(before, after, p, length))
            )
        if request.near is not None:
            near = request.near
            steps.append((Resolution.NEAR, lambda p: -abs(self._span(p, length)[0] - near)))
        steps.append((Resolution.WHOLE_WORD, lambda p: self._whole_word(p, length)))
        decided_by = None
        for resolution, merit in steps:
            best = max(merit(p) for p in positions)
            kept = [p for p in positions if merit(p) == best]
            if len(kept) == 1 < len(positions) and decided_by is None:
                decided_by = resolution
            positions = kept
        return positions, decided_by

    def _context_score(self, before: str, after: str, position: int, length: int) -> int:
        """Characters of (folded) context that agree: before the candidate, then after it. The
        folded text has single spaces, so one character more than the context is enough."""
        text, end = self._folded.text, position + length
        preceding = text[max(0, position - len(before) - 1) : position].rstrip(" ")
        following = text[end : end + len(after) + 1].lstrip(" ")
        return _common_suffix(preceding, before) + _common_prefix(following, after)

    def _whole_word(self, position: int, length: int) -> bool:
        text = self._folded.text
        end = position + length
        starts_word = position == 0 or not (
            text[position].isalnum() and text[position - 1].isalnum()
        )
        ends_word = end == len(text) or not (text[end - 1].isalnum() and text[end].isalnum())
        return starts_word and ends_word

    def _span(self, position: int, length: int) -> tuple[int, int]:
        return self._folded.starts[position], self._folded.ends[position + length - 1]

    def _result(
        self,
        request: Request,
        position: int,
        needle: str,
        count: int,
        resolution: Resolution,
        remaining: int,
        rank: int = 0,
    ) -> Grounded:
        start, end = self._span(position, len(needle))
        return Grounded(request, start, end, count, resolution, remaining, rank)


def ground(
    text: str,
    string: str,
    *,
    before: str = "",
    after: str = "",
    occurrence: int | None = None,
    near: int | None = None,
) -> Grounded:
    """Ground one string on a text.

    Parameters
    ----------
    text:
        The document's text.
    string:
        What the extractor returned.
    before, after:
        Optional context just before and after the string.
    occurrence:
        Optional 0-based index among all occurrences, in text order.
    near:
        Optional offset; the closest occurrence is preferred.

    Returns
    -------
    Grounded
        The span (`Grounded.span`), or None with the reason in `Grounded.resolution`.

    Examples
    --------
    >>> text = "Dawn said 12 were killed; AFP said 12 were injured."
    >>> ground(text, "12", after="were injured").span
    (35, 37)
    >>> ground(text, "12").describe()
    "'12': 2 occurrences, took the first (ambiguous)"
    >>> ground(text, "said", near=30).span
    (30, 34)
    """
    request = Request(string, before, after, occurrence, near)
    return Grounder(text).ground(request)


def ground_all(text: str, requests: Sequence[Request | str]) -> GroundingReport:
    """Ground a batch of strings on one text, repeated strings on successive occurrences.

    Parameters
    ----------
    text:
        The document's text.
    requests:
        Strings, or `Request` objects with context, occurrence or offset.

    Returns
    -------
    GroundingReport
        One result per request, in order, and what could not be grounded or was ambiguous.

    Examples
    --------
    >>> report = ground_all("7 soldiers and 7 police", ["7", "7", Request("7", occurrence=0)])
    >>> [r.span for r in report.results], len(report.ambiguous)
    ([(0, 1), (15, 16), (0, 1)], 1)
    """
    return Grounder(text).ground_all(requests)


__all__ = [
    "Grounded",
    "Grounder",
    "GroundingReport",
    "Request",
    "Resolution",
    "clusters",
    "fold",
    "ground",
    "ground_all",
]
