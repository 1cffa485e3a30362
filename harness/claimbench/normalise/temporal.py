"""Temporal expressions: dates, times, durations and sets as TIMEX3 values (DESIGN §3).

Relative expressions are resolved against the document's date: a weekday name is the most recent
such day on or before it ("Sunday" in a text of Sunday 2017-06-04 is that day), "last month" is
the calendar month before it, "last week" the ISO week before it. Without a document date the
value stays underspecified in TIMEX3 style: "Sunday" -> "XXXX-WXX-7", "June 4" -> "XXXX-06-04",
"last month" -> "XXXX-XX".
"""

import datetime as dt
import re
from collections.abc import Callable

from claimbench.models import NumberLabel, Timex, TimexMod, TimexType
from claimbench.normalise.modifiers import split_modifiers
from claimbench.normalise.numerals import parse_number_words

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1,
    "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
    "sunday": 7,
}  # fmt: skip
PARTS_OF_DAY = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
}  # fmt: skip
# TIMEX3 duration units; hours and smaller take the "T" designator.
DURATION_UNITS = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "month": "M",
    "year": "Y", "decade": "DE", "century": "CE", "fortnight": "W",
}  # fmt: skip
_CLOCK_UNITS = {"second", "minute", "hour"}
_VAGUE_COUNTS = {"several", "many", "few", "a few", "some", "recent", "the past", "the last"}
# "the past two days" is a duration of two days ending at the document date.
_SPANS_BACK = {"past", "last", "next", "coming", "recent", "previous"}
_LEADING = {"on", "in", "since", "until", "by", "during", "for", "of", "at", "from", "the"}
_EDGES = {"early": TimexMod.START, "late": TimexMod.END, "mid": TimexMod.MID}

_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(\d{4})"
_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))? ?(am|pm|a m|p m)?$")

Resolved = tuple[NumberLabel, Timex]


def clean(text: str) -> str:
    """Lower-case `text`, drop commas and abbreviation dots, split hyphenated words.

    Examples
    --------
    >>> clean("June 4th, 2017"), clean("three-day"), clean("3:30 p.m.")
    ('june 4th 2017', 'three day', '3:30 p m')
    """
    lowered = text.lower().replace(",", " ").replace("’", "'")
    lowered = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", lowered)
    lowered = re.sub(r"[-–—]", " ", lowered)
    return " ".join(lowered.split())


def _strip_leading(words: list[str]) -> list[str]:
    """Drop prepositions and articles a span may have caught ("on Sunday", "for decades")."""
    while len(words) > 1 and words[0] in _LEADING:
        words = words[1:]
    return words


def _unit(word: str) -> str | None:
    """The singular duration unit named by `word` ("days" -> "day"), or None."""
    singular = word[:-1] if word.endswith("s") and word[:-1] in DURATION_UNITS else word
    if word == "centuries":
        singular = "century"
    return singular if singular in DURATION_UNITS else None


def _duration(words: list[str]) -> Resolved | None:
    """ "two days", "three day", "48 hours", "a week", "decades", "several years"."""
    if words and words[0] in _SPANS_BACK:
        words = words[1:]
    if not words or _unit(words[-1]) is None:
        return None
    unit, count_words = _unit(words[-1]) or "", " ".join(words[:-1])
    count = 1 if count_words in {"a", "an"} else None
    count = parse_number_words(count_words) if count_words and count is None else count
    if count is None and count_words and count_words not in _VAGUE_COUNTS:
        return None
    if count is None and not words[-1].endswith("s") and not count_words:
        return None  # a bare "day" or "week" is no duration
    amount = "X" if count is None else f"{count:g}"
    clock = "T" if unit in _CLOCK_UNITS else ""
    label = NumberLabel.TIME if clock else NumberLabel.DATE
    value = f"P{clock}{amount}{DURATION_UNITS[unit]}"
    if unit == "fortnight":
        value = "P2W" if count is None else f"P{2 * count:g}W"
    return label, Timex(type=TimexType.DURATION, value=value)


