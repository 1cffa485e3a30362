"""`claimbench claims`: the contradiction map of the gold, one row per slot."""

from pathlib import Path

import click

from claimbench.cli.options import corpus_option, gold_option


@click.command()
@gold_option
@corpus_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help="table: for the terminal; json: the map as data; markdown: for a report or a page.",
)
@click.option(
    "--only-contradictions",
    is_flag=True,
    help="Only the slots with at least one pair labelled `contradicts`.",
)
def claims(gold_dir: Path, corpus_dir: Path, output_format: str, only_contradictions: bool) -> None:
    """The contradiction map: per slot of gold/slots.json its question, each outlet's value and
    who it is attributed to (the source chain), and how each pair of values relates.

    \b
    Exit codes: 0 ok; 2 invalid gold, or the gold has no claims yet.
    """
    from claimbench.claims import contradiction_map as maps
    from claimbench.fileio import dump_json
    from claimbench.reporting import contradictions

    found = contradictions.load_contradiction_map(gold_dir, corpus_dir)
    if only_contradictions:
        found = maps.only_contradictions(found)
    if output_format == "json":
        click.echo(dump_json(found.model_dump(mode="json")), nl=False)
    elif output_format == "markdown":
        click.echo(contradictions.render_markdown(found), nl=False)
    else:
        click.echo(contradictions.render_table(found), nl=False)
