"""Normalisation of numeric and temporal expressions, for any plugin to import.

Examples
--------
>>> import datetime as dt
>>> from claimbench.normalise import normalise
>>> n = normalise("at least eight or nine")
>>> (n.label.value, n.value.low, n.value.high, n.form.value)
('CARDINAL', 8, None, 'lower_bound')
>>> normalise("last month", dt.date(2017, 6, 4)).timex.value
'2017-05'
"""

from claimbench.normalise.numerals import parse_digits, parse_number_words, parse_ordinal
from claimbench.normalise.quantities import Quantity, parse_quantity
from claimbench.normalise.spans import (
    Normalised,
    normalise,
    predicted_number,
    widen_number_span,
)
from claimbench.normalise.temporal import resolve_temporal

__all__ = [
    "Normalised",
    "Quantity",
    "normalise",
    "parse_digits",
    "parse_number_words",
    "parse_ordinal",
    "parse_quantity",
    "predicted_number",
    "resolve_temporal",
    "widen_number_span",
]
