"""`claimbench score`: score a predictions file against the gold (the second half of
`evaluate`), with the same outputs and gates."""

from pathlib import Path

import click

from claimbench.cli.options import (
    corpus_source_option,
    gold_source_option,
    label_map_inputs,
    report_options,
)
from claimbench.cli.output import (
    exit_on_gates,
    gate_spec,
    publishing_options,
    warn_silent_zeros,
    write_outputs,
)


@click.command()
@click.option(
    "--predictions",
    "predictions_file",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Predictions file (JSON Lines, one object per document with `doc_id`).",
)
@corpus_source_option
@gold_source_option
@report_options
def score(
    predictions_file: Path,
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
) -> None:
    """Score --predictions FILE against the gold; report; gate.

    \b
    Two annotators' passes can be scored against each other:
      claimbench score --gold gold/passes/a/entities.jsonl \\
                       --predictions gold/passes/b/entities.jsonl

    \b
    A large corpus scores in bounded memory: give the corpus, gold and predictions as JSON
    Lines files and --summary; each is checked line by line in one pass, then documents are
    read and scored one at a time:
      claimbench score --corpus big.jsonl --gold gold.jsonl \\
                       --predictions p.jsonl --summary

    \b
    Exit codes: 0 ok; 1 a gate failed; 2 bad usage or invalid input.
    """
    from claimbench.corpus.store import open_corpus
    from claimbench.evaluation.pipeline import gold_extractions, score_predictions
    from claimbench.evaluation.sources import Started, predictions_from_file
    from claimbench.scoring import ScoringSettings

    started = Started.now()
    gates = gate_spec(fail_under, baseline, max_drop)
    inputs = {"--predictions": predictions_file, "--baseline": baseline}
    inputs |= {"--gold": gold_dir, "--corpus": corpus_dir, **label_map_inputs()}
    publishing = publishing_options(output, output_format, reports, match_log, inputs=inputs)
    corpus = open_corpus(corpus_dir)
    gold = gold_extractions(gold_dir, corpus)
    predicted = predictions_from_file(predictions_file, corpus, started)
    settings = ScoringSettings(
        resamples=resamples, seed=seed, min_dice=min_dice, detail=not summary
    )
    evaluation = score_predictions(
        predicted, gold, settings=settings, gates=gates, match_log=match_log, label_map=label_map
    )
    warn_silent_zeros(evaluation)
    write_outputs(evaluation.results, **publishing)
    exit_on_gates(evaluation.results)
