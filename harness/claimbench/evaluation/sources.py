"""What the pipeline scores, and predictions read from a file.

`Predicted` is what the pipeline scores: the plugin (or file) that made the predictions, the
predictions and the run's failed documents. `predictions_from_file` reads a predictions file
as one; a plugin run is one too (`claimbench.evaluation.plugin_runs`), whose machinery a
file-only command does not load.
"""

import datetime as dt
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from claimbench.corpus.store import Corpus, JsonlCorpus
from claimbench.errors import Problems
from claimbench.extractors.failures import DocumentFailure
from claimbench.extractors.plugin import PluginInfo, PluginKind
from claimbench.models import Extraction
from claimbench.validation.predictions import Found, read_predictions


@dataclass(frozen=True)
class Started:
    """When a command started: wall-clock time for the record, a monotonic clock for duration."""

    at: dt.datetime
    clock: float

    @classmethod
    def now(cls) -> "Started":
        """The current moment.

        Examples
        --------
        >>> Started.now().at.tzinfo is not None
        True
        """
        return cls(at=dt.datetime.now(dt.UTC), clock=time.perf_counter())

    def elapsed(self) -> float:
        """Seconds since this moment."""
        return time.perf_counter() - self.clock


Records = Mapping[str, Extraction] | Callable[[Problems], Iterator[Found]]
"""Predictions held in memory by document id (trusted), or a function that reads them as a
stream, in any order, sending what is wrong to the given `Problems`."""


@dataclass
class Predicted:
    """Predictions to score, from a plugin run or a file, with the run's failures.

    `predictions` is read once, by `read`. A plugin run fills `failures` and updates `info`
    (a command plugin announces itself) while it is read; `restartable` says whether it can
    be read again (a file can).

    Examples
    --------
    >>> from claimbench.extractors.plugin import PluginKind
    >>> info = PluginInfo(kind=PluginKind.PREDICTIONS, name="x", version="1", target="x")
    >>> predicted = Predicted(info, {"d": Extraction(numbers=[])}, Started.now())
    >>> [found.doc_id for found in predicted.read(Problems())]
    ['d']
    """

    info: PluginInfo
    predictions: Records
    started: Started
    failures: list[DocumentFailure] = field(default_factory=list)
    restartable: bool = True

    def read(self, problems: Problems) -> Iterator[Found]:
        """Each document's predictions, as they come (where is None: trusted)."""
        if callable(self.predictions):
            return self.predictions(problems)
        return (Found(doc_id, found) for doc_id, found in self.predictions.items())


def predictions_from_file(path: Path, corpus: Corpus | JsonlCorpus, started: Started) -> Predicted:
    """A predictions file as something to score: each line is parsed and checked once, as it
    is scored (`read_predictions`; its spans against the text read for scoring).

    Examples
    --------
    >>> import tempfile
    >>> from claimbench.corpus.store import load_corpus
    >>> from claimbench.paths import DEFAULT_CORPUS
    >>> p = Path(tempfile.mkdtemp()) / "p.jsonl"
    >>> _ = p.write_text('{"doc_id": "001-dawn", "numbers": []}\\n')
    >>> predicted = predictions_from_file(p, load_corpus(DEFAULT_CORPUS), Started.now())
    >>> predicted.info.name, [found.where.line for found in predicted.read(Problems())]
    ('p', [1])
    """
    info = PluginInfo(
        kind=PluginKind.PREDICTIONS,
        name=_as_text(path.stem),
        version="unknown",
        target=_as_text(str(path)),
    )

    def records(problems: Problems) -> Iterator[Found]:
        return read_predictions(path, corpus, problems)

    return Predicted(info=info, predictions=records, started=started)


def _as_text(name: str) -> str:
    """A file name as text that can be written as JSON: bytes of the name that are not UTF-8
    (held as lone surrogates) become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
