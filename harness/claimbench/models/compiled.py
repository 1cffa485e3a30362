"""The contract's record models compiled to msgspec Structs: a fast first check for the lines
of predictions and gold JSON Lines files, derived from the pydantic models, never written by
hand.

Reading half a million spans, building pydantic model instances was the largest part of
`claimbench score` (benchmarks/RESULTS.md, issue 16); `msgspec.convert` checks the same
values into Structs about four times faster. The pydantic models stay the contract: when this
module is imported, each Struct is derived from its model's fields, their constraints and the
model's after-validators (which the Struct runs on itself), and anything this cannot express
exactly stops the import (`UncompilableError`), so a change to the models cannot slip past it.
Whatever a Struct refuses goes to the pydantic model, which judges it: its errors are the ones
reported, and what its lax mode accepts that a Struct does not (`true` for a bool written
`"true"`) is still accepted, as a model. So the Structs only ever accept what the models
accept, with equal values (tests/test_compiled.py checks both with hypothesis).

A line of a file can also be decoded straight into the Structs by msgspec's JSON decoder
(`decode_record`), which skips building the line's dicts and lists, wherever that gives
exactly what the strict JSON reader and `validate_record` give; any other line is left to them.

A compiled record has the model's fields and plain methods (`attempted`, `spans`); `replaced`
copies a record or a model with fields changed, and code that needs the model itself
(`model_dump`) asks `as_model` for it.
"""

import re
import types
import typing
from collections.abc import Callable
from enum import Enum
from functools import reduce
from operator import or_
from typing import Annotated, Any, Literal, TypeVar, cast

import annotated_types
import msgspec
from pydantic import AfterValidator, BaseModel, BeforeValidator, Strict
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from claimbench.models.base import ContractModel
from claimbench.models.predictions import PredictionRecord

Model = TypeVar("Model", bound=BaseModel)

_SCALARS = (bool, int, float, str, type(None))
_BOUNDS = {
    annotated_types.Ge: "ge",
    annotated_types.Gt: "gt",
    annotated_types.Le: "le",
    annotated_types.Lt: "lt",
    annotated_types.MinLen: "min_length",
    annotated_types.MaxLen: "max_length",
}
_ANCHORED = re.compile(r"\^([^$]*)\$")
_JSON_INTEGERS = (-(2**63), 2**63 - 1)
"""The range a Struct's int is kept to. The strict JSON reader (`claimbench.fileio.decode_json`,
orjson) reads integers up to 2**64 - 1 as integers and larger ones as floating-point numbers,
which a line decoded straight into Structs (`decode_record`) would not: kept to 64-bit signed
integers (msgspec's widest bounds), such a line goes to the reader and the model, which judge
it."""


class UncompilableError(TypeError):
    """A model uses something a Struct cannot check exactly as pydantic does."""


Check = Callable[[Any], Any]
"""A field's validator function: it must return its input unchanged (it only checks)."""


