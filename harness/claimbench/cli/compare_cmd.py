"""`claimbench compare A B`: is the difference between two systems significant?"""

from pathlib import Path
from typing import TYPE_CHECKING

import click

from claimbench.cli.options import (
    FiniteFloatRange,
    corpus_option,
    gold_source_option,
    label_map_option,
    seed_option,
)

if TYPE_CHECKING:
    from claimbench.reporting.results import Results
    from claimbench.scoring import Comparison


def _results_of(
    path: Path, corpus_dir: Path, gold_dir: Path, label_map: dict[str, str | None] | None
) -> "Results":
    """A results file, or the results of a predictions file (`.jsonl`) scored against the
    gold, its labels mapped by `label_map` first."""
    from claimbench.corpus.store import load_corpus
    from claimbench.errors import UsageError
    from claimbench.evaluation.pipeline import gold_extractions, score_predictions
    from claimbench.evaluation.sources import Started, predictions_from_file
    from claimbench.reporting.results import load_results
    from claimbench.scoring import ScoringSettings

    if path.suffix != ".jsonl":
        if label_map is not None:
            raise UsageError(f"--label-map applies to predictions files (.jsonl), not {path}")
        return load_results(path)
    corpus = load_corpus(corpus_dir)
    gold = gold_extractions(gold_dir, corpus)
    predicted = predictions_from_file(path, corpus, Started.now())
    # Scored exactly as `claimbench score` scores it, so the two commands cannot disagree.
    evaluation = score_predictions(predicted, gold, settings=ScoringSettings(), label_map=label_map)
    return evaluation.results


def _check_same_data(first: Path, second: Path, a: "Results", b: "Results") -> None:
    """Refuse two systems scored on different gold or texts: the paired test swaps each
    paragraph's counts, which means nothing when the two counted against different answers."""
    from claimbench.errors import UsageError

    for what, digest in (("gold", "gold_sha256"), ("corpus texts", "corpus_sha256")):
        one, other = (getattr(r.provenance.data, digest) for r in (a, b))
        if one != other:
            raise UsageError(
                f"{first} and {second} were scored against different {what} (SHA-256 {one} "
                f"and {other}): score both against the same (a predictions file, .jsonl, is "
                "scored here against --gold)"
            )


def render(comparison: "Comparison", name_a: str, name_b: str) -> str:
    """A small table of both systems per layer, and the verdict."""
    rows = [("", name_a, name_b)]
    for layer, (a, b) in comparison.layers.items():
        rows.append((f"{layer} F1", *("n/a" if v is None else f"{v:.4f}" for v in (a, b))))
    rows.append(("overall", f"{comparison.a:.4f}", f"{comparison.b:.4f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join(
            c.rjust(w) if i else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    test = (
        f"approximate randomisation over paragraphs, {comparison.resamples} resamples, "
        f"seed {comparison.seed}"
    )
    return "\n".join([*lines, "", test, comparison.verdict(name_a, name_b)]) + "\n"


@click.command()
@click.argument("first", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("second", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@corpus_option
@gold_source_option
@click.option(
    "--resamples",
    type=click.IntRange(min=1),
    default=9999,
    show_default=True,
    help="Random swaps of the paired test.",
)
@seed_option("Seed of the test.")
@label_map_option
@click.option(
    "--alpha",
    type=FiniteFloatRange(0, 1, min_open=True, max_open=True),
    default=0.05,
    show_default=True,
    help="Significance level.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)
def compare(
    first: Path,
    second: Path,
    corpus_dir: Path,
    gold_dir: Path,
    resamples: int,
    seed: int,
    label_map: dict[str, str | None] | None,
    alpha: float,
    output_format: str,
) -> None:
    """Paired test of two systems' overall scores: FIRST and SECOND are results files
    (`evaluate --output`, `.json`) or predictions files (`.jsonl`, scored here against --gold).

    The test swaps each paragraph's counts between the two systems at random (approximate
    randomisation) and says whether the observed difference could be chance.

    \b
    Exit codes: 0 the test ran (whatever its verdict); 2 bad usage or invalid input.
    """
    from claimbench.fileio import dump_json
    from claimbench.scoring import compare as paired_test

    a, b = (_results_of(path, corpus_dir, gold_dir, label_map) for path in (first, second))
    _check_same_data(first, second, a, b)
    comparison = paired_test(a.scores, b.scores, resamples=resamples, seed=seed, alpha=alpha)
    if output_format == "json":
        click.echo(dump_json(comparison.model_dump(mode="json")), nl=False)
    else:
        click.echo(render(comparison, first.name, second.name), nl=False)
