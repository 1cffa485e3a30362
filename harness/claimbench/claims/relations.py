"""How two claims' values relate: the rules of gold/GUIDELINES.md §13.8 as a pure function.

A claim's value is a `Quantity`: the stated interval `[low, high]` (None: unbounded on that
side), the form and the unit. A duration (a DATE with a TIMEX3 `DURATION` such as `P3D`) is
measured in days; its form follows the timex `mod`: `lower_bound` for MORE_THAN and
EQUAL_OR_MORE, `upper_bound` for LESS_THAN and EQUAL_OR_LESS, `approximate` for APPROX, `exact`
otherwise. Each quantity admits an interval: the stated one, except for form `approximate`,
which admits `[v - t, v + t]` with `t = max(1, floor(v / 10))` ("around a dozen" admits
[11, 13], "about 28" admits [26, 30]).

The relation of two quantities is the first of these that holds:

1. `equal`: same stated interval and same form;
2. `contains`: neither is approximate, the stated intervals differ, and one lies inside the
   other;
3. `compatible`: the admitted intervals overlap;
4. `contradicts`: the admitted intervals are disjoint.

`scope_mismatch` (the two claims do not count the same set) is a human judgement read from the
text and never derived here. Quantities in different units (kilometres and days, dollars and
people) cannot be compared: `relation` returns None for them.
"""

import math
import re

from claimbench.models import (
    NumberForm,
    NumericValue,
    PredictedNumber,
    SlotRelation,
    TimexMod,
    TimexType,
)

Bound = int | float | None
DAYS = "days"
"""The unit of a duration."""

_DURATION = re.compile(
    r"^P(?:(?P<Y>\d+(?:\.\d+)?)Y)?(?:(?P<M>\d+(?:\.\d+)?)M)?(?:(?P<W>\d+(?:\.\d+)?)W)?"
    r"(?:(?P<D>\d+(?:\.\d+)?)D)?(?:T(?:(?P<H>\d+(?:\.\d+)?)H)?(?:(?P<TM>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<S>\d+(?:\.\d+)?)S)?)?$"
)
_DAYS_PER = {"Y": 365.0, "M": 30.0, "W": 7.0, "D": 1.0, "H": 1 / 24, "TM": 1 / 1440, "S": 1 / 86400}
"""Days per ISO 8601 duration component (a year is 365 days, a month 30: the conventional
lengths, only ever used to compare two durations)."""
_LOWER_MODS = {TimexMod.MORE_THAN, TimexMod.EQUAL_OR_MORE}
_UPPER_MODS = {TimexMod.LESS_THAN, TimexMod.EQUAL_OR_LESS}


class Quantity(NumericValue):
    """A claim's value as §13.8 compares it: stated interval, form and unit.

    Examples
    --------
    >>> Quantity(low=12, high=12, form="approximate").admitted()
    (11, 13)
    >>> str(Quantity(low=7, high=None, form="lower_bound"))
    '>= 7'
    """

    form: NumberForm
    unit: str | None = None

    def stated(self) -> tuple[Bound, Bound]:
        """The interval as annotated."""
        return self.low, self.high

    def admitted(self) -> tuple[Bound, Bound]:
        """The stated interval, widened by the tolerance of §13.8 when the form is approximate."""
        if self.form is not NumberForm.APPROXIMATE:
            return self.stated()
        low = None if self.low is None else self.low - _tolerance(self.low)
        high = None if self.high is None else self.high + _tolerance(self.high)
        return low, high

    def __str__(self) -> str:
        low, high = _show(self.low), _show(self.high)
        if self.form is NumberForm.APPROXIMATE and self.low == self.high:
            text = f"~{low}"
        elif self.high is None:
            text = f">= {low}"
        elif self.low is None:
            text = f"<= {high}"
        elif self.low == self.high:
            text = low
        elif self.form is NumberForm.ALTERNATIVES:
            text = f"{low} or {high}"
        else:
            text = f"{low}-{high}"
        if self.form in (NumberForm.VAGUE, NumberForm.APPROXIMATE) and not text.startswith("~"):
            text += f" ({self.form.value})"
        if self.unit is not None:
            text += f" {self.unit}"
        return text


