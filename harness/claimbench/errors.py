"""Errors that the command line turns into exit codes (DESIGN §7).

Every problem names where it is (file, line, document, JSON path) and what it found (value), so
that a user can fix the input without reading a traceback.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError

EXIT_OK = 0
EXIT_GATE_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_PLUGIN_FAILED = 3

_MAX_VALUE_CHARS = 80


def describe_value(value: object) -> str:
    """A short, printable rendering of an offending value."""
    text = repr(value)
    if len(text) > _MAX_VALUE_CHARS:
        text = text[: _MAX_VALUE_CHARS - 3] + "..."
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input."""

    file: str
    message: str
    line: int | None = None
    doc_id: str | None = None
    field: str | None = None
    value: object = None
    has_value: bool = False

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.doc_id is not None:
            parts.append(f"document {self.doc_id!r}")
        if self.field:
            field = self.field
            if self.has_value:
                field += f" = {describe_value(self.value)}"
            parts.append(field)
        return ": ".join([*parts, self.message])


@dataclass(frozen=True)
class Where:
    """Where the items being checked come from."""

    file: str
    doc_id: str
    line: int | None = None

    def problem(
        self, message: str, field: str, value: object = None, *, show: bool = True
    ) -> Problem:
        """A problem at `field` of this document."""
        return Problem(self.file, message, self.line, self.doc_id, field, value, show)


class ClaimbenchError(Exception):
    """Base of the errors that end a command with a documented exit code."""

    exit_code = EXIT_BAD_INPUT


class InputError(ClaimbenchError):
    """Invalid input (exit code 2); carries every problem found, not only the first."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("InputError needs at least one problem")
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    @classmethod
    def single(cls, path: Path | str, message: str, **where: object) -> "InputError":
        """An error with a single problem in `path`."""
        return cls([Problem(file=str(path), message=message, **where)])  # type: ignore[arg-type]


class UsageError(ClaimbenchError):
    """The command was called wrongly (exit code 2)."""

    exit_code = EXIT_BAD_INPUT


def json_path(location: tuple[int | str, ...]) -> str:
    """`("entities", 3, "start")` -> `"entities[3].start"`.

    Examples
    --------
    >>> json_path(("entities", 3, "start"))
    'entities[3].start'
    """
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def problems_from_validation_error(
    err: "ValidationError",
    path: Path | str,
    *,
    line: int | None = None,
    doc_id: str | None = None,
    prefix: tuple[int | str, ...] = (),
) -> list[Problem]:
    """One problem per pydantic error, naming the JSON path and the offending value."""
    problems = []
    for error in err.errors(include_url=False):
        location = tuple(part for part in error["loc"] if not _is_union_tag(part))
        message = error["msg"].removeprefix("Value error, ")
        problems.append(
            Problem(
                file=str(path),
                message=message,
                line=line,
                doc_id=doc_id,
                field=json_path((*prefix, *location)) or "(document)",
                value=error.get("input"),
                has_value=error["type"] != "missing",
            )
        )
    return problems


def _is_union_tag(part: int | str) -> bool:
    # pydantic adds the tried type (e.g. "int", "float", "function-after[...]") to union locations
    return isinstance(part, str) and (part in {"int", "float", "str", "none"} or "[" in part)
