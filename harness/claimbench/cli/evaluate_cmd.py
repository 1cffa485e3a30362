"""`claimbench evaluate`: run a plugin (or read predictions), score it, report, and gate.

Also home of what `score` shares with it: the output, gate and scoring options
(`report_options`) and what turns them into settings (`gate_spec`, `publishing_options`,
`scoring_options`), reading a predictions file (`predictions_from_file`), scoring and writing
the outputs (`score_and_write`), and `exit_on_gates`.
"""

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from claimbench.cli.leaderboard_cmd import (
    METADATA_FIELDS,
    entry_metadata,
    leaderboard_option,
    metadata_options,
    record_submission,
)
from claimbench.cli.options import gold_source_option, label_map_option
from claimbench.cli.predict_cmd import (
    Tally,
    execution,
    execution_options,
    extraction,
    fail_fast_option,
    plugin_options,
    plugin_spec,
    write_predictions,
)

if TYPE_CHECKING:
    from claimbench.corpus.store import Corpus, JsonlCorpus
    from claimbench.extractors.execution import Execution
    from claimbench.extractors.runner import Predicted, Started
    from claimbench.extractors.spec import PluginSpec
    from claimbench.models import Extraction
    from claimbench.reporting.evaluation import ScoringOptions
    from claimbench.reporting.gates import GateSpec
    from claimbench.reporting.results import Results

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
        "counts): with the corpus and gold as JSON Lines files (a plugin's predictions go "
        "through a temporary one), memory stays flat on very large corpora. Intervals come "
        "from the Poisson bootstrap (streamed; the same as the usual paragraph bootstrap's to "
        "within Monte Carlo error); such results cannot be compared.",
    ),
    click.option(
        "--match-log",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Write every pair, miss and false positive (JSON Lines) to this file.",
    ),
]


def scoring_options(
    resamples: int,
    seed: int,
    min_dice: float,
    summary: bool,
    match_log: Path | None,
    label_map: Mapping[str, str | None] | None = None,
) -> Any:
    """The scorer settings of `report_options`."""
    from claimbench.reporting.evaluation import ScoringOptions

    return ScoringOptions(
        resamples=resamples,
        seed=seed,
        min_dice=min_dice,
        detail=not summary,
        match_log=match_log,
        label_map=label_map,
    )


