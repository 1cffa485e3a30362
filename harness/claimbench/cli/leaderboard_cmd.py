"""`claimbench leaderboard add|build`."""

from pathlib import Path

import click

from claimbench.cli.options import corpus_option, gold_option, leaderboard_option
from claimbench.cli.output import next_step
from claimbench.paths import DataKind, writable_folder


@click.group()
def leaderboard() -> None:
    """Add submissions to the leaderboard and build its static page."""


@leaderboard.command()
@click.argument("predictions_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--results",
    "results_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Results JSON of `claimbench evaluate` on these predictions: its provenance is kept.",
)
@click.option("--name", help="Name shown on the leaderboard [default: the plugin's name].")
@click.option("--version", help="Version shown [default: the plugin's version].")
@click.option("--baseline", is_flag=True, help="Mark the entry as a baseline.")
@leaderboard_option
@corpus_option
def add(
    predictions_file: Path,
    results_file: Path | None,
    name: str | None,
    version: str | None,
    baseline: bool,
    leaderboard_dir: Path | None,
    corpus_dir: Path,
) -> None:
    """Add a predictions JSON Lines file as a new submission (never overwrites one).

    The predictions are checked against the corpus; the same predictions cannot be added twice.
    A file handed in is never `verified`: only `claimbench evaluate --record`, which runs the
    plugin itself, marks its submission so.
    """
    from claimbench.corpus.store import load_corpus
    from claimbench.leaderboard.submissions import Badge, add_submission
    from claimbench.reporting.results import load_results
    from claimbench.validation.predictions import load_predictions

    leaderboard_dir = writable_folder(DataKind.LEADERBOARD, leaderboard_dir)
    corpus = load_corpus(corpus_dir)
    predictions = load_predictions(predictions_file, corpus)
    provenance = {}
    if results_file is not None:
        provenance = load_results(results_file).provenance.model_dump(mode="json")
    path = add_submission(
        predictions,
        provenance,
        leaderboard_dir,
        corpus=corpus,
        name=name,
        version=version,
        badges=[Badge.BASELINE] if baseline else [],
    )
    click.echo(f"added {path}")
    click.echo(next_step(leaderboard_dir))


@leaderboard.command()
@leaderboard_option
@corpus_option
@gold_option
@click.option(
    "--site",
    "site_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where to write the site [default: LEADERBOARD/site].",
)
@click.option(
    "--resamples",
    type=click.IntRange(min=0),
    default=1000,
    show_default=True,
    help="Bootstrap resamples for the 95% intervals.",
)
@click.option(
    "--test-resamples",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Random swaps of the paired test that forms tie groups.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Bootstrap and test seed.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for scoring [default: one per CPU, with 64 submissions or more].",
)
def build(
    leaderboard_dir: Path | None,
    corpus_dir: Path,
    gold_dir: Path,
    site_dir: Path | None,
    resamples: int,
    test_resamples: int,
    seed: int,
    jobs: int | None,
) -> None:
    """Rescore every submission against the current gold and write the static site."""
    from claimbench.leaderboard.build import build_leaderboard

    report = build_leaderboard(
        writable_folder(DataKind.LEADERBOARD, leaderboard_dir),
        corpus_dir,
        gold_dir,
        site_dir,
        resamples=resamples,
        test_resamples=test_resamples,
        seed=seed,
        jobs=jobs,
    )
    click.echo(
        f"{report.entries} entries ({report.ranked} ranked); "
        f"{len(report.written)} file(s) written, {len(report.removed)} removed"
    )
    click.echo(f"leaderboard: {report.index.resolve()}")
