"""`claimbench plugins list|check`."""

import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from claimbench.cli.options import plugin_options

if TYPE_CHECKING:
    from claimbench.extractors.failures import DocumentFailure


@click.group()
def plugins() -> None:
    """List the installed plugins, or check one for conformance."""


@plugins.command("list")
def list_command() -> None:
    """Every plugin registered in the `claimbench.extractors` entry-point group.

    Each is loaded to show its version and layers. One that needs an optional extra that is
    not installed (e.g. the `rules` and `spacy` baselines without `claimbench[spacy]`) is
    listed as unavailable with the command that installs it; one that fails to load otherwise
    is listed as broken with its error. Neither hides the others.

    \b
    Exit codes: 0 every plugin loads or is only unavailable; 3 a plugin is broken.
    """
    from claimbench.extractors.discovery import ENTRY_POINT_GROUP, list_plugins

    listings = list_plugins()
    if not listings:
        click.echo(f"no plugins registered in entry-point group {ENTRY_POINT_GROUP!r}")
        return
    for listing in listings:
        origin = listing.distribution or "unknown distribution"
        if listing.unavailable is not None:
            click.echo(f"n/a     {listing.name}  ({listing.target}, {origin})")
            click.echo(f"        unavailable: {listing.unavailable}")
            continue
        if listing.plugin is None:
            click.echo(f"BROKEN  {listing.name}  ({listing.target}, {origin})")
            click.echo(f"        {listing.error}")
            continue
        info = listing.plugin.info
        layers = ", ".join(layer.value for layer in info.layers or []) or "none"
        click.echo(f"ok      {listing.name} {info.version}  layers: {layers}  ({origin})")
    if any(listing.plugin is None and listing.unavailable is None for listing in listings):
        raise SystemExit(3)


@plugins.command("check")
@plugin_options
def check_command(corpus_dir: Path, **source: Any) -> None:
    """Check PLUGIN (or --command CMD) on the corpus: schema, offsets, robustness, layers,
    determinism over two runs, and time per document. Exit code 3 if a check fails.
    """
    from claimbench.corpus.store import load_corpus
    from claimbench.evaluation.conformance import check_plugin
    from claimbench.evaluation.plugin_runs import plugin_spec

    corpus = load_corpus(corpus_dir)
    info, checks = check_plugin(plugin_spec(**source), corpus)
    click.echo(f"plugin {info.name} {info.version} ({info.kind.value}: {info.target})")
    for check in checks:
        verdict = {True: "PASS", False: "FAIL", None: "info" if check.judged else "SKIP"}
        click.echo(f"  {verdict[check.passed]:4}  {check.name}: {check.detail}")
        _show_failures(check.failures)
    if any(check.passed is False for check in checks):
        raise SystemExit(3)


_FAILURES_SHOWN = 10


def _show_failures(failures: "Sequence[DocumentFailure]") -> None:
    """Each failed document on a line of its own, the first that left a traceback or stderr
    tail with it, as `evaluate` warns of them (`describe_failure`)."""
    from claimbench.extractors.runner import describe_failure

    tailed = next((failure for failure in failures if failure.stderr_tail), None)
    for failure in failures[:_FAILURES_SHOWN]:
        shown = describe_failure(failure) if failure is tailed else str(failure)
        click.echo(textwrap.indent(shown, " " * 10))
    if len(failures) > _FAILURES_SHOWN:
        click.echo(f"          ... and {len(failures) - _FAILURES_SHOWN} more")
