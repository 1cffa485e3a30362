"""Attributions of the rules baseline: reporting verbs, quotations and "according to".

Three shapes are read, all general English:

- a quotation next to a reporting verb (`"...," he said` / `X said: "..."`): the quotation is
  the content, the words between (or after the verb) the source;
- `X said (that) Y.` and `Y, X said.`: the clause before or after the verb is the content;
- `according to X, Y` and `Y, according to X`.

A verb other than say/tell needs "that", an adjacent quotation or the `Y, X verb.` shape, so
"added a road" or "claimed responsibility" is not read as a report.
"""

import re
from typing import Any

from claimbench.extractors.baselines.common import Quotation, attribution, quotations, trimmed
from claimbench.extractors.baselines.lexicon import ADDRESSEE_VERBS, REPORTING_VERBS
from claimbench.models import PredictedAttribution, Span

_ALWAYS = frozenset({"say", "says", "said", "saying", "tell", "tells", "told", "telling"})
_NOT_REPORTS = frozenset({"responsibility", "credit", "victory", "lives", "to"})
_BE = frozenset({"is", "are", "was", "were", "be", "been", "being"})
_SOURCE_END_TRIM = frozenset(
    {"also", "has", "had", "have", "was", "is", "would", "will", "later", "earlier", "then"}
    | {"previously", "reportedly", "further"}
)
_SOURCE_START_TRIM = frozenset({"and", "but", "while", "as", "when", "which", "who", "that"})
_BETWEEN_QUOTE_AND_CUE = re.compile(r"^[ \t,]*([^.!?\"“”\n]{0,60}?)[ \t]*$")
_BETWEEN_CUE_AND_QUOTE = re.compile(r"^[ \t,:]*(?:[\w’']+[ \t,:]*){0,3}$")
_CLAUSE_BREAKS = frozenset({",", ";", ":", "—", "–", "(", ")", '"', "“", "”"})


def _is_cue(doc: Any, i: int, quoted: list[Quotation]) -> bool:
    token = doc[i]
    if token.lower_ not in REPORTING_VERBS or _inside(token.idx, quoted):
        return False
    before = doc[i - 1].lower_ if i > 0 else ""
    after = doc[i + 1].lower_ if i + 1 < len(doc) else ""
    passive = before in _BE and after != "that"  # "were reported missing"
    return not (after in _NOT_REPORTS or before == "the" or passive)


def _inside(position: int, quoted: list[Quotation]) -> bool:
    return any(q.start < position < q.end for q in quoted)


def _span(doc: Any, start: int, end: int) -> Span | None:
    """Trimmed character span of tokens `[start, end)`."""
    if start >= end:
        return None
    return trimmed(doc.text, doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))


def _source_before(doc: Any, sentence: Any, cue: int) -> Span | None:
    """The words from the last clause break before the cue up to it, without auxiliaries."""
    start = cue
    while start > sentence.start and doc[start - 1].text not in _CLAUSE_BREAKS:
        start -= 1
    end = cue
    while end > start and doc[end - 1].lower_ in _SOURCE_END_TRIM:
        end -= 1
    while start < end and doc[start].lower_ in _SOURCE_START_TRIM:
        start += 1
    return _span(doc, max(start, end - 8), end)


def _source_after(doc: Any, sentence: Any, cue: int) -> Span | None:
    """The words after an inverted cue (`"...," said John Lee, a ...`) up to a break."""
    end = cue + 1
    while end < sentence.end and doc[end].text not in _CLAUSE_BREAKS and not doc[end].is_punct:
        end += 1
    return _span(doc, cue + 1, min(end, cue + 9))


def _content_after(doc: Any, sentence: Any, cue: int) -> Span | None:
    """The clause after the cue, past a hearer ("told reporters") and "that"."""
    start = cue + 1
    if doc[cue].lower_ in ADDRESSEE_VERBS:
        that = [t.i for t in doc[start : min(sentence.end, start + 5)] if t.lower_ == "that"]
        start = that[0] if that else min(start + 1, sentence.end)
    while start < sentence.end and (doc[start].lower_ == "that" or doc[start].is_punct):
        start += 1
    return _span(doc, start, sentence.end)


