"""Badges the build derives, and the reproduction records they rest on.

A submission never says it is verified: `claimbench leaderboard verify SUBMISSION` re-runs the
plugin the submission records (entry point, `module:attr` or command, and its version) in the
current environment, compares the predictions' hash with the submission's, and writes a small
record to `verifications/<submission file stem>.json`. The build reads that record: `verified`
when it names this very submission (its whole-file SHA-256) and says the predictions were
reproduced; `baseline` when, in addition, the plugin that reproduced them is shipped in the
claimbench distribution. A recording from a checkout with uncommitted changes, with failed
documents, or of a predictions file handed in is not verifiable, and the page says why.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from claimbench.errors import InputError, problems_from_validation_error
from claimbench.fileio import dump_json, read_json, write_atomic
from claimbench.leaderboard.submissions import Badge, Submission
from claimbench.models.base import ContractModel, Sha256

VERIFICATIONS_FOLDER = "verifications"
CLAIMBENCH_DISTRIBUTION = "claimbench"
RERUNNABLE_KINDS = ("python", "command")


class Outcome(StrEnum):
    """What a verification found."""

    REPRODUCED = "reproduced"
    DIFFERENT = "different"
    NOT_VERIFIABLE = "not verifiable"


class RerunPlugin(ContractModel):
    """The plugin as the verification ran it (from discovery, not from the submission)."""

    kind: str
    name: str
    version: str
    target: str
    distribution: str | None = None


class VerificationRecord(ContractModel):
    """`leaderboard/verifications/<stem>.json`: the leaderboard's own reproduction record.

    Nothing in it depends on the time of the run, so verifying again in the same environment
    leaves the file unchanged.
    """

    schema_version: int = 1
    submission: str
    """The submission's file name."""
    submission_sha256: Sha256
    """The whole-file hash of the submission verified: an edited submission no longer
    matches its record."""
    outcome: Outcome
    reason: str
    plugin: RerunPlugin | None = None
    predictions_sha256: Sha256 | None = None
    """The hash of the predictions the re-run produced."""
    claimbench_version: str


@dataclass(frozen=True)
class Derived:
    """The badges of a submission and what its page says about verification."""

    badges: list[str]
    verification: str


def not_verifiable_reason(submission: Submission) -> str | None:
    """Why a recording cannot be verified, or None when it can be re-run.

    Examples
    --------
    >>> from claimbench.leaderboard.submissions import SubmissionCorpus
    >>> s = Submission(name="x", version="1", date="2026-11-22", predictions_sha256="0" * 64,
    ...     sha256="0" * 64, corpus=SubmissionCorpus(name="c", version="1", texts={}),
    ...     predictions=[], provenance={"plugin": {"kind": "python", "target": "rules",
    ...     "version": "1"}, "git": {"dirty": True}, "failed_documents": []})
    >>> not_verifiable_reason(s)
    'it was recorded from a claimbench checkout with uncommitted changes (git.dirty is true)'
    """
    provenance = submission.provenance
    plugin = provenance.get("plugin")
    if not isinstance(plugin, Mapping) or plugin.get("kind") not in RERUNNABLE_KINDS:
        return "it was made from a predictions file handed in: there is no plugin to re-run"
    if not all(isinstance(plugin.get(key), str) for key in ("target", "version")):
        return "its provenance does not name the plugin's target and version"
    git = provenance.get("git")
    if isinstance(git, Mapping) and git.get("dirty") is True:
        return (
            "it was recorded from a claimbench checkout with uncommitted changes "
            "(git.dirty is true)"
        )
    failed = provenance.get("failed_documents")
    if not isinstance(failed, list):
        return "its provenance does not list the failed documents"
    if failed:
        shown = ", ".join(str(doc_id) for doc_id in failed)
        return f"{len(failed)} document(s) failed when it was recorded: {shown}"
    return None


def record_path(leaderboard_dir: Path, stem: str) -> Path:
    """Where the verification record of the submission file `<stem>.json` is kept."""
    return leaderboard_dir / VERIFICATIONS_FOLDER / f"{stem}.json"


def write_record(leaderboard_dir: Path, stem: str, record: VerificationRecord) -> Path:
    """Write (atomically) the verification record of submission `stem`; return its path."""
    path = record_path(leaderboard_dir, stem)
    write_atomic(path, dump_json(record.model_dump(mode="json")))
    return path


def read_record(leaderboard_dir: Path, stem: str) -> VerificationRecord | None:
    """The verification record of submission `stem`, or None when there is none.

    Raises
    ------
    InputError
        When the record exists but is not a valid record.
    """
    path = record_path(leaderboard_dir, stem)
    if not path.exists():
        return None
    stored: Any = read_json(path)
    try:
        return VerificationRecord.model_validate(stored)
    except ValidationError as err:
        raise InputError(problems_from_validation_error(err, path)) from None


