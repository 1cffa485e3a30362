"""Numeric expressions: cardinals, ordinals, money, percentages and measured quantities.

`parse_quantity` reads the text of one expression ("Some 12-13", "at least eight or nine",
"$50 billion", "55 km") into the value, form and unit fields of DESIGN §3. The interval is
closed and never widened for tolerance: "about 12" is [12, 12] with form `approximate`; a bound
keeps the stated number as its end ("more than 200" is [200, None]); a range or a pair of
alternatives spans both ends ("eight or nine" is [8, 9]).
"""

import re
from dataclasses import dataclass

from claimbench.models import NumberForm, NumberLabel, NumericValue
from claimbench.normalise.modifiers import Modifier, split_modifiers
from claimbench.normalise.numerals import (
    SCALES,
    SUFFIX_SCALES,
    parse_number_words,
    parse_ordinal,
)

# ISO 4217 codes for symbols and names that are not ambiguous in English news; "rupees" (INR,
# PKR, LKR, ...) and bare "¥" are left without a unit rather than guessed.
CURRENCIES = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "sterling": "GBP",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "yen": "JPY", "jpy": "JPY",
    "yuan": "CNY", "cny": "CNY", "renminbi": "CNY", "pkr": "PKR", "inr": "INR",
    "rs": None, "rs.": None, "rupee": None, "rupees": None, "¥": None,
}  # fmt: skip
MEASURES = {
    "km": "km", "kms": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km",
    "kilometers": "km", "mile": "mi", "miles": "mi", "mi": "mi", "m": "m", "metre": "m",
    "metres": "m", "meter": "m", "meters": "m", "cm": "cm", "mm": "mm", "ft": "ft",
    "feet": "ft", "foot": "ft", "kg": "kg", "kilogram": "kg", "kilograms": "kg",
    "kilo": "kg", "kilos": "kg", "tonne": "t", "tonnes": "t", "ton": "t", "tons": "t",
    "hectare": "ha", "hectares": "ha", "acre": "acre", "acres": "acre", "litre": "l",
    "litres": "l", "liter": "l", "liters": "l", "sq km": "km2", "square kilometres": "km2",
    "square kilometers": "km2", "square miles": "mi2",
}  # fmt: skip
PERCENT_WORDS = ("%", "percent", "per cent", "pc")
# A plural scale word alone says "at least two of these" and no more.
VAGUE = {
    "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "millions": 2_000_000,
    "billions": 2_000_000_000, "tens of thousands": 20_000, "hundreds of thousands": 200_000,
    "tens of millions": 20_000_000, "hundreds of millions": 200_000_000,
}  # fmt: skip
_MULTI = re.compile(r"^multi-?(million|billion|trillion)$")
_TOKEN = re.compile(
    r"\d+(?:st|nd|rd|th)\b|\d[\d,]*(?:\.\d+)?|\.\d+|[a-z]+\$|[a-z]+\.?|[$£€¥%+]|[-–—]"
)
_DASHES = {"-", "–", "—"}


@dataclass(frozen=True)
class Quantity:
    """The normalised fields of a numeric expression (DESIGN §3)."""

    label: NumberLabel
    value: NumericValue
    form: NumberForm
    unit: str | None = None


def tokens(text: str) -> list[str]:
    """Lower-cased words, numbers and symbols of `text`; "1.5bn" becomes "1.5", "bn".

    Examples
    --------
    >>> tokens("Some 12-13"), tokens("$1.5bn"), tokens("multi-billion-dollar")
    (['some', '12', '-', '13'], ['$', '1.5', 'bn'], ['multi', '-', 'billion', '-', 'dollar'])
    """
    return _TOKEN.findall(text.lower().replace("per cent", "percent"))


def _join_scales(words: list[str], money: bool) -> list[str]:
    """Spell suffix scales out ("bn" -> "billion"); "m" is a million only in money."""
    names = {1_000: "thousand", 1_000_000: "million", 1_000_000_000: "billion"}
    names[1_000_000_000_000] = "trillion"
    out: list[str] = []
    for word in words:
        after_number = bool(out) and out[-1][0].isdigit()
        if after_number and word in SUFFIX_SCALES and (word != "m" or money):
            out.append(names[SUFFIX_SCALES[word]])
        else:
            out.append(word)
    return out


def _take_unit(words: list[str]) -> tuple[list[str], str | None, NumberLabel]:
    """Remove a currency, percent sign or measure unit from either end of `words`."""
    for size in (2, 1):
        head, tail = " ".join(words[:size]), " ".join(words[-size:])
        if len(words) > size and head in CURRENCIES:
            return words[size:], CURRENCIES[head], NumberLabel.MONEY
        if len(words) > size and tail in CURRENCIES:
            return words[:-size], CURRENCIES[tail], NumberLabel.MONEY
        if len(words) > size and tail in PERCENT_WORDS:
            return words[:-size], None, NumberLabel.PERCENT
        if len(words) > size and tail in MEASURES:
            return words[:-size], MEASURES[tail], NumberLabel.QUANTITY
    return words, None, NumberLabel.CARDINAL


