"""Shared base and field types of the data contract."""

import math
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
)
from pydantic_core import PydanticCustomError


class ContractModel(BaseModel):
    """Base for contract models: unknown fields are errors, never silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _is_null(value: object) -> bool:
    return value is None


OMITTED_WHEN_NULL = Field(exclude_if=_is_null)
"""Field metadata of an optional field that is left out of dumps while null (`Annotated[T |
None, OMITTED_WHEN_NULL]`), so that files written before the field existed stay
byte-identical when read and written again. Pydantic applies it as it serialises (no wrap
serializer building the whole dump in Python first)."""


ItemId = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.:-]+$")]
EntityId = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
DocId = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


def _inside_folder(path: str) -> str:
    """`path` when it stays inside the folder of the file that names it."""
    parts = path.split("/")
    if "" in parts or ".." in parts or "\\" in path or "\x00" in path:
        raise PydanticCustomError(
            "folder_path",
            "must be a relative path inside the folder: '/'-separated, with no leading '/', "
            "empty or '..' part",
        )
    return path


FolderPath = Annotated[
    str,
    Field(
        min_length=1,
        max_length=1000,
        description="A path inside the folder of the file that names it: relative, '/'-separated, "
        "with no '..' part (an absolute path, or one that climbs out, is refused).",
    ),
    AfterValidator(_inside_folder),
]
"""A file of a corpus folder named by its manifest: it cannot point outside the folder."""


def _finite_number(value: object) -> object:
    """A value bound is a JSON number a float can hold: not `true`, `"12"`, NaN or infinity.

    A value of another type is a `number_type` error, which `claimbench.errors` words as it
    words pydantic's `int_type` ("must be a number, not a boolean").
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("number_type", "must be a number")
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an integer beyond the range of a float
        finite = False
    if not finite:
        raise ValueError("must be a finite number within the range of a 64-bit float")
    return value


Offset = Annotated[
    int,
    Strict(),
    Field(
        ge=0,
        description='A code-point offset: a JSON integer (true, "70" and 70.0 are refused).',
    ),
]
"""A code-point offset into the canonical text: a non-negative JSON integer, strictly.

pydantic's strict integer, checked natively (a million offsets in a large file): anything but
an integer is an `int_type` error, "must be an integer, not a boolean" (`claimbench.errors`)."""
Bound = Annotated[
    int | float,
    Field(
        description='A finite JSON number (true, "12", NaN, Infinity, 1e999 and integers '
        "beyond the range of a 64-bit float are refused)."
    ),
    BeforeValidator(_finite_number),
]
"""One bound of a numeric value: a finite JSON number, strictly."""
