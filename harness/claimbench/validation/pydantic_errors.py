"""Turning pydantic validation errors into located problems."""

from pathlib import Path

from pydantic import ValidationError

from claimbench.errors import Problem


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
    err: ValidationError,
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
