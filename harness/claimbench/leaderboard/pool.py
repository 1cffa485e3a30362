"""The leaderboard build's speed work, behind one seam: many submission files are processed on
a process pool, with the garbage collector tuned for it (measured in `benchmarks/RESULTS.md`,
`bench_leaderboard.py`). What is done to each file is the build's (`process_submission`); this
module only decides where it runs.
"""

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from claimbench.processes import process_pool

PARALLEL_FROM = 64
"""Fewer files than this are processed in this process: a pool would cost more than it
saves."""

Context = TypeVar("Context")
Result = TypeVar("Result")

_worker: tuple[Callable[[Path, Any], Any], Any] | None = None
"""In a worker process: what to do to each file, and the context made for it once."""


def process_files(
    paths: Sequence[Path],
    process: Callable[[Path, Context], Result],
    context: Callable[[], Context],
    jobs: int | None = None,
) -> list[Result]:
    """`process(path, context())` for every path, in order: here, or on a process pool when
    there are many.

    Parameters
    ----------
    paths : Sequence[Path]
        The files.
    process : callable
        What is done to one file, given the context (a module-level function: a pool sends
        it by name).
    context : callable
        Makes what `process` reads (once here, or once per worker).
    jobs : int, optional
        Worker processes (default: one per CPU); 1, or fewer than `PARALLEL_FROM` files,
        processes them here.

    Returns
    -------
    list
        The results, in the order of `paths`.

    Examples
    --------
    >>> process_files([Path("a"), Path("b")], lambda path, prefix: prefix + path.name,
    ...               lambda: "file ")
    ['file a', 'file b']
    """
    workers = min(jobs or os.cpu_count() or 1, len(paths))
    if workers <= 1 or len(paths) < PARALLEL_FROM:
        made = context()
        return [process(path, made) for path in paths]
    # The aligner's solver takes half a second to import: imported once here, before the
    # pool forks, the workers share it instead of each importing it at its first file.
    import scipy.optimize  # noqa: F401

    methods = multiprocessing.get_all_start_methods()
    # fork shares the loaded gold with the workers at no cost; elsewhere the job is pickled.
    mp_context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, len(paths) // (workers * 32))  # small chunks: no worker idles at the end
    # The collector would walk the results again and again as they come in; they hold no
    # reference cycles, so it waits until all are in.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with process_pool(
            workers, mp_context, initializer=_start_worker, initargs=(process, context)
        ) as pool:
            return list(pool.map(_process_in_worker, paths, chunksize=chunk))
    finally:
        if collecting:
            gc.enable()


def _start_worker(process: Callable[[Path, Any], Any], context: Callable[[], Any]) -> None:
    global _worker
    _worker = (process, context())
    # What the worker holds for its whole life (modules, gold, corpus) moves out of the
    # collector's sight: each file then pays for collecting its own objects only. (The
    # parent paused its collector while it gathers results; a forked worker starts so.)
    gc.freeze()
    gc.enable()


def _process_in_worker(path: Path) -> Any:
    assert _worker is not None, "the pool's initializer sets the context"
    process, context = _worker
    return process(path, context)