class _Compiler:
    """Compiles models to Structs, each once; remembers which Struct is which model's."""

    def __init__(self) -> None:
        self.structs: dict[type[BaseModel], type[msgspec.Struct]] = {}
        self.models: dict[type[msgspec.Struct], type[BaseModel]] = {}

    def struct(self, model: type[BaseModel]) -> type[msgspec.Struct]:
        """The Struct of `model`, compiled on first use."""
        if model not in self.structs:
            self._compile(model)
        return self.structs[model]

    def _compile(self, model: type[BaseModel]) -> None:
        config = model.model_config
        if config.get("extra") != "forbid" or config.get("strict"):
            raise UncompilableError(f"{model.__name__}: only extra='forbid', non-strict models")
        decorators = model.__pydantic_decorators__
        if decorators.field_validators or decorators.root_validators or decorators.validators:
            raise UncompilableError(f"{model.__name__}: field validators are not compiled")
        validators = []
        for decorator in decorators.model_validators.values():
            if decorator.info.mode != "after":
                raise UncompilableError(f"{model.__name__}: only after-validators are compiled")
            validators.append(decorator.func)
        fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
        checks: list[tuple[str, Check]] = []
        for name, info in model.model_fields.items():
            where = f"{model.__name__}.{name}"
            if info.alias or info.validation_alias:
                raise UncompilableError(f"{where}: aliases are not compiled")
            field_checks: list[Check] = []
            annotation = self._type(info.annotation, info.metadata, where, field_checks)
            checks.extend((name, check) for check in field_checks)
            if info.default_factory is not None:
                factory = msgspec.field(default_factory=info.default_factory)
                fields.append((name, annotation, factory))
            elif info.default is PydanticUndefined:
                fields.append((name, annotation))
            else:
                fields.append((name, annotation, info.default))
        namespace = _methods(model)
        if checks or validators:
            namespace["__post_init__"] = _post_init(checks, validators)
        struct = msgspec.defstruct(
            model.__name__,
            fields,
            module=__name__,
            namespace=namespace,
            kw_only=True,
            forbid_unknown_fields=True,
            frozen=bool(config.get("frozen")),
            omit_defaults=True,  # see `decode_record`
        )
        struct.__qualname__ = f"_compiled_{model.__name__}"
        globals()[struct.__qualname__] = struct  # importable by name, so it pickles
        self.structs[model] = struct
        self.models[struct] = model

    def _type(self, annotation: Any, metadata: list[Any], where: str, checks: list[Check]) -> Any:
        """The msgspec type of one annotation with its metadata; `checks` gets the field's
        validator functions (only at the top of a field, or under its `| None`)."""
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            inner, *extra = typing.get_args(annotation)
            return self._type(inner, [*extra, *metadata], where, checks)
        meta: dict[str, Any] = {}
        asks = [self._constraint(item, meta, where, checks) for item in metadata]  # every one
        strict = any(asks)
        if origin in (types.UnionType, typing.Union):
            members = typing.get_args(annotation)
            others = [member for member in members if member is not type(None)]
            if len(others) > 1 and not set(others) <= set(_SCALARS):
                raise UncompilableError(f"{where}: unions of models are not compiled")
            compiled = [self._type(member, [], where, checks) for member in members]
            base = reduce(or_, compiled)
        elif origin is list:
            (item,) = typing.get_args(annotation)
            item_checks: list[Check] = []
            base = list[self._type(item, [], where, item_checks)]  # type: ignore[misc]
            if item_checks:
                raise UncompilableError(f"{where}: validators of list items are not compiled")
        elif isinstance(annotation, type) and issubclass(annotation, ContractModel):
            base = self.struct(annotation)
        elif origin is Literal or annotation in _SCALARS or _is_enum(annotation):
            base = annotation
        else:
            raise UncompilableError(f"{where}: type {annotation!r} is not compiled")
        if base is int:
            _within_json_integers(meta)
        if strict and base not in (int, str, bool):
            # A Struct's float takes 1 and its union what any member takes: laxer than strict.
            raise UncompilableError(f"{where}: strict {annotation!r} is not compiled")
        return Annotated[base, msgspec.Meta(**meta)] if meta else base

    def _constraint(self, item: Any, meta: dict[str, Any], where: str, checks: list[Check]) -> bool:
        """Add one metadata item to `meta` or `checks`; whether it asks for strictness."""
        if isinstance(item, FieldInfo):
            asks = [self._constraint(inner, meta, where, checks) for inner in item.metadata]
            return any(asks)
        if isinstance(item, Strict):
            return item.strict  # a Struct's int, str and bool are strict: 1.0 is not an int
        if type(item) in _BOUNDS:
            name = _BOUNDS[type(item)]
            meta[name] = getattr(item, name)
        elif isinstance(item, BeforeValidator | AfterValidator):
            checks.append(item.func)
        elif hasattr(item, "pattern") and _only_pattern(item):
            meta["pattern"] = _python_pattern(item.pattern, where)
        else:
            raise UncompilableError(f"{where}: constraint {item!r} is not compiled")
        return False


def _within_json_integers(meta: dict[str, Any]) -> None:
    """Narrow an int's bounds in `meta` to `_JSON_INTEGERS` (whatever a Struct refuses, the
    model judges: a narrower Struct only sends more values there)."""
    low, high = _JSON_INTEGERS
    if "gt" not in meta:
        meta["ge"] = max(meta.get("ge", low), low)
    if "lt" not in meta:
        meta["le"] = min(meta.get("le", high), high)


def _is_enum(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Enum)


def _only_pattern(item: Any) -> bool:
    """Whether pydantic's general metadata sets a pattern and nothing else."""
    return {k for k, v in vars(item).items() if v is not None} == {"pattern"}


def _python_pattern(pattern: str, where: str) -> str:
    """`^…$` as Python's `re.search` must read it to match what pydantic's Rust regex
    matches: Python's `$` also matches before a final line break, `\\Z` only at the end."""
    anchored = _ANCHORED.fullmatch(pattern)
    if anchored is None:
        raise UncompilableError(f"{where}: only patterns of the form ^…$ are compiled: {pattern!r}")
    return f"^{anchored.group(1)}\\Z"


def _methods(model: type[BaseModel]) -> dict[str, Any]:
    """The plain methods the model declares (and inherits from other contract models)."""
    found: dict[str, Any] = {}
    for klass in reversed(model.__mro__):
        if not issubclass(klass, ContractModel) or klass is ContractModel:
            continue
        for name, value in vars(klass).items():
            if isinstance(value, types.FunctionType) and not name.startswith("_"):
                found[name] = value
    return found


def _post_init(checks: list[tuple[str, Check]], validators: list[Check]) -> Callable[[Any], None]:
    """A Struct's `__post_init__`: the fields' checks, then the model's after-validators.

    A check that changes its value, or raises, refuses the record (msgspec turns the
    `ValueError` into its `ValidationError`), and pydantic judges it. A lone after-validator
    is the `__post_init__` itself: a Python call fewer on each of half a million spans.
    """
    if not checks and len(validators) == 1:
        return validators[0]

    def post_init(self: Any) -> None:
        for name, check in checks:
            value = getattr(self, name)
            if value is not None and check(value) is not value:
                raise ValueError(f"{name}: the model's validator changes this value")
        for validator in validators:
            validator(self)

    return post_init


