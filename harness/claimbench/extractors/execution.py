"""Where extraction runs: in this process, on a process pool (`--jobs N`) or on a Dask cluster
(`--dask ADDRESS`), with the prediction cache (`--cache DIR`) in front.

Every way gives the same outcomes in the same order: documents are cut into chunks of
consecutive documents, each chunk is one task, and the outcomes are read back in submission
order. At most a window of chunks is in flight, so memory stays bounded by a few chunks of
documents, however long the corpus. A worker re-creates the plugin from its `PluginSpec`
(`claimbench.extractors.workers`); a failure on one document stays that document's failure,
and a plugin that cannot be loaded fails the whole run, as in a serial run. On the process
pool a plugin that kills its worker process fails the document that did it (`_Pools`).
"""

import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, suppress
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from claimbench.errors import UsageError
from claimbench.extractors.cache import PredictionCache
from claimbench.extractors.failures import DocumentFailure, PluginError, exit_failure
from claimbench.extractors.plugin import Plugin, PluginInfo
from claimbench.extractors.runner import DocumentOutcome, LayerCheck, extract_document
from claimbench.extractors.spec import PluginSpec
from claimbench.extractors.workers import close_plugins, extract_chunk, worker_plugin
from claimbench.models import Document
from claimbench.processes import process_pool

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from distributed import Client

_CHUNKS_PER_WORKER = 4
_CRASHES_IN_A_ROW = 3


class Execution(BaseModel):
    """How to run extraction: serially, on `jobs` processes, or on the Dask scheduler `dask`.

    Examples
    --------
    >>> Execution().parallel, Execution(jobs=2).parallel
    (False, True)
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    jobs: int = Field(default=1, ge=1)
    dask: str | None = None
    chunk_size: int = Field(default=4, ge=1)
    connect_seconds: float = Field(default=30.0, gt=0)

    @property
    def parallel(self) -> bool:
        """Whether documents leave this process."""
        return self.jobs > 1 or self.dask is not None


class Pending(Protocol):
    """A chunk's outcomes, now or later (a `concurrent.futures` or `distributed` future)."""

    def result(self) -> list[DocumentOutcome]:
        """The outcomes, waiting for them if need be."""
        ...

    def cancel(self) -> bool:
        """Give the chunk up if it has not started."""
        ...


Submit = Callable[[list[Document]], Pending]


class OutcomeStream:
    """The outcomes of a run, in document order, and the plugin as the workers last saw it.

    Iterate it once; `info` is updated as the outcomes arrive (a command plugin announces its
    name and version with its first answer). Close it (or leave the `with` block) to stop the
    workers early, e.g. under `--fail-fast`.

    Parameters
    ----------
    plugin : Plugin
        The plugin opened in this process: it runs a serial extraction, and gives the info
        (and cache key) before any worker answers.
    spec : PluginSpec | None
        How workers re-create the plugin; needed for `--jobs` and `--dask`.
    documents : Iterable[Document]
        The documents, streamed.
    execution : Execution
        Serial, process pool or Dask.
    cache : PredictionCache | None
        Where finished documents are looked up and kept.

    Examples
    --------
    >>> from claimbench.extractors.plugin import PythonPlugin
    >>> class Nothing:
    ...     name, version, layers = "nothing", "1", ["numbers"]
    ...     def extract(self, document):
    ...         return {"numbers": []}
    >>> plugin = PythonPlugin(Nothing(), "example:Nothing", None)
    >>> documents = [Document(id="a", text="A.\\n"), Document(id="b", text="B.\\n")]
    >>> with OutcomeStream(plugin, None, documents, Execution(), None) as stream:
    ...     [(outcome.doc_id, outcome.prediction.numbers) for outcome in stream]
    [('a', []), ('b', [])]
    """

    def __init__(
        self,
        plugin: Plugin,
        spec: PluginSpec | None,
        documents: Iterable[Document],
        execution: Execution,
        cache: PredictionCache | None,
    ) -> None:
        if execution.parallel and spec is None:
            raise UsageError("--jobs and --dask need a plugin named by PLUGIN or --command")
        self.plugin = plugin
        self.info: PluginInfo = plugin.info
        self._outcomes = self._run(spec, documents, execution, cache)

    def __iter__(self) -> Iterator[DocumentOutcome]:
        return self._outcomes

    def __enter__(self) -> "OutcomeStream":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop: cancel the chunks not started and shut the workers down."""
        self._outcomes.close()

    def _run(
        self,
        spec: PluginSpec | None,
        documents: Iterable[Document],
        execution: Execution,
        cache: PredictionCache | None,
    ) -> Iterator[DocumentOutcome]:
        pending_documents: dict[str, Document] = {}

        def items() -> Iterator[Document | DocumentOutcome]:
            for document in documents:
                hit = cache.lookup(document) if cache is not None else None
                if hit is None and cache is not None:
                    pending_documents[document.id] = document
                yield hit or document

        check = LayerCheck()
        with self._backend(spec, execution) as (submit, window):
            chunk_size = execution.chunk_size if execution.parallel else 1
            for answered in ordered_outcomes(items(), submit, window, chunk_size):
                outcome = check(answered, self.info)
                if cache is not None and not outcome.cached:
                    cache.store(pending_documents.pop(outcome.doc_id), outcome)
                yield outcome

    def _backend(
        self, spec: PluginSpec | None, execution: Execution
    ) -> AbstractContextManager[tuple[Submit, int]]:
        if spec is not None and execution.dask is not None:
            return _dask_backend(spec, execution, self)
        if spec is not None and execution.jobs > 1:
            return _pool_backend(spec, execution.jobs, self)
        return _serial_backend(self)

    def seen(self, info: PluginInfo) -> None:
        """Record the plugin's info as a worker reported it."""
        self.info = info