def _most_recent(anchor: dt.date, weekday: int, strictly_before: bool = False) -> dt.date:
    """The latest date on or before `anchor` falling on ISO `weekday` (1 = Monday)."""
    back = (anchor.isoweekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return anchor - dt.timedelta(days=back)


def _day(day: dt.date | None) -> str:
    return "XXXX-XX-XX" if day is None else day.isoformat()


def _weekday(words: list[str], anchor: dt.date | None) -> Resolved | None:
    """ "Sunday", "last Sunday", "on Sunday morning", "next Friday"."""
    relation = words[0] if words and words[0] in {"last", "this", "next", "past"} else None
    rest = words[1:] if relation else words
    if not rest or rest[0] not in WEEKDAYS:
        return None
    weekday, part = WEEKDAYS[rest[0]], rest[1] if len(rest) == 2 else None
    if len(rest) > 2 or (part is not None and part not in PARTS_OF_DAY):
        return None
    if anchor is None:
        value = f"XXXX-WXX-{weekday}"
    elif relation == "next":
        value = (
            anchor + dt.timedelta(days=(weekday - anchor.isoweekday() - 1) % 7 + 1)
        ).isoformat()
    else:
        value = _most_recent(anchor, weekday, strictly_before=relation == "last").isoformat()
    if part is None:
        return NumberLabel.DATE, Timex(type=TimexType.DATE, value=value)
    return NumberLabel.TIME, Timex(type=TimexType.TIME, value=f"{value}T{PARTS_OF_DAY[part]}")


def _shift_month(anchor: dt.date, months: int) -> str:
    index = anchor.year * 12 + anchor.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _shift_week(anchor: dt.date, weeks: int) -> str:
    year, week, _ = (anchor + dt.timedelta(weeks=weeks)).isocalendar()
    return f"{year:04d}-W{week:02d}"


_PERIODS: dict[str, tuple[Callable[[dt.date, int], str], str]] = {
    "week": (_shift_week, "XXXX-WXX"),
    "weekend": (lambda a, n: _shift_week(a, n) + "-WE", "XXXX-WXX-WE"),
    "month": (_shift_month, "XXXX-XX"),
    "year": (lambda a, n: f"{a.year + n:04d}", "XXXX"),
    "decade": (lambda a, n: f"{(a.year // 10 + n):03d}", "XXX"),
}
_RELATIONS = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1}


def _relative_period(words: list[str], anchor: dt.date | None) -> Resolved | None:
    """ "last month", "this year", "next week", "last weekend"."""
    if len(words) != 2 or words[0] not in _RELATIONS or words[1] not in _PERIODS:
        return None
    shift, unknown = _PERIODS[words[1]]
    value = unknown if anchor is None else shift(anchor, _RELATIONS[words[0]])
    return NumberLabel.DATE, Timex(type=TimexType.DATE, value=value)


_DAY_WORDS = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0}
_DAY_PARTS = {"tonight": "NI", "last night": "NI", "this morning": "MO", "this afternoon": "AF"}
_DAY_PARTS |= {"this evening": "EV", "yesterday morning": "MO", "yesterday evening": "EV"}


def _day_word(words: list[str], anchor: dt.date | None) -> Resolved | None:
    """ "today", "yesterday", "last night", "this morning"."""
    phrase = " ".join(words)
    if phrase not in _DAY_WORDS and phrase not in _DAY_PARTS:
        return None
    offset = _DAY_WORDS.get(words[0], -1 if phrase == "last night" else 0)
    day = None if anchor is None else anchor + dt.timedelta(days=offset)
    if phrase in _DAY_PARTS:
        value = f"{_day(day)}T{_DAY_PARTS[phrase]}"
        return NumberLabel.TIME, Timex(type=TimexType.TIME, value=value)
    return NumberLabel.DATE, Timex(type=TimexType.DATE, value=_day(day))


