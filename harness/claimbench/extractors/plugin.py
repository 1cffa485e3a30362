"""What the runner drives: a loaded plugin of any kind, described for provenance.

`Plugin` is the one interface behind Python plugins (`PythonPlugin`), `--command` subprocesses
(`claimbench.extractors.command.CommandPlugin`) and anything added later (a process pool): it
has an `info` and an `extract(document)` that returns an `Extraction` or raises `DocumentError`.
"""

import hashlib
import io
import json
import os
import sys
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, redirect_stdout
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, TextIO

from pydantic import BaseModel, ConfigDict, ValidationError

from claimbench.errors import validation_message
from claimbench.extractors.failures import DocumentError, FailureCause
from claimbench.extractors.isolation import DeadlinePassed, deadline
from claimbench.extractors.protocol import Extractor, extractor_config, extractor_metadata
from claimbench.models import Document, Extraction, Layer
from claimbench.processes import Terminated

_TRACEBACK_LINES = 12


class PluginKind(StrEnum):
    """Where predictions come from."""

    PYTHON = "python"
    COMMAND = "command"
    PREDICTIONS = "predictions"


class PluginInfo(BaseModel):
    """Name, version, layers and configuration of a plugin, as recorded with the results."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: PluginKind
    name: str
    version: str
    target: str
    layers: list[Layer] | None = None
    config: dict[str, Any] = {}
    distribution: str | None = None
    metadata: dict[str, Any] = {}
    """What a Python plugin says about itself for its leaderboard entry
    (`leaderboard_metadata`: authors, description, code_url, paper_url, model_licence)."""

    @property
    def config_hash(self) -> str:
        """SHA-256 of the configuration as canonical JSON (sorted keys, no spaces).

        Examples
        --------
        >>> info = PluginInfo(kind="python", name="x", version="1", target="m:x")
        >>> info.config_hash == hashlib.sha256(b"{}").hexdigest()
        True
        """
        canonical = json.dumps(self.config, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class Plugin(Protocol):
    """A loaded plugin the runner can drive, one document at a time."""

    @property
    def info(self) -> PluginInfo:
        """What the plugin is (for provenance and `plugins list`)."""
        ...

    def extract(self, document: Document) -> Extraction:
        """The plugin's extraction of `document`; raises `DocumentError` when it fails."""
        ...

    def close(self) -> None:
        """Release what the plugin holds (a subprocess, a scratch directory)."""
        ...


def coerce_extraction(value: object) -> Extraction:
    """A plugin's return value as an `Extraction`, or `DocumentError` naming what is wrong.

    Examples
    --------
    >>> coerce_extraction({"entities": []}).attempted()
    [<Layer.ENTITIES: 'entities'>]
    """
    if isinstance(value, Extraction):
        return Extraction.model_validate(value.model_dump(exclude={"doc_id"}))
    if not isinstance(value, Mapping):
        raise DocumentError(
            FailureCause.INVALID_PREDICTION,
            f"extract() returned {type(value).__name__}, expected an Extraction",
        )
    try:
        return Extraction.model_validate(dict(value))
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "(prediction)"
        raise DocumentError(
            FailureCause.INVALID_PREDICTION,
            f"{err.error_count()} schema error(s), first at {where}: {validation_message(first)}",
        ) from None


class _WholeLines(io.TextIOBase):
    """A text stream that passes its text on to `target` a whole line per write.

    `print()` writes its parts and its newline one by one, and stderr is unbuffered, so the
    workers of a `--jobs` run, sharing one stderr, would cut into each other's lines.
    """

    def __init__(self, target: TextIO) -> None:
        self._target = target
        self._pending: list[str] = []

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:
        return self._target.encoding

    def isatty(self) -> bool:
        return self._target.isatty()

    def write(self, text: str) -> int:
        self._pending.append(text)
        if "\n" in text:
            whole, _, rest = "".join(self._pending).rpartition("\n")
            self._pending = [rest]
            self._target.write(whole + "\n")
            self._target.flush()
        return len(text)

    def flush(self) -> None:
        rest = "".join(self._pending)
        self._pending = []
        if rest:
            self._target.write(rest)
        self._target.flush()


