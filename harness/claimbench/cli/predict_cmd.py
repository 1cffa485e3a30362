"""`claimbench predict`: run a plugin over the corpus and write its predictions (JSON Lines)."""

import sys
from pathlib import Path
from typing import Any

import click

from claimbench.cli.options import execution_options, fail_fast_option, plugin_options


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
    done (with a JSON Lines corpus, memory stays bounded by the largest document; a folder's
    texts are kept once read); a failed document is reported on
    stderr and left out (`score` then counts its gold as missed). Exit code 3 when the plugin
    cannot be loaded, every document failed, or a document failed under --fail-fast; the
    output file is then left as it was.
    """
    from claimbench.cli.output import check_apart, progress, warn
    from claimbench.corpus.store import open_corpus
    from claimbench.errors import OutputError
    from claimbench.evaluation.plugin_runs import (
        execution,
        extraction,
        plugin_spec,
        write_predictions,
    )
    from claimbench.extractors.runner import Tally
    from claimbench.fileio import atomic_writer, check_output

    if output is not None:
        check_output(output, "--output")
        check_apart("--output", output, {"--corpus": corpus_dir})
    elif sys.stdout is None:  # started with standard output closed (`>&-`)
        raise OutputError("standard output is closed: give --output FILE")
    how = execution(jobs, dask_address)
    corpus = open_corpus(corpus_dir)
    spec = plugin_spec(**source)
    tally = Tally(fail_fast=fail_fast, warn=warn)
    with (
        extraction(spec, corpus, how=how, cache_dir=cache_dir) as stream,
        progress(stream, len(corpus)) as outcomes,
    ):
        if output is None:
            write_predictions(outcomes, sys.stdout.buffer, tally).check()
            return
        with atomic_writer(output) as handle:
            write_predictions(outcomes, handle, tally).check()  # inside: the file is kept
    click.echo(f"wrote {tally.succeeded} of {tally.done} documents to {output}", err=True)
