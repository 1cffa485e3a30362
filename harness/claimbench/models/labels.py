"""Closed vocabularies of the data contract (DESIGN §3)."""

from enum import StrEnum


class Layer(StrEnum):
    """An annotation layer that a plugin may attempt and the scorer reports."""

    ENTITIES = "entities"
    NUMBERS = "numbers"
    ATTRIBUTIONS = "attributions"


class EntityLabel(StrEnum):
    """OntoNotes 5 name types, so off-the-shelf NER output maps directly."""

    PERSON = "PERSON"
    NORP = "NORP"
    FAC = "FAC"
    ORG = "ORG"
    GPE = "GPE"
    LOC = "LOC"
    EVENT = "EVENT"
    PRODUCT = "PRODUCT"
    LAW = "LAW"
    WORK_OF_ART = "WORK_OF_ART"
    LANGUAGE = "LANGUAGE"


class NumberLabel(StrEnum):
    """OntoNotes 5 value types."""

    CARDINAL = "CARDINAL"
    QUANTITY = "QUANTITY"
    MONEY = "MONEY"
    PERCENT = "PERCENT"
    ORDINAL = "ORDINAL"
    DATE = "DATE"
    TIME = "TIME"


class NumberForm(StrEnum):
    """How the text states a numeric value; the interval itself never widens for tolerance."""

    EXACT = "exact"
    APPROXIMATE = "approximate"
    RANGE = "range"
    ALTERNATIVES = "alternatives"
    LOWER_BOUND = "lower_bound"
    UPPER_BOUND = "upper_bound"
    VAGUE = "vague"


class TimexType(StrEnum):
    """TIMEX3 types."""

    DATE = "DATE"
    TIME = "TIME"
    DURATION = "DURATION"
    SET = "SET"


class TimexMod(StrEnum):
    """TIMEX3 `mod` values (ISO-TimeML)."""

    BEFORE = "BEFORE"
    AFTER = "AFTER"
    ON_OR_BEFORE = "ON_OR_BEFORE"
    ON_OR_AFTER = "ON_OR_AFTER"
    LESS_THAN = "LESS_THAN"
    MORE_THAN = "MORE_THAN"
    EQUAL_OR_LESS = "EQUAL_OR_LESS"
    EQUAL_OR_MORE = "EQUAL_OR_MORE"
    START = "START"
    MID = "MID"
    END = "END"
    APPROX = "APPROX"


class QuoteType(StrEnum):
    """How the content of an attribution is rendered (PARC 3.0)."""

    DIRECT = "direct"
    INDIRECT = "indirect"
    MIXED = "mixed"


class CountedClass(StrEnum):
    """What a claim counts or measures (gold/GUIDELINES.md §13.4)."""

    MILITANTS = "militants"
    SECURITY_PERSONNEL = "security_personnel"
    OFFICERS = "officers"
    CIVILIANS = "civilians"
    CHINESE_NATIONALS = "chinese_nationals"
    PEOPLE = "people"
    WEAPONS = "weapons"
    OPERATION = "operation"
    PLACE = "place"
    FUNDS = "funds"


class ClaimEvent(StrEnum):
    """What a claim says happened to what it counts, or which property it measures (§13.5)."""

    KILLED = "killed"
    INJURED = "injured"
    CRITICALLY_INJURED = "critically_injured"
    KIDNAPPED = "kidnapped"
    ESCAPED = "escaped"
    CAPTURED = "captured"
    PRESENT = "present"
    SEIZED = "seized"
    DURATION = "duration"
    DISTANCE = "distance"
    AMOUNT = "amount"


class SlotRelation(StrEnum):
    """How two claims of one slot from different documents relate (§13.8)."""

    EQUAL = "equal"
    CONTAINS = "contains"
    COMPATIBLE = "compatible"
    CONTRADICTS = "contradicts"
    SCOPE_MISMATCH = "scope_mismatch"


ENTITY_LABELS: frozenset[str] = frozenset(label.value for label in EntityLabel)
NUMBER_LABELS: frozenset[str] = frozenset(label.value for label in NumberLabel)
TEMPORAL_LABELS: frozenset[str] = frozenset({NumberLabel.DATE.value, NumberLabel.TIME.value})
