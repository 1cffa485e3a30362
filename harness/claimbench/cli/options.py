"""Options shared by several commands (command modules never import each other: what two
commands share lives here, in `claimbench.cli.output`, or below the command line).

The folder options (`--seeds`, `--corpus`, `--gold`, `--leaderboard`) all follow the rule of
`claimbench.paths`: the option, else its `CLAIMBENCH_*` environment variable, else the checkout
containing the current directory, else the dataset inside the installed package. What each
command resolved is kept in the click context (`located`), for `claimbench info`.
"""

import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from claimbench.paths import DataKind, Location, Origin, locate

if TYPE_CHECKING:
    from claimbench.leaderboard.submissions import EntryMetadata

_LOCATED = "claimbench.located"


class FiniteFloatRange(click.FloatRange):
    """A `click.FloatRange` that refuses nan and infinities: nan compares false with every
    bound, so click's own check lets it through (and `inf` passes an open-ended range).

    Examples
    --------
    >>> FiniteFloatRange(0, 1).convert("0.5", None, None)
    0.5
    >>> FiniteFloatRange(0, 1).convert("nan", None, None)
    Traceback (most recent call last):
    click.exceptions.BadParameter: 'nan' is not a finite number.
    """

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = click.FLOAT.convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return super().convert(number, param, ctx)


def located(ctx: click.Context) -> dict[DataKind, Location]:
    """The folders the current command resolved, by kind (see `data_option`)."""
    return ctx.meta.setdefault(_LOCATED, {})


