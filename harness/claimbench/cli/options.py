"""Options shared by several commands."""

from pathlib import Path

import click

from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD, DEFAULT_SEEDS

corpus_option = click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_CORPUS,
    show_default=True,
    help="Corpus folder (with manifest.json).",
)
gold_option = click.option(
    "--gold",
    "gold_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_GOLD,
    show_default=True,
    help="Gold folder (with entities.json and one file per document).",
)
seeds_option = click.option(
    "--seeds",
    "seeds_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_SEEDS,
    show_default=True,
    help="Folder of raw seed articles.",
)
