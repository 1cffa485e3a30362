"""Errors that the command line turns into exit codes (DESIGN §7).

Every problem names where it is (file, line, document, JSON path) and what it found (value), so
that a user can fix the input without reading a traceback.
"""

import reprlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError
    from pydantic_core import ErrorDetails

EXIT_OK = 0
EXIT_GATE_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_PLUGIN_FAILED = 3

_MAX_VALUE_CHARS = 80


_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = _MAX_VALUE_CHARS
_SHORT_REPR.maxlong = 40


def describe_value(value: object) -> str:
    """A short, printable rendering of an offending value, however large the value (only the
    part shown is ever rendered).

    Examples
    --------
    >>> len(describe_value("x" * 10_000_000))
    80
    """
    text = _SHORT_REPR.repr(value)
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
    """Invalid input (exit code 2); carries every problem found, not only the first.

    `omitted` counts further problems that were found but not kept (see `Problems`), so that
    a file with a bad line per document reports its count without holding every problem.
    """

    exit_code = EXIT_BAD_INPUT

    def __init__(self, problems: list[Problem], omitted: int = 0) -> None:
        if not problems:
            raise ValueError("InputError needs at least one problem")
        self.problems = problems
        self.omitted = omitted
        text = "\n".join(str(problem) for problem in problems)
        if omitted:
            text += f"\n... and {omitted} more"
        super().__init__(text)

    @property
    def count(self) -> int:
        """How many problems were found, kept or not."""
        return len(self.problems) + self.omitted

    @classmethod
    def single(cls, path: Path | str, message: str, **where: object) -> "InputError":
        """An error with a single problem in `path`."""
        return cls([Problem(file=str(path), message=message, **where)])  # type: ignore[arg-type]


MAX_PROBLEMS_KEPT = 1000
"""Problems a `Problems` collector keeps; beyond them it only counts (the command line shows
the first 50 and the count, so what it prints is the same)."""


class Problems:
    """A bounded collector of problems: the first `limit` are kept, the rest counted, so that
    checking a streamed file of any size holds a bounded amount of them and loses none.

    Parameters
    ----------
    limit : int
        How many problems to keep.

    Examples
    --------
    >>> problems = Problems(limit=2)
    >>> problems.extend([Problem("f", "bad", line) for line in (1, 2, 3)])
    >>> len(problems.kept), problems.count
    (2, 3)
    >>> try:
    ...     problems.check()
    ... except InputError as err:
    ...     print(err.count, err.omitted)
    3 1
    """

    def __init__(self, limit: int = MAX_PROBLEMS_KEPT) -> None:
        self.limit = limit
        self.kept: list[Problem] = []
        self.omitted = 0

    def __bool__(self) -> bool:
        return bool(self.kept)

    @property
    def count(self) -> int:
        """How many problems were added, kept or not."""
        return len(self.kept) + self.omitted

    def add(self, problem: Problem) -> None:
        """Keep `problem`, or count it once `limit` are kept."""
        if len(self.kept) < self.limit:
            self.kept.append(problem)
        else:
            self.omitted += 1

    def extend(self, problems: "list[Problem] | InputError") -> None:
        """Add several problems, or those of an `InputError` (with its omitted count)."""
        if isinstance(problems, InputError):
            self.extend(problems.problems)
            self.omitted += problems.omitted
            return
        for problem in problems:
            self.add(problem)

    def error(self) -> InputError:
        """The problems as one error (there must be at least one)."""
        return InputError(self.kept, self.omitted)

    def check(self) -> None:
        """Raise `InputError` with the problems, if there are any."""
        if self:
            raise self.error()


class OutputError(ClaimbenchError):
    """An output cannot be written (exit code 2): a read-only folder, a full disk.

    Examples
    --------
    >>> import errno
    >>> print(OutputError.of(Path("r.json"), OSError(errno.ENOSPC, "No space left on device")))
    cannot write r.json: No space left on device
    """

    exit_code = EXIT_BAD_INPUT

    @classmethod
    def of(cls, path: Path, err: OSError) -> "OutputError":
        """The error of writing `path` that failed with `err`."""
        return cls(f"cannot write {path}: {err.strerror or err}")


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
        message = validation_message(error)
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


def summarise(problems: list[Problem]) -> str:
    """The first of `problems` in one line, `field = value: message`, and how many more.

    Examples
    --------
    >>> summarise([Problem("p", "must be a number", field="low", value="12", has_value=True),
    ...            Problem("p", "must be a number", field="high", value="13", has_value=True)])
    "low = '12': must be a number (and 1 more)"
    """
    first = problems[0]
    message = f"{first.field} = {describe_value(first.value)}: {first.message}"
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more)"
    return message


_EXPECTED_TYPES = {"int_type": "an integer", "number_type": "a number"}
"""The strict types of the contract (`Offset`, `Bound`): their errors name what was given."""
_JSON_TYPES = {
    bool: "a boolean",
    str: "a string",
    float: "a number with a fraction or exponent (or an integer beyond 64 bits)",
    type(None): "null",
    list: "an array",
    dict: "an object",
}


def validation_message(error: "ErrorDetails") -> str:
    """The message of one pydantic error as claimbench words it: a strict type's names the
    JSON type given, others lose pydantic's "Value error, " prefix.

    Parameters
    ----------
    error : ErrorDetails
        One of `ValidationError.errors()`.

    Returns
    -------
    str
        The message, without where (the caller names the field) or the value.

    Examples
    --------
    >>> validation_message({"type": "int_type", "msg": "Input should be a valid integer",
    ...                     "input": True, "loc": ("start",)})
    'must be an integer, not a boolean'
    >>> validation_message({"type": "value_error", "msg": "Value error, end must be greater",
    ...                     "input": 1, "loc": ()})
    'end must be greater'
    """
    expected = _EXPECTED_TYPES.get(error["type"])
    if expected is None:
        return error["msg"].removeprefix("Value error, ")
    given = error.get("input")
    return f"must be {expected}, not {_JSON_TYPES.get(type(given), f'a {type(given).__name__}')}"


def _is_union_tag(part: int | str) -> bool:
    # pydantic adds the tried type (e.g. "int", "float", "function-after[...]") to union locations
    return isinstance(part, str) and (part in {"int", "float", "str", "none"} or "[" in part)
