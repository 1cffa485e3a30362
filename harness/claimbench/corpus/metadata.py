"""Outlet and publication date, taken only from what the seed text states (never guessed)."""

import datetime as dt
import re

from claimbench.corpus.cleaning import METADATA_FIELD
from claimbench.models.corpus import Evidence

_PUBLISHED_LINE = re.compile(
    r"^Published in (?P<outlet>[A-Z][\w&' .-]*?), (?P<date>[A-Z][a-z]+ \d{1,2}(?:st|nd|rd|th)?, "
    r"\d{4})\s*$",
    flags=re.MULTILINE,
)
# "a senior security official told AFP." -- the outlet that the sources spoke to.
_TOLD_OUTLET = re.compile(r"\btold (?P<outlet>[A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*){0,2})(?=[.,])")


def find_outlet(seed: str) -> tuple[str | None, Evidence | None]:
    """The outlet that the seed names as its own, with where it says so.

    A publication line ("Published in Dawn, June 4th, 2017") wins; otherwise the outlet is the
    single addressee of "told X" in the text (sources speaking to the reporter). Two different
    addressees, or none, give None.

    Examples
    --------
    >>> find_outlet("An official told VOA. He said more.")[0]
    'VOA'
    >>> find_outlet("An official told VOA. Another told Reuters.")[0] is None
    True
    """
    published = _PUBLISHED_LINE.search(seed)
    if published:
        return published["outlet"], _evidence(seed, published, "outlet", "publication line")
    addressees = list(_TOLD_OUTLET.finditer(seed))
    if addressees and len({match["outlet"] for match in addressees}) == 1:
        rule = "the only addressee of 'told' in the text: the outlet its sources spoke to"
        return addressees[0]["outlet"], _evidence(seed, addressees[0], "outlet", rule)
    return None, None


def find_date(seed: str) -> tuple[dt.date | None, Evidence | None]:
    """The publication date that the seed states, with where it says so.

    Examples
    --------
    >>> find_date(" date 2017-06-05 QUETTA - Security forces said...")[0]
    datetime.date(2017, 6, 5)
    >>> find_date("Published in Dawn, June 4th, 2017\\n")[0]
    datetime.date(2017, 6, 4)
    >>> find_date("Security forces on Sunday said...")[0] is None
    True
    """
    field = METADATA_FIELD.search(seed)
    if field:
        date = dt.date.fromisoformat(field["date"])
        return date, _evidence(seed, field, "date", "leading 'date' metadata field")
    published = _PUBLISHED_LINE.search(seed)
    if published:
        cleaned = re.sub(r"(?<=\d)(st|nd|rd|th)", "", published["date"])
        date = dt.datetime.strptime(cleaned, "%B %d, %Y").date()
        return date, _evidence(seed, published, "date", "publication line")
    return None, None


def _evidence(seed: str, match: re.Match[str], group: str, rule: str) -> Evidence:
    start, end = match.span(group)
    return Evidence(seed_start=start, seed_end=end, text=seed[start:end], rule=rule)