def _ago(words: list[str], anchor: dt.date | None) -> Resolved | None:
    """ "two days ago", "three years ago", "a week ago"."""
    if len(words) < 3 or words[-1] != "ago" or _unit(words[-2]) is None:
        return None
    count, unit = parse_number_words(" ".join(words[:-2])), _unit(words[-2])
    if count is None or anchor is None:
        value = {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX"}.get(unit, "XXXX")
    elif unit == "day":
        value = (anchor - dt.timedelta(days=int(count))).isoformat()
    elif unit in _PERIODS:
        value = _PERIODS[unit][0](anchor, -int(count))
    else:
        return None
    return NumberLabel.DATE, Timex(type=TimexType.DATE, value=value)


def _year_for(month: int, anchor: dt.date | None) -> str:
    """The year of a month named without one: the anchor's, unless that puts the month more
    than six months after the anchor (a report of 2018-01-05 naming "December" means 2017)."""
    if anchor is None:
        return "XXXX"
    ahead = month - anchor.month
    return f"{anchor.year - 1 if ahead > 6 else anchor.year:04d}"


def _calendar_value(text: str, anchor: dt.date | None) -> str | None:
    """ "june 4 2017", "4 june", "june 4th", "january 2015", "june", "2015", "the 1990s"."""
    forms = [
        (rf"^{_MONTH} {_DAY}(?: {_YEAR})?$", lambda m: (m[3], m[1], m[2])),
        (rf"^{_DAY} (?:of )?{_MONTH}(?: {_YEAR})?$", lambda m: (m[3], m[2], m[1])),
        (rf"^{_MONTH} (?:of )?{_YEAR}$", lambda m: (m[2], m[1], None)),
        (rf"^{_MONTH}$", lambda m: (None, m[1], None)),
    ]
    for pattern, parts in forms:
        match = re.match(pattern, text)
        if match:
            year, month, day = parts(match)
            value = f"{year or _year_for(MONTHS[month], anchor)}-{MONTHS[month]:02d}"
            return value if day is None else f"{value}-{int(day):02d}"
    if re.match(rf"^{_YEAR}$", text) and 1000 <= int(text) <= 2999:
        return text
    decade = re.match(r"^(?:the )?(\d{3})0 ?s$", text)
    return decade[1] if decade else None


def _calendar(words: list[str], anchor: dt.date | None) -> Resolved | None:
    """A calendar date, possibly with "early", "late" or "mid" ("early June" -> START)."""
    mod = _EDGES.get(words[0]) if words else None
    value = _calendar_value(" ".join(words[1:] if mod else words), anchor)
    if value is None:
        return None
    return NumberLabel.DATE, Timex(type=TimexType.DATE, value=value, mod=mod)


def _clock(words: list[str], anchor: dt.date | None) -> Resolved | None:
    """ "3 pm", "3:30 p.m.", "15:00", "noon", "midnight"."""
    text = " ".join(words)
    fixed = {"noon": (12, 0), "midday": (12, 0), "midnight": (0, 0)}
    match = _CLOCK.match(text)
    if text in fixed:
        hour, minute = fixed[text]
    elif match and (match[2] or match[3]):
        hour, minute = int(match[1]) % 12 if match[3] else int(match[1]), int(match[2] or 0)
        hour += 12 if match[3] in {"pm", "p m"} else 0
    else:
        return None
    if hour > 23 or minute > 59:
        return None
    value = f"{_day(anchor)}T{hour:02d}:{minute:02d}"
    return NumberLabel.TIME, Timex(type=TimexType.TIME, value=value)


_SETS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y"}


def _set(words: list[str]) -> Resolved | None:
    """ "every day", "each week", "daily"."""
    phrase = " ".join(words)
    if phrase in _SETS:
        return NumberLabel.DATE, Timex(type=TimexType.SET, value=_SETS[phrase])
    if len(words) == 2 and words[0] in {"every", "each"} and _unit(words[1]):
        unit = _unit(words[1]) or ""
        clock = "T" if unit in _CLOCK_UNITS else ""
        return NumberLabel.DATE, Timex(type=TimexType.SET, value=f"P{clock}1{DURATION_UNITS[unit]}")
    return None


def resolve_temporal(text: str, anchor: dt.date | None = None) -> Resolved | None:
    """Normalise one DATE or TIME expression to a TIMEX3 value.

    Parameters
    ----------
    text:
        The expression, e.g. "Sunday", "last month", "June 4", "January 2015", "three-day",
        "for decades", "about two weeks", "3:30 p.m.".
    anchor:
        The document's date; None leaves relative values underspecified ("XXXX-WXX-7").

    Returns
    -------
    The OntoNotes label (DATE, or TIME for clock times, parts of a day and durations of hours
    or less) and the Timex; None when `text` is not a temporal expression understood here.

    Examples
    --------
    >>> sunday = dt.date(2017, 6, 4)
    >>> resolve_temporal("Friday", sunday)[1].value, resolve_temporal("Friday")[1].value
    ('2017-06-02', 'XXXX-WXX-5')
    >>> resolve_temporal("last month", sunday)[1].value
    '2017-05'
    >>> resolve_temporal("three-day")[1]
    Timex(type=<TimexType.DURATION: 'DURATION'>, value='P3D', mod=None)
    >>> resolve_temporal("the army") is None
    True
    """
    words, modifier = split_modifiers(clean(text).split())
    if modifier is None:
        words, modifier = split_modifiers(_strip_leading(words))
    words = _strip_leading(words)
    for reader in (_weekday, _relative_period, _day_word, _ago, _calendar, _clock):
        resolved = reader(words, anchor)
        if resolved is not None:
            return resolved if modifier is None else None
    resolved = _set(words) or _duration(words)
    if resolved is None or modifier is None:
        return resolved
    label, timex = resolved
    return label, timex.model_copy(update={"mod": modifier.mod})
