"""`claimbench validate corpus|gold|predictions`."""

from pathlib import Path

import click

from claimbench.cli.options import corpus_option, gold_option, seeds_option


@click.group(invoke_without_command=True)
@click.pass_context
@seeds_option
@corpus_option
@gold_option
def validate(ctx: click.Context, seeds_dir: Path, corpus_dir: Path, gold_dir: Path) -> None:
    """Check the corpus, the gold, or a predictions file (with no subcommand: corpus and gold).

    Every problem is listed with file, line, document, JSON path and value; exit code 2 if any.
    """
    ctx.obj = {"seeds": seeds_dir, "corpus": corpus_dir, "gold": gold_dir}
    if ctx.invoked_subcommand is None:
        ctx.invoke(corpus_command)
        ctx.invoke(gold_command)


@validate.command("corpus")
@click.pass_obj
def corpus_command(paths: dict[str, Path]) -> None:
    """The manifest, every canonical text (hash, NFC, line form) and the edit lists."""
    from claimbench.validation.corpus import validate_corpus

    summary = validate_corpus(paths["corpus"], paths["seeds"])
    click.echo(f"corpus ok: {summary}")


@validate.command("gold")
@click.pass_obj
def gold_command(paths: dict[str, Path]) -> None:
    """Every gold document against the corpus, and the entity catalogue."""
    from claimbench.corpus.store import load_corpus
    from claimbench.models import Layer
    from claimbench.validation.gold import load_gold

    gold = load_gold(paths["gold"], load_corpus(paths["corpus"]))
    items = sum(
        len(getattr(doc, layer.value) or []) for doc in gold.documents.values() for layer in Layer
    )
    click.echo(
        f"gold ok: {len(gold.documents)} documents, {items} annotations, "
        f"{len(gold.catalog.entities)} canonical entities"
    )


@validate.command("predictions")
@click.argument("predictions_file", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_obj
def predictions_command(paths: dict[str, Path], predictions_file: Path) -> None:
    """A predictions JSON Lines file against the corpus."""
    from claimbench.corpus.store import load_corpus
    from claimbench.validation.predictions import load_predictions

    records = load_predictions(predictions_file, load_corpus(paths["corpus"]))
    click.echo(f"predictions ok: {len(records)} documents")
