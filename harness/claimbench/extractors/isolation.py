"""Isolation of plugins: limits, scratch directory and scrubbed environment of `--command`
plugins, and the per-document deadline of Python plugins.

This is isolation, not a sandbox (docs/how-to/containers.md): a hostile plugin can
still read any file the user can read and use the network. It keeps an honest plugin from
hanging the run, eating the machine's memory, or finding gold through its environment.
"""

import math
import os
import re
import resource
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from claimbench import processes
from claimbench.errors import UsageError

_MIB = 1024 * 1024
_PATH_WORDS = re.compile(r"[\s=,;:]+")
"""What separates paths inside a variable's value (`a:b`, `--data=PATH`, `x,y`)."""
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


MAX_TIMEOUT_SECONDS = 2_000_000
"""poll(2) takes its wait in milliseconds as a C int (at most 2**31 - 1 ms, 24.8 days)."""
MAX_MEMORY_MB = 2**43 - 1
"""RLIMIT_AS is set in bytes, at most a signed 64-bit number."""
MAX_CPU_SECONDS = 2**62
"""RLIMIT_CPU is raised to the CPU time used plus this before each document: within 64 bits."""


class Limits(BaseModel):
    """Limits for one plugin; `None` switches a limit off. A Python plugin has the timeout
    only (`deadline`); a command plugin has all three."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    timeout: float = Field(
        default=60.0, gt=0, le=MAX_TIMEOUT_SECONDS, description="Wall seconds per document."
    )
    memory_mb: int | None = Field(
        default=4096, gt=0, le=MAX_MEMORY_MB, description="Address space (RLIMIT_AS)."
    )
    cpu_seconds: int | None = Field(
        default=60, gt=0, le=MAX_CPU_SECONDS, description="CPU seconds per document."
    )


class DeadlinePassed(BaseException):
    """Raised in a Python plugin's code when its document's time is up: a `BaseException`, so
    that the plugin's own `except Exception` does not swallow it."""


_REMINDER_SECONDS = 1.0
"""After the deadline, how often the plugin is interrupted again (one that catches the first
interruption and carries on gets the next)."""


@contextmanager
def deadline(seconds: float | None) -> Iterator[Callable[[], bool]]:
    """Within the block, the main thread is interrupted by `DeadlinePassed` once `seconds` of
    wall time have passed, and again every second after, until the block ends.

    A Python plugin runs in claimbench's own process (or a `--jobs` worker's), so a hung
    plugin cannot be killed as a command plugin is: it is interrupted with SIGALRM at its next
    Python instruction. A plugin stuck in one long call into C code (that never returns to
    Python) is not stopped; neither is one off the main thread (a Dask worker's task thread),
    where no signal can reach it: there, and without SIGALRM, the block runs with no deadline.

    Parameters
    ----------
    seconds : float or None
        The time allowed; None for no deadline.

    Yields
    ------
    Callable[[], bool]
        Whether the time ran out (also after the block: a plugin may catch the interruption
        and return late, which is still too late).

    Examples
    --------
    >>> import time
    >>> with deadline(0.05) as expired:
    ...     try:
    ...         time.sleep(5)
    ...     except DeadlinePassed:
    ...         print("interrupted")
    interrupted
    >>> expired()
    True
    """
    if (
        seconds is None
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield lambda: False
        return
    expired = False

    def interrupt(signum: int, frame: object) -> None:
        nonlocal expired
        expired = True
        raise DeadlinePassed

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds, _REMINDER_SECONDS)
    try:
        yield lambda: expired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def scrubbed_environment(
    scratch: Path, passed: Mapping[str, str], forbidden: Iterable[Path]
) -> dict[str, str]:
    """The environment of a command plugin: PATH, HOME=scratch, LANG and the passed variables.

    Parameters
    ----------
    scratch : Path
        The plugin's scratch working directory, also its HOME.
    passed : Mapping[str, str]
        Variables the user passed explicitly (`--env NAME` or `--env NAME=VALUE`).
    forbidden : Iterable[Path]
        Folders the plugin must not be pointed at (the gold folder): PATH entries inside them
        are dropped, and a passed variable that names one is a usage error.

    Returns
    -------
    dict[str, str]
        The complete environment; nothing else of the harness's environment is inherited.

    Examples
    --------
    >>> env = scrubbed_environment(Path("/tmp/s"), {"SEED": "1"}, [Path("/data/gold")])
    >>> sorted(env)
    ['HOME', 'LANG', 'PATH', 'SEED']
    """
    # Each folder as written and with its links followed (the package's dataset links to the
    # checkout's gold), so that neither spelling reaches the plugin.
    roots = sorted({str(form) for path in forbidden for form in (path.absolute(), path.resolve())})
    for name, value in passed.items():
        if any(root in value for root in roots) or any(
            _inside(word, roots) for word in _PATH_WORDS.split(value) if word
        ):
            raise UsageError(f"--env {name}: its value points into the gold folder ({value})")
    path_entries = os.environ.get("PATH", os.defpath).split(os.pathsep)
    kept = [entry for entry in path_entries if not _inside(entry, roots)]
    return {
        "PATH": os.pathsep.join(kept),
        "HOME": str(scratch),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        **passed,
    }


