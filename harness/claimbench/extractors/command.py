"""`--command` plugins: any program speaking JSON Lines over stdin and stdout.

The protocol (README, "Writing a plugin"):

- The harness starts the command once (no shell; the string is split like a POSIX shell would,
  and arguments naming existing files relative to the current directory are made absolute) in
  a scratch working directory with a scrubbed environment, and restarts it after a crash, a
  timeout or an answer it cannot parse.
- For each document it writes one line to the plugin's stdin:
  `{"id": "...", "text": "...", "metadata": {"outlet": ... , "date": "YYYY-MM-DD" | null}}`,
  and waits for one line on stdout: a prediction record, `{"doc_id": "...", "entities": [...],
  "numbers": [...], "attributions": [...]}` (absent layer: not attempted; `[]`: nothing found).
- Optionally, the first line a process writes may be a header
  `{"claimbench_plugin": {"name": "...", "version": "...", "layers": ["entities", ...]}}`.
  Without it the name is the program's file name, the version "unknown", and the layers
  attempted are those present in its answers.
- stderr is free for logs; its tail is kept with each failure. When stdin closes, the plugin
  should exit.
"""

import contextlib
import os
import selectors
import shlex
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from claimbench.errors import (
    UsageError,
    describe_value,
    problems_from_validation_error,
    summarise,
)
from claimbench.extractors.failures import (
    DocumentError,
    FailureCause,
    PluginError,
    exit_failure,
)
from claimbench.extractors.isolation import (
    Limits,
    allow_cpu_for_next_document,
    limit_setter,
    scrubbed_environment,
)
from claimbench.extractors.plugin import PluginInfo, PluginKind, coerce_extraction
from claimbench.fileio import JsonSyntaxError, decode_json
from claimbench.models import Document, Extraction, Layer
from claimbench.processes import record_group, run_folder

MAX_LINE_BYTES = 16 * 1024 * 1024
STDERR_TAIL_BYTES = 4096
STDERR_TAIL_LINES = 20
_CHUNK = 65536
_EXIT_GRACE_SECONDS = 1.0


class Header(BaseModel):
    """What a command plugin may announce about itself in its first line."""

    model_config = ConfigDict(extra="forbid")

    name: str
    version: str
    layers: list[Layer] | None = None


