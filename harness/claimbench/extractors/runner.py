"""Running a plugin over documents: one outcome per document, failures recorded, never lost.

`extract_document` is a pure function of (plugin, document), so a process pool or a Dask
cluster maps it over the corpus (`claimbench.extractors.execution`), and a `Tally` counts the
outcomes of any of them (`claimbench.evaluation.plugin_runs` and `conformance` read a run
through it).
"""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from claimbench.errors import Where, summarise
from claimbench.extractors.failures import (
    DocumentError,
    DocumentFailure,
    FailureCause,
    PluginError,
)
from claimbench.extractors.plugin import Plugin, PluginInfo
from claimbench.models import Document, Extraction, Layer, PredictionRecord
from claimbench.validation.items import id_problems, span_problems


@dataclass(frozen=True)
class DocumentOutcome:
    """What happened on one document: a checked prediction, or a failure.

    `cached` is True when the prediction came from the prediction cache instead of the plugin.
    """

    doc_id: str
    seconds: float
    prediction: PredictionRecord | None = None
    failure: DocumentFailure | None = None
    cached: bool = False


def attempted_layers(info: PluginInfo, present: Iterable[Layer]) -> list[Layer]:
    """The layers `info` declares, or else the layers `present` in its predictions, in
    `Layer` order.

    Examples
    --------
    >>> from claimbench.extractors.plugin import PluginKind
    >>> info = PluginInfo(kind=PluginKind.COMMAND, name="x", version="1", target="x")
    >>> attempted_layers(info, Extraction(numbers=[]).attempted())
    [<Layer.NUMBERS: 'numbers'>]
    """
    if info.layers is not None:
        return list(info.layers)
    found = set(present)
    return [layer for layer in Layer if layer in found]


class LayerCheck:
    """One set of layers per run, checked on each outcome in document order: the layers the
    plugin declares, or else those of its first answer. An answer with other layers fails its
    own document (the scorer could not tell "not attempted" from "forgotten" there), instead of
    ending the run when it is scored.

    Examples
    --------
    >>> from claimbench.extractors.plugin import PluginKind
    >>> info = PluginInfo(kind=PluginKind.COMMAND, name="x", version="1", target="x")
    >>> check = LayerCheck()
    >>> first = DocumentOutcome("a", 0.0, prediction=PredictionRecord(doc_id="a", numbers=[]))
    >>> odd = DocumentOutcome("b", 0.0, prediction=PredictionRecord(doc_id="b", entities=[]))
    >>> check(first, info).failure is None, check(odd, info).failure.cause.value
    (True, 'invalid_prediction')
    """

    def __init__(self) -> None:
        self.first: list[Layer] | None = None

    def __call__(self, outcome: DocumentOutcome, info: PluginInfo) -> DocumentOutcome:
        """`outcome`, or a failure of its document when its layers are not the run's."""
        if outcome.prediction is None:
            return outcome
        found = outcome.prediction.attempted()
        if info.layers is None and self.first is None:
            self.first = found
        expected = attempted_layers(info, self.first or [])
        if found == expected:
            return outcome
        said = "declares" if info.layers is not None else "gave in its first answer"
        message = (
            f"answer has the layers [{_names(found)}] but the plugin {said} [{_names(expected)}]"
        )
        failure = DocumentFailure(
            doc_id=outcome.doc_id, cause=FailureCause.INVALID_PREDICTION, message=message
        )
        return DocumentOutcome(outcome.doc_id, outcome.seconds, failure=failure)


def _names(layers: Iterable[Layer]) -> str:
    return ", ".join(layer.value for layer in layers)


def extract_document(plugin: Plugin, document: Document) -> DocumentOutcome:
    """Run `plugin` on one document and check the answer against the document's text.

    Parameters
    ----------
    plugin : Plugin
        A loaded plugin.
    document : Document
        Id, text and metadata: all the plugin ever sees.

    Returns
    -------
    DocumentOutcome
        The checked prediction, or the failure with its cause; `PluginError` (the plugin
        cannot run at all) propagates.
    """
    start = time.perf_counter()
    try:
        record = checked_record(document, plugin.extract(document), plugin.info.name)
    except DocumentError as err:
        failure = DocumentFailure.from_error(document.id, err)
        return DocumentOutcome(document.id, time.perf_counter() - start, failure=failure)
    return DocumentOutcome(document.id, time.perf_counter() - start, prediction=record)


def checked_record(
    document: Document, extraction: Extraction, plugin_name: str
) -> PredictionRecord:
    """`extraction` as the prediction record of `document`, its spans and ids checked.

    Raises
    ------
    DocumentError
        When a span does not fit the text (cause `offsets`) or an id is given twice.

    Examples
    --------
    >>> document = Document(id="d", text="Ten died.\\n")
    >>> checked_record(document, Extraction(numbers=[]), "x").doc_id
    'd'
    """
    record = PredictionRecord.model_construct(doc_id=document.id, **dict(extraction))
    where = Where(f"plugin {plugin_name}", record.doc_id)
    for cause, problems in (
        (FailureCause.OFFSETS, span_problems(record, document.text, where)),
        (FailureCause.INVALID_PREDICTION, id_problems(record, where)),
    ):
        if problems:
            raise DocumentError(cause, summarise(problems))
    return record


def _ignore(message: str) -> None:
    """A `Tally.warn` that says nothing."""


@dataclass
class Tally:
    """What a run did: documents done, from the cache, and the failures; the one place that
    decides what a failed document does: under `fail_fast` it stops the run with a
    `PluginError` (exit code 3), otherwise it is kept and reported through `warn`.

    Examples
    --------
    >>> tally = Tally()
    >>> tally.add(DocumentOutcome("a", 0.1))
    >>> tally.done, tally.succeeded
    (1, 1)
    """

    fail_fast: bool = False
    warn: Callable[[str], None] = _ignore
    done: int = 0
    cached: int = 0
    failures: list[DocumentFailure] = field(default_factory=list)

    def add(self, outcome: DocumentOutcome) -> None:
        """Count `outcome`; report a failure through `warn` (raise under `fail_fast`)."""
        self.done += 1
        self.cached += outcome.cached
        if outcome.failure is None:
            return
        if self.fail_fast:
            raise PluginError(f"--fail-fast: {describe_failure(outcome.failure)}")
        self.failures.append(outcome.failure)
        self.warn(f"warning: {describe_failure(outcome.failure)}")

    @property
    def succeeded(self) -> int:
        """How many documents have a prediction.

        Examples
        --------
        >>> Tally(done=3).succeeded
        3
        """
        return self.done - len(self.failures)

    def check(self) -> None:
        """Raise `PluginError` (exit code 3) when there were documents and every one failed,
        naming the first failure (a plugin that fails everywhere mostly fails for one reason:
        a missing file, a module it cannot import)."""
        if self.done and not self.succeeded:
            first = f"; the first: {self.failures[0]}" if self.failures else ""
            raise PluginError(f"the plugin failed on all {self.done} documents{first}")

    def note_cached(self) -> None:
        """Say through `warn` how many documents came from the cache, if any."""
        if self.cached:
            self.warn(f"{self.cached} of {self.done} documents from the cache")


def describe_failure(failure: DocumentFailure) -> str:
    """A failure and its stderr tail, as printed on the terminal."""
    if not failure.stderr_tail:
        return str(failure)
    tail = "\n".join(f"    | {line}" for line in failure.stderr_tail.splitlines())
    return f"{failure}\n    stderr tail:\n{tail}"