def _share_scale(left: list[str], right: list[str]) -> list[str]:
    """Give `left` the trailing scale of `right`: "1-2 million" means 1 million to 2 million."""
    trailing = []
    for word in reversed(right):
        if word not in SCALES or word == "dozen":
            break
        trailing.insert(0, word)
    if trailing and not any(word in SCALES for word in left):
        return left + trailing
    return left


def _split_pair(words: list[str]) -> tuple[list[str], list[str], NumberForm] | None:
    """Split a range ("12-13", "between 5 and 10") or alternatives ("eight or nine")."""
    if words and words[0] in {"between", "from"}:
        words = words[1:]
    for index, word in enumerate(words):
        if word in _DASHES or word in {"to", "and", "or"}:
            form = NumberForm.ALTERNATIVES if word == "or" else NumberForm.RANGE
            return words[:index], words[index + 1 :], form
    return None


def _interval(words: list[str]) -> tuple[float, float, NumberForm] | None:
    """Both ends of the numeral in `words`, and whether it is exact, a range or alternatives."""
    single = parse_number_words(" ".join(words))
    if single is not None:
        return single, single, NumberForm.EXACT
    pair = _split_pair(words)
    if pair is None:
        return None
    left, right, form = pair
    low = parse_number_words(" ".join(_share_scale(left, right)))
    high = parse_number_words(" ".join(right))
    if low is None or high is None:
        return None
    return min(low, high), max(low, high), form


def _vague(words: list[str]) -> tuple[float, str | None] | None:
    """The lower end of a vague amount ("dozens", "multi-billion-dollar") and its currency."""
    phrase = " ".join(words[:-1] if words[-1:] == ["of"] else words)
    if phrase in VAGUE:
        return VAGUE[phrase], None
    compact = "".join(w for w in words if w not in CURRENCIES)
    scale = _MULTI.match(compact.rstrip("-"))
    if scale is None:
        return None
    currency = next((CURRENCIES[w] for w in words if w in CURRENCIES), None)
    return 2 * SCALES[scale[1]], currency


def _bounded(low: float, high: float, form: NumberForm, modifier: Modifier | None) -> tuple:
    """Apply a modifier: a bound opens one side; "at least eight or nine" is [8, None]."""
    if modifier is None:
        return NumericValue(low=low, high=high), form
    if modifier.form is NumberForm.LOWER_BOUND:
        return NumericValue(low=low, high=None), modifier.form
    if modifier.form is NumberForm.UPPER_BOUND:
        return NumericValue(low=None, high=high), modifier.form
    # An approximate range stays a range: the range is the stronger statement about the value.
    return NumericValue(low=low, high=high), form if form is not NumberForm.EXACT else modifier.form


def parse_quantity(text: str) -> Quantity | None:
    """Normalise one numeric expression.

    Parameters
    ----------
    text:
        The expression with its modifiers, e.g. "Some 12-13", "at least eight or nine",
        "around a dozen", "dozens", "$50 billion", "multi-billion-dollar", "55 km", "20%".

    Returns
    -------
    Label (CARDINAL, MONEY, PERCENT, QUANTITY or ORDINAL), closed interval, form and unit; None
    when `text` is not a numeric expression.

    Examples
    --------
    >>> q = parse_quantity("Some 12-13")
    >>> (q.value.low, q.value.high, q.form.value)
    (12, 13, 'range')
    >>> q = parse_quantity("$50 billion")
    >>> (q.label.value, q.value.low, q.unit)
    ('MONEY', 50000000000, 'USD')
    >>> parse_quantity("at least eight or nine").value
    NumericValue(low=8, high=None)
    >>> parse_quantity("dozens").form.value
    'vague'
    >>> parse_quantity("the army") is None
    True
    """
    words = tokens(text)
    ordinal = parse_ordinal(" ".join(words)) if words else None
    if ordinal is not None:
        value = NumericValue(low=ordinal, high=ordinal)
        return Quantity(NumberLabel.ORDINAL, value, NumberForm.EXACT)
    words, modifier = split_modifiers(words)
    money = any(word in CURRENCIES for word in words)
    words, unit, label = _take_unit(_join_scales(words, money))
    vague = _vague(words)
    if vague is not None:
        low, currency = vague
        label = NumberLabel.MONEY if currency or label is NumberLabel.MONEY else label
        return Quantity(label, NumericValue(low=low, high=None), NumberForm.VAGUE, unit or currency)
    interval = _interval(words)
    if interval is None:
        return None
    value, form = _bounded(*interval, modifier)
    return Quantity(label, value, form, unit)
