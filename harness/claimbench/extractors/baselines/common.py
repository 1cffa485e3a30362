"""Helpers both baselines share: trimmed spans, quotations, number spans and attributions.

Nothing here imports spaCy at module level: `claimbench --help` must stay fast, and a plugin
listing must not pay for a model it does not run.
"""

import datetime as dt
import importlib.util
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from claimbench.models import (
    NumberLabel,
    PredictedAttribution,
    PredictedNumber,
    QuoteType,
    Span,
)
from claimbench.normalise import normalise, predicted_number, widen_number_span

# A quotation runs within one paragraph: curly pairs, or straight double quotes.
_QUOTATION = re.compile(r"“[^”\n]+”|\"[^\"\n]+\"")
# A dateline ("LIMA —", "NEW DELHI, June 3 -") opens a story; it is nobody's report.
_DATELINE = re.compile(r"^[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*(?:,[^—–\n]{1,30})? ?[—–-]+ ?")
_EDGE = " \t\n,;:.!?—–-'\"“”‘’()"


@dataclass(frozen=True)
class Quotation:
    """A quotation in the text: `[start, end)` includes the marks, `inner` excludes them."""

    start: int
    end: int

    @property
    def inner(self) -> tuple[int, int]:
        """The quoted words without the marks."""
        return self.start + 1, self.end - 1


PARAGRAPHS = "claimbench_paragraph_breaks"
INSTALL_HINT = "pip install 'claimbench[spacy]'"


class MissingExtraError(RuntimeError):
    """spaCy or the English model is not installed (the `spacy` extra)."""


def require_spacy() -> None:
    """Fail with an install hint, at plugin load, when spaCy is missing.

    Raises
    ------
    MissingExtraError
        When the `spacy` package cannot be found (nothing is imported to check).
    """
    if importlib.util.find_spec("spacy") is None:
        raise MissingExtraError(f"the baselines need spaCy: {INSTALL_HINT}")


def add_paragraph_breaks(nlp: Any, **where: str) -> None:
    """Add a component to `nlp` that starts a sentence after every line break.

    The corpus has one paragraph per line, and a headline has no full stop: without this, a
    headline and the first sentence are read as one sentence. `where` is passed to
    `nlp.add_pipe` (e.g. `before="parser"`, whose boundaries then respect these).

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en"); _ = nlp.add_pipe("sentencizer"); add_paragraph_breaks(nlp)
    >>> [s.text.strip() for s in nlp("Flood warning issued\\nRivers rose.").sents]
    ['Flood warning issued', 'Rivers rose.']
    """
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPHS):
        Language.component(PARAGRAPHS, func=_paragraph_breaks)
    nlp.add_pipe(PARAGRAPHS, **where)


def _paragraph_breaks(doc: Any) -> Any:
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            doc[token.i + 1].is_sent_start = True
    return doc


def quotations(text: str) -> list[Quotation]:
    """Every quotation of `text`, in order.

    Examples
    --------
    >>> [q.inner for q in quotations('He said: “We will stay.” Then "no".')]
    [(10, 23), (31, 33)]
    """
    return [Quotation(m.start(), m.end()) for m in _QUOTATION.finditer(text)]


def trimmed(text: str, start: int, end: int) -> Span | None:
    """`[start, end)` without edge spaces and punctuation, as a `Span` with its text.

    Quotation marks at the edges go too: a span is the words, as in the quote's content.

    Examples
    --------
    >>> trimmed("  the river, ", 0, 13)
    Span(start=2, end=11, text='the river')
    >>> trimmed(" , ", 0, 3) is None
    True
    """
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return Span(start=start, end=end, text=text[start:end]) if start < end else None


def quote_type(text: str, content: Iterable[Span]) -> QuoteType:
    """Direct when the content is all quotation, mixed when partly, indirect otherwise.

    Examples
    --------
    >>> t = 'She said “the dam held” and it would.'
    >>> quote_type(t, [Span(start=10, end=22)]), quote_type(t, [Span(start=9, end=36)])
    (<QuoteType.DIRECT: 'direct'>, <QuoteType.MIXED: 'mixed'>)
    """
    quoted = [(q.start, q.end) for q in quotations(text)]
    kinds = set()
    for span in content:
        inside = any(s <= span.start and span.end <= e for s, e in quoted)
        overlaps = any(s < span.end and span.start < e for s, e in quoted)
        kinds.add("direct" if inside else "mixed" if overlaps else "indirect")
    if kinds == {"direct"}:
        return QuoteType.DIRECT
    return QuoteType.MIXED if kinds & {"direct", "mixed"} else QuoteType.INDIRECT


def _without_dateline(text: str, span: Span) -> Span | None:
    dateline = _DATELINE.match(text[span.start : span.end])
    return trimmed(text, span.start + dateline.end(), span.end) if dateline else span


def attribution(
    text: str, cue: Span, source: Span | None, content: list[Span]
) -> PredictedAttribution | None:
    """An attribution from its parts, its quote type read from the quotation marks.

    Parameters
    ----------
    text:
        The document text.
    cue, source, content:
        The role spans; a source or content span overlapping the cue is left out, and a
        dateline opening a content span is cut off.

    Returns
    -------
    The attribution, or None when no content remains.

    Examples
    --------
    >>> t = "LIMA — Roads are shut, police said."
    >>> a = attribution(t, Span(start=30, end=34), Span(start=23, end=29), [Span(start=0, end=21)])
    >>> (a.content[0].text, a.quote.value)
    ('Roads are shut', 'indirect')
    """
    content = [
        _without_dateline(text, c) for c in content if c.end <= cue.start or c.start >= cue.end
    ]
    content = [c for c in content if c is not None]
    if not content:
        return None
    if source is not None and not (source.end <= cue.start or source.start >= cue.end):
        source = None
    return PredictedAttribution(
        cue=cue, source=source, content=content, quote=quote_type(text, content)
    )


def _temporal(text: str, anchor: dt.date | None) -> bool:
    found = normalise(text, anchor)
    return found is not None and found.timex is not None


def number_spans(
    text: str,
    found: Iterable[tuple[int, int, NumberLabel | None]],
    anchor: dt.date | None,
) -> list[PredictedNumber]:
    """Widen candidate number spans, drop overlaps (longest wins), normalise what remains.

    Parameters
    ----------
    text:
        The document text.
    found:
        Candidate `(start, end, label)`; `label` None lets the normaliser choose.
    anchor:
        The document date, for relative dates.

    Returns
    -------
    Non-overlapping numbers in text order. A candidate that does not normalise is kept with its
    label only when one was given (a tagger's guess is still a span); otherwise dropped.

    Examples
    --------
    >>> text = "Some 12-13 people"
    >>> [(n.text, n.form.value) for n in number_spans(text, [(5, 7, None), (8, 10, None)], None)]
    [('Some 12-13', 'range')]
    """
    widened = []
    for start, end, label in found:
        # Dates are not widened: "over three days" is a duration, not "more than" one.
        if label in {NumberLabel.DATE, NumberLabel.TIME} or _temporal(text[start:end], anchor):
            widened.append((start, end, label))
        else:
            widened.append((*widen_number_span(text, start, end), label))
    kept: list[tuple[int, int, NumberLabel | None]] = []
    for start, end, label in sorted(widened, key=lambda s: (s[0] - s[1], s[0])):
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, label))
    numbers = []
    for start, end, label in sorted(kept):
        number = predicted_number(text, start, end, anchor, label)
        if number is None and label is not None:
            number = PredictedNumber(start=start, end=end, text=text[start:end], label=label)
        if number is not None:
            numbers.append(number)
    return numbers
