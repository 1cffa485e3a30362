"""`claimbench import brat|conll|docbin` and `claimbench export brat`: other annotated corpora
in, claimbench gold out (see `claimbench.interop`)."""

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from claimbench.cli.options import corpus_option, gold_option

if TYPE_CHECKING:
    from claimbench.interop.writer import ImportSummary

_IMPORT_OPTIONS = [
    click.option(
        "--out",
        type=click.Path(path_type=Path, file_okay=False),
        required=True,
        help="New folder to write OUT/corpus and OUT/gold into (must not exist or be empty).",
    ),
    click.option("--name", help="Corpus name in the manifest (default: the input's name)."),
    click.option(
        "--label",
        "label_overrides",
        multiple=True,
        metavar="TYPE=LABEL",
        help="Map a source type onto a claimbench label (repeatable); TYPE= leaves it out. "
        "Defaults: OntoNotes labels unchanged, PER=PERSON; for CoNLL also LOC=GPE, MISC=NORP "
        "(unless its tags use OntoNotes types).",
    ),
    click.option(
        "--partial",
        is_flag=True,
        help="Import the valid documents and list every document left out with its reasons "
        "(default: any problem anywhere and nothing is written).",
    ),
]


def import_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--out`, `--name`, `--label` and `--partial`, shared by every importer."""
    for option in reversed(_IMPORT_OPTIONS):
        function = option(function)
    return function


def report(summary: "ImportSummary") -> None:
    """Print what the import wrote and left out, on stderr."""
    for line in summary.lines():
        click.echo(line, err=True)


@click.group(name="import")
def import_group() -> None:
    """Import an annotated corpus into claimbench's corpus and gold formats.

    The result is scored like claimbench's own corpus:
    claimbench evaluate PLUGIN --corpus OUT/corpus --gold OUT/gold
    """


@import_group.command("brat")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@import_options
@click.option(
    "--ann-dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Folder holding the .ann files (searched recursively); default: beside each text.",
)
@click.option(
    "--ann-suffix",
    default="",
    metavar="SUFFIX",
    help="NAME.txt pairs with NAME<SUFFIX>.ann; * and ? match any characters "
    "(PolNeAR: --ann-suffix '_*').",
)
@click.option(
    "--ignore-type",
    "ignored",
    multiple=True,
    metavar="TYPE",
    help="Leave out annotations of this type (text-bound or event; repeatable), counted.",
)
def import_brat_command(
    folder: Path,
    out: Path,
    name: str | None,
    label_overrides: tuple[str, ...],
    partial: bool,
    ann_dir: Path | None,
    ann_suffix: str,
    ignored: tuple[str, ...],
) -> None:
    """Import a brat standoff collection (NAME.txt + NAME.ann): entities, numbers with
    normalised values, and PolNeAR-style Source/Cue/Content attribution events."""
    from claimbench.interop.brat import Pairing, import_brat
    from claimbench.interop.labels import label_map

    summary = import_brat(
        folder,
        out,
        name=name or folder.name,
        labels=label_map(label_overrides),
        pairing=Pairing(ann_dir, ann_suffix),
        ignored=frozenset(ignored),
        partial=partial,
    )
    report(summary)


def _known_encoding(_context: click.Context, _parameter: click.Parameter, value: str) -> str:
    from claimbench.errors import UsageError

    try:
        "a".encode(value)  # unlike codecs.lookup, refuses codecs that are not text encodings
    except LookupError:
        raise UsageError(f"--encoding {value!r}: unknown encoding (e.g. utf-8, latin-1)") from None
    return value


@import_group.command("conll")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@import_options
@click.option(
    "--encoding",
    default="utf-8",
    show_default=True,
    callback=_known_encoding,
    help="The files' encoding: latin-1 for the CoNLL-2002 (Spanish, Dutch) and German "
    "CoNLL-2003 releases.",
)
def import_conll_command(
    files: tuple[Path, ...],
    out: Path,
    name: str | None,
    label_overrides: tuple[str, ...],
    partial: bool,
    encoding: str,
) -> None:
    """Import CoNLL-2003 and CoNLL-2002 files (token ... tag per line, space- or
    tab-separated; BIO, IOB1, BIOES or BILOU tags; -DOCSTART- between documents)."""
    from claimbench.interop.conll import import_conll

    name = name or files[0].stem
    summary = import_conll(
        list(files), out, name=name, overrides=label_overrides, partial=partial, encoding=encoding
    )
    report(summary)


@import_group.command("docbin")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@import_options
def import_docbin_command(
    files: tuple[Path, ...],
    out: Path,
    name: str | None,
    label_overrides: tuple[str, ...],
    partial: bool,
) -> None:
    """Import spaCy DocBin files (.spacy): the named entities of each document, a paragraph
    per sentence."""
    from claimbench.interop.docbin import import_docbin
    from claimbench.interop.labels import label_map

    labels = label_map(label_overrides)
    name = name or files[0].stem
    report(import_docbin(list(files), out, name=name, labels=labels, partial=partial))


@click.group(name="export")
def export_group() -> None:
    """Export claimbench gold for other tools."""


@export_group.command("brat")
@corpus_option
@gold_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="brat collection folder to write (NAME.txt, NAME.ann, annotation.conf).",
)
def export_brat_command(corpus_dir: Path, gold_dir: Path, out: Path) -> None:
    """Export the gold as brat standoff, for viewing and editing in brat; `claimbench import
    brat` reads it back to the same gold."""
    from claimbench.cli.output import check_apart
    from claimbench.corpus.store import load_corpus
    from claimbench.interop.brat import export_brat
    from claimbench.validation.gold import load_gold

    check_apart("--out", out, {"--corpus": corpus_dir, "--gold": gold_dir})
    corpus = load_corpus(corpus_dir)
    gold = load_gold(gold_dir, corpus)
    texts = {doc_id: corpus.document(doc_id).text for doc_id in gold.documents}
    count = export_brat(gold, texts, out)
    click.echo(f"exported {count} documents to {out}", err=True)
