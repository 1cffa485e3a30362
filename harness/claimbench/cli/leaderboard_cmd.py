"""`claimbench leaderboard add|build|verify`."""

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from claimbench.cli.options import (
    corpus_option,
    entry_metadata,
    gold_option,
    leaderboard_option,
    metadata_options,
    resamples_option,
    seed_option,
)
from claimbench.cli.output import check_apart, next_step
from claimbench.paths import DataKind, writable_folder

if TYPE_CHECKING:
    from claimbench.leaderboard.submissions import Submission
    from claimbench.leaderboard.verification import RerunPlugin


@click.group()
def leaderboard() -> None:
    """Add submissions to the leaderboard and build its static page."""


@leaderboard.command()
@click.argument("predictions_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--results",
    "results_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Results JSON of `claimbench evaluate` on these predictions: its provenance is kept.",
)
@click.option("--name", help="Name shown on the leaderboard [default: the plugin's name].")
@click.option("--version", help="Version shown [default: the plugin's version].")
@metadata_options
@leaderboard_option
@corpus_option
def add(
    predictions_file: Path,
    results_file: Path | None,
    name: str | None,
    version: str | None,
    leaderboard_dir: Path | None,
    corpus_dir: Path,
    **metadata: Any,
) -> None:
    """Add a predictions JSON Lines file as a new submission (never overwrites one).

    The predictions are checked against the corpus; the same predictions cannot be added
    twice, even by adds running at the same time. Badges are not given here: the build
    derives them from `claimbench leaderboard verify`, which re-runs the plugin recorded in
    the results' provenance.
    """
    from claimbench.corpus.store import load_corpus
    from claimbench.leaderboard.record import submission_provenance
    from claimbench.leaderboard.submissions import add_submission
    from claimbench.reporting.results import load_results
    from claimbench.validation.predictions import load_predictions

    leaderboard_dir = writable_folder(DataKind.LEADERBOARD, leaderboard_dir)
    corpus = load_corpus(corpus_dir)
    predictions = load_predictions(predictions_file, corpus)
    provenance = {}
    if results_file is not None:
        provenance = submission_provenance(load_results(results_file))
    path = add_submission(
        predictions,
        provenance,
        leaderboard_dir,
        corpus=corpus,
        name=name,
        version=version,
        metadata=entry_metadata(metadata),
    )
    click.echo(f"added {path}")
    click.echo(next_step(leaderboard_dir))


@leaderboard.command()
@leaderboard_option
@corpus_option
@gold_option
@click.option(
    "--site",
    "site_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where to write the site [default: LEADERBOARD/site]; not among what the build reads "
    "(submissions, verifications, gold, corpus).",
)
@resamples_option
@click.option(
    "--test-resamples",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Random swaps of the paired test that forms tie groups.",
)
@seed_option("Bootstrap and test seed.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for scoring [default: one per CPU, with 64 submissions or more].",
)
def build(
    leaderboard_dir: Path | None,
    corpus_dir: Path,
    gold_dir: Path,
    site_dir: Path | None,
    resamples: int,
    test_resamples: int,
    seed: int,
    jobs: int | None,
) -> None:
    """Rescore every submission against the current gold and write the static site.

    A submission that fails a check is listed on the page as rejected, with its reason, and
    every other entry is built; the command then exits 2 naming each rejected file.
    """
    from claimbench.errors import InputError
    from claimbench.leaderboard.build import build_leaderboard
    from claimbench.leaderboard.submissions import SUBMISSIONS_FOLDER
    from claimbench.leaderboard.verification import VERIFICATIONS_FOLDER

    board = writable_folder(DataKind.LEADERBOARD, leaderboard_dir)
    if site_dir is not None:  # its pages must not land among what the build reads
        read = {
            "leaderboard's submissions": board / SUBMISSIONS_FOLDER,
            "leaderboard's verifications": board / VERIFICATIONS_FOLDER,
            "--gold": gold_dir,
            "--corpus": corpus_dir,
        }
        check_apart("--site", site_dir, read)
    report = build_leaderboard(
        board,
        corpus_dir,
        gold_dir,
        site_dir,
        resamples=resamples,
        test_resamples=test_resamples,
        seed=seed,
        jobs=jobs,
    )
    click.echo(
        f"{report.entries} entries ({report.ranked} ranked); "
        f"{len(report.written)} file(s) written, {len(report.removed)} removed"
    )
    click.echo(f"leaderboard: {report.index.resolve()}")
    if report.rejected:
        raise InputError([problem for rejected in report.rejected for problem in rejected.problems])