def derive_badges(submission: Submission, record: VerificationRecord | None) -> Derived:
    """The badges an entry earns and the sentence its page shows about verification.

    Parameters
    ----------
    submission : Submission
        The submission (its own provenance decides whether it can be verified at all).
    record : VerificationRecord or None
        Its reproduction record, if `claimbench leaderboard verify` has run.

    Returns
    -------
    Derived
        `verified` only for a record of this very submission that reproduced its predictions;
        `baseline` only when, in addition, the plugin re-run is shipped with claimbench.

    Examples
    --------
    >>> from claimbench.leaderboard.submissions import SubmissionCorpus
    >>> s = Submission(name="x", version="1", date="2026-11-22", predictions_sha256="0" * 64,
    ...     sha256="1" * 64, corpus=SubmissionCorpus(name="c", version="1", texts={}),
    ...     predictions=[], provenance={})
    >>> derive_badges(s, None).badges
    []
    """
    reason = not_verifiable_reason(submission)
    if reason is not None:
        return Derived([], f"Not verifiable: {reason}.")
    if record is None:
        return Derived(
            [], "Not verified yet: no reproduction record (`claimbench leaderboard verify`)."
        )
    if record.submission_sha256 != submission.sha256:
        return Derived(
            [], "Not verified: the reproduction record is of another version of this file."
        )
    if record.outcome != Outcome.REPRODUCED or record.plugin is None:
        return Derived([], f"Verification failed: {record.reason}")
    badges = [Badge.VERIFIED.value]
    distribution = (record.plugin.distribution or "").split(" ")[0]
    if distribution == CLAIMBENCH_DISTRIBUTION:
        badges.insert(0, Badge.BASELINE.value)
    return Derived(badges, f"Verified: {record.reason}")


def verification_record(
    path: Path,
    submission: Submission,
    rerun: RerunPlugin | None,
    predictions_sha256: str | None,
    failed: list[str],
    claimbench_version: str,
    *,
    unrunnable: str | None = None,
) -> VerificationRecord:
    """The record of one verification: what was re-run and whether it reproduced the
    submission's predictions.

    Parameters
    ----------
    path : Path
        The submission file.
    submission : Submission
        The submission verified.
    rerun : RerunPlugin or None
        The plugin as loaded now (None: the submission is not verifiable, nothing ran).
    predictions_sha256 : str or None
        The hash of the predictions the re-run produced.
    failed : list[str]
        Documents that failed in the re-run.
    claimbench_version : str
        The claimbench that verified.
    unrunnable : str or None
        Why the recorded plugin could not be run here (not installed, not loadable, its
        command cannot start): not verifiable, and said so.

    Returns
    -------
    VerificationRecord
        Outcome `reproduced` only when the plugin's version is the one recorded, no document
        failed and the predictions' hash is the submission's.

    Examples
    --------
    >>> from claimbench.leaderboard.submissions import SubmissionCorpus
    >>> s = Submission(name="x", version="1", date="2026-11-22", predictions_sha256="0" * 64,
    ...     sha256="1" * 64, corpus=SubmissionCorpus(name="c", version="1", texts={}),
    ...     predictions=[], provenance={"plugin": {"kind": "python", "target": "m:x",
    ...     "version": "1"}, "failed_documents": []})
    >>> rerun = RerunPlugin(kind="python", name="x", version="1", target="m:x")
    >>> verification_record(Path("x.json"), s, rerun, "0" * 64, [], "0.1").outcome.value
    'reproduced'
    """
    common = {
        "submission": path.name,
        "submission_sha256": submission.sha256,
        "plugin": rerun,
        "predictions_sha256": predictions_sha256,
        "claimbench_version": claimbench_version,
    }
    reason = not_verifiable_reason(submission)
    if reason is None and unrunnable is not None:
        plugin = submission.provenance["plugin"]
        reason = f"{plugin['kind']} plugin {plugin['target']!r} cannot be run here: {unrunnable}"
    if reason is not None or rerun is None:
        return VerificationRecord(
            **common, outcome=Outcome.NOT_VERIFIABLE, reason=reason or "nothing was re-run"
        )
    recorded = submission.provenance["plugin"]["version"]
    target = f"{rerun.kind} plugin {rerun.target!r}"
    if rerun.version != recorded:
        reason = f"{target} is version {rerun.version} here, the submission recorded {recorded}"
    elif failed:
        reason = f"{target} failed on {len(failed)} document(s) here: {', '.join(failed)}"
    elif predictions_sha256 != submission.predictions_sha256:
        reason = (
            f"{target} {rerun.version} produced other predictions here "
            f"(SHA-256 {predictions_sha256}, the submission holds {submission.predictions_sha256})"
        )
    else:
        return VerificationRecord(
            **common,
            outcome=Outcome.REPRODUCED,
            reason=f"`claimbench leaderboard verify` re-ran {target} {rerun.version} with "
            f"claimbench {claimbench_version} and reproduced its predictions exactly.",
        )
    return VerificationRecord(**common, outcome=Outcome.DIFFERENT, reason=reason)