def _resolver(kind: DataKind) -> Callable[[click.Context, click.Parameter, Any], Path | None]:
    def resolve(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
        source = ctx.get_parameter_source(param.name or "")
        origin = Origin.ENVIRONMENT if source is ParameterSource.ENVIRONMENT else Origin.OPTION
        location = locate(kind, value, origin=origin)
        located(ctx)[kind] = location
        return location.path

    return resolve


def data_option(
    kind: DataKind, help_text: str, *, name: str | None = None, **path_type: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A folder option resolved by the rule of `claimbench.paths` (a `Path`; None only for a
    leaderboard that none of the steps found).

    Parameters
    ----------
    kind : DataKind
        Which folder: names the option (`--corpus`) and its variable (`CLAIMBENCH_CORPUS`).
    help_text : str
        What the option names; the rule is appended.
    name : str or None
        The parameter's name in the command (default `<kind>_dir`).
    **path_type
        Passed to `click.Path` (e.g. `file_okay=False`, `exists=True`).

    Examples
    --------
    >>> @click.command()
    ... @data_option(DataKind.CORPUS, "Corpus folder.", file_okay=False)
    ... def show(corpus_dir):
    ...     click.echo(corpus_dir.name)
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(show, ["--corpus", "/tmp/c"]).output
    'c\\n'
    """
    last = "none" if kind is DataKind.LEADERBOARD else "the installed package's"
    return click.option(
        kind.option,
        name or f"{kind.value}_dir",
        type=click.Path(path_type=Path, **path_type),
        envvar=kind.variable,
        callback=_resolver(kind),
        help=f"{help_text} [default: ${kind.variable}, else the claimbench checkout containing "
        f"the current directory, else {last}; see `claimbench info`]",
    )


corpus_option = data_option(DataKind.CORPUS, "Corpus folder (with manifest.json).", file_okay=False)
gold_option = data_option(
    DataKind.GOLD, "Gold folder (with entities.json and one file per document).", file_okay=False
)
seeds_option = data_option(DataKind.SEEDS, "Folder of raw seed articles.", file_okay=False)
leaderboard_option = data_option(
    DataKind.LEADERBOARD, "Leaderboard folder (submissions/ and the built site/).", file_okay=False
)
corpus_source_option = data_option(
    DataKind.CORPUS,
    "Corpus: a folder with manifest.json, or a JSON Lines file of documents "
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
gold_source_option = data_option(
    DataKind.GOLD,
    "Gold: a gold folder, or a predictions-format JSON Lines file scored as gold (e.g. one "
    "annotator's pass, or a synthetic corpus's answers).",
    exists=True,
)


def _label_map(
    _context: click.Context, _parameter: click.Parameter, entries: tuple[str, ...]
) -> dict[str, str | None] | None:
    """The `--label-map` entries as one checked map (None when none was given): `PRED=GOLD`,
    a built-in name, or a JSON file holding an object of `PRED: GOLD` (null: leave out)."""
    if not entries:  # the usual case: nothing to check, nothing to import
        return None
    from claimbench.errors import UsageError
    from claimbench.fileio import read_json
    from claimbench.scoring.label_map import check_label_map, parse_label_map

    mapping: dict[str, str | None] = {}
    for entry in entries:
        if "=" not in entry and Path(entry).is_file():
            _context.meta.setdefault(_LABEL_MAP_FILES, []).append(Path(entry))
            found = read_json(Path(entry))
            if not isinstance(found, dict):
                raise UsageError(f"--label-map {entry}: expected a JSON object of PRED: GOLD")
            for source, target in found.items():
                if not isinstance(target, str | None):
                    raise UsageError(
                        f"--label-map {entry}: {source} = {target!r}: expected a label (a "
                        "string), or null to leave it out"
                    )
            mapping.update(check_label_map(found, f"--label-map {entry}:"))
        else:
            mapping.update(parse_label_map([entry]))
    return mapping


_LABEL_MAP_FILES = "claimbench.label_map_files"


def label_map_inputs() -> dict[str, Path]:
    """The JSON files the command's `--label-map` read: inputs that no output may replace."""
    files: list[Path] = click.get_current_context().meta.get(_LABEL_MAP_FILES, [])
    return {f"--label-map {path}": path for path in files}


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

FORMATS = ("table", "json", "markdown", "junit")


resamples_option = click.option(
    "--resamples",
    type=click.IntRange(min=0),
    default=1000,
    show_default=True,
    help="Bootstrap resamples for the 95% intervals.",
)


def seed_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--seed`, 0 by default: a seed is 0 or more (NumPy refuses a negative one).

    Examples
    --------
    >>> @click.command()
    ... @seed_option("Bootstrap seed.")
    ... def show(seed):
    ...     click.echo(seed)
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(show, ["--seed", "-1"]).exit_code
    2
    """
    return click.option(
        "--seed", type=click.IntRange(min=0), default=0, show_default=True, help=help_text
    )


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
    resamples_option,
    seed_option("Bootstrap seed."),
    click.option(
        "--min-overlap",
        "min_dice",
        type=FiniteFloatRange(0.0, 1.0),
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
    """The output, gate, bootstrap and label-map options shared by `evaluate` and `score`."""
    for option in reversed([*_REPORT_OPTIONS, label_map_option]):
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
        type=FiniteFloatRange(min=0, min_open=True),
        default=60.0,
        show_default=True,
        help="Wall seconds per document: a --command plugin is then killed, a Python plugin "
        "interrupted; either way that document fails (timeout).",
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


METADATA_FIELDS = ("authors", "description", "code_url", "paper_url", "model_licence")
"""The parameters `metadata_options` adds to a command."""


def metadata_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--author`, `--description`, `--code-url`, `--paper-url`, `--model-licence`."""
    options = [
        click.option("--author", "authors", multiple=True, help="An author (repeatable)."),
        click.option("--description", help="One paragraph on the system, shown on its page."),
        click.option("--code-url", help="http(s) link to the system's code."),
        click.option("--paper-url", help="http(s) link to the paper describing it."),
        click.option("--model-licence", help="The licence of the model or system."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def entry_metadata(fields: dict[str, Any], source: str | None = None) -> "EntryMetadata":
    """The metadata options (or a plugin's metadata, named by `source`) as an `EntryMetadata`:
    a bad URL or overlong text exits 2, naming the option (or the plugin's field).

    Examples
    --------
    >>> entry_metadata({"authors": ("A. Author",), "code_url": None}).authors
    ['A. Author']
    >>> entry_metadata({"code_url": "notaurl"}, "metadata")  # named by field out of a command
    Traceback (most recent call last):
    claimbench.errors.InputError: metadata: code_url = 'notaurl': Input should be a valid URL, relative URL without a base
    """  # noqa: E501
    from dataclasses import replace

    from pydantic import ValidationError

    from claimbench.errors import InputError, problems_from_validation_error
    from claimbench.leaderboard.submissions import EntryMetadata

    given = {key: value for key, value in fields.items() if value not in (None, ())}
    try:
        return EntryMetadata.model_validate(given)
    except ValidationError as err:
        problems = problems_from_validation_error(err, source or "command-line options")
        if source is None:
            problems = [replace(problem, field=_option_of(problem.field)) for problem in problems]
        raise InputError(problems) from None


def _option_of(field: str | None) -> str | None:
    """The option of the running command behind a metadata field's JSON path (`authors[1]` is
    the second `--author`), as `metadata_options` declares it; the field itself out of a
    command."""
    name, _, index = (field or "").partition("[")
    context = click.get_current_context(silent=True)
    params = context.command.params if context is not None else []
    option = next((param.opts[0] for param in params if param.name == name), None)
    if option is None:
        return field
    return f"{option} #{int(index.rstrip(']')) + 1}" if index else option
