"""Processes and temporary state that do not outlive a run, whatever ends it.

Three rules (issue 17):

- SIGTERM, SIGHUP and SIGINT (Ctrl-C) end a command like an exception (`Terminated`, exit
  code 128 + the signal: 143, 129, 130), so every `finally` runs: pool workers are stopped,
  plugins closed, temporary files removed; a second signal does not cut the clean-up short.
- A pool worker dies with its parent (Linux `PR_SET_PDEATHSIG`), even when the parent is
  killed with SIGKILL, and cleans up on SIGTERM like the parent; a command plugin, started in
  a process group of its own, is killed with its parent too.
- Everything temporary lives in one folder per process, `TMPDIR/claimbench-run-PID-XXXX`
  (`run_folder`), removed at exit; a run killed with SIGKILL cannot remove it, so the next run
  does: it removes the folders of processes that no longer exist, after killing any process
  still working in them (a plugin's forgotten children) and the process groups they recorded.

The temporary file an output is written to beside it names its writer's pid and host
(`host_tag`); a later write there removes it once `abandoned` says so, which asks about the pid
only on the writer's own host, as an output folder may be shared by several hosts (NFS).
"""

import atexit
import contextlib
import functools
import gc
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: every command imports this module at start-up
    from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1
_RUN_PREFIX = "claimbench-run-"
_RUN_NAME = re.compile(rf"^{_RUN_PREFIX}(\d+)-")
_GROUPS_FILE = "groups"
_ENDING_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
_STOP_SECONDS = 5.0

STALE_SECONDS = 7 * 24 * 3600
"""How long a temporary file must go unchanged before a sweep removes it whatever its name
says (a writer on another host cannot be asked): a week, far longer than a live writer goes
between two flushes of its buffer."""


class Terminated(SystemExit):
    """The process was asked to stop (SIGTERM, SIGHUP or SIGINT); exits with 128 + the signal."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    for ending in _ENDING_SIGNALS:  # a second signal must not interrupt the cleanup
        signal.signal(ending, signal.SIG_IGN)
    raise Terminated(128 + signum)


@contextmanager
def terminate_gracefully() -> Iterator[None]:
    """Within the block, SIGTERM, SIGHUP and SIGINT raise `Terminated` (in the main thread only;
    elsewhere signals cannot be handled and the block changes nothing).

    Examples
    --------
    >>> with terminate_gracefully():
    ...     signal.getsignal(signal.SIGTERM) is _raise_terminated
    True
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {ending: signal.signal(ending, _raise_terminated) for ending in _ENDING_SIGNALS}
    try:
        yield
    finally:
        for ending, handler in previous.items():
            signal.signal(ending, handler)


SCORING_THRESHOLDS = (200_000, 10, 100)
"""The cycle collector's thresholds while data is read and scored (`collecting_rarely`):
a young collection per 200,000 new objects (Python's default: 700), a full one per 100
middle ones (default: 10)."""


@contextmanager
def collecting_rarely() -> Iterator[None]:
    """Within the block the cycle collector runs about 300 times less often.

    Reading and scoring a large file makes about three collected objects per item (a model,
    its fields, its set of fields given) that live until their batch of 50,000 items is
    scored, and hold no reference cycles: each young collection walked them, moved them to an
    older generation, where each full collection walked them all again. On 5,000 documents
    x 50 entities the whole command spent 1.2 s of CPU in 2,600 collections; with these
    thresholds 0.1 s in 190, most of them while modules are imported (benchmarks/RESULTS.md,
    issue 16): a batch's objects are mostly freed before a collection sees them. Cyclic
    garbage (a plugin's, run in this process) is still collected, after at most 200,000 new
    objects (tens of megabytes). The thresholds are restored at the end.

    Yields
    ------
    None
        Within the block, the thresholds are `SCORING_THRESHOLDS`.

    Examples
    --------
    >>> import gc
    >>> before = gc.get_threshold()
    >>> with collecting_rarely():
    ...     gc.get_threshold()
    (200000, 10, 100)
    >>> gc.get_threshold() == before
    True
    """
    before = gc.get_threshold()
    gc.set_threshold(*SCORING_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def parent_death_signal(signum: int) -> Callable[[], object]:
    """A function that has the kernel send `signum` to the process that calls it when that
    process's parent exits (Linux `prctl`; elsewhere it does nothing). Made in the parent, it
    imports nothing when called, so a child may call it between fork and exec (`preexec_fn`).

    Examples
    --------
    >>> parent_death_signal(0)()  # 0 clears the setting
    0
    """
    if not sys.platform.startswith("linux"):
        return lambda: 0
    import ctypes

    prctl = ctypes.CDLL(None).prctl
    return lambda: prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)


