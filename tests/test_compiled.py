"""The compiled first check of predictions and gold lines (`claimbench.models.compiled`,
issue 16): its Structs accept only what the pydantic models accept, with equal values, and
anything the compiler cannot express exactly stops it."""

import json
import pickle
from typing import Annotated, Any

import msgspec
import pytest
from fuzz_support import hostile_text, paths
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    Strict,
    ValidationError,
    field_validator,
)

from claimbench.fileio import JsonSyntaxError, decode_json
from claimbench.models import (
    ClaimEvent,
    CountedClass,
    EntityLabel,
    Layer,
    NumberForm,
    NumberLabel,
    PredictionRecord,
    QuoteType,
    TimexMod,
    TimexType,
)
from claimbench.models.base import ContractModel
from claimbench.models.compiled import (
    UncompilableError,
    _Compiler,
    as_model,
    decode_record,
    validate_record,
)


def same(struct: Any, model: Any) -> None:
    """Assert that a compiled value holds what the model's value holds, field by field, with
    the same Python types (1 is not 1.0)."""
    if isinstance(model, BaseModel):
        assert type(struct).__name__ == type(model).__name__
        assert list(struct.__struct_fields__) == list(type(model).model_fields)
        for name in type(model).model_fields:
            same(getattr(struct, name), getattr(model, name))
    elif isinstance(model, list):
        assert isinstance(struct, list) and len(struct) == len(model)
        for a, b in zip(struct, model, strict=True):
            same(a, b)
    else:
        assert type(struct) is type(model) and struct == model


def check(value: object) -> None:
    """The Struct accepts `value` only if the model does, and then holds the same."""
    try:
        model = PredictionRecord.model_validate(value)
    except ValidationError:
        model = None
    found = validate_record(value) if model is not None else None
    if model is None:
        with pytest.raises(ValidationError):
            validate_record(value)
    elif isinstance(found, BaseModel):  # the Struct refused it, pydantic's lax mode did not
        assert found == model
    else:
        same(found, model)
        assert as_model(found) == model


# Values of every JSON type, and a few a decoder never makes (NaN, a float where an int goes).
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 3.0, 1e308, -0.0]),
    st.text(max_size=4),
    st.text(alphabet="aZ09_.:-é \n", max_size=6),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)
ITEM_ID = st.from_regex(r"\A[A-Za-z0-9_.:-]{1,8}\Z")
ENTITY_ID = st.from_regex(r"\A[a-z0-9]{1,4}(-[a-z0-9]{1,3})?\Z")


def optional(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), strategy)


@st.composite
def spans(draw: st.DrawFn) -> dict:
    start = draw(st.integers(0, 10))
    end = start + draw(st.integers(1, 4))
    span: dict = {"start": start, "end": end}
    if draw(st.booleans()):
        span["text"] = draw(st.text(min_size=end - start, max_size=end - start))
    return span


@st.composite
def entities_(draw: st.DrawFn) -> dict:
    return {**draw(spans()), "label": draw(st.sampled_from(list(EntityLabel))).value,
            "id": draw(optional(ITEM_ID)), "entity": draw(optional(ENTITY_ID))}  # fmt: skip


BOUND = st.one_of(st.integers(-5, 5), st.floats(-5, 5))


@st.composite
def numbers_(draw: st.DrawFn) -> dict:
    label = draw(st.sampled_from(list(NumberLabel)))
    number = {**draw(spans()), "label": label.value, "id": draw(optional(ITEM_ID))}
    if label.value in ("DATE", "TIME"):
        timex = {"type": draw(st.sampled_from(list(TimexType))).value, "value": "2017"}
        if draw(st.booleans()):
            timex["mod"] = draw(st.sampled_from(list(TimexMod))).value
        number["timex"] = timex
    elif draw(st.booleans()):
        low, high = sorted((draw(BOUND), draw(BOUND)))
        number["value"] = {"low": low, "high": draw(st.sampled_from([high, None]))}
        number["form"] = draw(st.sampled_from(list(NumberForm))).value
        number["unit"] = draw(optional(st.text(min_size=1, max_size=5)))
    return number