def ordered_outcomes(
    items: Iterable[Document | DocumentOutcome], submit: Submit, window: int, chunk_size: int
) -> Iterator[DocumentOutcome]:
    """Outcomes of `items` in order: documents are submitted in chunks, outcomes pass through.

    Parameters
    ----------
    items : Iterable[Document | DocumentOutcome]
        Documents to extract, and outcomes already known (cache hits), in document order.
    submit : Submit
        Starts one chunk and returns its pending outcomes.
    window : int
        How many chunks may be in flight beyond the one being read.
    chunk_size : int
        Most documents per chunk.

    Returns
    -------
    Iterator[DocumentOutcome]
        One outcome per item, in the order of `items`. Chunks not started when the iterator is
        closed are cancelled.

    Examples
    --------
    >>> ran = lambda chunk: Done([DocumentOutcome(d.id, 0.0) for d in chunk])
    >>> items = [Document(id="a", text="A\\n"), DocumentOutcome("b", 0.0, cached=True)]
    >>> [o.doc_id for o in ordered_outcomes(items, ran, window=2, chunk_size=4)]
    ['a', 'b']
    """
    queue: deque[Pending] = deque()
    try:
        for chunk in _chunks(items, chunk_size):
            queue.append(Done(chunk) if isinstance(chunk[0], DocumentOutcome) else submit(chunk))  # type: ignore[arg-type]
            while len(queue) > window:
                yield from queue.popleft().result()
        while queue:
            yield from queue.popleft().result()
    finally:
        for pending in queue:
            pending.cancel()


def _chunks(
    items: Iterable[Document | DocumentOutcome], size: int
) -> Iterator[list[Document] | list[DocumentOutcome]]:
    chunk: list[Document] = []
    for item in items:
        if isinstance(item, DocumentOutcome):
            if chunk:
                yield chunk
                chunk = []
            yield [item]
            continue
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Done:
    """Outcomes that are already known, shaped like a future.

    Examples
    --------
    >>> Done([]).result(), Done([]).cancel()
    ([], False)
    """

    def __init__(self, outcomes: list[DocumentOutcome]) -> None:
        self.outcomes = outcomes

    def result(self) -> list[DocumentOutcome]:
        """The outcomes."""
        return self.outcomes

    def cancel(self) -> bool:
        """Nothing to cancel."""
        return False


@contextmanager
def _serial_backend(stream: OutcomeStream) -> Iterator[tuple[Submit, int]]:
    """Extract in this process with the plugin already open, one document at a time."""

    def submit(chunk: list[Document]) -> Pending:
        outcomes = [extract_document(stream.plugin, document) for document in chunk]
        stream.seen(stream.plugin.info)
        return Done(outcomes)

    yield submit, 0


def _start_pool_worker() -> None:
    """Have the worker close its plugins (a subprocess, a scratch folder) when it exits."""
    import multiprocessing.util

    multiprocessing.util.Finalize(None, close_plugins, exitpriority=10)


