"""One rule for a gold claim's `within` (§13.8 C2): the value `claim_quantity` compares is
capped exactly when `claimbench validate` accepts the `within`, and is None whenever validation
reports it (a set of more than one value, the claim's own number, a set smaller than the claim).
"""

import pytest

from claimbench.claims.resolve import claim_quantity, within_size
from claimbench.errors import Where
from claimbench.fileio import read_json
from claimbench.models import GoldDocument
from claimbench.paths import DEFAULT_GOLD
from claimbench.validation.gold import claim_problems


def _dawn(within: str, size: dict[str, object] | None = None) -> GoldDocument:
    """Dawn's gold with claim c4 ("at least eight or nine") bounded by `within`; `size`
    replaces the value and form of n8 ("10") when given."""
    data = read_json(DEFAULT_GOLD / "001-dawn.json")
    for number in data["numbers"]:
        if number["id"] == "n8" and size is not None:
            number.update(size)
    for claim in data["claims"]:
        if claim["id"] == "c4":
            claim["within"] = within
    return GoldDocument.model_validate(data)


@pytest.mark.parametrize(
    ("within", "size", "expected"),
    [
        ("n8", None, "8-10"),  # the gold as written: ten commanders
        ("n8", {"value": {"low": 10, "high": 12}, "form": "range"}, None),  # 10-12: no one size
        ("n9", None, None),  # the claim's own number
        ("n10", None, None),  # "At least seven": no upper end
        ("n11", None, None),  # "three": smaller than the claim's eight
        ("n4", None, None),  # "May 24": no value
        ("n99", None, None),  # no such number
    ],
)
def test_claim_quantity_caps_only_what_validation_accepts(within, size, expected):
    document = _dawn(within, size)
    numbers = {number.id: number for number in document.numbers or []}
    claim = next(claim for claim in document.claims or [] if claim.id == "c4")
    within_reported = [
        problem
        for problem in claim_problems(document, Where("f", "001-dawn"))
        if "claims[3].within" in str(problem)
    ]
    value = claim_quantity(claim, numbers)
    assert (None if value is None else str(value)) == expected
    assert bool(within_reported) == (expected is None)
    if expected is None:
        with pytest.raises(ValueError) as caught:
            within_size(claim, numbers)
        assert str(caught.value) in str(within_reported[0])


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((10, 10, "exact"), "8-10"),
        ((10, 12, "range"), ">= 8"),  # before: capped at 12 although the gold's rule refuses it
        ((3, 3, "exact"), ">= 8"),  # smaller than the claim's lower end
        (None, ">= 8"),  # the plugin gave no number at the `within` span
    ],
)
def test_a_predicted_claim_is_capped_by_the_gold_claims_rule(size, expected):
    from claimbench.claims.relations import Quantity
    from claimbench.scoring.claims import _capped

    at_least_8 = Quantity(low=8, high=None, form="lower_bound")
    bound = None if size is None else Quantity(low=size[0], high=size[1], form=size[2])
    assert str(_capped(at_least_8, bound)) == expected