@st.composite
def attributions_(draw: st.DrawFn) -> dict:
    return {"cue": draw(spans()), "source": draw(optional(spans())),
            "source_entity": draw(optional(ENTITY_ID)),
            "content": draw(st.lists(spans(), min_size=1, max_size=2)),
            "quote": draw(st.sampled_from(list(QuoteType))).value,
            "parent": draw(optional(ITEM_ID))}  # fmt: skip


@st.composite
def claims_(draw: st.DrawFn) -> dict:
    return {"number": draw(spans()), "cue": draw(optional(spans())),
            "counted": draw(st.sampled_from(list(CountedClass))).value,
            "event": draw(st.sampled_from(list(ClaimEvent))).value,
            "slot": draw(optional(st.text(min_size=1, max_size=5))),
            "within": draw(optional(spans()))}  # fmt: skip


@st.composite
def valid_records(draw: st.DrawFn) -> dict:
    record: dict = {"doc_id": draw(st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,8}\Z"))}
    for layer, items in (("entities", entities_()), ("numbers", numbers_()),
                         ("attributions", attributions_()), ("claims", claims_())):  # fmt: skip
        if draw(st.booleans()):
            record[layer] = draw(st.lists(items, max_size=3))
    return record


@st.composite
def records(draw: st.DrawFn) -> dict:
    """A valid record, or one with one value replaced, one key removed or one key added, or
    a line break after one of its strings."""
    record = draw(valid_records())
    places = paths(record)[1:]  # the root is not a place to change
    how = draw(st.sampled_from(["none", "replace", "remove", "add", "line break"]))
    if how == "none" or not places:
        return record
    *parents, last = draw(st.sampled_from(places))
    holder = record
    for key in parents:
        holder = holder[key]
    if how == "replace":
        holder[last] = draw(JUNK)
    elif how == "line break":
        if isinstance(holder[last], str):
            holder[last] += "\n"
    elif isinstance(holder, dict) and how == "remove":
        del holder[last]
    elif isinstance(holder, dict):
        holder[draw(st.sampled_from(["extra", "Start", "label", "low"]))] = draw(JUNK)
    return record


@settings(max_examples=1500, deadline=None)
@given(records())
def test_a_record_is_accepted_only_as_the_model_accepts_it(value: dict) -> None:
    check(value)


def without_defaults(record: dict) -> dict:
    """A valid record as a compact writer writes it: every member at its default (null) left
    out."""
    model = PredictionRecord.model_validate(record)
    return model.model_dump(mode="json", exclude_defaults=True)


def decoded_as_read(line: bytes) -> Any:
    """What the strict reader and the record check make of `line`: the record, or None where
    either refuses it."""
    try:
        return validate_record(decode_json(line))
    except (JsonSyntaxError, ValidationError):
        return None


@st.composite
def lines(draw: st.DrawFn) -> bytes:
    """A record's line: valid (its defaults written or left out), or made hostile by up to three
    changes (a key given twice, a number too large, NaN, a value of the wrong type, a member
    left out, bytes that are not UTF-8, the text cut short; `fuzz_support.hostile_text`)."""
    record = draw(valid_records())
    if draw(st.booleans()):
        record = without_defaults(record)
    return draw(hostile_text(record))


@settings(max_examples=1500, deadline=None)
@given(lines())
def test_a_line_is_decoded_straight_only_into_what_reading_it_gives(line: bytes) -> None:
    found = decode_record(line)
    if found is not None:
        expected = decoded_as_read(line)
        assert expected is not None and not isinstance(expected, BaseModel)
        same(found, expected)


@settings(max_examples=300, deadline=None)
@given(valid_records())
def test_a_valid_line_without_nulls_is_decoded_straight(record: dict) -> None:
    line = json.dumps(without_defaults(record), ensure_ascii=False).encode()
    found = decode_record(line)
    assert found is not None
    same(found, validate_record(decode_json(line)))


@pytest.mark.parametrize(
    "line",
    [
        b'{"doc_id": "d", "doc_id": "e", "numbers": []}',
        b'{"doc_id": "d", "entities": [{"start": 0, "end": 1, "label": "GPE", "id": null, '
        b'"id": "e1"}]}',  # a lost null and a missing text: the counts must not cancel out
        b'{"doc_id": "d", "entities": [{"start": 0, "end": 1, "label": "GPE", "text": "a", '
        b'"text": "b"}]}',
        b'{"doc_id": "d", "entities": [{"start": 0, "end": 1, "text": "\\u003a", "label": "GPE"}]}',
        b'{"doc_id": "d", "entities": null, "numbers": []}',
        b'{"doc_id": "d", "entities": [{"start": 0, "end": 18446744073709551615, "label": "GPE"}]}',
        b'{"doc_id": "d", "numbers": [{"start": 0, "end": 2, "label": "CARDINAL", '
        b'"value": {"low": 100000000000000000000000, "high": null}}]}',
        b'{"doc_id": "d", "numbers": [{"start": 0, "end": 2, "label": "CARDINAL", '
        b'"value": {"low": 1e999, "high": null}}]}',
        b'{"doc_id": "d", "numbers": [NaN]}',
        b'{"doc_id": "d\\ud800", "numbers": []}',
        b'{"doc_id": "d", "numbers": []} x',
    ],
)
def test_a_line_it_cannot_read_exactly_is_left_to_the_reader(line: bytes) -> None:
    assert decode_record(line) is None


CARDINAL = {"start": 6, "end": 8, "label": "CARDINAL", "value": {"low": 12, "high": 12.5}}
DATE = {"start": 9, "end": 13, "label": "DATE", "timex": {"type": "DATE", "value": "2017"}}
ENTITY_ITEM = {"start": 0, "end": 5, "label": "GPE", "text": "Quett", "id": "e1"}
ATTRIBUTION_ITEM = {
    "cue": {"start": 0, "end": 4},
    "source": None,
    "content": [{"start": 5, "end": 9}],
    "quote": "indirect",
}
VALID = {
    "doc_id": "d-1",
    "entities": [ENTITY_ITEM],
    "numbers": [{**CARDINAL, "form": "exact", "unit": "people"}, DATE],
    "attributions": [ATTRIBUTION_ITEM],
    "claims": [{"number": {"start": 6, "end": 8}, "counted": "people", "event": "killed"}],
}


def test_a_valid_record_is_compiled_with_every_value() -> None:
    check(VALID)
    record = validate_record(VALID)
    assert type(record) is not PredictionRecord  # its Struct accepted it
    assert record.attempted() == PredictionRecord.model_validate(VALID).attempted()
    attribution = record.attributions[0]
    assert attribution.spans() == [attribution.cue, *attribution.content]


def entities(**change: object) -> dict:
    return {"entities": [{**ENTITY_ITEM, **change}]}


def numbers(**change: object) -> dict:
    return {"numbers": [{**CARDINAL, **change}]}


@pytest.mark.parametrize(
    "change",
    [
        {"doc_id": "d-1\n"},  # Python's `$` matches before a final line break; pydantic's not
        entities(start=0.0),
        entities(start=True),
        entities(start=5),
        entities(text="abc"),
        entities(label="gpe"),
        entities(id="e\n"),
        entities(colour="red"),
        numbers(value={"low": True, "high": 1}),
        numbers(value={"low": float("nan"), "high": 1}),
        numbers(value={"low": 3, "high": 1}),
        numbers(value={"low": None, "high": None}),
        numbers(label="DATE"),
        numbers(unit=""),
        {"attributions": [{**ATTRIBUTION_ITEM, "content": []}]},
    ],
)
def test_what_the_model_refuses_is_refused_with_its_errors(change: dict) -> None:
    value = {**VALID, **change}
    with pytest.raises(ValidationError) as compiled:
        validate_record(value)
    with pytest.raises(ValidationError) as model:
        PredictionRecord.model_validate(value)
    assert str(compiled.value) == str(model.value)


def test_a_compiled_record_pickles() -> None:
    record = validate_record(VALID)
    again = pickle.loads(pickle.dumps(record))
    assert again == record and type(again) is type(record)


def test_a_compiled_record_cannot_be_changed() -> None:
    record = validate_record(VALID)
    with pytest.raises(AttributeError):
        record.doc_id = "other"


class Aliased(ContractModel):
    name: str = Field(alias="Name")


class FieldChecked(ContractModel):
    name: str

    @field_validator("name")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


class Left(ContractModel):
    a: int


class Right(ContractModel):
    b: int


class EitherModel(ContractModel):
    side: Left | Right


class EitherOrNone(ContractModel):
    side: Left | Right | None = None


class StrictFloat(ContractModel):
    value: Annotated[float, Strict()]


class CheckedItems(ContractModel):
    names: list[Annotated[str, AfterValidator(str.strip)]]


class Unanchored(ContractModel):
    name: Annotated[str, Field(pattern=r"[a-z]+")]


class Lax(BaseModel):
    name: str


@pytest.mark.parametrize(
    "model",
    [Aliased, FieldChecked, EitherModel, EitherOrNone, StrictFloat, CheckedItems, Unanchored, Lax],
)
def test_what_a_struct_cannot_check_exactly_stops_the_compiler(model: type[BaseModel]) -> None:
    with pytest.raises(UncompilableError, match=model.__name__):
        _Compiler().struct(model)


def test_a_changing_validator_sends_the_record_to_the_model() -> None:
    class Stripped(ContractModel):
        name: Annotated[str, AfterValidator(str.strip)]

    struct = _Compiler().struct(Stripped)
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"name": " a "}, struct)  # the model would give "a"
    assert msgspec.convert({"name": "a"}, struct).name == "a"


