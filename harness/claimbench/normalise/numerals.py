"""Numerals: digits with separators, number words, scale words and suffixes.

Everything here works on plain strings, so a plugin can use it whatever tokenizer it has.
"""

import re

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "a": 1, "an": 1, "single": 1,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
# "dozen" multiplies like "hundred" ("two dozen" = 24, "a dozen" = 12).
SCALES = {
    "dozen": 12, "score": 20, "hundred": 100, "thousand": 1_000, "million": 1_000_000,
    "billion": 1_000_000_000, "trillion": 1_000_000_000_000,
}  # fmt: skip
SUFFIX_SCALES = {
    "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000, "bn": 1_000_000_000,
    "b": 1_000_000_000, "tn": 1_000_000_000_000,
}  # fmt: skip
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "hundredth": 100, "thousandth": 1000, "last": None,
}  # fmt: skip
NUMBER_WORDS = frozenset(UNITS) - {"a", "an", "single"} | frozenset(TENS) | frozenset(SCALES)

_DIGITS = re.compile(
    r"^(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?P<suffix>[a-z]{0,3})$"
)
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_SPLIT = re.compile(r"[\s\-–]+")


def _as_number(value: float) -> int | float:
    """An int when `value` is whole, so 12.0 prints and compares as 12."""
    return int(value) if float(value).is_integer() else value


def parse_digits(token: str) -> int | float | None:
    """The value of a digit string, with thousands separators and scale suffixes.

    Parameters
    ----------
    token:
        One token such as "1,200", "12.5", "50k" or "1.5bn" (case-insensitive).

    Returns
    -------
    The number, or None when `token` is not a digit numeral.

    Examples
    --------
    >>> parse_digits("1,200"), parse_digits("12.5"), parse_digits("1.5bn"), parse_digits("50k")
    (1200, 12.5, 1500000000, 50000)
    >>> parse_digits("12a") is None
    True
    """
    match = _DIGITS.match(token.lower())
    if not match:
        return None
    suffix = match["suffix"]
    if suffix and suffix not in SUFFIX_SCALES:
        return None
    value = float(match["num"].replace(",", "")) * SUFFIX_SCALES.get(suffix, 1)
    return _as_number(round(value, 6))


def parse_number_words(text: str) -> int | float | None:
    """The value of a numeral written in words, digits or both.

    Parameters
    ----------
    text:
        "twenty-five", "one hundred and five", "a dozen", "two dozen", "3 million",
        "1.5 billion"; case-insensitive.

    Returns
    -------
    The number, or None when some word is not part of a numeral.

    Examples
    --------
    >>> parse_number_words("twenty-five"), parse_number_words("one hundred and five")
    (25, 105)
    >>> parse_number_words("a dozen"), parse_number_words("3.5 million")
    (12, 3500000)
    >>> parse_number_words("many") is None
    True
    """
    words = [w for w in _SPLIT.split(text.lower().strip()) if w and w != "and"]
    if not words or (words[0] in {"a", "an"} and len(words) == 1):
        return None
    total, current, last = 0.0, 0.0, "start"
    for word in words:
        kind, value = _word_kind(word)
        if kind is None or not _may_follow(last, kind, value):
            return None
        if kind == "scale":
            current = (current or 1) * value
            if value >= 1000:
                total, current = total + current, 0.0
        else:
            current += value
        last = kind
    return _as_number(round(total + current, 6))


def _word_kind(word: str) -> tuple[str | None, float]:
    """Whether `word` is a unit (digits too), a tens word or a scale word, and its value."""
    digits = parse_digits(word)
    if digits is not None:
        return "unit", digits
    if word in UNITS:
        return "unit", UNITS[word]
    if word in TENS:
        return "tens", TENS[word]
    if word in SCALES:
        return "scale", SCALES[word]
    return None, 0


def _may_follow(last: str, kind: str, value: float) -> bool:
    """Whether a word of `kind` may follow one of kind `last`: "twenty five", not "12 13"."""
    if kind == "scale":
        return True
    if last in {"start", "scale"}:
        return True
    return last == "tens" and kind == "unit" and value < 10


def parse_ordinal(text: str) -> int | None:
    """The value of an ordinal: "third", "3rd", "twenty-first".

    Examples
    --------
    >>> parse_ordinal("3rd"), parse_ordinal("third"), parse_ordinal("twenty-first")
    (3, 3, 21)
    >>> parse_ordinal("three") is None
    True
    """
    lowered = text.lower().strip()
    match = _ORDINAL_DIGITS.match(lowered)
    if match:
        return int(match[1])
    words = _SPLIT.split(lowered)
    last = ORDINALS.get(words[-1])
    if last is None:
        return None
    head = parse_number_words(" ".join(words[:-1])) if len(words) > 1 else 0
    return None if head is None else int(head) + last
