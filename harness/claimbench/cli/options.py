"""Options shared by several commands (command modules never import each other: what two
commands share lives here, in `claimbench.cli.output`, or below the command line)."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD, DEFAULT_LEADERBOARD, DEFAULT_SEEDS

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
corpus_source_option = click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_CORPUS,
    show_default=True,
    help="Corpus: a folder with manifest.json, or a JSON Lines file of documents "
    '({"id", "text", "metadata"} per line), streamed one document at a time.',
)
jobs_option = click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Extract on N worker processes, each with its own copy of the plugin; results are "
    "identical to a serial run, in document order.",
)
dask_option = click.option(
    "--dask",
    "dask_address",
    metavar="ADDRESS",
    help="Extract on the Dask distributed scheduler at ADDRESS (e.g. tcp://scheduler:8786); "
    "the workers need claimbench and the plugin installed.",
)
cache_option = click.option(
    "--cache",
    "cache_dir",
    type=click.Path(path_type=Path, dir_okay=True, file_okay=False),
    help="Keep each document's predictions in this folder, keyed on plugin name, version, "
    "config and document text; a rerun (after an interruption) reuses them.",
)
gold_source_option = click.option(
    "--gold",
    "gold_dir",
    type=click.Path(path_type=Path, exists=True),
    default=DEFAULT_GOLD,
    show_default=True,
    help="Gold: a gold folder, or a predictions-format JSON Lines file scored as gold (e.g. "
    "one annotator's pass, or a synthetic corpus's answers).",
)
leaderboard_option = click.option(
    "--leaderboard",
    "leaderboard_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_LEADERBOARD,
    show_default=True,
    help="Leaderboard folder (submissions/ and the built site/).",
)

FORMATS = ("table", "json", "markdown", "junit")

_REPORT_OPTIONS = [
    click.option(
        "--output",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Write the results JSON (with provenance) to this file, atomically.",
    ),
    click.option(
        "--format",
        "output_format",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="What to print on stdout.",
    ),
    click.option(
        "--report",
        "reports",
        multiple=True,
        metavar="FORMAT=FILE",
        help="Also write FORMAT (table, json, markdown, junit) to FILE (repeatable), e.g. "
        "--report markdown=$GITHUB_STEP_SUMMARY --report junit=gates.xml.",
    ),
    click.option(
        "--fail-under",
        "fail_under",
        multiple=True,
        metavar="KEY=VALUE",
        help="Exit 1 if KEY (overall, entities.f1, numbers.precision, ...) is below VALUE "
        "(repeatable).",
    ),
    click.option(
        "--baseline",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Results JSON of an earlier run: exit 1 if a headline figure dropped by more "
        "than --max-drop.",
    ),
    click.option(
        "--max-drop",
        type=float,
        default=None,
        help="Largest allowed drop from --baseline (default 0).",
    ),
    click.option(
        "--resamples",
        type=click.IntRange(min=0),
        default=1000,
        show_default=True,
        help="Bootstrap resamples for the 95% intervals.",
    ),
    click.option("--seed", type=int, default=0, show_default=True, help="Bootstrap seed."),
    click.option(
        "--min-overlap",
        "min_dice",
        type=click.FloatRange(0.0, 1.0),
        default=0.0,
        show_default=True,
        help="Smallest Dice overlap of two spans for them to be aligned; 0 means any shared "
        "character (the MUC/SemEval convention that nervaluate follows).",
    ),
    click.option(
        "--summary",
        is_flag=True,
        help="Keep only corpus-level figures (no per-document figures, no per-paragraph "
        "counts): with the corpus and gold as JSON Lines files, memory stays flat on very "
        "large corpora. Intervals come "
        "from the Poisson bootstrap (streamed; the same as the usual paragraph bootstrap's to "
        "within Monte Carlo error); such results cannot be compared.",
    ),
    click.option(
        "--match-log",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Write every pair, miss and false positive (JSON Lines) to this file.",
    ),
]


def report_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The output, gate and bootstrap options shared by `evaluate` and `score`."""
    for option in reversed(_REPORT_OPTIONS):
        function = option(function)
    return function


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
