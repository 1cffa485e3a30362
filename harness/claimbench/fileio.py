"""Reading input files with precise errors, and writing output files atomically."""

import codecs
import json
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from json.decoder import WHITESPACE, scanstring
from json.scanner import py_make_scanner
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import orjson

from claimbench.errors import InputError, OutputError, Problem, Problems, describe_value
from claimbench.processes import abandoned, host_tag

_BOM = "\ufeff"


def read_text(
    path: Path,
    *,
    allow_crlf: bool = True,
    allow_bom: bool = False,
    encoding: str = "utf-8",
    decode_hint: str = "",
    allow_empty: bool = False,
) -> str:
    """Read a UTF-8 file (or one in `encoding`), rejecting what would silently shift offsets.

    Parameters
    ----------
    path : Path
        The file to read.
    allow_crlf : bool
        Whether carriage returns may appear (JSON tolerates them; canonical text does not).
    allow_bom : bool
        Whether a leading byte-order mark is kept (raw seeds, whose repairs remove it).
    encoding : str
        The file's encoding (importers of third-party files take other ones).
    decode_hint : str
        Added to the error when the bytes are not valid in `encoding` (how to read it).
    allow_empty : bool
        Whether a file that holds nothing but white space is read as "" (annotation files
        with no annotations yet) instead of refused.

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
        if allow_empty:
            return ""
        raise InputError.single(path, "file is empty")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        name = "UTF-8" if codecs.lookup(encoding).name == "utf-8" else encoding
        raise InputError.single(
            path,
            f"not valid {name}: byte {data[err.start]:#04x} at byte offset {err.start}"
            + (f"; {decode_hint}" if decode_hint else ""),
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


LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""A line break as the line-based formats define one: `\\n`, `\\r\\n` or `\\r` (not the
no-break space, NEL or U+2028 that `str.splitlines` also breaks at, which can sit inside a
token or an annotated text)."""


def split_lines(text: str) -> list[str]:
    """The lines of `text`, split at `LINE_BREAK` only (a last empty line when it ends with one).

    Examples
    --------
    >>> split_lines("a\\u2028b\\r\\nc\\rd\\n")
    ['a\\u2028b', 'c', 'd', '']
    """
    return LINE_BREAK.split(text)


MAX_JSON_DEPTH = 254
"""How deeply arrays and objects may nest in any JSON input (orjson's limit when writing JSON
again): the deepest contract shape is five levels; a deeper value is an error, not a
RecursionError later."""


class JsonSyntaxError(ValueError):
    """A JSON text that the strict reader refuses, with where (line and column, from 1).

    `message` names what is wrong, with any value from the input shortened.
    """

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(f"{message} (line {line}, column {column})")
        self.message = message
        self.line = line
        self.column = column


def decode_json(data: bytes | str) -> Any:
    """One JSON value, read strictly: the one JSON policy of every input claimbench reads.

    The text must be UTF-8 JSON (RFC 8259) and, beyond what the standard allows a reader to
    accept: no NaN or Infinity, no number that overflows to infinity (`1e999`); no object with
    the same key twice (readers disagree on which wins, so it is refused, not guessed); nesting
    at most `MAX_JSON_DEPTH` deep. Integers beyond 64 bits are read as floating-point numbers,
    as JavaScript reads them. Parsing is orjson's (faster than the standard library, see
    benchmarks/RESULTS.md); duplicate keys are looked for again, exactly, only when a cheap
    count of colons says there may be one.

    Parameters
    ----------
    data : bytes or str
        The JSON text.

    Returns
    -------
    Any
        The value: dicts, lists, str, int, float, bool or None.

    Raises
    ------
    JsonSyntaxError
        Naming what is wrong and where (line, column).

    Examples
    --------
    >>> decode_json(b'{"a": [1, 2.5, null]}')
    {'a': [1, 2.5, None]}
    >>> decode_json('{"a": 1, "a": 2}')
    Traceback (most recent call last):
    claimbench.fileio.JsonSyntaxError: duplicate key 'a' in an object (line 1, column 10)
    >>> decode_json("[NaN]")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    claimbench.fileio.JsonSyntaxError: unexpected character, ... (line 1, column 2)
    """
    raw = data.encode("utf-8", errors="surrogatepass") if isinstance(data, str) else data
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        raise JsonSyntaxError(_orjson_message(raw, err), err.lineno, err.colno) from None
    if isinstance(value, dict | list):
        try:
            again = orjson.dumps(value)
        except orjson.JSONEncodeError:  # its only limit here is depth
            raise JsonSyntaxError(
                f"nested more than {MAX_JSON_DEPTH} arrays or objects deep"
            ) from None
        # `again` has a colon per key kept and the colons of its strings; `raw` one per key
        # given and the same colons in its strings (a colon is never escaped when written, nor
        # part of a number or of whitespace), unless it spells one `\\u003a`. So equal counts
        # mean no key was lost to a repeat; otherwise the exact check decides. At C speed.
        if b"\\u003" in raw or raw.count(b":") != again.count(b":"):
            _find_duplicate_key(raw)
    return value