def _quoted_attribution(doc: Any, cue: int, quoted: list[Quotation]) -> PredictedAttribution | None:
    """A quotation right before or right after the cue, with its source."""
    token, text = doc[cue], doc.text
    cue_span = _span(doc, cue, cue + 1)
    sentence = token.sent
    for quote in reversed([q for q in quoted if q.end <= token.idx]):
        between = _BETWEEN_QUOTE_AND_CUE.match(text[quote.end : token.idx])
        if between is None:
            break
        source = trimmed(text, quote.end, token.idx) or _source_after(doc, sentence, cue)
        content = trimmed(text, *quote.inner)
        return attribution(text, cue_span, source, [content]) if content and cue_span else None
    after = token.idx + len(token)
    for quote in (q for q in quoted if q.start >= after):
        if _BETWEEN_CUE_AND_QUOTE.match(text[after : quote.start]) is None:
            break
        content = trimmed(text, *quote.inner)
        source = _source_before(doc, sentence, cue)
        return attribution(text, cue_span, source, [content]) if content and cue_span else None
    return None


def _clause_attribution(doc: Any, cue: int) -> PredictedAttribution | None:
    """`X said (that) Y.` or `Y, X said.`"""
    sentence, text = doc[cue].sent, doc.text
    cue_span = _span(doc, cue, cue + 1)
    tail = [t for t in doc[cue + 1 : sentence.end] if not t.is_punct]
    source = _source_before(doc, sentence, cue)
    comma = source.start - 1 if source else doc[cue].idx - 1
    # "Y, police said." and "Y, police said, as ...": the clause before the source is the content.
    comma_after = cue + 1 < sentence.end and doc[cue + 1].text == ","
    content_first = (len(tail) <= 4 or comma_after) and comma > doc[sentence.start].idx
    content_first = content_first and text[: max(comma, 0) + 1].rstrip().endswith((",", "”", '"'))
    if content_first:
        content = trimmed(text, doc[sentence.start].idx, comma)
        source = source or _source_after(doc, sentence, cue)
    elif doc[cue].lower_ in _ALWAYS or _next_is(doc, cue, "that"):
        content = _content_after(doc, sentence, cue)
    else:
        return None
    if content is None or cue_span is None:
        return None
    return attribution(text, cue_span, source, [content])


def _next_is(doc: Any, i: int, word: str) -> bool:
    return i + 1 < len(doc) and doc[i + 1].lower_ == word


def _according_to(doc: Any, i: int) -> PredictedAttribution | None:
    """`according to X, Y` and `Y, according to X`."""
    sentence, text = doc[i].sent, doc.text
    cue = _span(doc, i, i + 2)
    end = i + 2
    while end < sentence.end and doc[end].text not in _CLAUSE_BREAKS and not doc[end].is_punct:
        end += 1
    source = _span(doc, i + 2, end)
    pieces = [_span(doc, sentence.start, i), _span(doc, end, sentence.end)]
    content = [piece for piece in pieces if piece is not None]
    if cue is None or not content:
        return None
    return attribution(text, cue, source, content)


def attributions(doc: Any) -> list[PredictedAttribution]:
    """Attributions found in a spaCy `doc` whose sentences are set.

    Parameters
    ----------
    doc:
        A spaCy `Doc` with sentence boundaries (any pipeline with a sentencizer or parser).

    Returns
    -------
    One attribution per cue, in text order.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en"); _ = nlp.add_pipe("sentencizer")
    >>> found = attributions(nlp('"The bridge is gone," the mayor said.'))
    >>> [(a.cue.text, a.source.text, a.content[0].text, a.quote.value) for a in found]
    [('said', 'the mayor', 'The bridge is gone', 'direct')]
    """
    quoted = quotations(doc.text)
    found = []
    for token in doc:
        i = token.i
        if token.lower_ == "according" and _next_is(doc, i, "to"):
            found.append(_according_to(doc, i))
        elif _is_cue(doc, i, quoted):
            found.append(_quoted_attribution(doc, i, quoted) or _clause_attribution(doc, i))
    return [a for a in found if a is not None]