def report_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The output, gate, bootstrap and label-map options shared by `evaluate` and `score`."""
    for option in reversed([*_REPORT_OPTIONS, label_map_option]):
        function = option(function)
    return function


def gate_spec(
    fail_under: tuple[str, ...], baseline: Path | None, max_drop: float | None
) -> "GateSpec":
    """The gates asked for, checked before any work is done (usage errors exit 2)."""
    from claimbench.reporting.gates import GateSpec, parse_fail_under, parse_max_drop
    from claimbench.reporting.results import load_results

    thresholds = parse_fail_under(fail_under)
    drop = parse_max_drop(max_drop, baseline is not None)
    old = load_results(baseline).headline if baseline is not None else None
    return GateSpec(fail_under=thresholds, baseline=old, max_drop=drop)


def parse_reports(reports: tuple[str, ...]) -> list[tuple[str, Path]]:
    """`FORMAT=FILE` pairs of `--report`, checked."""
    from claimbench.errors import UsageError

    pairs = []
    for report in reports:
        fmt, sep, file = report.partition("=")
        if not sep or fmt not in FORMATS or not file:
            raise UsageError(
                f"--report {report}: expected FORMAT=FILE, FORMAT one of {', '.join(FORMATS)}"
            )
        pairs.append((fmt, Path(file)))
    return pairs


def write_outputs(
    results: "Results", *, output: Path | None, output_format: str, reports: list[tuple[str, Path]]
) -> None:
    """Write the results file and the `--report` files, and print `output_format` on stdout."""
    from claimbench.fileio import write_atomic
    from claimbench.reporting.formats import render

    if output is not None:
        write_atomic(output, render(results, "json"))
    for fmt, path in reports:
        write_atomic(path, render(results, fmt))
    click.echo(render(results, output_format), nl=False)


def score_and_write(
    predicted: "Predicted",
    *,
    corpus: "Corpus | JsonlCorpus",
    gold_dir: Path,
    gold: Mapping[str, "Extraction"],
    gates: "GateSpec",
    options: "ScoringOptions",
    publishing: dict[str, Any],
) -> "Results":
    """Score `predicted` (`reporting.evaluation.score_predictions`) and write the results file,
    the reports and standard output (`write_outputs` with `publishing`); warn on stderr when
    a headline is zero for want of a field (`LayerPresence.silent_zeros`)."""
    from claimbench.reporting.evaluation import score_predictions
    from claimbench.validation.predictions import LayerPresence

    results = score_predictions(
        predicted, corpus=corpus, gold_dir=gold_dir, gold=gold, gates=gates, options=options
    )
    for message in LayerPresence.of(predicted.predictions).silent_zeros():
        click.echo(f"warning: {message}", err=True)
    write_outputs(results, **publishing)
    return results


def exit_on_gates(results: "Results") -> None:
    """Name every failed gate on stderr and exit 1 if there is one."""
    failed = [gate for gate in results.gates if not gate.passed]
    for gate in failed:
        click.echo(f"gate failed: {gate.name}: {gate.message}", err=True)
    if failed:
        raise SystemExit(1)


def publishing_options(
    output: Path | None,
    output_format: str,
    reports: tuple[str, ...],
    match_log: Path | None = None,
) -> dict[str, Any]:
    """The keyword arguments of `write_outputs`, checked before any work: a bad `--report`, or
    an output that cannot be written (a read-only folder), exits 2 at once."""
    from claimbench.fileio import check_output

    checked = parse_reports(reports)
    destinations = [("--output", output), ("--match-log", match_log)]
    for option, path in [*destinations, *(("--report", path) for _, path in checked)]:
        if path is not None:
            check_output(path, option)
    return {"output": output, "output_format": output_format, "reports": checked}


def predictions_from_file(
    path: Path, corpus: "Corpus | JsonlCorpus", started: "Started"
) -> "Predicted":
    """A predictions file as something to score, checked in one streamed pass and read again
    one document at a time as it is scored; invalid files exit 2 with every problem."""
    from claimbench.extractors.plugin import PluginInfo, PluginKind
    from claimbench.extractors.runner import Predicted
    from claimbench.validation.predictions import index_predictions

    records = index_predictions(path, corpus)
    info = PluginInfo(
        kind=PluginKind.PREDICTIONS, name=path.stem, version="unknown", target=str(path)
    )
    return Predicted(info=info, predictions=records, started=started)


@contextmanager
def predictions_from_plugin(
    spec: "PluginSpec",
    corpus: "Corpus | JsonlCorpus",
    started: "Started",
    *,
    fail_fast: bool,
    how: "Execution",
    cache_dir: Path | None,
) -> Iterator[tuple["Predicted", Tally]]:
    """Run the plugin over `corpus` and give its predictions as something to score, read
    back from a temporary JSON Lines file, so that memory does not grow with the corpus.

    Each prediction is written as its document finishes, in corpus order, exactly as
    `claimbench predict` writes it (`write_predictions`); the file is then checked and indexed
    in one streamed pass (`index_predictions`), and each document is read again when it is
    scored. The file lives in the system's temporary folder (`TMPDIR`) until the context
    ends, so that the predictions can still be read there (match log, `--record`).

    Parameters
    ----------
    spec : PluginSpec
        The plugin.
    corpus : Corpus or JsonlCorpus
        The documents to run it on.
    started : Started
        When the command started (for the provenance).
    fail_fast : bool
        Stop at the first failed document with a `PluginError` (exit code 3).
    how : Execution
        Serial, `--jobs` or `--dask`.
    cache_dir : Path or None
        The `--cache` folder.

    Returns
    -------
    Iterator[tuple[Predicted, Tally]]
        The predictions (none when every document failed) with the plugin and its failed
        documents, and the run's tally (`Tally.check` raises when every document failed).

    Raises
    ------
    PluginError
        When the plugin cannot be loaded or started, or a document failed under `fail_fast`.

    Examples
    --------
    >>> from claimbench.corpus.store import load_corpus
    >>> from claimbench.extractors.execution import Execution
    >>> from claimbench.extractors.runner import Started
    >>> from claimbench.paths import DEFAULT_CORPUS
    >>> spec = plugin_spec("rules", None, timeout=60, memory_mb=0, cpu_seconds=0, env_options=())
    >>> with predictions_from_plugin(spec, load_corpus(DEFAULT_CORPUS), Started.now(),
    ...         fail_fast=False, how=Execution(), cache_dir=None) as (predicted, tally):
    ...     len(predicted.predictions), tally.succeeded
    (5, 5)
    """
    import tempfile

    from claimbench.extractors.runner import Predicted
    from claimbench.processes import run_folder
    from claimbench.validation.predictions import index_predictions

    with tempfile.TemporaryDirectory(prefix="claimbench-evaluate-", dir=run_folder()) as scratch:
        path = Path(scratch) / "predictions.jsonl"
        with (
            extraction(spec, corpus, how=how, cache_dir=cache_dir) as stream,
            path.open("wb") as handle,
        ):
            tally = write_predictions(stream, len(corpus), handle, fail_fast=fail_fast)
            info = stream.info
        if not tally.succeeded:  # an empty predictions file is an error: nothing to index
            yield Predicted(info, {}, started, tally.failures), tally
            return
        predictions = index_predictions(path, corpus)
        try:
            yield Predicted(info, predictions, started, tally.failures), tally
        finally:
            predictions.close()


@click.command()
@plugin_options
@fail_fast_option
@execution_options
@click.option(
    "--predictions",
    "predictions_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Score this precomputed predictions file (JSON Lines) instead of running a plugin.",
)
@gold_source_option
@report_options
@click.option(
    "--record",
    is_flag=True,
    help="Add the predictions to the leaderboard as a new submission (the build derives its "
    "badges from `claimbench leaderboard verify`).",
)
@metadata_options
@leaderboard_option
def evaluate(
    predictions_file: Path | None,
    corpus_dir: Path,
    gold_dir: Path,
    fail_under: tuple[str, ...],
    baseline: Path | None,
    max_drop: float | None,
    reports: tuple[str, ...],
    output: Path | None,
    output_format: str,
    resamples: int,
    seed: int,
    min_dice: float,
    summary: bool,
    match_log: Path | None,
    label_map: dict[str, str | None] | None,
    fail_fast: bool,
    jobs: int,
    dask_address: str | None,
    cache_dir: Path | None,
    record: bool,
    leaderboard_dir: Path | None,
    **source: Any,
) -> None:
    """Run PLUGIN (entry-point name or package.module:attr) or --command CMD, or read
    --predictions FILE; score against the gold; report; gate.

    \b
    Exit codes:
      0  ok
      1  a --fail-under or --baseline gate failed
      2  bad usage or invalid input (corpus, gold, predictions file, baseline)
      3  the plugin failed: it could not be loaded or started, every document
         failed, or a document failed under --fail-fast

    A document that fails otherwise is recorded in the results (cause, stderr tail), its gold
    counts as missed, and the run goes on. Results are written before exit code 3 is returned
    for a run in which every document failed.

    The plugin's predictions are written to a temporary JSON Lines file as documents finish,
    then scored one document at a time as `score` does, so a large corpus is evaluated in
    bounded memory with the corpus and gold as JSON Lines files and --summary:

    \b
      claimbench evaluate PLUGIN --corpus big.jsonl --gold gold.jsonl --summary
    """
    from claimbench.corpus.store import Corpus, open_corpus
    from claimbench.errors import UsageError
    from claimbench.extractors.runner import Started
    from claimbench.paths import DataKind, writable_folder
    from claimbench.reporting.evaluation import gold_extractions

    started = Started.now()
    metadata = entry_metadata({field: source.pop(field) for field in METADATA_FIELDS})
    gates = gate_spec(fail_under, baseline, max_drop)
    publishing = publishing_options(output, output_format, reports, match_log)
    how = execution(jobs, dask_address)
    corpus = open_corpus(corpus_dir)
    if record and not isinstance(corpus, Corpus):
        raise UsageError("--record needs a corpus folder: a submission records its manifest")
    if record:
        leaderboard_dir = writable_folder(DataKind.LEADERBOARD, leaderboard_dir)
    gold = gold_extractions(gold_dir, corpus)
    predictions: AbstractContextManager[tuple[Predicted, Tally | None]]
    if predictions_file is not None:
        if source["plugin"] is not None or source["command"] is not None:
            raise UsageError("--predictions replaces PLUGIN and --command: give only one")
        predictions = nullcontext((predictions_from_file(predictions_file, corpus, started), None))
    else:
        spec = plugin_spec(forbidden=[gold_dir], **source)
        predictions = predictions_from_plugin(
            spec, corpus, started, fail_fast=fail_fast, how=how, cache_dir=cache_dir
        )
    with predictions as (predicted, tally):
        results = score_and_write(
            predicted,
            corpus=corpus,
            gold_dir=gold_dir,
            gold=gold,
            gates=gates,
            options=scoring_options(resamples, seed, min_dice, summary, match_log, label_map),
            publishing=publishing,
        )
        if tally is not None:
            tally.check()
        if record:
            record_submission(predicted, results, corpus, leaderboard_dir, metadata=metadata)
    exit_on_gates(results)