class _Process:
    """One running plugin process and the bytes read from it so far."""

    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str], limits: Limits) -> None:
        # In a session (and process group) of its own, so that stopping it stops whatever it
        # started too; killed with its parent when started from a main thread (a thread of a
        # Dask worker may end before the plugin should).
        with_parent = threading.current_thread() is threading.main_thread()
        try:
            self.popen = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=cwd,
                env=env,
                preexec_fn=limit_setter(limits, die_with_parent=with_parent),
                start_new_session=True,
            )
        except OSError as err:
            raise PluginError(f"cannot start command {argv[0]!r}: {err.strerror}") from None
        record_group(self.popen.pid)
        assert self.popen.stdin and self.popen.stdout and self.popen.stderr
        self.stdin, self.stdout, self.stderr = (
            self.popen.stdin.fileno(),
            self.popen.stdout.fileno(),
            self.popen.stderr.fileno(),
        )
        for fd in (self.stdin, self.stdout, self.stderr):
            os.set_blocking(fd, False)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.stdout, selectors.EVENT_READ)
        self.selector.register(self.stderr, selectors.EVENT_READ)
        # Readable when the process exits: a crash is seen at once, even when a child it
        # started still holds its stdout open (Linux 5.3+; elsewhere the timeout sees it).
        self.exited = os.pidfd_open(self.popen.pid) if hasattr(os, "pidfd_open") else None
        if self.exited is not None:
            self.selector.register(self.exited, selectors.EVENT_READ)
        self.buffer = bytearray()
        self.stderr_tail = bytearray()
        self.lines_read = 0
        self.stopped = False

    def exchange(self, payload: bytes, timeout: float) -> bytes:
        """Send `payload` and return the next stdout line, within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        pending = memoryview(payload)
        self.selector.register(self.stdin, selectors.EVENT_WRITE)
        try:
            while True:
                line = self._pop_line()
                if line is not None:
                    return line
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise self.failure(FailureCause.TIMEOUT, f"no answer within {timeout:g} s")
                for key, _ in self.selector.select(remaining):
                    pending = self._service(key.fd, pending)
        finally:
            registered = self.selector.get_map()
            if registered is not None and self.stdin in registered:
                self.selector.unregister(self.stdin)

    def _service(self, fd: int, pending: memoryview) -> memoryview:
        if fd == self.stdin:
            return self._write(pending)
        if fd == self.exited:
            self._drain_stdout()
            if b"\n" not in self.buffer:
                raise self.failure(*self._exit_cause())
            self.selector.unregister(fd)  # the answer came before the exit: read it first
            return pending
        chunk = os.read(fd, _CHUNK)
        if fd == self.stderr:
            self.stderr_tail = (self.stderr_tail + chunk)[-STDERR_TAIL_BYTES:]
            if not chunk:
                self.selector.unregister(fd)
        elif not chunk:
            raise self.failure(*self._exit_cause())
        else:
            self.buffer += chunk
        return pending

    def _write(self, pending: memoryview) -> memoryview:
        try:
            written = os.write(self.stdin, pending[:_CHUNK])
        except BrokenPipeError:
            written = len(pending)
        pending = pending[written:]
        if not pending:
            self.selector.unregister(self.stdin)
        return pending

    def _pop_line(self) -> bytes | None:
        end = self.buffer.find(b"\n")
        if end < 0:
            if len(self.buffer) > MAX_LINE_BYTES:
                raise self.failure(
                    FailureCause.OUTPUT_TOO_LARGE,
                    f"answer longer than {MAX_LINE_BYTES // (1024 * 1024)} MiB without a newline",
                )
            return None
        line = bytes(self.buffer[:end])
        del self.buffer[: end + 1]
        self.lines_read += 1
        return line

    def _exit_cause(self) -> tuple[FailureCause, str]:
        try:
            code = self.popen.wait(timeout=_EXIT_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            return FailureCause.PROTOCOL, "closed its stdout without answering"
        return exit_failure(code)

    def failure(self, cause: FailureCause, message: str) -> DocumentError:
        """A document error carrying the stderr tail (the process is killed first)."""
        self.stop(graceful=False)
        return DocumentError(cause, message, self.tail())

    def tail(self) -> str | None:
        """The last lines the plugin wrote to stderr, or None if it wrote nothing."""
        text = self.stderr_tail.decode("utf-8", errors="replace").rstrip()
        return "\n".join(text.splitlines()[-STDERR_TAIL_LINES:]) or None

    def stop(self, *, graceful: bool) -> None:
        """Close stdin, let a `graceful` plugin exit for a moment, then kill its process group:
        the processes it started go with it, even when it has exited already."""
        if self.stopped:
            return
        self.stopped = True
        if graceful and self.popen.poll() is None:
            self._close_stdin()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=_EXIT_GRACE_SECONDS)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()
        self._drain_stderr()
        self._close_stdin()
        self.popen.stdout.close()  # type: ignore[union-attr]
        self.popen.stderr.close()  # type: ignore[union-attr]
        self.selector.close()
        if self.exited is not None:
            os.close(self.exited)

    def _close_stdin(self) -> None:
        stdin = self.popen.stdin
        if stdin is not None and not stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                stdin.close()

    def _drain_stdout(self) -> None:
        try:
            while chunk := os.read(self.stdout, _CHUNK):
                self.buffer += chunk
        except (BlockingIOError, OSError):
            return

    def _drain_stderr(self) -> None:
        if self.popen.stderr is None or self.popen.stderr.closed:
            return
        try:
            while chunk := os.read(self.stderr, _CHUNK):
                self.stderr_tail = (self.stderr_tail + chunk)[-STDERR_TAIL_BYTES:]
        except (BlockingIOError, OSError):
            return


class CommandPlugin:
    """A `--command` plugin, run with limits in a scratch directory (see the module docstring).

    Parameters
    ----------
    command : str
        The command line, split with `shlex` (no shell).
    limits : Limits
        Per-document timeout, memory and CPU limits.
    env : Mapping[str, str]
        Variables passed explicitly to the plugin.
    forbidden : Sequence[Path]
        Folders (gold) that must not appear in the plugin's environment.
    """

    def __init__(
        self,
        command: str,
        limits: Limits,
        env: Mapping[str, str] | None = None,
        forbidden: Sequence[Path] = (),
    ) -> None:
        self.argv = absolute_paths(command_argv(command))
        self.command = command
        self.limits = limits
        self.scratch = Path(tempfile.mkdtemp(prefix="claimbench-plugin-", dir=run_folder()))
        self.env = scrubbed_environment(self.scratch, env or {}, forbidden)
        self.header: Header | None = None
        self._process: _Process | None = None

    @property
    def info(self) -> PluginInfo:
        """Name, version and layers from the plugin's header, or defaults."""
        header = self.header
        return PluginInfo(
            kind=PluginKind.COMMAND,
            name=header.name if header else Path(self.argv[-1]).name,
            version=header.version if header else "unknown",
            target=self.command,
            layers=header.layers if header else None,
            config={"command": self.command, **self.limits.model_dump()},
        )

    def extract(self, document: Document) -> Extraction:
        """Send `document` to the plugin and parse its one-line answer.

        Raises
        ------
        DocumentError
            On a crash, timeout, CPU limit, invalid JSON, a wrong `doc_id` or an invalid
            prediction; the process is restarted for the next document when its state is
            unknown.
        PluginError
            When the command cannot be started at all.
        """
        process = self._running()
        allow_cpu_for_next_document(process.popen.pid, self.limits)
        payload = document.model_dump_json().encode("utf-8") + b"\n"
        line = process.exchange(payload, self.limits.timeout)
        value = self._parse(process, line)
        if process.lines_read == 1 and _is_header(value):
            # every process sends its header first, a restarted one too; the first is kept
            header = self._header(process, value)
            self.header = self.header or header
            value = self._parse(process, process.exchange(b"", self.limits.timeout))
        return self._prediction(process, document.id, value)

    def close(self) -> None:
        """Stop the plugin process and remove the scratch directory."""
        if self._process is not None:
            self._process.stop(graceful=True)
            self._process = None
        shutil.rmtree(self.scratch, ignore_errors=True)

    def _running(self) -> _Process:
        if self._process is None or self._process.popen.poll() is not None:
            if self._process is not None:
                self._process.stop(graceful=False)
            self._process = _Process(self.argv, self.scratch, self.env, self.limits)
        return self._process

    def _fail(self, process: _Process, cause: FailureCause, message: str) -> DocumentError:
        self._process = None
        return process.failure(cause, message)

    def _parse(self, process: _Process, line: bytes) -> object:
        try:
            return decode_json(line)
        except JsonSyntaxError as err:
            snippet = describe_value(line[:80].decode("utf-8", errors="replace"))
            raise self._fail(
                process, FailureCause.INVALID_JSON, f"answer is not JSON ({err}): {snippet}"
            ) from None

    def _header(self, process: _Process, value: dict) -> Header:
        try:
            return Header.model_validate(value["claimbench_plugin"])
        except ValidationError as err:
            problems = problems_from_validation_error(err, "header", prefix=("claimbench_plugin",))
            raise self._fail(
                process, FailureCause.PROTOCOL, f"invalid header line: {summarise(problems)}"
            ) from None

    def _prediction(self, process: _Process, doc_id: str, value: object) -> Extraction:
        if not isinstance(value, dict):
            raise self._fail(
                process,
                FailureCause.PROTOCOL,
                f"answer is a JSON {type(value).__name__}, expected an object",
            )
        answered = value.pop("doc_id", None)
        if answered != doc_id:
            raise self._fail(
                process,
                FailureCause.PROTOCOL,
                f"answer has doc_id {answered!r}, expected {doc_id!r}",
            )
        try:
            return coerce_extraction(value)
        except DocumentError as err:
            err.stderr_tail = process.tail()
            raise


def command_argv(command: str) -> list[str]:
    """The program and arguments of a `--command` line, split as a POSIX shell splits it (no
    shell runs it).

    Raises
    ------
    UsageError
        When the line cannot be split (a quote left open) or names no program (exit code 2).

    Examples
    --------
    >>> command_argv("python3 'my plugin.py' --fast")
    ['python3', 'my plugin.py', '--fast']
    """
    try:
        argv = shlex.split(command)
    except ValueError as err:
        raise UsageError(f"--command {command!r}: {err}") from None
    if not argv:
        raise UsageError(f"--command {command!r}: no program to run")
    return argv


def absolute_paths(argv: list[str]) -> list[str]:
    """`argv` with every argument that names an existing file or folder relative to the
    current directory made absolute, since the plugin runs in a scratch directory.

    Examples
    --------
    >>> absolute_paths(["python3", "-c", "pass"])
    ['python3', '-c', 'pass']
    """
    return [
        str(Path(arg).resolve()) if not Path(arg).is_absolute() and Path(arg).exists() else arg
        for arg in argv
    ]


def _is_header(value: object) -> bool:
    return isinstance(value, dict) and "claimbench_plugin" in value