def _orjson_message(raw: bytes, err: orjson.JSONDecodeError) -> str:
    if "UTF-8" not in err.msg:
        return err.msg
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as bad:
        return f"not valid UTF-8: byte {raw[bad.start]:#04x} at byte offset {bad.start}"
    return "not valid UTF-8: a lone surrogate"


def _find_duplicate_key(raw: bytes) -> None:
    """Raise `JsonSyntaxError` at the first key, in reading order, that repeats a key of its
    own object in `raw` (valid JSON: orjson read it), pointing at that repeat."""
    text = raw.decode("utf-8")
    decoder = json.JSONDecoder()
    decoder.parse_object = _object_keys  # type: ignore[attr-defined]
    try:
        py_make_scanner(decoder)(text, _skip_whitespace(text, 0))
    except _RepeatedKeyError as repeat:
        line = text.count("\n", 0, repeat.position) + 1
        column = repeat.position - text.rfind("\n", 0, repeat.position)
        raise JsonSyntaxError(
            f"duplicate key {describe_value(repeat.key)} in an object", line, column
        ) from None


class _RepeatedKeyError(Exception):
    def __init__(self, key: str, position: int) -> None:
        self.key = key
        self.position = position


def _skip_whitespace(text: str, position: int) -> int:
    return WHITESPACE.match(text, position).end()  # type: ignore[union-attr]


def _object_keys(text_and_end: tuple[str, int], strict: bool, scan_once: Any, *_: Any) -> Any:
    """The standard library scanner's `parse_object`, for valid JSON, that only checks keys:
    `_RepeatedKeyError` at the first key its object already has (each value is scanned, so objects
    inside it are checked first), where its opening quote is; the object is not built."""
    text, position = text_and_end
    keys: set[str] = set()
    position = _skip_whitespace(text, position)
    while text[position] != "}":
        key, after = scanstring(text, position + 1, strict)
        if key in keys:
            raise _RepeatedKeyError(key, position)
        keys.add(key)
        colon = _skip_whitespace(text, after)
        _, position = scan_once(text, _skip_whitespace(text, colon + 1))
        position = _skip_whitespace(text, position)
        if text[position] == ",":
            position = _skip_whitespace(text, position + 1)
    return None, position + 1


def _decode_error(path: Path, err: JsonSyntaxError, line_offset: int = 0) -> InputError:
    return InputError.single(
        path,
        f"malformed JSON: {err.message} (line {err.line + line_offset}, column {err.column})",
        line=err.line + line_offset,
    )


def read_json(path: Path) -> Any:
    """Read one JSON value from `path` strictly (`decode_json`), with errors that give line
    and column.

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
    column), read strictly (`decode_json`).

    Examples
    --------
    >>> parse_json('{"a": 1}', Path("a.json"))
    {'a': 1}
    >>> parse_json('{"a": }', Path("a.json"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    claimbench.errors.InputError: a.json:1: malformed JSON: unexpected character, ... column 7)
    """
    try:
        return decode_json(text)
    except JsonSyntaxError as err:
        raise _decode_error(path, err) from None


class JsonLine(NamedTuple):
    """One line of a JSON Lines file: its number (from 1), the byte offset where it starts,
    and its value (a tuple: made once per line of files of millions of lines)."""

    number: int
    offset: int
    value: Any