@contextmanager
def _pool_backend(
    spec: PluginSpec, jobs: int, stream: OutcomeStream
) -> Iterator[tuple[Submit, int]]:
    """A pool of `jobs` fresh (spawned) processes, each with its own plugin; a worker that dies
    fails the document that killed it (`_Pools`).

    Raises
    ------
    PluginError
        When a worker cannot load the plugin, or workers keep dying (`_Pools`).
    """
    with _Pools(spec, jobs, stream) as pools:
        yield pools.submit, jobs * _CHUNKS_PER_WORKER


class _Pools:
    """The process pool of a `--jobs` run, made anew when a worker process dies.

    A plugin that kills its interpreter (`os._exit`, `os.abort()`, a segfault) breaks the whole
    pool: every chunk in flight then fails with `BrokenProcessPool`, and which document did it
    is not known. So, as soon as a break is seen, a new pool is made and the documents of the
    chunks that broke are run again one at a time, each alone on the pool: a document whose
    worker dies then is the one that kills it, and fails with cause `crash` (the worker's exit
    code or signal in the message, in a command plugin's words, `exit_failure`); every other
    document gets the outcome it would have had. Chunks that had finished before the break
    keep their outcomes, and no new chunk starts until the broken ones are run again, so
    outcomes stay in document order. The retried documents run one after another, which is
    slow only for the few chunks that were in flight.

    A plugin that dies on everything (or while loading, before any document) would have every
    document fail this way, each costing a new pool: after `_CRASHES_IN_A_ROW` documents in a
    row whose worker died while each ran alone, with no document answered between them, the
    run stops with `PluginError` (exit code 3).

    Every pool is a `process_pool`: its workers never outlive the run or this process.
    """

    def __init__(self, spec: PluginSpec, jobs: int, stream: OutcomeStream) -> None:
        # Imported here, as `process_pool` does: multiprocessing and concurrent.futures cost
        # more than the rest of this module, and only a `--jobs` run uses them.
        import multiprocessing

        self.spec = spec
        self.jobs = jobs
        self.stream = stream
        self.context = multiprocessing.get_context("spawn")
        self.in_flight: list[_PoolChunk] = []
        self.crashed_in_a_row: list[str] = []
        self._current = ExitStack()
        self.pool = self._open()

    def _open(self) -> "ProcessPoolExecutor":
        import multiprocessing

        self.before = set(multiprocessing.active_children())
        return self._current.enter_context(
            process_pool(
                self.jobs, self.context, cleanup=close_plugins, initializer=_start_pool_worker
            )
        )

    def __enter__(self) -> "_Pools":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._current.__exit__(*exc_info)

    def submit(self, chunk: list[Document]) -> "_PoolChunk":
        """Start `chunk` on the pool (after running again what a break left undone)."""
        from concurrent.futures.process import BrokenProcessPool

        task = _PoolChunk(self, chunk)
        try:
            task.future = self.pool.submit(_extract_reporting, self.spec, chunk)
        except BrokenProcessPool:  # a chunk in flight killed its worker
            self._recover()
            task.future = self.pool.submit(_extract_reporting, self.spec, chunk)
        self.in_flight.append(task)
        return task

    def read(self, task: "_PoolChunk") -> list[DocumentOutcome]:
        """The outcomes of `task`, its documents run again alone if the pool broke."""
        from concurrent.futures.process import BrokenProcessPool

        if task.outcomes is None:
            try:
                info, task.outcomes = task.future.result()
            except BrokenProcessPool:
                self._recover()
            else:
                self.stream.seen(info)
                self.crashed_in_a_row.clear()
        self.in_flight.remove(task)
        return task.outcomes or []

    def cancel(self, task: "_PoolChunk") -> bool:
        """Give `task` up if it has not started."""
        self.in_flight.remove(task)
        return bool(task.future.cancel())

    def _recover(self) -> None:
        """Make a new pool and run the documents of the broken chunks again, one at a time."""
        from concurrent.futures.process import BrokenProcessPool

        # After a break every chunk of the old pool is finished or failed; only those are here.
        broken = [
            task
            for task in self.in_flight
            if task.outcomes is None and isinstance(task.future.exception(), BrokenProcessPool)
        ]
        self._renew()
        for task in broken:
            task.outcomes = [self._alone(document) for document in task.chunk]

    def _renew(self) -> None:
        self._current.close()
        self._current = ExitStack()
        self.pool = self._open()

    def _alone(self, document: Document) -> DocumentOutcome:
        """`document`'s outcome, run alone on the pool: a crash if its worker dies."""
        import multiprocessing
        from concurrent.futures.process import BrokenProcessPool

        started = time.perf_counter()
        workers = set(multiprocessing.active_children())
        future = self.pool.submit(_extract_reporting, self.spec, [document])
        workers = (workers | set(multiprocessing.active_children())) - self.before
        try:
            info, [outcome] = future.result()
        except BrokenProcessPool:
            self._current.close()  # waits for the workers, so that their exit codes are known
            cause, message = exit_failure(_crash_code(workers))
            self._renew()
            self.crashed_in_a_row.append(document.id)
            if len(self.crashed_in_a_row) >= _CRASHES_IN_A_ROW:
                raise PluginError(
                    f"a worker process died on each of {len(self.crashed_in_a_row)} documents"
                    f" in a row, each run alone ({', '.join(self.crashed_in_a_row)}; last:"
                    f" {message}): the plugin crashes its interpreter on every document or"
                    " while loading"
                ) from None
            failure = DocumentFailure(doc_id=document.id, cause=cause, message=message)
            return DocumentOutcome(document.id, time.perf_counter() - started, failure=failure)
        self.stream.seen(info)
        self.crashed_in_a_row.clear()
        return outcome


