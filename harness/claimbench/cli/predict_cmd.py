"""`claimbench predict`: run a plugin over the corpus and write its predictions (JSON Lines).

Also home of what `evaluate` shares with it: choosing and opening the plugin, the isolation
options of `--command` plugins, and the progress bar.
"""

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from claimbench.cli.options import corpus_option
from claimbench.paths import DEFAULT_GOLD

if TYPE_CHECKING:
    from claimbench.corpus.store import Corpus
    from claimbench.extractors.plugin import Plugin
    from claimbench.extractors.runner import PluginRun
    from claimbench.models import Document, PredictionRecord

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
    corpus_option,
]

fail_fast_option = click.option(
    "--fail-fast", is_flag=True, help="Stop at the first failed document (exit code 3)."
)


def plugin_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The options that choose a plugin and isolate a `--command` one."""
    for option in reversed(_ISOLATION_OPTIONS):
        function = option(function)
    return function


def open_plugin(
    plugin: str | None,
    command: str | None,
    *,
    timeout: float,
    memory_mb: int,
    cpu_seconds: int,
    env_options: Iterable[str],
    forbidden: Iterable[Path] = (),
) -> "Plugin":
    """The plugin named by PLUGIN or `--command` (exactly one of them).

    Returns
    -------
    Plugin
        A Python plugin (loaded) or a command plugin (started on the first document).

    Raises
    ------
    UsageError
        When neither or both are given.
    PluginError
        When the Python plugin cannot be loaded.
    """
    from claimbench.errors import UsageError
    from claimbench.extractors.command import CommandPlugin
    from claimbench.extractors.discovery import load_plugin
    from claimbench.extractors.isolation import Limits, parse_env_options

    if (plugin is None) == (command is None):
        raise UsageError(
            "name one plugin: PLUGIN (entry point or package.module:attr) or --command CMD"
        )
    if plugin is not None:
        return load_plugin(plugin)
    limits = Limits(timeout=timeout, memory_mb=memory_mb or None, cpu_seconds=cpu_seconds or None)
    gold_dirs = {DEFAULT_GOLD, *forbidden}
    return CommandPlugin(command or "", limits, parse_env_options(env_options), list(gold_dirs))


def interactive() -> bool:
    """Whether to draw a progress bar: stderr is a terminal and not running under CI."""
    return sys.stderr.isatty() and os.environ.get("CI", "").lower() not in {"1", "true"}


@contextmanager
def progress(documents: Iterable["Document"], length: int) -> Iterator[Iterable["Document"]]:
    """`documents`, drawn as a progress bar on stderr when interactive, silent otherwise."""
    if not interactive():
        yield documents
        return
    with click.progressbar(
        documents,
        length=length,
        label="extracting",
        file=sys.stderr,
        item_show_func=lambda doc: doc.id if doc is not None else None,
    ) as bar:
        yield bar


def run_over_corpus(plugin: "Plugin", corpus: "Corpus", *, fail_fast: bool) -> "PluginRun":
    """Run `plugin` over every document of `corpus` with a progress bar; close it after.

    Failed documents are reported on stderr as they are recorded.
    """
    from claimbench.extractors.runner import describe_failure, run_plugin

    try:
        with progress(corpus.documents(), len(corpus.doc_ids)) as documents:
            run = run_plugin(plugin, documents, fail_fast=fail_fast)
    finally:
        plugin.close()
    for failure in run.failures:
        click.echo(f"warning: {describe_failure(failure)}", err=True)
    return run


def check_not_all_failed(run: "PluginRun") -> None:
    """Raise `PluginError` (exit code 3) when every document failed."""
    from claimbench.extractors.failures import PluginError

    if run.all_failed:
        raise PluginError(f"the plugin failed on all {len(run.outcomes)} documents")


def prediction_line(record: "PredictionRecord") -> str:
    """One line of a predictions file: layers not attempted are left out, not written as null."""
    layers = {k: v for k, v in record.model_dump(mode="json").items() if v is not None}
    return json.dumps({"doc_id": record.doc_id, **layers}, ensure_ascii=False) + "\n"


@click.command()
@plugin_options
@fail_fast_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the predictions here (JSON Lines, written atomically) instead of stdout.",
)
def predict(
    plugin: str | None,
    command: str | None,
    timeout: float,
    memory_mb: int,
    cpu_seconds: int,
    env_options: tuple[str, ...],
    fail_fast: bool,
    corpus_dir: Path,
    output: Path | None,
) -> None:
    """Run PLUGIN (or --command CMD) over the corpus and write its predictions.

    One JSON object per document with `doc_id`; a failed document is reported on stderr and
    left out (`score` then counts its gold as missed). Exit code 3 when the plugin cannot be
    loaded, every document failed, or a document failed under --fail-fast.
    """
    from claimbench.corpus.store import load_corpus
    from claimbench.fileio import write_atomic

    corpus = load_corpus(corpus_dir)
    opened = open_plugin(
        plugin,
        command,
        timeout=timeout,
        memory_mb=memory_mb,
        cpu_seconds=cpu_seconds,
        env_options=env_options,
    )
    run = run_over_corpus(opened, corpus, fail_fast=fail_fast)
    lines = "".join(prediction_line(record) for record in run.predictions.values())
    check_not_all_failed(run)
    if output is None:
        click.echo(lines, nl=False)
    else:
        write_atomic(output, lines)
        click.echo(
            f"wrote {len(run.predictions)} of {len(run.outcomes)} documents to {output}", err=True
        )