_COMPILER = _Compiler()
_RECORD = _COMPILER.struct(PredictionRecord)


def validate_record(value: object) -> PredictionRecord:
    """One decoded line of a predictions or gold JSON Lines file, checked.

    Parameters
    ----------
    value : object
        The line's JSON value (`claimbench.fileio.decode_json`).

    Returns
    -------
    PredictionRecord
        The compiled record (a Struct with the model's fields and methods) when its Struct
        accepts `value`; otherwise the model that pydantic validates.

    Raises
    ------
    pydantic.ValidationError
        When the model refuses `value` too: pydantic's errors, every one.

    Examples
    --------
    >>> record = validate_record({"doc_id": "d", "entities": [{"start": 0, "end": 5,
    ...                                                         "label": "GPE"}]})
    >>> record.entities[0].label, record.attempted()
    (<EntityLabel.GPE: 'GPE'>, [<Layer.ENTITIES: 'entities'>])
    >>> validate_record({"doc_id": "d", "entities": [{"start": 0.0, "end": 5,
    ...                                               "label": "GPE"}]})
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    pydantic_core._pydantic_core.ValidationError: 1 validation error for PredictionRecord
    entities.0.start
      Input should be a valid integer ...
    """
    try:
        return cast(PredictionRecord, msgspec.convert(value, _RECORD))
    except msgspec.ValidationError:
        return PredictionRecord.model_validate(value)


_DECODER = msgspec.json.Decoder(_RECORD)
_ENCODER = msgspec.json.Encoder()


def decode_record(line: bytes) -> PredictionRecord | None:
    """One line of a predictions or gold JSON Lines file decoded straight into its compiled
    record, when that is exactly what `validate_record(decode_json(line))` gives; None when it
    may not be, and that path must judge the line.

    Decoding the JSON text into Structs in one step skips building its dicts and lists: about
    a third of the reading time of a large file (benchmarks/RESULTS.md, issue 16). It reads
    what the strict reader reads: UTF-8 JSON with no NaN, no infinity, integers as integers
    only within `_JSON_INTEGERS` (anything else is refused here, so the slow path decides). But
    msgspec keeps the last of two repeated keys where the strict reader refuses the line, so a
    repeat is ruled out by counting colons: the line has one per key given and one per colon in
    its strings; the record encoded again one per field that holds a value other than its
    default (`omit_defaults`) and the same colons in its strings (a colon is never escaped
    when written, nor part of a number or of whitespace). The line's count is that plus every
    key repeated, the colons of a repeated key's lost value, and every field given its default
    (an explicit null): equal counts mean none of those. A colon spelt `\\u003a` in the line
    would break the count, so such a line is not decoded here.

    Parameters
    ----------
    line : bytes
        The line, as read from the file.

    Returns
    -------
    PredictionRecord or None
        The compiled record; None for a line that is not valid, repeats a key, gives a field
        its default value explicitly (`"id": null`) or spells a colon as an escape.

    Examples
    --------
    >>> decode_record(b'{"doc_id": "d", "numbers": []}').attempted()
    [<Layer.NUMBERS: 'numbers'>]
    >>> decode_record(b'{"doc_id": "d", "doc_id": "e", "numbers": []}') is None  # repeated
    True
    >>> decode_record(b'{"doc_id": "d", "numbers": [], "entities": null}') is None  # a null
    True
    """
    if b"\\u003" in line:
        return None
    try:
        record = _DECODER.decode(line)
    except msgspec.DecodeError:  # and its ValidationError
        return None
    if line.count(b":") != _ENCODER.encode(record).count(b":"):
        return None
    return cast(PredictionRecord, record)


def as_model(value: Model) -> Model:
    """`value` as its pydantic model: a compiled record (or item) is rebuilt, unchecked (it
    was checked as it was read); a model is returned as it is.

    Examples
    --------
    >>> record = validate_record({"doc_id": "d", "numbers": []})
    >>> type(record) is PredictionRecord, type(as_model(record)) is PredictionRecord
    (False, True)
    """
    model = _COMPILER.models.get(type(value))
    if model is None:
        return value
    fields = {name: _as_model_value(getattr(value, name)) for name in value.__struct_fields__}
    return cast(Model, model.model_construct(**fields))


def replaced(value: Model, **changes: Any) -> Model:
    """A copy of a compiled record (or item) or of a model with `changes`, unchecked (as
    `model_copy(update=...)`): no model is rebuilt for a record read from a file.

    Examples
    --------
    >>> record = validate_record({"doc_id": "d", "numbers": []})
    >>> replaced(record, numbers=None).attempted(), type(replaced(record)) is type(record)
    ([], True)
    >>> replaced(PredictionRecord(doc_id="d"), numbers=[]).numbers
    []
    """
    if isinstance(value, BaseModel):
        return value.model_copy(update=changes)
    return cast(Model, msgspec.structs.replace(value, **changes))


def _as_model_value(value: Any) -> Any:
    if isinstance(value, list):
        return [_as_model_value(item) for item in value]
    return as_model(value)
