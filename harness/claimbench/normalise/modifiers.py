"""Words around a number that say how exact it is ("about", "at least", "or more").

Each modifier maps to the `NumberForm` of a numeric value and to the TIMEX3 `mod` of a duration,
so "more than two weeks" and "more than 200 people" are read the same way.
"""

from typing import NamedTuple

from claimbench.models import NumberForm, TimexMod


class Modifier(NamedTuple):
    """How a modifier qualifies a number."""

    form: NumberForm
    mod: TimexMod


_APPROX = Modifier(NumberForm.APPROXIMATE, TimexMod.APPROX)
_AT_LEAST = Modifier(NumberForm.LOWER_BOUND, TimexMod.EQUAL_OR_MORE)
_MORE = Modifier(NumberForm.LOWER_BOUND, TimexMod.MORE_THAN)
_AT_MOST = Modifier(NumberForm.UPPER_BOUND, TimexMod.EQUAL_OR_LESS)
_LESS = Modifier(NumberForm.UPPER_BOUND, TimexMod.LESS_THAN)

PREFIXES: dict[str, Modifier] = {
    "about": _APPROX, "around": _APPROX, "some": _APPROX, "approximately": _APPROX,
    "roughly": _APPROX, "nearly": _APPROX, "almost": _APPROX, "an estimated": _APPROX,
    "estimated": _APPROX, "close to": _APPROX, "circa": _APPROX, "approx.": _APPROX,
    "more or less": _APPROX, "an approximate": _APPROX, "perhaps": _APPROX,
    "at least": _AT_LEAST, "no fewer than": _AT_LEAST, "no less than": _AT_LEAST,
    "not less than": _AT_LEAST, "a minimum of": _AT_LEAST,
    "more than": _MORE, "over": _MORE, "upwards of": _MORE, "in excess of": _MORE,
    "above": _MORE, "exceeding": _MORE, "well over": _MORE, "just over": _MORE,
    "up to": _AT_MOST, "at most": _AT_MOST, "no more than": _AT_MOST, "not more than": _AT_MOST,
    "as many as": _AT_MOST, "as much as": _AT_MOST, "a maximum of": _AT_MOST,
    "less than": _LESS, "fewer than": _LESS, "under": _LESS, "below": _LESS,
    "just under": _LESS,
}  # fmt: skip
SUFFIXES: dict[str, Modifier] = {
    "or more": _AT_LEAST, "or so": _APPROX, "plus": _AT_LEAST, "+": _AT_LEAST,
    "or fewer": _AT_MOST, "or less": _AT_MOST, "odd": _APPROX,
}  # fmt: skip
# Longest first, so "more than" wins over a shorter phrase sharing its start.
_PREFIX_ORDER = sorted(PREFIXES, key=lambda phrase: -len(phrase.split()))
_SUFFIX_ORDER = sorted(SUFFIXES, key=lambda phrase: -len(phrase.split()))


def split_modifiers(words: list[str]) -> tuple[list[str], Modifier | None]:
    """Remove one leading or trailing modifier from lower-cased `words`.

    Parameters
    ----------
    words:
        The words of an expression, lower-cased.

    Returns
    -------
    The remaining words and the modifier found (None when there is none). When both ends carry
    one ("at least 20 or more"), the leading one wins: it is the one a reader meets first.

    Examples
    --------
    >>> split_modifiers(["at", "least", "eight"])
    (['eight'], Modifier(form=<NumberForm.LOWER_BOUND: 'lower_bound'>, mod=<TimexMod.EQUAL_OR_MORE: 'EQUAL_OR_MORE'>))
    >>> split_modifiers(["20", "or", "so"])[1].form.value
    'approximate'
    >>> split_modifiers(["12"])
    (['12'], None)
    """  # noqa: E501
    for phrase in _PREFIX_ORDER:
        parts = phrase.split()
        if words[: len(parts)] == parts and len(words) > len(parts):
            rest, _ = split_modifiers(words[len(parts) :])
            return rest, PREFIXES[phrase]
    for phrase in _SUFFIX_ORDER:
        parts = phrase.split()
        if words[-len(parts) :] == parts and len(words) > len(parts):
            return words[: -len(parts)], SUFFIXES[phrase]
    return words, None
