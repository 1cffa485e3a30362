"""spaCy Matcher patterns of the rules baseline for numeric and temporal expressions.

Patterns find the core of an expression; touching modifiers ("about", "at least", "or more")
and the far end of a range are added afterwards by `claimbench.normalise.widen_number_span`,
so the two baselines widen spans the same way.
"""

from typing import Any

from claimbench.normalise.numerals import ORDINALS
from claimbench.normalise.quantities import CURRENCIES, MEASURES
from claimbench.normalise.temporal import MONTHS, PARTS_OF_DAY, WEEKDAYS

Pattern = list[dict[str, Any]]

_NUM: dict[str, Any] = {"LIKE_NUM": True}
_NUMS: dict[str, Any] = {"LIKE_NUM": True, "OP": "+"}
_DASH: dict[str, Any] = {"ORTH": {"IN": ["-", "–", "—"]}}
_SCALED = {"TEXT": {"REGEX": r"^\d+(?:\.\d+)?(?:k|K|bn|mn|m|tn)$"}}
_SYMBOLS = [c for c in CURRENCIES if not c.isalpha()] + ["US$", "Rs", "Rs.", "PKR", "USD", "INR"]
_CURRENCY: dict[str, Any] = {"ORTH": {"IN": _SYMBOLS}}
_UNIT_WORDS = [w for w in [*CURRENCIES, *MEASURES, "%", "percent"] if " " not in w and w.isalpha()]
_UNIT: dict[str, Any] = {"LOWER": {"IN": [*_UNIT_WORDS, "%"]}}
_TIME_UNITS = ["second", "minute", "hour", "day", "week", "month", "year", "decade", "century"]
_TIME_UNIT: dict[str, Any] = {"LOWER": {"IN": _TIME_UNITS + [u + "s" for u in _TIME_UNITS]}}
_PLURAL_UNIT: dict[str, Any] = {"LOWER": {"IN": ["decades", "years", "months", "weeks", "days"]}}
_MONTH_NAMES = [m.capitalize() for m in MONTHS if len(m) > 3]
_MONTH: dict[str, Any] = {"ORTH": {"IN": _MONTH_NAMES}}
_DAY: dict[str, Any] = {"TEXT": {"REGEX": r"^\d{1,2}(?:st|nd|rd|th)?$"}}
_YEAR: dict[str, Any] = {"TEXT": {"REGEX": r"^(?:1[5-9]|20)\d\d$"}}
_WEEKDAY: dict[str, Any] = {"LOWER": {"IN": list(WEEKDAYS)}}
_RELATION: dict[str, Any] = {"LOWER": {"IN": ["last", "this", "next", "past", "previous"]}}

NUMERIC: list[Pattern] = [
    [_NUMS],
    [_NUM, _DASH, _NUM],
    [_CURRENCY, _NUMS],
    [_CURRENCY, _SCALED],
    [_SCALED],
    [_NUMS, _UNIT],
    [_NUMS, {"LOWER": "per"}, {"LOWER": "cent"}],
    [{"LOWER": {"IN": ["a", "one", "two", "three", "half"]}}, {"LOWER": "dozen"}],
    [{"LOWER": {"IN": ["dozens", "hundreds", "thousands", "millions", "scores"]}}, {"LOWER": "of"}],
    [{"LOWER": {"IN": ["tens", "hundreds"]}}, {"LOWER": "of"}, {"LOWER": "thousands"}],
    [{"LOWER": {"REGEX": r"^multi-?(million|billion)"}}, _DASH, {"LOWER": "dollar"}],
    [
        {"LOWER": "multi"},
        _DASH,
        {"LOWER": {"IN": ["million", "billion"]}},
        _DASH,
        {"LOWER": {"IN": ["dollar", "pound", "euro"]}},
    ],
    [{"LOWER": {"IN": [w for w in ORDINALS if w not in {"last", "second"}]}}],
    [{"TEXT": {"REGEX": r"^\d+(?:st|nd|rd|th)$"}}],
]

TEMPORAL: list[Pattern] = [
    [_RELATION, {"OP": "?", "LOWER": "on"}, _WEEKDAY],
    [_WEEKDAY, {"LOWER": {"IN": list(PARTS_OF_DAY)}, "OP": "?"}],
    [{"LOWER": {"IN": ["early", "late", "mid"]}, "OP": "?"}, _DASH | {"OP": "?"}, _MONTH, _DAY],
    [_MONTH, _DAY, {"ORTH": ",", "OP": "?"}, _YEAR],
    [_DAY, _MONTH, _YEAR | {"OP": "?"}],
    [{"LOWER": {"IN": ["early", "late", "mid"]}, "OP": "?"}, _DASH | {"OP": "?"}, _MONTH, _YEAR],
    [{"LOWER": {"IN": ["in", "since", "until", "by", "during", "from", "early", "late"]}}, _YEAR],
    [{"LOWER": {"IN": ["in", "since", "until", "by", "during", "early", "late"]}}, _MONTH],
    [_RELATION, {"LOWER": {"IN": ["week", "month", "year", "weekend", "decade"]}}],
    [{"LOWER": {"IN": ["yesterday", "today", "tomorrow", "tonight", "overnight"]}}],
    [{"LOWER": {"IN": ["last", "this"]}}, {"LOWER": {"IN": list(PARTS_OF_DAY)}}],
    [_NUMS, _TIME_UNIT, {"LOWER": "ago"}],
    [{"LOWER": {"IN": ["a", "an"]}}, _TIME_UNIT, {"LOWER": "ago"}],
    [_NUMS, _DASH, _TIME_UNIT],
    [_NUMS, _TIME_UNIT],
    [{"LOWER": {"IN": ["a", "an"]}}, {"LOWER": {"IN": ["week", "month", "year", "decade"]}}],
    [{"LOWER": {"IN": ["for", "over"]}}, _PLURAL_UNIT],
    [{"LOWER": "the"}, {"LOWER": {"IN": ["past", "last"]}}, _NUMS, _TIME_UNIT],
    [{"LOWER": {"IN": ["recent", "several", "few"]}}, _PLURAL_UNIT],
    [{"TEXT": {"REGEX": r"^\d{1,2}(?::\d{2})?$"}}, {"LOWER": {"IN": ["am", "pm", "a.m.", "p.m."]}}],
    [{"TEXT": {"REGEX": r"^\d{1,2}(?::\d{2})?(?:am|pm)$"}}],
    [{"LOWER": {"IN": ["noon", "midnight"]}}],
]
# Leading words a temporal match needs as context but a DATE span leaves out.
TEMPORAL_LEADING = frozenset({"in", "since", "until", "by", "during", "from", "for", "over", "on"})