def test_labels_are_mapped_on_a_compiled_record_as_on_its_model() -> None:
    from claimbench.scoring.label_map import map_labels

    mapping = {"GPE": "LOC", "CARDINAL": None}
    record = validate_record(VALID)
    mapped = map_labels(record, mapping)
    assert type(mapped) is type(record)  # copied as a record: no model rebuilt per item
    same(mapped, map_labels(PredictionRecord.model_validate(VALID), mapping))
    assert [e.label.value for e in mapped.entities] == ["LOC"]
    assert [n.label.value for n in mapped.numbers] == ["DATE"]


def test_a_file_that_writes_its_nulls_stops_being_decoded_straight(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the first line that `decode_record` cannot take (here: every line writes its
    nulls), the rest of the file is only read the strict way; every line is still read."""
    from claimbench.corpus.store import load_jsonl_corpus
    from claimbench.errors import Problems
    from claimbench.validation import predictions

    tried: list[bytes] = []

    def counted(line: bytes) -> Any:
        tried.append(line)
        return decode_record(line)

    monkeypatch.setattr(predictions, "decode_record", counted)
    ids = [f"d{i}" for i in range(30)]
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps({"doc_id": d, "entities": None, "numbers": []}) + "\n"
                            for d in ids))  # fmt: skip
    corpus_path = tmp_path / "c.jsonl"
    corpus_path.write_text("".join(json.dumps({"id": d, "text": "a\n"}) + "\n" for d in ids))
    corpus = load_jsonl_corpus(corpus_path)
    problems = Problems()
    found = list(predictions.read_predictions(path, corpus, problems))
    problems.check()
    assert len(tried) == 1
    assert [f.doc_id for f in found] == ids
    assert all(f.extraction.attempted() == [Layer.NUMBERS] for f in found)