def iter_jsonl_lines(
    path: Path,
    read: Callable[[bytes], object] | None = None,
    parse: Callable[[bytes], Any] = decode_json,
) -> Iterator[JsonLine]:
    """Every non-blank line of a JSON Lines file with its number and byte offset (for
    `JsonlReader`), streamed; `read`, when given, is called with every line's bytes (e.g. a
    hash's `update`: the file's digest without reading it again). Each line's value is
    `parse(line)`: `decode_json`'s, or what a reader that knows the lines' shape makes of them
    (raising `JsonSyntaxError` as `decode_json` does).

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
            if read is not None:
                read(raw)
            if not raw.strip():
                continue
            try:
                yield JsonLine(number, start, parse(raw))
            except JsonSyntaxError as err:
                problems.add(Problem(str(path), _line_message(err), number))
    problems.check()


def _line_message(err: JsonSyntaxError) -> str:
    if err.message.startswith("not valid UTF-8"):
        return err.message.replace("byte offset", "byte offset in the line")
    return f"malformed JSON: {err.message} (column {err.column})"


CHANGED_WHILE_READ = "changed while it was being read; run the command again"
"""What a file read again at a place recorded earlier says when that place no longer holds
what was checked there."""


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
        """The JSON value of the line that starts at byte `offset`: only parsed, as it was
        checked by the strict reader (`decode_json`) when `iter_jsonl_lines` found it."""
        if self._handle is None:
            self._handle = self.path.open("rb")
        if self._handle.tell() != offset:
            self._handle.seek(offset)
        try:
            return orjson.loads(self._handle.readline())
        except orjson.JSONDecodeError:
            raise InputError.single(self.path, CHANGED_WHILE_READ) from None

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
    """Check that `path` exists, is a regular file, is not empty and has no byte-order mark,
    without reading it all. A JSON Lines input is read more than once (checked, then streamed
    and read again at offsets): from a pipe, each read would see only what the last one left.
    """
    try:
        # Not blocking: a named pipe that nothing writes to would hold the open forever.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError.single(path, "file not found") from None
    mode = os.fstat(descriptor).st_mode  # a folder opens too: its mode tells it
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise InputError.single(
            path,
            "is a directory, expected a file"
            if stat.S_ISDIR(mode)
            else "is not a regular file (a pipe or a device), and a JSON Lines input is read "
            "more than once: save it to a file first",
        )
    with os.fdopen(descriptor, "rb") as handle:
        head = handle.read(4096)
        while head and not head.strip():  # leading blank lines of any length
            head = handle.read(65536)
    if head.startswith(_BOM.encode()):
        raise InputError.single(
            path, "starts with a UTF-8 byte-order mark (U+FEFF); save the file without it", line=1
        )
    if not head:
        raise InputError.single(path, "file is empty")


def current_bytes(path: Path) -> bytes | None:
    """What the file `path` holds now, or None when it cannot be read as one (missing, a
    folder, unreadable): for a writer that rewrites only what changed, to which such a file
    has changed (writing it then names any problem).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> current_bytes(folder / "missing.json"), current_bytes(folder)
    (None, None)
    """
    try:
        return path.read_bytes()
    except OSError:
        return None


def write_atomic(path: Path, content: str | bytes, *, durable: bool = True) -> None:
    """Write `content` to `path` so that readers see the old file or the new one, never half.

    `durable=False` skips the fsync before the rename: for derived files that a rerun
    rewrites (the leaderboard's pages), where waiting for the disk a thousand times would
    cost more than the build's scoring. See `atomic_writer` for symlinks, devices and modes.

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


_THROUGH_ROOTS = ("/dev/", "/proc/")
"""Paths under these are streams (`/dev/stdout`, `/dev/fd/3`, `/proc/self/fd/1`): written
through, never replaced, even when they lead to a regular file (a shell redirection)."""

_WRITER_TEMP = re.compile(r"^\..+\.(?P<pid>\d+)(?:@(?P<host>[0-9a-f]{8}))?-[a-z0-9_]{8}\.tmp$")
"""`.<name>.<pid>@<host>-XXXXXXXX.tmp` (`_temporary`); older claimbench wrote no `@<host>`."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()
_swept_folders: set[tuple[int, Path]] = set()


@contextmanager
def atomic_writer(path: Path, *, durable: bool = True) -> Iterator[BinaryIO]:
    """A binary handle whose content replaces `path` only when the block ends without error.

    For output streamed piece by piece (a predictions file of a large corpus): memory stays
    bounded, and readers still see the old file or the complete new one, never half. An
    exception in the block leaves `path` as it was.

    - A symlink is followed: its target is replaced, the link stays.
    - A destination that is not a regular file (a FIFO, a device, `/dev/stdout`; see
      `_THROUGH_ROOTS`) is written through, in append mode, and never replaced.
    - A new file gets the usual permissions (0666 less the umask), a replaced one keeps its
      own; temporary files of a writer that was killed are removed by the next write there
      (`claimbench.processes.abandoned` says when).

    Raises
    ------
    OutputError
        When the file cannot be written (a read-only folder, a full disk), naming it; the
        destination is left as it was.

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
    target = _write_target(path)
    if target is None:
        with _through(path) as handle:
            yield handle
        return
    _remove_dead_temps(target.parent)
    fd, tmp_name = _temporary(target)
    handle = os.fdopen(fd, "wb")
    try:
        yield _Checked(handle, path)  # type: ignore[misc]
        try:
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), _mode_for(target))
            handle.close()
            Path(tmp_name).replace(target)
        except OSError as err:
            raise OutputError.of(path, err) from None
    except BaseException:
        with suppress(OSError):  # closing flushes, which fails again on a full disk
            handle.close()
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _write_target(path: Path) -> Path | None:
    """The regular file to replace for `path` (a symlink's target), or None to write through."""
    if str(path.absolute()).startswith(_THROUGH_ROOTS):
        return None
    target = path.resolve() if path.is_symlink() else path
    try:
        regular = stat.S_ISREG(target.stat().st_mode)
    except FileNotFoundError:
        return target
    except OSError as err:
        raise OutputError.of(path, err) from None
    return target if regular else None