@contextmanager
def prints_to_stderr() -> Iterator[None]:
    """Within the block, `print()` (any write to `sys.stdout`) goes to stderr: a Python plugin
    runs in claimbench's process or its workers, whose stdout carries the command's own output
    (the predictions of `predict`, the results of `evaluate --format json`). So does what is
    written to file descriptor 1 itself (by a C library, or through `sys.__stdout__`).

    Each line reaches stderr in one write, so the lines of parallel workers do not mix.

    Yields
    ------
    None
        Within the block, `sys.stdout` writes whole lines to `sys.stderr`; a line left
        unfinished is written when the block ends.

    Examples
    --------
    >>> import contextlib, io
    >>> caught = io.StringIO()
    >>> with contextlib.redirect_stderr(caught), prints_to_stderr():
    ...     print("from a plugin", end="")
    ...     print(", in parts")
    >>> caught.getvalue()
    'from a plugin, in parts\\n'
    """
    lines = _WholeLines(sys.stderr)
    try:
        with _descriptor_1_to_stderr(), redirect_stdout(lines):
            yield
    finally:
        lines.flush()


@contextmanager
def _descriptor_1_to_stderr() -> Iterator[None]:
    """Within the block, file descriptor 1 is stderr's; claimbench writes its output between
    such blocks, never inside one (what it has buffered is flushed first)."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
        saved = os.dup(1)
        os.dup2(2, 1)
    except (OSError, ValueError):  # a descriptor closed: nothing to keep apart
        yield
        return
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


class PythonPlugin:
    """An in-process Python extractor; an exception fails only the current document, and so
    does running past `timeout` seconds on it (`claimbench.extractors.isolation.deadline`)."""

    def __init__(
        self,
        extractor: Extractor,
        target: str,
        distribution: str | None,
        timeout: float | None = None,
    ) -> None:
        self.extractor = extractor
        self.timeout = timeout
        self._info = PluginInfo(
            kind=PluginKind.PYTHON,
            name=str(extractor.name),
            version=str(extractor.version),
            target=target,
            layers=[Layer(layer) for layer in extractor.layers],
            config=dict(extractor_config(extractor)),
            distribution=distribution,
            metadata=dict(extractor_metadata(extractor)),
        )

    @property
    def info(self) -> PluginInfo:
        """Name, version, layers and config of the wrapped extractor."""
        return self._info

    def extract(self, document: Document) -> Extraction:
        """Run the extractor on `document`, turning any exception, and an answer later than
        `timeout`, into a `DocumentError`."""
        folder = Path.cwd()
        try:
            with prints_to_stderr():
                with deadline(self.timeout) as expired:
                    answer = self.extractor.extract(document)
                if expired():  # the plugin caught the interruption and answered late
                    raise DeadlinePassed
                # Read outside the deadline: an interruption that fell in claimbench's own
                # checks of the answer (which may call back from C) was printed and ignored.
                extraction = coerce_extraction(answer)
        except (DocumentError, Terminated, KeyboardInterrupt, GeneratorExit):
            raise  # Terminated: the user stopped the run (SIGINT, SIGTERM), not the plugin
        except DeadlinePassed:
            raise DocumentError(
                FailureCause.TIMEOUT, f"no answer within {self.timeout:g} s"
            ) from None
        except BaseException as err:  # sys.exit(), pytest.skip() in a plugin end its document
            # only (so does an answer of the plugin's own type that raises as it is read)
            tail = "".join(traceback.format_exception(err)).splitlines()[-_TRACEBACK_LINES:]
            raise DocumentError(
                FailureCause.EXCEPTION, f"{type(err).__name__}: {err}", "\n".join(tail)
            ) from None
        finally:
            if Path.cwd() != folder:  # relative paths the user gave still mean what they did
                os.chdir(folder)
        return extraction

    def close(self) -> None:
        """Python plugins hold nothing the harness must release."""