def _crash_code(workers: set[Any]) -> int | None:
    """The exit code of the one worker in `workers` that died on its own, if it can be told.

    Read once their pool is shut down (its workers waited for): concurrent.futures stops the
    workers left with SIGTERM (they exit with 128 + SIGTERM, `processes._start_worker`).
    """
    stopped = {-signal.SIGTERM, 128 + signal.SIGTERM, None}
    codes = [worker.exitcode for worker in workers if worker.exitcode not in stopped]
    return codes[0] if len(codes) == 1 else None


class _PoolChunk:
    """A chunk on the pool: its future, or its outcomes once run again after a break."""

    def __init__(self, pools: _Pools, chunk: list[Document]) -> None:
        self.pools = pools
        self.chunk = chunk
        self.future: Future[tuple[PluginInfo, list[DocumentOutcome]]]
        self.outcomes: list[DocumentOutcome] | None = None

    def result(self) -> list[DocumentOutcome]:
        return self.pools.read(self)

    def cancel(self) -> bool:
        return self.pools.cancel(self)


@contextmanager
def _dask_backend(
    spec: PluginSpec, execution: Execution, stream: OutcomeStream
) -> Iterator[tuple[Submit, int]]:
    """The Dask distributed scheduler at `execution.dask`; each worker thread opens its own
    plugin.

    The workers need claimbench and the plugin installed (or importable from their current
    folder).

    Raises
    ------
    UsageError
        When `distributed` is not installed or the scheduler cannot be reached.
    """
    client = _dask_client(execution.dask or "", execution.connect_seconds)
    threads = sum(client.nthreads().values()) or 1

    def submit(chunk: list[Document]) -> Pending:
        future = client.submit(_extract_reporting, spec, chunk, pure=False)
        return _Reported(future, stream)

    try:
        yield submit, threads * _CHUNKS_PER_WORKER
    finally:
        with suppress(OSError, TimeoutError):
            client.run(close_plugins, spec.key)
        client.close()


def _dask_client(address: str, timeout: float) -> "Client":
    try:
        import distributed
    except ImportError:
        raise UsageError("--dask needs Dask distributed: pip install 'claimbench[dask]'") from None
    try:
        return distributed.Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as err:
        raise UsageError(f"--dask {address}: cannot reach the scheduler: {err}") from None


def _extract_reporting(
    spec: PluginSpec, chunk: list[Document]
) -> tuple[PluginInfo, list[DocumentOutcome]]:
    """A chunk's outcomes, with the plugin's info as this worker knows it after the chunk."""
    outcomes = extract_chunk(spec, chunk)
    return worker_plugin(spec).info, outcomes


class _Reported:
    """A worker's future of (info, outcomes), read as outcomes, its info passed on."""

    def __init__(self, future: "Future", stream: OutcomeStream) -> None:  # type: ignore[type-arg]
        self.future = future
        self.stream = stream

    def result(self) -> list[DocumentOutcome]:
        info, outcomes = self.future.result()
        self.stream.seen(info)
        return outcomes

    def cancel(self) -> bool:
        return bool(self.future.cancel())
