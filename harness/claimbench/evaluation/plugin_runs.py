"""Predictions from a plugin run over the corpus.

`extraction` opens a plugin and streams its outcomes in document order (serially, on `--jobs`
processes or on Dask); a `Tally` (`claimbench.extractors.runner`) counts them, the one place
that decides what a failed document does (reported, or `--fail-fast`). `predictions_from_plugin`
streams a run to the scorer as a `Predicted`; `write_predictions` writes one as JSON Lines.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from claimbench.corpus.store import Corpus, JsonlCorpus
from claimbench.errors import Problems, UsageError, validation_message
from claimbench.evaluation.sources import Predicted, Started
from claimbench.extractors.cache import open_cache
from claimbench.extractors.execution import Execution, OutcomeStream
from claimbench.extractors.isolation import Limits, parse_env_options
from claimbench.extractors.plugin import Plugin
from claimbench.extractors.runner import DocumentOutcome, Tally
from claimbench.extractors.spec import PluginSpec
from claimbench.models import PredictionRecord
from claimbench.paths import DEFAULT_GOLD
from claimbench.validation.predictions import Found


def plugin_spec(
    plugin: str | None,
    command: str | None,
    *,
    timeout: float,
    memory_mb: int,
    cpu_seconds: int,
    env_options: Iterable[str],
    forbidden: Iterable[Path] = (),
) -> PluginSpec:
    """The plugin named by PLUGIN or `--command` (exactly one of them), as a spec.

    Returns
    -------
    PluginSpec
        What any process needs to open the plugin; the gold folders are kept out of a
        command plugin's environment.

    Raises
    ------
    UsageError
        When neither or both are given, or an `--env` option is malformed.
    """

    try:
        limits = Limits(
            timeout=timeout, memory_mb=memory_mb or None, cpu_seconds=cpu_seconds or None
        )
    except ValidationError as err:  # beyond what poll() or setrlimit() take
        first = err.errors(include_url=False)[0]
        option = "--" + str(first["loc"][0]).replace("_", "-")
        raise UsageError(f"{option} {first['input']}: {validation_message(first)}") from None
    env = parse_env_options(env_options) if command is not None else {}
    gold_dirs = sorted({DEFAULT_GOLD, *forbidden})
    return PluginSpec.choose(plugin, command, limits=limits, env=env, forbidden=gold_dirs)


def execution(jobs: int, dask_address: str | None) -> Execution:
    """Serial, `--jobs N` processes or `--dask ADDRESS` (not both).

    Raises
    ------
    UsageError
        When both `--jobs` (above 1) and `--dask` are given.
    """

    if jobs > 1 and dask_address is not None:
        raise UsageError("give --jobs N or --dask ADDRESS, not both")
    return Execution(jobs=jobs, dask=dask_address)


@contextmanager
def extraction(
    spec: PluginSpec,
    corpus: Corpus | JsonlCorpus,
    *,
    how: Execution,
    cache_dir: Path | None,
    opened: Plugin | None = None,
) -> Iterator[OutcomeStream]:
    """The outcomes of the plugin over every document of `corpus`, in document order.

    The plugin is opened here (a Python plugin loads, so a broken one fails before any work)
    and closed after, as are the workers; or it is `opened` already, and the caller closes
    it (`plugins check` runs one plugin twice).
    """
    plugin = opened or spec.open()
    try:
        cache = open_cache(cache_dir, plugin.info) if cache_dir is not None else None
        with OutcomeStream(plugin, spec, corpus.documents(), how, cache) as stream:
            yield stream
    finally:
        if opened is None:
            plugin.close()


Shown = Callable[
    [Iterable[DocumentOutcome], int], AbstractContextManager[Iterable[DocumentOutcome]]
]
"""Wraps a run's outcomes as they come (a progress bar), given how many documents there are."""


def unshown(
    outcomes: Iterable[DocumentOutcome], length: int
) -> AbstractContextManager[Iterable[DocumentOutcome]]:
    """The outcomes as they are (the default `Shown`)."""
    return nullcontext(outcomes)


