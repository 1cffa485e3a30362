"""Rendering a document with highlighted spans as escaped HTML.

Spans may overlap (a false positive inside a missed gold span), so the text is cut at every span
edge and each piece is wrapped once, with the classes and descriptions of all spans covering it.
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup


@dataclass(frozen=True)
class Mark:
    """A span to highlight: `[start, end)` of the text, CSS classes and a hover description."""

    start: int
    end: int
    css: str
    title: str


def highlight(text: str, marks: Sequence[Mark]) -> Markup:
    """`text` as HTML with every mark wrapped in a `<mark>` carrying its classes and title.

    Parameters
    ----------
    text : str
        The canonical document text (rendered with `white-space: pre-wrap`).
    marks : Sequence[Mark]
        Spans to highlight; they may overlap or nest.

    Returns
    -------
    Markup
        Escaped HTML: every character of `text` and of the titles is escaped.

    Examples
    --------
    >>> str(highlight("a <b> c", [Mark(2, 5, "fp", "ORG <b>")]))
    'a <mark class="fp" title="ORG &lt;b&gt;">&lt;b&gt;</mark> c'
    >>> html = str(highlight("abc", [Mark(0, 2, "tp", "x"), Mark(1, 3, "fn", "y")]))
    >>> html.split("</mark>")[1]
    '<mark class="tp fn" title="x\\ny">b'
    """
    edges = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    starts: dict[int, list[Mark]] = {}
    for mark in marks:
        starts.setdefault(mark.start, []).append(mark)
    open_marks: list[Mark] = []
    parts: list[str] = []
    for left, right in itertools.pairwise(edges):
        open_marks = [m for m in open_marks if m.end > left] + starts.get(left, [])
        piece = escape(text[left:right])
        if open_marks:
            css = escape(" ".join(dict.fromkeys(m.css for m in open_marks)))
            title = escape("\n".join(dict.fromkeys(m.title for m in open_marks)))
            parts.append(f'<mark class="{css}" title="{title}">{piece}</mark>')
        else:
            parts.append(piece)
    return Markup("".join(parts))  # every piece of text, class and title is escaped above
