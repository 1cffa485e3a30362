"""Span helpers: normalise a span of a document and widen it over touching modifiers.

A gold number span includes adjacent modifiers and both ends of a range or alternative
("Some 12-13", "at least eight or nine"); taggers often stop short ("12", then "13").
`widen_number_span` grows a span over such words, on the raw text, so every plugin can use it.
"""

import datetime as dt
import re
from dataclasses import dataclass

from claimbench.models import NumberForm, NumberLabel, NumericValue, PredictedNumber, Timex
from claimbench.normalise.modifiers import PREFIXES
from claimbench.normalise.numerals import NUMBER_WORDS
from claimbench.normalise.quantities import parse_quantity
from claimbench.normalise.temporal import resolve_temporal

_TEMPORAL = {NumberLabel.DATE, NumberLabel.TIME}
_NUMERAL = r"(?:\d[\d,.]*\d|\d|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_NUMERAL_RUN = rf"{_NUMERAL}(?:[\s-]+{_NUMERAL})*"
_PREFIX = re.compile(
    r"(?:^|(?<=[\s(\"“']))("
    + "|".join(re.escape(p) for p in sorted(PREFIXES, key=len, reverse=True))
    + r"|between|from)\s+$",
    re.IGNORECASE,
)
_CONTINUATION = re.compile(rf"^\s*(?:-|–|—|to|or|and)\s*{_NUMERAL_RUN}\b", re.IGNORECASE)
_SUFFIX = re.compile(r"^(?:\s+or\s+(?:more|so|fewer|less)|-?plus|\+)(?![\w-])", re.IGNORECASE)
# "50k south of the city" is a distance in kilometres, "50k people" a count.
_KM_CONTEXT = re.compile(
    r"^\s+(?:(?:north|south|east|west)\w*|from|away|outside|off)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Normalised:
    """The label and normalised fields of one numeric or temporal expression (DESIGN §3)."""

    label: NumberLabel
    value: NumericValue | None = None
    form: NumberForm | None = None
    unit: str | None = None
    timex: Timex | None = None


def normalise(
    text: str, anchor: dt.date | None = None, label: NumberLabel | None = None, after: str = ""
) -> Normalised | None:
    """Normalise a numeric or temporal expression.

    Parameters
    ----------
    text:
        The expression ("at least eight or nine", "$50 billion", "Sunday", "three-day").
    anchor:
        The document's date, for relative dates.
    label:
        A label already known (e.g. from a tagger); it is kept, and decides whether `text` is
        read as temporal (DATE, TIME) or numeric. None: temporal first, then numeric.
    after:
        Text following the expression, used only to read "50k" before "south of" as km.

    Returns
    -------
    The normalised fields, or None when `text` is neither kind of expression.

    Examples
    --------
    >>> normalise("Sunday", dt.date(2017, 6, 4)).timex.value
    '2017-06-04'
    >>> n = normalise("some 50k", after=" south of the capital")
    >>> (n.label.value, n.value.low, n.form.value, n.unit)
    ('QUANTITY', 50, 'approximate', 'km')
    """
    temporal = (
        None if label is not None and label not in _TEMPORAL else resolve_temporal(text, anchor)
    )
    if temporal is not None:
        return Normalised(label=label or temporal[0], timex=temporal[1])
    if label in _TEMPORAL:
        return None
    quantity = _kilometres(text, after) or parse_quantity(text)
    if quantity is None:
        return None
    return Normalised(label or quantity.label, quantity.value, quantity.form, quantity.unit)


def _kilometres(text: str, after: str) -> "Normalised | None":
    """ "50k" followed by a direction, "from", "away", "outside" or "off": 50 km (British and
    South Asian news usage); "50k of ..." stays a count, since "of" follows money as often."""
    match = re.search(r"(\d+(?:\.\d+)?)k$", text.strip(), re.IGNORECASE)
    if match is None or not _KM_CONTEXT.match(after):
        return None
    quantity = parse_quantity(text.strip()[: match.start(1)] + match[1] + " km")
    if quantity is None:
        return None
    return Normalised(NumberLabel.QUANTITY, quantity.value, quantity.form, "km")


def widen_number_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow `[start, end)` over a following range end or alternative and a leading modifier.

    Parameters
    ----------
    text:
        The document text.
    start, end:
        A number span as a tagger found it.

    Returns
    -------
    The widened span; each step is kept only if the widened text still normalises.

    Examples
    --------
    >>> doc = "Some 12-13 people and at least eight or nine soldiers"
    >>> widen_number_span(doc, 5, 7)
    (0, 10)
    >>> s, e = widen_number_span(doc, 31, 36); doc[s:e]
    'at least eight or nine'
    """
    continuation = _CONTINUATION.match(text[end:])
    if continuation and normalise(text[start : end + continuation.end()]) is not None:
        end += continuation.end()
    suffix = _SUFFIX.match(text[end:])
    if suffix and normalise(text[start : end + suffix.end()]) is not None:
        end += suffix.end()
    prefix = _PREFIX.search(text[max(0, start - 30) : start])
    if prefix and normalise(text[start - len(prefix[0]) : end]) is not None:
        start -= len(prefix[0])
    return start, end


def predicted_number(
    text: str, start: int, end: int, anchor: dt.date | None, label: NumberLabel | None = None
) -> PredictedNumber | None:
    """A `PredictedNumber` for `text[start:end]`, normalised; None when it does not parse.

    Examples
    --------
    >>> predicted_number("Some 12-13 people", 0, 10, None).value
    NumericValue(low=12, high=13)
    """
    found = normalise(text[start:end], anchor, label, after=text[end : end + 40])
    if found is None:
        return None
    return PredictedNumber(
        start=start,
        end=end,
        text=text[start:end],
        label=found.label,
        value=found.value,
        form=found.form,
        unit=found.unit,
        timex=found.timex,
    )
