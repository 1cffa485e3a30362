"""`claimbench corpus build|stats`."""

from pathlib import Path

import click

from claimbench.cli.options import corpus_option, gold_option, seeds_option


@click.group()
def corpus() -> None:
    """Build the canonical corpus from the seeds, and describe it."""


@corpus.command()
@seeds_option
@corpus_option
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the corpus on disk differs.")
def build(seeds_dir: Path, corpus_dir: Path, check: bool) -> None:
    """Derive the corpus (texts, edits, manifest) from the seeds, deterministically."""
    from claimbench.corpus.build import build_corpus
    from claimbench.paths import DataKind, writable_folder

    if not check:
        writable_folder(DataKind.CORPUS, corpus_dir)
    built = build_corpus(seeds_dir)
    if check:
        differing = built.differences(corpus_dir)
        if differing:
            click.echo(f"corpus differs from a rebuild of {seeds_dir}:", err=True)
            for relative in differing:
                click.echo(f"  {relative}", err=True)
            raise SystemExit(1)
        click.echo(f"corpus is up to date ({len(built.files)} files)")
        return
    written = built.write(corpus_dir)
    click.echo(f"built {corpus_dir}: {len(built.files)} files, {len(written)} changed")


@corpus.command()
@corpus_option
@gold_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def stats(corpus_dir: Path, gold_dir: Path, as_json: bool) -> None:
    """Documents, paragraphs, characters, and gold annotation counts per layer and label."""
    from claimbench.reporting.corpus_stats import corpus_stats, render_stats

    figures = corpus_stats(corpus_dir, gold_dir)
    click.echo(render_stats(figures, as_json=as_json))
