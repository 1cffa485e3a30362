"""`claimbench predict`: run a plugin over the corpus and write its predictions (JSON Lines).

Also home of what `evaluate` shares with it: choosing and opening the plugin, the isolation
options of `--command` plugins, where extraction runs (`--jobs`, `--dask`, `--cache`), the
progress bar, and the writer of the predictions as documents finish (`write_predictions`).
"""

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from claimbench.cli.options import cache_option, corpus_source_option, dask_option, jobs_option
from claimbench.paths import DEFAULT_GOLD

if TYPE_CHECKING:
    from claimbench.corpus.store import Corpus, JsonlCorpus
    from claimbench.extractors.execution import Execution, OutcomeStream
    from claimbench.extractors.failures import DocumentFailure
    from claimbench.extractors.plugin import Plugin
    from claimbench.extractors.runner import DocumentOutcome
    from claimbench.extractors.spec import PluginSpec
    from claimbench.models import PredictionRecord

_ISOLATION_OPTIONS = [
    click.argument("plugin", required=False),
    click.option(
        "--command",
        "command",
        metavar="CMD",
        help="Run CMD as a JSON Lines plugin (one document per line on stdin, one prediction "
        "per line on stdout).",
    ),
    click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=60.0,
        show_default=True,
        help="--command: wall seconds per document before the plugin is killed.",
    ),
    click.option(
        "--memory-mb",
        type=click.IntRange(min=0),
        default=4096,
        show_default=True,
        help="--command: address-space limit in MiB (RLIMIT_AS); 0 for none.",
    ),
    click.option(
        "--cpu-seconds",
        type=click.IntRange(min=0),
        default=60,
        show_default=True,
        help="--command: CPU seconds per document (RLIMIT_CPU); 0 for none.",
    ),
    click.option(
        "--env",
        "env_options",
        multiple=True,
        metavar="NAME[=VALUE]",
        help="--command: pass this variable to the plugin (repeatable); nothing else is passed "
        "but PATH, LANG and HOME (the scratch directory).",
    ),
    corpus_source_option,
]

fail_fast_option = click.option(
    "--fail-fast", is_flag=True, help="Stop at the first failed document (exit code 3)."
)


def plugin_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The options that choose a plugin and isolate a `--command` one."""
    for option in reversed(_ISOLATION_OPTIONS):
        function = option(function)
    return function


def execution_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--jobs`, `--dask` and `--cache`: where extraction runs, and what it may reuse."""
    for option in (cache_option, dask_option, jobs_option):
        function = option(function)
    return function


def plugin_spec(
    plugin: str | None,
    command: str | None,
    *,
    timeout: float,
    memory_mb: int,
    cpu_seconds: int,
    env_options: Iterable[str],
    forbidden: Iterable[Path] = (),
) -> "PluginSpec":
    """The plugin named by PLUGIN or `--command` (exactly one of them), as a spec.

    Returns
    -------
    PluginSpec
        What any process needs to open the plugin; the gold folders are kept out of a
        command plugin's environment.

    Raises
    ------
    UsageError
        When neither or both are given, or an `--env` option is malformed.
    """
    from claimbench.extractors.isolation import Limits, parse_env_options
    from claimbench.extractors.spec import PluginSpec

    limits = Limits(timeout=timeout, memory_mb=memory_mb or None, cpu_seconds=cpu_seconds or None)
    env = parse_env_options(env_options) if command is not None else {}
    gold_dirs = sorted({DEFAULT_GOLD, *forbidden})
    return PluginSpec.choose(plugin, command, limits=limits, env=env, forbidden=gold_dirs)


def open_plugin(plugin: str | None, command: str | None, **options: Any) -> "Plugin":
    """The plugin named by PLUGIN or `--command`, opened (see `plugin_spec` for the options).

    Raises
    ------
    UsageError
        When neither or both are given.
    PluginError
        When the Python plugin cannot be loaded.
    """
    return plugin_spec(plugin, command, **options).open()


def execution(jobs: int, dask_address: str | None) -> "Execution":
    """Serial, `--jobs N` processes or `--dask ADDRESS` (not both).

    Raises
    ------
    UsageError
        When both `--jobs` (above 1) and `--dask` are given.
    """
    from claimbench.errors import UsageError
    from claimbench.extractors.execution import Execution

    if jobs > 1 and dask_address is not None:
        raise UsageError("give --jobs N or --dask ADDRESS, not both")
    return Execution(jobs=jobs, dask=dask_address)


def interactive() -> bool:
    """Whether to draw a progress bar: stderr is a terminal and not running under CI."""
    return sys.stderr.isatty() and os.environ.get("CI", "").lower() not in {"1", "true"}


@contextmanager
def progress(
    outcomes: Iterable["DocumentOutcome"], length: int
) -> Iterator[Iterable["DocumentOutcome"]]:
    """`outcomes`, drawn as a progress bar on stderr when interactive, silent otherwise."""
    if not interactive():
        yield outcomes
        return
    with click.progressbar(
        outcomes,
        length=length,
        label="extracting",
        file=sys.stderr,
        item_show_func=lambda outcome: outcome.doc_id if outcome is not None else None,
    ) as bar:
        yield bar


