"""The shared normaliser on a table of expressions written for this test (not from the corpus)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimbench.models import NumberLabel, TimexMod, TimexType
from claimbench.normalise import normalise, predicted_number, widen_number_span

# A Thursday, so "Monday" and "last week" resolve to something checkable by hand.
ANCHOR = dt.date(2021, 7, 15)

NUMERIC = [
    # text, label, low, high, form, unit
    ("7", "CARDINAL", 7, 7, "exact", None),
    ("1,250", "CARDINAL", 1250, 1250, "exact", None),
    ("3.75", "CARDINAL", 3.75, 3.75, "exact", None),
    ("seventeen", "CARDINAL", 17, 17, "exact", None),
    ("forty-three", "CARDINAL", 43, 43, "exact", None),
    ("two hundred and six", "CARDINAL", 206, 206, "exact", None),
    ("4.2 million", "CARDINAL", 4_200_000, 4_200_000, "exact", None),
    ("a dozen", "CARDINAL", 12, 12, "exact", None),
    ("three dozen", "CARDINAL", 36, 36, "exact", None),
    ("30-35", "CARDINAL", 30, 35, "range", None),
    ("30–35", "CARDINAL", 30, 35, "range", None),
    ("between 40 and 60", "CARDINAL", 40, 60, "range", None),
    ("from six to ten", "CARDINAL", 6, 10, "range", None),
    ("2-3 million", "CARDINAL", 2_000_000, 3_000_000, "range", None),
    ("Roughly 30-35", "CARDINAL", 30, 35, "range", None),
    ("six or seven", "CARDINAL", 6, 7, "alternatives", None),
    ("about 70", "CARDINAL", 70, 70, "approximate", None),
    ("around a dozen", "CARDINAL", 12, 12, "approximate", None),
    ("some 300", "CARDINAL", 300, 300, "approximate", None),
    ("nearly 5,000", "CARDINAL", 5000, 5000, "approximate", None),
    ("40 or so", "CARDINAL", 40, 40, "approximate", None),
    ("at least 19", "CARDINAL", 19, None, "lower_bound", None),
    ("at least six or seven", "CARDINAL", 6, None, "lower_bound", None),
    ("more than 1,000", "CARDINAL", 1000, None, "lower_bound", None),
    ("over two million", "CARDINAL", 2_000_000, None, "lower_bound", None),
    ("80 or more", "CARDINAL", 80, None, "lower_bound", None),
    ("up to 90", "CARDINAL", None, 90, "upper_bound", None),
    ("fewer than ten", "CARDINAL", None, 10, "upper_bound", None),
    ("as many as 250", "CARDINAL", None, 250, "upper_bound", None),
    ("dozens", "CARDINAL", 24, None, "vague", None),
    ("hundreds of", "CARDINAL", 200, None, "vague", None),
    ("scores of", "CARDINAL", 40, None, "vague", None),
    ("tens of thousands", "CARDINAL", 20_000, None, "vague", None),
    ("$50 billion", "MONEY", 50_000_000_000, 50_000_000_000, "exact", "USD"),
    ("$2.5bn", "MONEY", 2_500_000_000, 2_500_000_000, "exact", "USD"),
    ("€300 million", "MONEY", 300_000_000, 300_000_000, "exact", "EUR"),
    ("£12m", "MONEY", 12_000_000, 12_000_000, "exact", "GBP"),
    ("4,000 dollars", "MONEY", 4000, 4000, "exact", "USD"),
    ("about $20 million", "MONEY", 20_000_000, 20_000_000, "approximate", "USD"),
    ("multi-billion-dollar", "MONEY", 2_000_000_000, None, "vague", "USD"),
    ("multimillion-dollar", "MONEY", 2_000_000, None, "vague", "USD"),
    ("Rs 40,000", "MONEY", 40000, 40000, "exact", None),
    ("15 percent", "PERCENT", 15, 15, "exact", None),
    ("15 per cent", "PERCENT", 15, 15, "exact", None),
    ("15%", "PERCENT", 15, 15, "exact", None),
    ("120 km", "QUANTITY", 120, 120, "exact", "km"),
    ("120km", "QUANTITY", 120, 120, "exact", "km"),
    ("some 80 kilometres", "QUANTITY", 80, 80, "approximate", "km"),
    ("12 miles", "QUANTITY", 12, 12, "exact", "mi"),
    ("300 tonnes", "QUANTITY", 300, 300, "exact", "t"),
    ("fourth", "ORDINAL", 4, 4, "exact", None),
    ("22nd", "ORDINAL", 22, 22, "exact", None),
]


@pytest.mark.parametrize(("text", "label", "low", "high", "form", "unit"), NUMERIC)
def test_numeric_expressions(text, label, low, high, form, unit):
    found = normalise(text)
    assert found is not None, text
    assert (found.label.value, found.value.low, found.value.high) == (label, low, high)
    assert (found.form.value, found.unit) == (form, unit)
    assert found.timex is None


TEMPORAL = [
    # text, with anchor, without anchor, type, label
    ("Monday", "2021-07-12", "XXXX-WXX-1", "DATE", "DATE"),
    ("Thursday", "2021-07-15", "XXXX-WXX-4", "DATE", "DATE"),
    ("on Friday", "2021-07-09", "XXXX-WXX-5", "DATE", "DATE"),
    ("last Thursday", "2021-07-08", "XXXX-WXX-4", "DATE", "DATE"),
    ("Tuesday night", "2021-07-13TNI", "XXXX-WXX-2TNI", "TIME", "TIME"),
    ("yesterday", "2021-07-14", "XXXX-XX-XX", "DATE", "DATE"),
    ("today", "2021-07-15", "XXXX-XX-XX", "DATE", "DATE"),
    ("last night", "2021-07-14TNI", "XXXX-XX-XXTNI", "TIME", "TIME"),
    ("last week", "2021-W27", "XXXX-WXX", "DATE", "DATE"),
    ("last month", "2021-06", "XXXX-XX", "DATE", "DATE"),
    ("this year", "2021", "XXXX", "DATE", "DATE"),
    ("last year", "2020", "XXXX", "DATE", "DATE"),
    ("March 9", "2021-03-09", "XXXX-03-09", "DATE", "DATE"),
    ("9 March", "2021-03-09", "XXXX-03-09", "DATE", "DATE"),
    ("March 9th, 2019", "2019-03-09", "2019-03-09", "DATE", "DATE"),
    ("October 2008", "2008-10", "2008-10", "DATE", "DATE"),
    ("2008", "2008", "2008", "DATE", "DATE"),
    ("in 1998", "1998", "1998", "DATE", "DATE"),
    ("the 1980s", "198", "198", "DATE", "DATE"),
    ("two years ago", "2019", "XXXX", "DATE", "DATE"),
    ("five-day", "P5D", "P5D", "DURATION", "DATE"),
    ("four days", "P4D", "P4D", "DURATION", "DATE"),
    ("a fortnight", "P2W", "P2W", "DURATION", "DATE"),
    ("for decades", "PXDE", "PXDE", "DURATION", "DATE"),
    ("for years", "PXY", "PXY", "DURATION", "DATE"),
    ("the past three weeks", "P3W", "P3W", "DURATION", "DATE"),
    ("36 hours", "PT36H", "PT36H", "DURATION", "TIME"),
    ("10:45 a.m.", "2021-07-15T10:45", "XXXX-XX-XXT10:45", "TIME", "TIME"),
    ("7 pm", "2021-07-15T19:00", "XXXX-XX-XXT19:00", "TIME", "TIME"),
    ("every week", "P1W", "P1W", "SET", "DATE"),
]


@pytest.mark.parametrize(("text", "anchored", "floating", "kind", "label"), TEMPORAL)
def test_temporal_expressions(text, anchored, floating, kind, label):
    with_date, without_date = normalise(text, ANCHOR), normalise(text, None)
    assert with_date is not None and without_date is not None, text
    assert (with_date.timex.value, without_date.timex.value) == (anchored, floating)
    assert with_date.timex.type is TimexType(kind)
    assert with_date.label is NumberLabel(label)
    assert with_date.value is None and with_date.form is None


@pytest.mark.parametrize(
    ("text", "value", "mod"),
    [
        ("early March", "2021-03", TimexMod.START),
        ("late 2019", "2019", TimexMod.END),
        ("mid-2019", "2019", TimexMod.MID),
        ("about three weeks", "P3W", TimexMod.APPROX),
        ("more than two years", "P2Y", TimexMod.MORE_THAN),
        ("at least five days", "P5D", TimexMod.EQUAL_OR_MORE),
        ("up to six months", "P6M", TimexMod.EQUAL_OR_LESS),
    ],
)
def test_temporal_modifiers(text, value, mod):
    found = normalise(text, ANCHOR)
    assert (found.timex.value, found.timex.mod) == (value, mod)


@pytest.mark.parametrize(
    "text", ["the river", "officials", "said", "many", "a", "", "12 13", "Mayor Lee", "day"]
)
def test_non_expressions_are_refused(text):
    assert normalise(text) is None


def test_a_month_without_a_year_is_the_most_plausible_one():
    january = dt.date(2022, 1, 5)
    assert normalise("December 28", january).timex.value == "2021-12-28"
    assert normalise("March 2", january).timex.value == "2022-03-02"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_normalises_or_is_refused_without_error(text):
    found = normalise(text, ANCHOR)
    assert found is None or (found.value is None) != (found.timex is None)


_VOCABULARY_TEXT = (
    "about at least more than up to or to and - between from some dozen dozens of hundreds "
    "a one twelve twenty 5 1,000 2.5 million bn k $ £ km percent % days weeks last Sunday June "
    "4th 2015 ago early the past for decades pm 3:30 every plus"
)
VOCABULARY = _VOCABULARY_TEXT.split()


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=6))
def test_any_mix_of_number_words_normalises_or_is_refused(words):
    for anchor in (ANCHOR, None):
        found = normalise(" ".join(words), anchor)
        if found is not None and found.value is not None:
            low, high = found.value.low, found.value.high
            assert low is None or high is None or low <= high


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_digits_with_separators_read_back(number):
    assert normalise(f"{number:,}", label=NumberLabel.CARDINAL).value.low == number
    assert normalise(f"about {number}", label=NumberLabel.CARDINAL).form.value == "approximate"


def test_a_given_label_is_kept_and_decides_the_reading():
    assert normalise("2008", label=NumberLabel.CARDINAL).value.low == 2008
    assert normalise("2008", label=NumberLabel.DATE).timex.value == "2008"
    assert normalise("the river", label=NumberLabel.DATE) is None


def test_k_is_a_distance_only_before_a_direction():
    near = normalise("40k", after=" north of the port")
    assert (near.label, near.value.low, near.unit) == (NumberLabel.QUANTITY, 40, "km")
    assert normalise("40k", after=" residents").value.low == 40_000
    assert normalise("15k", after=" away from the coast").unit == "km"
    assert normalise("25k", after=" outside the capital").unit == "km"
    assert normalise("60k", after=" of relief funds").value.low == 60_000


@pytest.mark.parametrize(
    ("text", "core", "widened"),
    [
        ("Roughly 30-35 homes were lost", "30", "Roughly 30-35"),
        ("at least six or seven bodies", "six", "at least six or seven"),
        ("up to 90 people", "90", "up to 90"),
        ("between 40 and 60 boats", "40", "between 40 and 60"),
        ("80 or more villages", "80", "80 or more"),
        ("the 12 workers", "12", "12"),
    ],
)
def test_widening_covers_touching_modifiers(text, core, widened):
    start = text.index(core)
    new_start, new_end = widen_number_span(text, start, start + len(core))
    assert text[new_start:new_end] == widened


def test_predicted_number_carries_the_span_text():
    text = "Floods cost $3.5 billion last year."
    number = predicted_number(text, 12, 24, ANCHOR)
    assert number.text == "$3.5 billion" and number.unit == "USD"
    assert predicted_number(text, 25, 34, ANCHOR).timex.value == "2020"
