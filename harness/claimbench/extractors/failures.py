"""How a plugin run goes wrong: a whole-plugin failure (exit code 3) or one failed document.

A plugin *fails* (exit code 3) when it cannot be loaded or started, when every document failed,
or when a document failed under `--fail-fast`. Otherwise a failed document is recorded with its
cause and the plugin's stderr tail, its gold counts as missed, and the run goes on.
"""

import signal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from claimbench.errors import EXIT_PLUGIN_FAILED, ClaimbenchError


class PluginError(ClaimbenchError):
    """The plugin as a whole failed (exit code 3)."""

    exit_code = EXIT_PLUGIN_FAILED


class FailureCause(StrEnum):
    """Why one document failed."""

    EXCEPTION = "exception"
    CRASH = "crash"
    TIMEOUT = "timeout"
    CPU_LIMIT = "cpu_limit"
    INVALID_JSON = "invalid_json"
    INVALID_PREDICTION = "invalid_prediction"
    OFFSETS = "offsets"
    PROTOCOL = "protocol"
    OUTPUT_TOO_LARGE = "output_too_large"
    MISSING = "missing"
    """A predictions file has no line for the document."""


class DocumentError(Exception):
    """Raised by a plugin runner when one document fails; the run records it and goes on."""

    def __init__(self, cause: FailureCause, message: str, stderr_tail: str | None = None) -> None:
        super().__init__(message)
        self.cause = cause
        self.message = message
        self.stderr_tail = stderr_tail


class DocumentFailure(BaseModel):
    """One failed document, as recorded in the results."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc_id: str
    cause: FailureCause
    message: str
    stderr_tail: str | None = None

    @classmethod
    def from_error(cls, doc_id: str, error: DocumentError) -> "DocumentFailure":
        """The record of `error` raised on document `doc_id`."""
        return cls(
            doc_id=doc_id, cause=error.cause, message=error.message, stderr_tail=error.stderr_tail
        )

    def __str__(self) -> str:
        return f"document {self.doc_id!r}: {self.cause.value}: {self.message}"


def exit_failure(exit_code: int | None) -> tuple[FailureCause, str]:
    """Why a plugin's process died before answering, from its exit code: the one wording for a
    command plugin's process and a `--jobs` worker.

    Parameters
    ----------
    exit_code : int or None
        The process's exit code, negative for the signal that killed it (as `subprocess` and
        `multiprocessing` give it); None when it cannot be known.

    Returns
    -------
    tuple[FailureCause, str]
        `crash` (or `cpu_limit` for SIGXCPU) and what happened, in words.

    Examples
    --------
    >>> exit_failure(-11)
    (<FailureCause.CRASH: 'crash'>, 'killed by signal SIGSEGV')
    >>> exit_failure(1)[1], exit_failure(None)[1]
    ('exited with code 1 before answering', 'its process died before answering')
    >>> exit_failure(-40)[1], exit_failure(-signal.SIGXCPU)[0]  # a real-time signal; CPU limit
    ('killed by signal 40', <FailureCause.CPU_LIMIT: 'cpu_limit'>)
    """
    if exit_code is None:
        return FailureCause.CRASH, "its process died before answering"
    if exit_code >= 0:
        return FailureCause.CRASH, f"exited with code {exit_code} before answering"
    try:
        name = signal.Signals(-exit_code).name
    except ValueError:  # a real-time signal has no name of its own
        name = str(-exit_code)
    if -exit_code == signal.SIGXCPU:
        return FailureCause.CPU_LIMIT, f"killed by {name}: CPU limit exceeded"
    return FailureCause.CRASH, f"killed by signal {name}"