@leaderboard.command()
@click.argument("submissions", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--all", "every", is_flag=True, help="Verify every submission of the leaderboard.")
@leaderboard_option
@corpus_option
def verify(
    submissions: tuple[Path, ...], every: bool, leaderboard_dir: Path | None, corpus_dir: Path
) -> None:
    """Re-run each SUBMISSION's plugin here and write its reproduction record.

    The plugin recorded in the submission (entry point, module:attr or command, and its
    version) runs on the corpus in this environment; its predictions' SHA-256 is compared with
    the submission's and the outcome is written to LEADERBOARD/verifications/<stem>.json,
    which `leaderboard build` reads to award `verified` (and `baseline` for a plugin shipped
    with claimbench). A plugin that cannot be run here is recorded as not verifiable, and the
    others are verified. Exits 1 when a submission is not verifiable or not reproduced. A file
    that is not a valid submission is named and passed over, as `leaderboard build` passes
    over it, and the others are verified; the command then exits 2.
    """
    from claimbench.errors import InputError, UsageError
    from claimbench.leaderboard.submissions import load_submission, submission_paths

    if not submissions and not every:
        raise UsageError("name a SUBMISSION file, or pass --all")
    board = writable_folder(DataKind.LEADERBOARD, leaderboard_dir)
    paths = list(submissions) + (submission_paths(board) if every else [])
    outcomes, unreadable = [], []
    for path in paths:
        try:
            submission = load_submission(path)
        except InputError as err:
            click.echo(f"{path.name}: not a valid submission: passed over", err=True)
            unreadable.extend(err.problems)
            continue
        outcomes.append(verify_one(path, submission, board, corpus_dir))
    if unreadable:
        raise InputError(unreadable)
    if not all(outcomes):
        raise SystemExit(1)


def verify_one(
    path: Path, submission: "Submission", leaderboard_dir: Path, corpus_dir: Path
) -> bool:
    """Verify one submission, write its record, say the outcome; True when reproduced.

    Parameters
    ----------
    path : Path
        The submission file.
    submission : Submission
        What it holds (`load_submission`).
    leaderboard_dir : Path
        Where its record goes (`verifications/`).
    corpus_dir : Path
        The corpus to run the plugin on (the submission's own text: an outdated submission
        cannot reproduce).

    Returns
    -------
    bool
        Whether the predictions were reproduced.
    """
    from claimbench import __version__
    from claimbench.errors import UsageError
    from claimbench.extractors.failures import PluginError
    from claimbench.leaderboard.verification import (
        Outcome,
        not_verifiable_reason,
        read_record,
        record_path,
        verification_record,
        write_record,
    )

    rerun, unrunnable = None, None
    if not_verifiable_reason(submission) is None:
        try:
            rerun = rerun_plugin(submission.provenance["plugin"], corpus_dir)
        except (UsageError, PluginError) as err:  # not found, not loadable, cannot start
            unrunnable = str(err)
    plugin, digest, failed = rerun if rerun else (None, None, [])
    record = verification_record(
        path, submission, plugin, digest, failed, __version__, unrunnable=unrunnable
    )
    kept = read_record(leaderboard_dir, path.stem)
    if (
        unrunnable is not None
        and kept is not None
        and kept.outcome == Outcome.REPRODUCED
        and kept.submission_sha256 == submission.sha256
    ):  # what cannot run here says nothing against a run that reproduced it elsewhere
        click.echo(
            f"{path.name}: {record.outcome.value} here: {record.reason}; the record that "
            f"reproduced it is kept ({record_path(leaderboard_dir, path.stem)})"
        )
        return False
    written = write_record(leaderboard_dir, path.stem, record)
    click.echo(f"{path.name}: {record.outcome.value}: {record.reason} (record: {written})")
    return record.outcome == Outcome.REPRODUCED


def rerun_plugin(
    recorded: dict[str, Any], corpus_dir: Path
) -> tuple["RerunPlugin", str, list[str]]:
    """Run the recorded plugin on the corpus as `evaluate` does: the plugin as loaded, the
    SHA-256 of its predictions (as a submission stores them) and its failed documents.
    """
    from claimbench.corpus.store import load_corpus
    from claimbench.errors import Problems
    from claimbench.evaluation.plugin_runs import plugin_spec, predictions_from_plugin
    from claimbench.evaluation.sources import Started
    from claimbench.extractors.execution import Execution
    from claimbench.extractors.runner import Tally
    from claimbench.leaderboard.submissions import predictions_hash, record_of
    from claimbench.leaderboard.verification import RerunPlugin

    command = recorded["kind"] == "command"
    spec = plugin_spec(
        None if command else recorded["target"],
        recorded["target"] if command else None,
        timeout=60.0,
        memory_mb=4096,
        cpu_seconds=60,
        env_options=(),
    )
    corpus = load_corpus(corpus_dir)
    tally = Tally()
    with predictions_from_plugin(
        spec, corpus, Started.now(), tally=tally, how=Execution(), cache_dir=None
    ) as predicted:
        # Checked as each document finished: trusted (as `add_submission` stores them).
        found = predicted.read(Problems())
        records = [record_of(each.doc_id, each.extraction) for each in found]
        info = predicted.info
        failed = [failure.doc_id for failure in predicted.failures]
    tally.check()  # failing everywhere, it did not run here (a command's script not found)
    plugin = RerunPlugin(
        kind=info.kind.value,
        name=info.name,
        version=info.version,
        target=info.target,
        distribution=info.distribution,
    )
    return plugin, predictions_hash(records), failed
