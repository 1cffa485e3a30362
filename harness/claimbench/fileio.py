"""Reading input files with precise errors, and writing output files atomically."""

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from claimbench.errors import InputError, Problem, Problems

_BOM = "\ufeff"


def read_text(path: Path, *, allow_crlf: bool = True, allow_bom: bool = False) -> str:
    """Read a UTF-8 file, rejecting what would silently shift offsets.

    Parameters
    ----------
    path : Path
        The file to read.
    allow_crlf : bool
        Whether carriage returns may appear (JSON tolerates them; canonical text does not).
    allow_bom : bool
        Whether a leading byte-order mark is kept (raw seeds, whose repairs remove it).

    Returns
    -------
    str
        The decoded text.

    Raises
    ------
    InputError
        When the file is missing, empty, not UTF-8, starts with a byte-order mark, or holds a
        carriage return that is not allowed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_bytes("café\\n".encode())
    >>> read_text(p)
    'café\\n'
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError.single(path, "file not found") from None
    except IsADirectoryError:
        raise InputError.single(path, "is a directory, expected a file") from None
    if not data.strip():
        raise InputError.single(path, "file is empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError.single(
            path,
            f"not valid UTF-8: byte {data[err.start]:#04x} at byte offset {err.start}",
            line=line,
        ) from None
    if text.startswith(_BOM) and not allow_bom:
        raise InputError.single(
            path, "starts with a UTF-8 byte-order mark (U+FEFF); save the file without it", line=1
        )
    if not allow_crlf and "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        raise InputError.single(
            path, "has a carriage return (CRLF or CR line ending); use \\n line endings", line=line
        )
    return text


def _decode_error(path: Path, err: json.JSONDecodeError, line_offset: int = 0) -> InputError:
    return InputError.single(
        path,
        f"malformed JSON: {err.msg} (line {err.lineno + line_offset}, column {err.colno})",
        line=err.lineno + line_offset,
    )


def read_json(path: Path) -> Any:
    """Read one JSON value from `path`, with errors that give line and column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.json"
    >>> _ = p.write_text('{"a": [1, 2]}')
    >>> read_json(p)
    {'a': [1, 2]}
    """
    return parse_json(read_text(path), path)


def parse_json(text: str, path: Path) -> Any:
    """One JSON value from `text`, already read from `path` (named in errors, with line and
    column).

    Examples
    --------
    >>> parse_json('{"a": 1}', Path("a.json"))
    {'a': 1}
    >>> parse_json('{"a": }', Path("a.json"))
    Traceback (most recent call last):
    claimbench.errors.InputError: a.json:1: malformed JSON: Expecting value (line 1, column 7)
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise _decode_error(path, err) from None


@dataclass(frozen=True)
class JsonLine:
    """One line of a JSON Lines file: its number (from 1), the byte offset where it starts,
    and its value."""

    number: int
    offset: int
    value: Any


def iter_jsonl_lines(path: Path) -> Iterator[JsonLine]:
    """Every non-blank line of a JSON Lines file with its number and byte offset (for
    `JsonlReader`), streamed.

    Raises
    ------
    InputError
        After the last line, naming every line that is not UTF-8 or not JSON (the first
        thousand, and how many more).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.jsonl"
    >>> _ = p.write_text('{"x": 1}\\n\\n{"x": 2}\\n')
    >>> [(line.number, line.offset) for line in iter_jsonl_lines(p)]
    [(1, 0), (3, 10)]
    """
    read_text_head(path)
    problems = Problems()
    offset = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            start, offset = offset, offset + len(raw)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                problems.add(
                    Problem(str(path), f"not valid UTF-8 at byte {err.start} of the line", number)
                )
                continue
            if not line.strip():
                continue
            try:
                yield JsonLine(number, start, json.loads(line))
            except json.JSONDecodeError as err:
                problems.add(
                    Problem(str(path), f"malformed JSON: {err.msg} (column {err.colno})", number)
                )
    problems.check()


class JsonlReader:
    """Reads single lines of a JSON Lines file at byte offsets found by `iter_jsonl_lines`,
    with one open handle; reading lines in file order never seeks outside the read buffer.

    The file is opened on first use and closed by `close` (or the `with` block).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.jsonl"
    >>> _ = p.write_text('{"x": 1}\\n{"x": 2}\\n')
    >>> with JsonlReader(p) as reader:
    ...     reader.value_at(9)
    {'x': 2}
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: BinaryIO | None = None

    def value_at(self, offset: int) -> Any:
        """The JSON value of the line that starts at byte `offset`."""
        if self._handle is None:
            self._handle = self.path.open("rb")
        if self._handle.tell() != offset:
            self._handle.seek(offset)
        return json.loads(self._handle.readline())

    def close(self) -> None:
        """Close the file (it is reopened if read again)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> "JsonlReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()


def read_text_head(path: Path) -> None:
    """Check that `path` exists, is not empty and has no byte-order mark, without reading it all."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError:
        raise InputError.single(path, "file not found") from None
    except IsADirectoryError:
        raise InputError.single(path, "is a directory, expected a file") from None
    if head.startswith(_BOM.encode()):
        raise InputError.single(
            path, "starts with a UTF-8 byte-order mark (U+FEFF); save the file without it", line=1
        )
    if not head.strip():
        raise InputError.single(path, "file is empty")


def write_atomic(path: Path, content: str | bytes, *, durable: bool = True) -> None:
    """Write `content` to `path` so that readers see the old file or the new one, never half.

    `durable=False` skips the fsync before the rename: for derived files that a rerun
    rewrites (the leaderboard's pages), where waiting for the disk a thousand times would
    cost more than the build's scoring.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_atomic(p, "hello\\n")
    >>> p.read_text()
    'hello\\n'
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    with atomic_writer(path, durable=durable) as handle:
        handle.write(data)


@contextmanager
def atomic_writer(path: Path, *, durable: bool = True) -> Iterator[BinaryIO]:
    """A binary handle whose content replaces `path` only when the block ends without error.

    For output streamed piece by piece (a predictions file of a large corpus): memory stays
    bounded, and readers still see the old file or the complete new one, never half. An
    exception in the block leaves `path` as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.jsonl"
    >>> with atomic_writer(p) as handle:
    ...     for line in ("a\\n", "b\\n"):
    ...         _ = handle.write(line.encode())
    >>> p.read_text()
    'a\\nb\\n'
    """
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except FileNotFoundError:  # the folder is made only when missing: a site writes 1,000 files
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        Path(tmp_name).replace(path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def commit_folder(staging: Path, target: Path) -> None:
    """Make a folder of files written without fsync (`write_atomic(..., durable=False)`)
    durable with one sync, then move it to `target` (which must not exist, or be an empty
    folder) and sync the rename: one sync per folder, not one per file, so writing a
    thousand small files does not wait for the disk a thousand times.

    Parameters
    ----------
    staging : Path
        The folder written.
    target : Path
        Where it goes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(root / "staging" / "a.txt", "a\\n", durable=False)
    >>> commit_folder(root / "staging", root / "done")
    >>> (root / "done" / "a.txt").read_text(), (root / "staging").exists()
    ('a\\n', False)
    """
    os.sync()
    if target.is_dir():
        target.rmdir()
    staging.replace(target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def dump_json(value: Any) -> str:
    """Deterministic, human-diffable JSON text (sorted keys off: models fix the order)."""
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"