def parse_env_options(options: Iterable[str]) -> dict[str, str]:
    """`--env NAME` (value taken from the harness's environment) or `--env NAME=VALUE`.

    Examples
    --------
    >>> parse_env_options(["MODEL=small"])
    {'MODEL': 'small'}
    """
    passed = {}
    for option in options:
        name, sep, value = option.partition("=")
        if not name.isidentifier():
            raise UsageError(f"--env {option!r}: expected NAME or NAME=VALUE")
        if not sep:
            if name not in os.environ:
                raise UsageError(f"--env {name}: not set in the environment")
            value = os.environ[name]
        passed[name] = value
    return passed


def _inside(entry: str, roots: list[str]) -> bool:
    """Whether the path `entry` names (relative to the current folder, `..` and symlinks
    followed) is one of `roots` or inside one."""
    try:
        resolved = str(Path(entry).resolve()) if entry else ""
    except (OSError, ValueError):  # not a path at all (a NUL byte, a name too long)
        return False
    return any(resolved == root or resolved.startswith(root + os.sep) for root in roots)


def limit_setter(limits: Limits, *, die_with_parent: bool = False) -> Callable[[], None]:
    """A `preexec_fn` applying the memory limit and switching core dumps off in the child,
    and (`die_with_parent`) having it killed when the process that started it dies."""

    with_parent = processes.parent_death_signal(signal.SIGKILL) if die_with_parent else None

    def apply() -> None:
        if with_parent is not None:
            with_parent()
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if limits.memory_mb is not None:
            size = limits.memory_mb * _MIB
            resource.setrlimit(resource.RLIMIT_AS, (size, size))
        if limits.cpu_seconds is not None:
            resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, resource.RLIM_INFINITY))

    return apply


def allow_cpu_for_next_document(pid: int, limits: Limits) -> None:
    """Move the child's CPU limit to what it has used so far plus one document's allowance.

    RLIMIT_CPU counts a process's whole life, so for a long-lived plugin the soft limit is
    raised before each document (Linux `prlimit`). Where that is unavailable, the limit set at
    start applies to the whole process, and the wall-clock timeout still bounds each document.
    """
    if limits.cpu_seconds is None or not hasattr(resource, "prlimit"):
        return
    stat = Path(f"/proc/{pid}/stat")
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        used = (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
        soft = math.ceil(used) + limits.cpu_seconds
        resource.prlimit(pid, resource.RLIMIT_CPU, (soft, resource.RLIM_INFINITY))
    except (OSError, IndexError, ValueError):
        return