def prediction_line(record: PredictionRecord) -> str:
    """One line of a predictions file: what is at its default is left out, not written as
    null (a layer not attempted, an item's id or text not given), as a submission stores
    predictions. The file is smaller, and `claimbench score` decodes such a line straight into
    its record (`decode_record`, which leaves a line with explicit nulls to the slower reader).

    Examples
    --------
    >>> from claimbench.models import PredictedEntity
    >>> entity = PredictedEntity(start=0, end=5, label="GPE")
    >>> prediction_line(PredictionRecord(doc_id="d", entities=[entity]))
    '{"doc_id": "d", "entities": [{"start": 0, "end": 5, "label": "GPE"}]}\\n'
    """
    stored = record.model_dump(mode="json", exclude_defaults=True)
    return json.dumps({"doc_id": record.doc_id, **stored}, ensure_ascii=False) + "\n"


def write_predictions(
    outcomes: Iterable[DocumentOutcome], handle: IO[bytes], tally: Tally
) -> Tally:
    """Write each successful prediction to `handle` as it arrives, in document order; keep
    only the tally.

    Parameters
    ----------
    outcomes : Iterable[DocumentOutcome]
        The run's outcomes, from `extraction` (perhaps drawn as a progress bar).
    handle : IO[bytes]
        Where the JSON Lines go (`prediction_line`); failed documents are left out.
    tally : Tally
        Counts the outcomes (and stops the run under `fail_fast`).

    Returns
    -------
    Tally
        `tally`, with every outcome counted; the caller decides what to do when every
        document failed (`Tally.check`).
    """
    for outcome in outcomes:
        tally.add(outcome)
        if outcome.prediction is not None:
            handle.write(prediction_line(outcome.prediction).encode("utf-8"))
    tally.note_cached()
    return tally


@contextmanager
def predictions_from_plugin(
    spec: PluginSpec,
    corpus: Corpus | JsonlCorpus,
    started: Started,
    *,
    tally: Tally,
    how: Execution,
    cache_dir: Path | None,
    show: Shown = unshown,
    opened: Plugin | None = None,
) -> Iterator[Predicted]:
    """Run the plugin over `corpus` as its predictions are scored: each document's outcome
    goes to the scorer as it arrives, in corpus order, so the predictions held do not grow
    with the corpus (a JSON Lines corpus is streamed too; a folder's texts are kept once
    read), and nothing is written to disk.

    The predictions were checked as each document finished (`checked_record`), so they are
    trusted, not checked again. The plugin is opened when the context starts (a broken one
    fails before any work) and closed when it ends.

    Parameters
    ----------
    spec : PluginSpec
        The plugin.
    corpus : Corpus or JsonlCorpus
        The documents to run it on.
    started : Started
        When the command started (for the provenance).
    tally : Tally
        Counts the run as it is read (`Tally.check` raises when every document failed).
    how : Execution
        Serial, `--jobs` or `--dask`.
    cache_dir : Path or None
        The `--cache` folder.
    show : callable
        Wraps the outcomes as they come, e.g. in a progress bar (given the outcomes and
        how many documents there are; a context manager).
    opened : Plugin or None
        The plugin of `spec`, open already: used and left open (see `extraction`).

    Returns
    -------
    Iterator[Predicted]
        The run, to be read once; its failures and info fill in as it is read.

    Raises
    ------
    PluginError
        When the plugin cannot be loaded or started, or a document failed under
        `tally.fail_fast`.

    Examples
    --------
    >>> from claimbench.corpus.store import load_corpus
    >>> from claimbench.paths import DEFAULT_CORPUS
    >>> spec = plugin_spec("rules", None, timeout=60, memory_mb=0, cpu_seconds=0, env_options=())
    >>> tally = Tally()
    >>> with predictions_from_plugin(spec, load_corpus(DEFAULT_CORPUS), Started.now(),
    ...         tally=tally, how=Execution(), cache_dir=None) as predicted:
    ...     len(list(predicted.read(Problems()))), tally.succeeded
    (5, 5)
    """
    with (
        extraction(spec, corpus, how=how, cache_dir=cache_dir, opened=opened) as stream,
        show(stream, len(corpus)) as outcomes,
    ):
        predicted = Predicted(stream.info, {}, started, tally.failures, restartable=False)

        def records(problems: Problems) -> Iterator[Found]:
            for outcome in outcomes:
                tally.add(outcome)
                predicted.info = stream.info
                if outcome.prediction is not None:
                    yield Found(outcome.doc_id, outcome.prediction)
            tally.note_cached()

        predicted.predictions = records
        yield predicted