def _tolerance(value: float) -> float:
    return max(1, math.floor(abs(value) / 10))


def _show(value: Bound) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


def duration_days(timex_value: str) -> float | None:
    """The length of an ISO 8601 duration in days; None for a vague one (`PXD`, `PXY`).

    Examples
    --------
    >>> duration_days("P3D"), duration_days("P2W"), duration_days("PT48H"), duration_days("PXD")
    (3.0, 14.0, 2.0, None)
    """
    match = _DURATION.match(timex_value)
    if match is None or not any(match.groupdict().values()):
        return None
    return sum(float(n) * _DAYS_PER[part] for part, n in match.groupdict().items() if n)


def quantity_of(number: PredictedNumber) -> Quantity | None:
    """The value §13.8 compares of a number mention (gold or predicted).

    A numeric mention gives its `value` and `form` (exact when a prediction leaves the form
    out) and its unit; a DATE or TIME mention whose timex is a measured duration gives its
    length in days. Anything else (a date, a vague duration, a mention without a value) has no
    comparable value: None.

    Examples
    --------
    >>> quantity_of(PredictedNumber(start=0, end=9, label="DATE",
    ...                             timex={"type": "DURATION", "value": "P3D"}))
    Quantity(low=3.0, high=3.0, form=<NumberForm.EXACT: 'exact'>, unit='days')
    >>> quantity_of(PredictedNumber(start=0, end=6, label="DATE",
    ...                             timex={"type": "DATE", "value": "XXXX-WXX-7"})) is None
    True
    """
    if number.value is not None:
        form = number.form or NumberForm.EXACT
        return Quantity(low=number.value.low, high=number.value.high, form=form, unit=number.unit)
    timex = number.timex
    if timex is None or timex.type is not TimexType.DURATION:
        return None
    days = duration_days(timex.value)
    if days is None:
        return None
    if timex.mod in _LOWER_MODS:
        return Quantity(low=days, high=None, form=NumberForm.LOWER_BOUND, unit=DAYS)
    if timex.mod in _UPPER_MODS:
        return Quantity(low=None, high=days, form=NumberForm.UPPER_BOUND, unit=DAYS)
    form = NumberForm.APPROXIMATE if timex.mod is TimexMod.APPROX else NumberForm.EXACT
    return Quantity(low=days, high=days, form=form, unit=DAYS)


def cap_problem(value: Quantity | None, size: Quantity | None) -> str | None:
    """Why `size` cannot cap `value` (§13.8 C2), or None when it can: the size of the set a
    partitive counts in is one exact value, not smaller than the claim's lower end. The one
    statement of the rule, for gold claims (`claimbench.claims.resolve.within_size`) and
    predicted ones (`claimbench.scoring.claims`).

    Parameters
    ----------
    value : Quantity or None
        The claim's value as its number mention states it (None: no comparable value).
    size : Quantity or None
        The value of the number mention its `within` names (None: there is none).

    Returns
    -------
    str or None
        What is wrong with the cap, or None.

    Examples
    --------
    >>> ten = Quantity(low=10, high=10, form="exact")
    >>> range_ = Quantity(low=9, high=10, form="range")
    >>> cap_problem(Quantity(low=8, high=None, form="lower_bound"), ten) is None
    True
    >>> cap_problem(Quantity(low=8, high=None, form="lower_bound"), range_)[:30]
    '`within` must name another num'
    >>> cap_problem(Quantity(low=12, high=12, form="exact"), ten)
    'the claim counts at least 12, more than the 10 of the set its `within` names (§13.8 C2)'
    """
    if size is None or size.low is None or size.low != size.high:
        return (
            "`within` must name another number mention of this document with one exact "
            "value: the size of the set the partitive counts in (§13.8 C2)"
        )
    if value is not None and value.low is not None and value.low > size.low:
        return (
            f"the claim counts at least {value.low}, more than the {size.low} of the set "
            f"its `within` names (§13.8 C2)"
        )
    return None


