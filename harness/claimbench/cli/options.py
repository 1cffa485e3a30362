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


def _label_map(
    _context: click.Context, _parameter: click.Parameter, entries: tuple[str, ...]
) -> dict[str, str | None] | None:
    """The `--label-map` entries as one checked map (None when none was given): `PRED=GOLD`,
    a built-in name, or a JSON file holding an object of `PRED: GOLD` (null: leave out)."""
    from claimbench.errors import UsageError
    from claimbench.fileio import read_json
    from claimbench.scoring.label_map import check_label_map, parse_label_map

    if not entries:
        return None
    mapping: dict[str, str | None] = {}
    for entry in entries:
        if "=" not in entry and Path(entry).is_file():
            found = read_json(Path(entry))
            if not isinstance(found, dict) or not all(
                isinstance(value, str | None) for value in found.values()
            ):
                raise UsageError(f"--label-map {entry}: expected a JSON object of PRED: GOLD")
            mapping.update(check_label_map(found, f"--label-map {entry}:"))
        else:
            mapping.update(parse_label_map([entry]))
    return mapping


label_map_option = click.option(
    "--label-map",
    "label_map",
    multiple=True,
    metavar="PRED=GOLD|NAME|FILE",
    callback=_label_map,
    help="Map predicted labels onto the gold's before scoring (repeatable): PRED=GOLD, "
    "PRED= to leave PRED out, a built-in map (ontonotes-to-conll) or a JSON file "
    '{"PRED": "GOLD"}. Recorded in the results\' provenance.',
)