@contextmanager
def extraction(
    spec: "PluginSpec",
    corpus: "Corpus | JsonlCorpus",
    *,
    how: "Execution",
    cache_dir: Path | None,
) -> Iterator["OutcomeStream"]:
    """The outcomes of the plugin over every document of `corpus`, in document order.

    The plugin is opened here (a Python plugin loads, so a broken one fails before any work)
    and closed after, as are the workers and the progress bar.
    """
    from claimbench.extractors.cache import open_cache
    from claimbench.extractors.execution import OutcomeStream

    opened = spec.open()
    try:
        cache = open_cache(cache_dir, opened.info) if cache_dir is not None else None
        with OutcomeStream(opened, spec, corpus.documents(), how, cache) as stream:
            yield stream
    finally:
        opened.close()


@dataclass
class Tally:
    """What a streamed run did: documents done, from the cache, and the failures."""

    done: int = 0
    cached: int = 0
    failures: list["DocumentFailure"] = field(default_factory=list)

    def add(self, outcome: "DocumentOutcome", *, fail_fast: bool) -> None:
        """Count `outcome`; report a failure on stderr (raise under `--fail-fast`)."""
        from claimbench.extractors.failures import PluginError
        from claimbench.extractors.runner import describe_failure

        self.done += 1
        self.cached += outcome.cached
        if outcome.failure is None:
            return
        if fail_fast:
            raise PluginError(f"--fail-fast: {describe_failure(outcome.failure)}")
        self.failures.append(outcome.failure)
        click.echo(f"warning: {describe_failure(outcome.failure)}", err=True)

    @property
    def succeeded(self) -> int:
        """How many documents have a prediction.

        Examples
        --------
        >>> Tally(done=3).succeeded
        3
        """
        return self.done - len(self.failures)

    def check(self) -> None:
        """Raise `PluginError` (exit code 3) when there were documents and every one failed."""
        from claimbench.extractors.failures import PluginError

        if self.done and not self.succeeded:
            raise PluginError(f"the plugin failed on all {self.done} documents")

    def note_cached(self) -> None:
        """Say on stderr how many documents came from the cache, if any."""
        if self.cached:
            click.echo(f"{self.cached} of {self.done} documents from the cache", err=True)


def prediction_line(record: "PredictionRecord") -> str:
    """One line of a predictions file: layers not attempted are left out, not written as null."""
    layers = {k: v for k, v in record.model_dump(mode="json").items() if v is not None}
    return json.dumps({"doc_id": record.doc_id, **layers}, ensure_ascii=False) + "\n"


def write_predictions(
    stream: "OutcomeStream", length: int, handle: IO[bytes], *, fail_fast: bool
) -> Tally:
    """Write each successful prediction to `handle` as it arrives, in document order, with a
    progress bar; keep only the tally.

    Parameters
    ----------
    stream : OutcomeStream
        The run's outcomes, from `extraction`.
    length : int
        How many documents there are (for the progress bar).
    handle : IO[bytes]
        Where the JSON Lines go (`prediction_line`); failed documents are left out.
    fail_fast : bool
        Raise `PluginError` (exit code 3) at the first failed document.

    Returns
    -------
    Tally
        Documents done, from the cache, and the failures (each reported on stderr as it
        came); the caller decides what to do when every document failed (`Tally.check`).
    """
    tally = Tally()
    with progress(stream, length) as outcomes:
        for outcome in outcomes:
            tally.add(outcome, fail_fast=fail_fast)
            if outcome.prediction is not None:
                handle.write(prediction_line(outcome.prediction).encode("utf-8"))
    tally.note_cached()
    return tally


@click.command()
@plugin_options
@fail_fast_option
@execution_options
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the predictions here (JSON Lines, written atomically) instead of stdout.",
)
def predict(
    fail_fast: bool,
    corpus_dir: Path,
    jobs: int,
    dask_address: str | None,
    cache_dir: Path | None,
    output: Path | None,
    **source: Any,
) -> None:
    """Run PLUGIN (or --command CMD) over the corpus and write its predictions.

    One JSON object per document with `doc_id`, in corpus order, written as each document is
    done (memory stays bounded by the largest document); a failed document is reported on
    stderr and left out (`score` then counts its gold as missed). Exit code 3 when the plugin
    cannot be loaded, every document failed, or a document failed under --fail-fast; the
    output file is then left as it was.
    """
    from claimbench.corpus.store import open_corpus
    from claimbench.fileio import atomic_writer, check_output

    if output is not None:
        check_output(output, "--output")
    how = execution(jobs, dask_address)
    corpus = open_corpus(corpus_dir)
    spec = plugin_spec(**source)
    with extraction(spec, corpus, how=how, cache_dir=cache_dir) as stream:
        if output is None:
            stdout = sys.stdout.buffer
            write_predictions(stream, len(corpus), stdout, fail_fast=fail_fast).check()
            return
        with atomic_writer(output) as handle:
            tally = write_predictions(stream, len(corpus), handle, fail_fast=fail_fast)
            tally.check()  # inside the writer: the output file is left as it was
    click.echo(f"wrote {tally.succeeded} of {tally.done} documents to {output}", err=True)
