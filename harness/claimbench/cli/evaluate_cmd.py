"""`claimbench evaluate`: run a plugin (or read predictions), score it, report, and gate."""

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from claimbench.cli.options import (
    METADATA_FIELDS,
    entry_metadata,
    execution_options,
    fail_fast_option,
    gold_source_option,
    label_map_inputs,
    leaderboard_option,
    metadata_options,
    plugin_options,
    report_options,
)
from claimbench.cli.output import exit_on_gates, gate_spec, publishing_options, write_outputs

if TYPE_CHECKING:
    from claimbench.corpus.store import Corpus
    from claimbench.evaluation.pipeline import Evaluation
    from claimbench.evaluation.sources import Predicted


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

    Each prediction is scored as its document finishes, so a large corpus is evaluated in
    bounded memory with the corpus and gold as JSON Lines files and --summary:

    \b
      claimbench evaluate PLUGIN --corpus big.jsonl --gold gold.jsonl --summary
    """
    from claimbench.cli.output import progress, warn, warn_silent_zeros
    from claimbench.corpus.store import Corpus, open_corpus
    from claimbench.errors import UsageError
    from claimbench.evaluation.pipeline import gold_extractions, score_predictions
    from claimbench.evaluation.plugin_runs import (
        execution,
        plugin_spec,
        predictions_from_plugin,
    )
    from claimbench.evaluation.sources import Started, predictions_from_file
    from claimbench.extractors.runner import Tally
    from claimbench.paths import DataKind, writable_folder
    from claimbench.scoring import ScoringSettings

    started = Started.now()
    metadata = {field: source.pop(field) for field in METADATA_FIELDS}
    # checked before any work (exit 2); only the fields given replace the plugin's own
    given = entry_metadata(metadata).model_dump(exclude_defaults=True)
    gates = gate_spec(fail_under, baseline, max_drop)
    inputs = {"--predictions": predictions_file, "--baseline": baseline}
    inputs |= {"--gold": gold_dir, "--corpus": corpus_dir, **label_map_inputs()}
    publishing = publishing_options(output, output_format, reports, match_log, inputs=inputs)
    how = execution(jobs, dask_address)
    corpus = open_corpus(corpus_dir)
    if record and not isinstance(corpus, Corpus):
        raise UsageError(
            f"--record needs a corpus folder (a submission records its manifest), not the "
            f"JSON Lines file --corpus {corpus.path}"
        )
    if record:
        leaderboard_dir = writable_folder(DataKind.LEADERBOARD, leaderboard_dir)
    gold = gold_extractions(gold_dir, corpus)
    predictions: AbstractContextManager[Predicted]
    tally = None
    if predictions_file is not None:
        if source["plugin"] is not None or source["command"] is not None:
            raise UsageError("--predictions replaces PLUGIN and --command: give only one")
        predictions = nullcontext(predictions_from_file(predictions_file, corpus, started))
    else:
        spec = plugin_spec(forbidden=[gold_dir], **source)
        tally = Tally(fail_fast=fail_fast, warn=warn)
        predictions = predictions_from_plugin(
            spec, corpus, started, tally=tally, how=how, cache_dir=cache_dir, show=progress
        )
    settings = ScoringSettings(
        resamples=resamples, seed=seed, min_dice=min_dice, detail=not summary
    )
    with predictions as predicted:
        evaluation = score_predictions(
            predicted,
            gold,
            settings=settings,
            gates=gates,
            match_log=match_log,
            label_map=label_map,
            keep=record,
        )
    warn_silent_zeros(evaluation)
    write_outputs(evaluation.results, **publishing)
    if tally is not None:
        tally.check()
    if record:
        _record(predicted, evaluation, corpus, leaderboard_dir, given)
    exit_on_gates(evaluation.results)


def _record(
    predicted: "Predicted",
    evaluation: "Evaluation",
    corpus: "Corpus",
    leaderboard_dir: Path,
    given: dict[str, Any],
) -> None:
    """`--record`: add the run to the leaderboard and say where it is; the entry's metadata
    is the plugin's own, each field given on the command line replacing it."""
    from claimbench.cli.output import next_step
    from claimbench.leaderboard.record import record_submission

    about = entry_metadata({**predicted.info.metadata, **given}, "the plugin's metadata")
    path, added = record_submission(predicted, evaluation, corpus, leaderboard_dir, metadata=about)
    if not added:
        click.echo(f"already on the leaderboard as {path}; nothing recorded", err=True)
        return
    click.echo(f"recorded {path}", err=True)
    click.echo(next_step(leaderboard_dir), err=True)