def _start_worker(parent: int, cleanup: Callable[[], object] | None = None) -> None:
    """Prepare a pool worker: it gets SIGTERM when `parent` exits, and on SIGTERM it runs
    `cleanup`, removes its run folder and exits at once (a worker must not go back to waiting
    for tasks that will never come).

    Parameters
    ----------
    parent : int
        The pid of the process that made the pool; if it is already gone, the worker exits.
    cleanup : callable, optional
        What the worker must release (its plugins' processes and scratch folders).
    """

    def end(signum: int, frame: FrameType | None) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            if cleanup is not None:
                cleanup()
        finally:
            remove_run_folder()
            os._exit(128 + signum)

    signal.signal(signal.SIGTERM, end)
    parent_death_signal(signal.SIGTERM)()
    if os.getppid() != parent:  # the parent died before the line above took effect
        os.kill(os.getpid(), signal.SIGTERM)


@contextmanager
def process_pool(
    workers: int,
    context: Any,
    *,
    cleanup: Callable[[], object] | None = None,
    initializer: Callable[..., None] | None = None,
    initargs: tuple = (),
) -> Iterator["ProcessPoolExecutor"]:
    """A process pool whose workers never outlive the block, nor this process.

    Each worker runs `_start_worker` (with `cleanup`) and then `initializer`. When the block
    ends with an exception (`Terminated` included), the workers are stopped at once instead of
    finishing their tasks; when it ends normally, they finish and exit as usual.

    Parameters
    ----------
    workers : int
        How many processes.
    context : multiprocessing context
        How they start (`spawn`, `fork`).
    cleanup : callable, optional
        What a worker runs when it is stopped (picklable: a module-level function).
    initializer, initargs
        Run in each worker after `_start_worker`.

    Examples
    --------
    >>> import multiprocessing
    >>> with process_pool(1, multiprocessing.get_context("spawn")) as pool:
    ...     pool.submit(abs, -2).result()
    2
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    before = set(multiprocessing.active_children())
    pool = ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_start_pool_worker,
        initargs=(os.getpid(), cleanup, initializer, initargs),
    )
    try:
        yield pool
    except BaseException:
        _stop(set(multiprocessing.active_children()) - before)
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _start_pool_worker(
    parent: int,
    cleanup: Callable[[], object] | None,
    initializer: Callable[..., None] | None,
    initargs: tuple,
) -> None:
    _start_worker(parent, cleanup)
    if initializer is not None:
        initializer(*initargs)


def _stop(children: set[Any]) -> None:
    """SIGTERM (they clean up and exit), then SIGKILL for any still running after a while."""
    for child in children:
        child.terminate()
    for child in children:
        child.join(_STOP_SECONDS)
        if child.is_alive():
            child.kill()
            child.join()


_run: tuple[int, Path] | None = None
_run_lock = threading.Lock()


def run_folder() -> Path:
    """This process's folder of temporary state, made on first use and removed at exit.

    Making it first removes the folders of runs that died without removing theirs
    (`sweep_dead_runs`).

    Examples
    --------
    >>> run_folder().name.startswith(f"claimbench-run-{os.getpid()}-")
    True
    """
    global _run
    with _run_lock:
        if _run is None or _run[0] != os.getpid() or not _run[1].is_dir():
            sweep_dead_runs()
            folder = Path(tempfile.mkdtemp(prefix=f"{_RUN_PREFIX}{os.getpid()}-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            _run = (os.getpid(), folder)
        return _run[1]


def remove_run_folder() -> None:
    """Remove this process's run folder now (it is also removed at exit; a later
    `run_folder` makes a new one).

    Examples
    --------
    >>> remove_run_folder()
    >>> run_folder().is_dir()
    True
    """
    if _run is not None and _run[0] == os.getpid():
        shutil.rmtree(_run[1], ignore_errors=True)


def record_group(pgid: int) -> None:
    """Note that process group `pgid` belongs to this run, so that a next run can kill it if
    this one dies first (only processes working in this run's folder are ever killed).

    Examples
    --------
    >>> record_group(os.getpgid(0))
    >>> str(os.getpgid(0)) in (run_folder() / "groups").read_text().split()
    True
    """
    with (run_folder() / _GROUPS_FILE).open("a") as groups:
        groups.write(f"{pgid}\n")


def sweep_dead_runs(tmp: Path | None = None) -> int:
    """Remove the run folders of this user's claimbench processes that no longer exist, after
    killing what still works in them.

    Parameters
    ----------
    tmp : Path, optional
        Where the run folders are (default: the temporary folder).

    Returns
    -------
    int
        How many folders were removed.

    Examples
    --------
    >>> sweep_dead_runs(Path(tempfile.mkdtemp()))
    0
    """
    removed = 0
    for folder in (tmp or Path(tempfile.gettempdir())).glob(f"{_RUN_PREFIX}*"):
        match = _RUN_NAME.match(folder.name)
        if match is None or process_exists(int(match.group(1))) or not _owned(folder):
            continue
        _kill_leftovers(folder)
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


def process_exists(pid: int) -> bool:
    """Whether a process `pid` exists (someone else's too).

    Examples
    --------
    >>> process_exists(os.getpid())
    True
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


@functools.cache
def host_tag() -> str:
    """This host in 8 hex digits (the CRC-32 of its name), for the names of temporary files:
    a pid names a process only on its own host.

    Examples
    --------
    >>> len(host_tag()), int(host_tag(), 16) >= 0
    (8, True)
    """
    return f"{zlib.crc32(os.uname().nodename.encode()):08x}"


def abandoned(pid: int, host: str | None, modified: float) -> bool:
    """Whether a temporary file that process `pid` of host `host` was writing is left over:
    that process ran on this host and no longer exists, or the file has not changed for
    `STALE_SECONDS` (the only sign there is when the writer ran on another host or the name
    gives no host, and a guard against a pid reused here by another process).

    Parameters
    ----------
    pid : int
        The writer's process id, as the file's name gives it.
    host : str or None
        The writer's `host_tag`, None when the name gives none.
    modified : float
        The file's modification time (seconds since the epoch).

    Returns
    -------
    bool
        True when the file can be removed.

    Examples
    --------
    >>> now = time.time()
    >>> abandoned(os.getpid(), host_tag(), now)  # a live writer here
    False
    >>> abandoned(os.getpid(), "another", now), abandoned(os.getpid(), "another", 0.0)
    (False, True)
    """
    if host == host_tag() and not process_exists(pid):
        return True
    return time.time() - modified > STALE_SECONDS


def _owned(folder: Path) -> bool:
    try:
        return folder.lstat().st_uid == os.getuid() and folder.is_dir()
    except OSError:
        return False


def _kill_leftovers(folder: Path) -> None:
    """Kill the recorded process groups that still have a process working inside `folder`,
    and any other process working there (Linux /proc; elsewhere only the folder goes)."""
    groups = _recorded_groups(folder)
    inside = str(folder) + os.sep
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            cwd = str((entry / "cwd").readlink())
            pgid = os.getpgid(int(entry.name))
        except (OSError, ValueError):
            continue
        if not (cwd + os.sep).startswith(inside):
            continue
        with contextlib.suppress(OSError):
            if pgid in groups:
                os.killpg(pgid, signal.SIGKILL)
            else:
                os.kill(int(entry.name), signal.SIGKILL)


def _recorded_groups(folder: Path) -> set[int]:
    try:
        lines = (folder / _GROUPS_FILE).read_text().split()
    except OSError:
        return set()
    return {int(line) for line in lines if line.isdigit()}
