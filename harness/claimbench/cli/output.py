"""What several commands print and how they end: the outputs and gates of `evaluate`, `score`
and `compare`, the progress bar and warnings of a plugin run, and the exit code of the gates."""

import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from claimbench.cli.options import FORMATS
from claimbench.paths import find_checkout

if TYPE_CHECKING:
    from claimbench.evaluation.pipeline import Evaluation
    from claimbench.extractors.runner import DocumentOutcome
    from claimbench.reporting.gates import GateSpec
    from claimbench.reporting.results import Results


def warn(message: str) -> None:
    """Print `message` on stderr (a `Tally`'s warnings)."""
    click.echo(message, err=True)


def warn_silent_zeros(evaluation: "Evaluation") -> None:
    """Warn on stderr when a headline is zero for want of a field in every prediction
    (`LayerPresence.silent_zeros`)."""
    for message in evaluation.presence.silent_zeros():
        warn(f"warning: {message}")


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


def publishing_options(
    output: Path | None,
    output_format: str,
    reports: tuple[str, ...],
    match_log: Path | None = None,
    *,
    inputs: Mapping[str, Path | None],
) -> dict[str, Any]:
    """The keyword arguments of `write_outputs`, checked before any work: a bad `--report`, an
    output that cannot be written (a read-only folder), or one that would replace an input
    (`inputs`, by option: a file, or a folder no output may go into) or another output, exits
    2 at once."""
    from claimbench.fileio import check_output

    checked = parse_reports(reports)
    destinations = [("--output", output), ("--match-log", match_log)]
    named = [*destinations, *(("--report", path) for _, path in checked)]
    given = [(option, path) for option, path in named if path is not None]
    for index, (option, path) in enumerate(given):
        check_output(path, option)
        check_apart(option, path, inputs, given[:index])
    return {"output": output, "output_format": output_format, "reports": checked}


def check_apart(
    option: str,
    path: Path,
    inputs: Mapping[str, Path | None],
    earlier: Iterable[tuple[str, Path]] = (),
) -> None:
    """Refuse an output that is an input file, is or lies in an input folder, or is an
    earlier output: written, it would replace what the user wrote (results are written even
    when a gate fails), or one output the other. A stream (`/dev/stdout`, a FIFO) is written
    through, never replaced: it is not checked.

    Parameters
    ----------
    option : str
        The option that names the output, for the message (`--output`).
    path : Path
        The output, a file or a folder.
    inputs : Mapping[str, Path | None]
        What the command reads, by what names it (`--predictions`); None when not given.
    earlier : Iterable[tuple[str, Path]]
        Outputs of the same run already checked, with their options.

    Raises
    ------
    UsageError
        Naming the output and what it would replace (exit code 2).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> predictions = folder / "p.jsonl"
    >>> _ = predictions.write_text("{}\\n")
    >>> check_apart("--output", predictions, {"--predictions": predictions})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    claimbench.errors.UsageError: --output .../p.jsonl: is the --predictions file; ...
    >>> records = folder / "verifications"  # not made yet: a folder all the same
    >>> check_apart("--site", records / "site", {"verifications": records})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    claimbench.errors.UsageError: --site .../site: is inside the verifications folder ...
    """
    from claimbench.errors import UsageError
    from claimbench.fileio import written_through

    if not path.is_dir() and written_through(path):
        return
    where = path.resolve()
    for given, source in inputs.items():
        if source is None:
            continue
        # An input that does not exist yet is a folder the command makes and reads (a
        # leaderboard's verifications before any verify): an input file must exist.
        folder = source.is_dir() or not source.exists()
        if folder and where.is_relative_to(source.resolve()):
            raise UsageError(
                f"{option} {path}: is inside the {given} folder {source}; choose another place"
            )
        if where == source.resolve():
            raise UsageError(f"{option} {path}: is the {given} file; choose another file")
    for other, taken in earlier:
        if where == taken.resolve():
            raise UsageError(
                f"{option} {path}: is also the {other} file; give each output its own file"
            )


def write_outputs(
    results: "Results", *, output: Path | None, output_format: str, reports: list[tuple[str, Path]]
) -> None:
    """Write the results file and the `--report` files, and print `output_format` on stdout;
    each format is rendered once, however many times it is asked for."""
    from claimbench.fileio import write_atomic
    from claimbench.reporting.formats import render

    rendered: dict[str, bytes] = {}

    def encoded(fmt: str) -> bytes:
        if fmt not in rendered:
            rendered[fmt] = render(results, fmt).encode("utf-8")
        return rendered[fmt]

    if output is not None:
        write_atomic(output, encoded("json"))
    for fmt, path in reports:
        write_atomic(path, encoded(fmt))
    click.echo(encoded(output_format), nl=False)


def exit_on_gates(results: "Results") -> None:
    """Name every failed gate on stderr and exit 1 if there is one."""
    failed = [gate for gate in results.gates if not gate.passed]
    for gate in failed:
        click.echo(f"gate failed: {gate.name}: {gate.message}", err=True)
    if failed:
        raise SystemExit(1)


def interactive() -> bool:
    """Whether to draw a progress bar: stderr is a terminal and not running under CI."""
    return sys.stderr.isatty() and os.environ.get("CI", "").lower() not in {"1", "true"}


@contextmanager
def progress(
    outcomes: Iterable["DocumentOutcome"], length: int
) -> Iterator[Iterable["DocumentOutcome"]]:
    """`outcomes`, drawn as a progress bar on stderr when interactive, silent otherwise."""
    if not interactive():
        yield outcomes
        return
    with click.progressbar(
        outcomes,
        length=length,
        label="extracting",
        file=sys.stderr,
        item_show_func=lambda outcome: outcome.doc_id if outcome is not None else None,
    ) as bar:
        yield bar


def next_step(leaderboard_dir: Path) -> str:
    """What to do with a new submission: a pull request where the leaderboard is a claimbench
    checkout's, otherwise build the page of that folder.

    Examples
    --------
    >>> next_step(Path("/tmp/lb"))
    '`claimbench leaderboard build --leaderboard /tmp/lb` shows the page'
    """
    if find_checkout(leaderboard_dir) is not None:
        return "commit it and open a pull request; `claimbench leaderboard build` shows the page"
    return f"`claimbench leaderboard build --leaderboard {leaderboard_dir}` shows the page"