def capped(value: Quantity, size: Quantity) -> Quantity:
    """A claim's value capped at the size of the set a partitive restricts it to (§13.8 C2).

    "at least eight or nine of the [top 10] commanders" counts within a set of 10: its value
    [8, open) becomes [8, 10]. A value with two ends is a `range` (`exact` when they meet); a
    value already inside the cap is returned unchanged.

    Parameters
    ----------
    value : Quantity
        The claim's value as its number mention states it.
    size : Quantity
        The value of the number mention that states the set's size (exact: low == high).

    Returns
    -------
    Quantity
        `value` with its upper end at most `size`.

    Examples
    --------
    >>> at_least_8 = Quantity(low=8, high=None, form="lower_bound")
    >>> str(capped(at_least_8, Quantity(low=10, high=10, form="exact")))
    '8-10'
    >>> capped(Quantity(low=3, high=3, form="exact"), Quantity(low=10, high=10, form="exact"))
    Quantity(low=3, high=3, form=<NumberForm.EXACT: 'exact'>, unit=None)
    """
    if size.high is None or (value.high is not None and value.high <= size.high):
        return value
    form = NumberForm.EXACT if value.low == size.high else NumberForm.RANGE
    return Quantity(low=value.low, high=size.high, form=form, unit=value.unit)


def _inside(inner: tuple[Bound, Bound], outer: tuple[Bound, Bound]) -> bool:
    low_ok = outer[0] is None or (inner[0] is not None and inner[0] >= outer[0])
    high_ok = outer[1] is None or (inner[1] is not None and inner[1] <= outer[1])
    return low_ok and high_ok


def _overlap(a: tuple[Bound, Bound], b: tuple[Bound, Bound]) -> bool:
    below = a[1] is not None and b[0] is not None and a[1] < b[0]
    above = b[1] is not None and a[0] is not None and b[1] < a[0]
    return not (below or above)


def relation(a: Quantity, b: Quantity) -> SlotRelation | None:
    """The §13.8 relation of two claims' values (symmetric); None when their units differ.

    Parameters
    ----------
    a, b : Quantity
        The two values, e.g. from `quantity_of`.

    Returns
    -------
    SlotRelation or None
        `equal`, `contains`, `compatible` or `contradicts` (never `scope_mismatch`, a human
        judgement); None when the two cannot be compared (different units).

    Examples
    --------
    The corpus cases of §13.8:

    >>> dozen = Quantity(low=12, high=12, form="approximate")
    >>> twelve = Quantity(low=12, high=12, form="exact")
    >>> some = Quantity(low=12, high=13, form="range")
    >>> at_least_7 = Quantity(low=7, high=None, form="lower_bound")
    >>> five = Quantity(low=5, high=5, form="exact")
    >>> [relation(twelve, twelve), relation(some, twelve), relation(dozen, twelve)]
    [<SlotRelation.EQUAL: 'equal'>, <SlotRelation.CONTAINS: 'contains'>, \
<SlotRelation.COMPATIBLE: 'compatible'>]
    >>> relation(at_least_7, five)
    <SlotRelation.CONTRADICTS: 'contradicts'>
    >>> relation(twelve, Quantity(low=12, high=12, form="exact", unit="km")) is None
    True
    """
    if a.unit != b.unit:
        return None
    if a.stated() == b.stated() and a.form == b.form:
        return SlotRelation.EQUAL
    nested = _inside(a.stated(), b.stated()) or _inside(b.stated(), a.stated())
    approximate = NumberForm.APPROXIMATE in (a.form, b.form)
    if not approximate and a.stated() != b.stated() and nested:
        return SlotRelation.CONTAINS
    if _overlap(a.admitted(), b.admitted()):
        return SlotRelation.COMPATIBLE
    return SlotRelation.CONTRADICTS
