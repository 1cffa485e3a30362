"""Annotation items: spans, entity mentions, number mentions and attributions.

Gold items (`EntityMention`, `NumberMention`, `Attribution`) require every field; the predicted
variants make the gold-only fields (`id`, `entity`, `source_entity`, `parent`, `text`) optional,
as DESIGN §4 says. Offsets are Unicode code-point indices into the canonical text, half-open.
"""

from typing import Annotated, Self

from pydantic import Field, model_validator

from claimbench.models.base import Bound, ContractModel, EntityId, ItemId, Offset
from claimbench.models.labels import (
    EntityLabel,
    NumberForm,
    NumberLabel,
    QuoteType,
    TimexMod,
    TimexType,
)

_TEMPORAL = {NumberLabel.DATE, NumberLabel.TIME}


class Span(ContractModel):
    """A half-open `[start, end)` span of the canonical text; `text` must equal `doc[start:end]`."""

    start: Offset
    end: Offset
    text: str | None = None

    @model_validator(mode="after")
    def _non_empty(self) -> Self:
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be greater than start ({self.start})")
        if self.text is not None and len(self.text) != self.end - self.start:
            raise ValueError(
                f"text has {len(self.text)} characters but the span "
                f"[{self.start}, {self.end}) has {self.end - self.start}"
            )
        return self


class GoldSpan(Span):
    """A span whose text is required (gold always stores it)."""

    text: str


class NumericValue(ContractModel):
    """A closed interval `[low, high]`; `None` on one side means unbounded on that side."""

    low: Bound | None
    high: Bound | None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.low is None and self.high is None:
            raise ValueError("at least one of low and high must be given")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low}) is greater than high ({self.high})")
        return self


class Timex(ContractModel):
    """A TIMEX3-style normalisation of a DATE or TIME expression."""

    type: TimexType
    value: Annotated[str, Field(min_length=1, max_length=100)]
    mod: TimexMod | None = None


class PredictedEntity(Span):
    """A named-entity mention as a plugin returns it."""

    id: ItemId | None = None
    label: EntityLabel
    entity: EntityId | None = None


class EntityMention(PredictedEntity):
    """A gold named-entity mention, tied to a canonical entity of `gold/entities.json`."""

    id: ItemId
    text: str
    entity: EntityId


class PredictedNumber(Span):
    """A numeric or temporal expression as a plugin returns it.

    Numeric labels carry `value` (and `form`, `unit`); DATE and TIME carry `timex` instead.
    """

    id: ItemId | None = None
    label: NumberLabel
    value: NumericValue | None = None
    form: NumberForm | None = None
    unit: Annotated[str, Field(min_length=1, max_length=50)] | None = None
    timex: Timex | None = None

    @model_validator(mode="after")
    def _value_kind_matches_label(self) -> Self:
        if self.label in _TEMPORAL:
            wrong = [name for name in ("value", "form", "unit") if getattr(self, name) is not None]
            if wrong:
                raise ValueError(
                    f"{self.label.value} mentions carry `timex`, not {', '.join(wrong)}"
                )
        elif self.timex is not None:
            raise ValueError(f"{self.label.value} mentions carry `value`, not `timex`")
        return self


class NumberMention(PredictedNumber):
    """A gold number mention: every numeric one is normalised, every temporal one resolved."""

    id: ItemId
    text: str

    @model_validator(mode="after")
    def _normalised(self) -> Self:
        if self.label in _TEMPORAL:
            if self.timex is None:
                raise ValueError(f"a gold {self.label.value} mention needs `timex`")
        elif self.value is None or self.form is None:
            raise ValueError(f"a gold {self.label.value} mention needs `value` and `form`")
        return self


class PredictedAttribution(ContractModel):
    """An attribution (PARC 3.0 / PolNeAR roles) as a plugin returns it."""

    id: ItemId | None = None
    cue: Span
    source: Span | None = None
    source_entity: EntityId | None = None
    content: Annotated[list[Span], Field(min_length=1)]
    quote: QuoteType
    parent: ItemId | None = None

    def spans(self) -> list[Span]:
        """Every span of the attribution: cue, source (if any), then content."""
        return [self.cue, *([self.source] if self.source else []), *self.content]


class Attribution(PredictedAttribution):
    """A gold attribution: spans carry their text, the speaker is resolved to an entity."""

    id: ItemId
    cue: GoldSpan
    source: GoldSpan | None
    source_entity: EntityId | None
    content: Annotated[list[GoldSpan], Field(min_length=1)]
    parent: ItemId | None