def written_through(path: Path) -> bool:
    """Whether writing `path` goes through to a stream (`/dev/stdout`, a FIFO, a device)
    rather than replacing a regular file (see `atomic_writer`).

    Examples
    --------
    >>> written_through(Path("/dev/stdout")), written_through(Path("/tmp/results.json"))
    (True, False)
    """
    return _write_target(path) is None


@contextmanager
def _through(path: Path) -> Iterator[BinaryIO]:
    try:
        handle = path.open("ab")
    except OSError as err:
        raise OutputError.of(path, err) from None
    with handle:
        yield _Checked(handle, path)  # type: ignore[misc]
        try:
            handle.flush()
        except OSError as err:
            raise OutputError.of(path, err) from None


def _temporary(target: Path) -> tuple[int, str]:
    """A new temporary file beside `target`, named with this pid and host (for
    `_remove_dead_temps`)."""
    prefix = f".{target.name}.{os.getpid()}@{host_tag()}-"
    try:
        try:
            return tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
        except FileNotFoundError:  # the folder is made only when missing: a site has 1,000
            target.parent.mkdir(parents=True, exist_ok=True)
            return tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise OutputError.of(target, err) from None


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_UMASK


def _remove_dead_temps(folder: Path) -> None:
    """Remove the temporary files that killed writers left in `folder` (once per process);
    `abandoned` decides, so that a live writer on another host sharing the folder is spared."""
    key = (os.getpid(), folder)
    if key in _swept_folders:
        return
    _swept_folders.add(key)
    try:
        entries = [entry for entry in os.scandir(folder) if entry.name.endswith(".tmp")]
    except OSError:
        return
    for entry in entries:
        match = _WRITER_TEMP.match(entry.name)
        if match is None:
            continue
        with suppress(OSError):  # its writer may have renamed or removed it meanwhile
            modified = entry.stat(follow_symlinks=False).st_mtime
            if abandoned(int(match["pid"]), match["host"], modified):
                (folder / entry.name).unlink()


class _Checked:
    """A binary handle whose write errors name the file (`OutputError`)."""

    def __init__(self, handle: BinaryIO, path: Path) -> None:
        self._handle = handle
        self._path = path

    def write(self, data: bytes) -> int:
        try:
            return self._handle.write(data)
        except OSError as err:
            raise OutputError.of(self._path, err) from None


def check_output(path: Path, option: str) -> None:
    """Check, before any work, that `path` can be written: not a folder, and its folder (or
    the nearest one that exists, as missing folders are made) writable.

    Parameters
    ----------
    path : Path
        Where a command will write (its target, if a symlink).
    option : str
        The option that named it, for the message (`--output`).

    Raises
    ------
    OutputError
        Naming the option, the path and what is wrong.

    Examples
    --------
    >>> check_output(Path("/"), "--output")
    Traceback (most recent call last):
    claimbench.errors.OutputError: --output /: is a folder, expected a file
    """
    target = path.resolve() if path.is_symlink() else path
    if target.is_dir():
        raise OutputError(f"{option} {path}: is a folder, expected a file")
    if target.exists():
        if not os.access(target, os.W_OK):
            raise OutputError(f"{option} {path}: cannot write it (permission denied)")
        if _write_target(path) is None:
            return
    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{option} {path}: cannot write in {folder} (read-only or not a folder)")


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
