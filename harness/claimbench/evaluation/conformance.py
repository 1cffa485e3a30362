"""`claimbench plugins check`: a conformance test of one plugin on the corpus.

The plugin runs over every document twice. It passes when every answer follows the schema,
every span lies inside its document with the right text, nothing crashed or timed out, the
layers it declares are the layers it answers, its numbers and attributions carry what their
headlines need (not every number without a value, not every attribution without a source), and
both runs gave identical predictions. Time per document is reported, not judged.

Each run is read as `evaluate` reads one (`predictions_from_plugin`, counted by its `Tally`),
with one plugin opened for both runs.
"""

import statistics
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from claimbench.corpus.store import Corpus
from claimbench.errors import Problems
from claimbench.evaluation.plugin_runs import predictions_from_plugin
from claimbench.evaluation.sources import Started
from claimbench.extractors.execution import Execution
from claimbench.extractors.failures import DocumentFailure, FailureCause
from claimbench.extractors.plugin import Plugin, PluginInfo
from claimbench.extractors.runner import DocumentOutcome, Tally
from claimbench.extractors.spec import PluginSpec
from claimbench.models import Extraction, LayerPresence

_SCHEMA_CAUSES = {
    FailureCause.INVALID_JSON,
    FailureCause.INVALID_PREDICTION,
    FailureCause.PROTOCOL,
    FailureCause.OUTPUT_TOO_LARGE,
}
_RUN_CAUSES = {
    FailureCause.EXCEPTION,
    FailureCause.CRASH,
    FailureCause.TIMEOUT,
    FailureCause.CPU_LIMIT,
}


@dataclass(frozen=True)
class Check:
    """One conformance check and its verdict (`passed` None: informational, or not judged
    when `judged` is false: no document gave what it looks at)."""

    name: str
    passed: bool | None
    detail: str
    failures: tuple[DocumentFailure, ...] = ()
    """The documents that failed it, in corpus order."""
    judged: bool = True


NO_ANSWER = "not judged: no document gave a valid answer"


@dataclass(frozen=True)
class PluginRun:
    """One run of the plugin over the corpus: its predictions, failures and time per
    document."""

    info: PluginInfo
    predictions: dict[str, Extraction]
    failures: list[DocumentFailure]
    seconds: list[float]


def check_plugin(spec: PluginSpec, corpus: Corpus) -> tuple[PluginInfo, list[Check]]:
    """Run the plugin of `spec` twice over `corpus` and judge each conformance check.

    Parameters
    ----------
    spec : PluginSpec
        The plugin; it is opened once, for both runs, and closed here.
    corpus : Corpus
        The documents to run on (each read once, for both runs).

    Returns
    -------
    tuple[PluginInfo, list[Check]]
        The plugin as it ran, and the checks: schema, offsets, robustness, layers, headline
        fields, determinism and time per document.

    Raises
    ------
    PluginError
        When the plugin cannot be loaded or started.

    Examples
    --------
    >>> from claimbench.corpus.store import load_corpus
    >>> from claimbench.evaluation.plugin_runs import plugin_spec
    >>> from claimbench.paths import DEFAULT_CORPUS
    >>> spec = plugin_spec("rules", None, timeout=60, memory_mb=0, cpu_seconds=0, env_options=())
    >>> info, checks = check_plugin(spec, load_corpus(DEFAULT_CORPUS))
    >>> info.name, [check.passed for check in checks]
    ('rules', [True, True, True, True, True, True, None])
    """
    plugin = spec.open()
    try:
        first = _run(spec, plugin, corpus)
        second = _run(spec, plugin, corpus)
    finally:
        plugin.close()
    failures = first.failures
    ran = len(corpus) - _count(failures, _RUN_CAUSES)  # documents that gave an answer
    valid = ran - _count(failures, _SCHEMA_CAUSES)  # answers that followed the schema
    on_answers = {"layers": _layers, "headline fields": _headline_fields}
    return first.info, [
        _by_cause(
            "schema",
            failures,
            _SCHEMA_CAUSES,
            ran,
            "the answer follows the schema",
            unjudged="no document was answered",
        ),
        _by_cause(
            "offsets",
            failures,
            {FailureCause.OFFSETS},
            valid,
            "every span fits the text",
            unjudged="no answer followed the schema",
        ),
        _by_cause("robustness", failures, _RUN_CAUSES, len(corpus), "ran to an answer"),
        *(
            check(first) if first.predictions else Check(name, None, NO_ANSWER, judged=False)
            for name, check in on_answers.items()
        ),
        _determinism(first, second)
        if first.predictions or second.predictions
        else Check("determinism", None, NO_ANSWER, judged=False),
        _timing(first),
    ]


def _count(failures: list[DocumentFailure], causes: set[FailureCause]) -> int:
    return sum(failure.cause in causes for failure in failures)


def _by_cause(
    name: str,
    failures: list[DocumentFailure],
    causes: set[FailureCause],
    judged: int,
    what: str,
    *,
    unjudged: str = "",
) -> Check:
    """`name` judged on the `judged` documents that reached it: failed by any of `causes`;
    not judged (`unjudged` says why) when none reached it."""
    bad = tuple(failure for failure in failures if failure.cause in causes)
    if bad:
        return Check(name, False, f"{len(bad)} of {judged} documents failed", bad)
    if not judged:
        return Check(name, None, f"not judged: {unjudged}", judged=False)
    return Check(name, True, f"{judged} of {judged} documents: {what}")


def _run(spec: PluginSpec, plugin: Plugin, corpus: Corpus) -> PluginRun:
    """One run, read as `evaluate` reads it (every failed document kept by the tally)."""
    seconds: list[float] = []

    def timed(
        outcomes: Iterable[DocumentOutcome], length: int
    ) -> AbstractContextManager[Iterable[DocumentOutcome]]:
        def each() -> Iterator[DocumentOutcome]:
            for outcome in outcomes:
                seconds.append(outcome.seconds)
                yield outcome

        return nullcontext(each())

    tally = Tally()
    with predictions_from_plugin(
        spec,
        corpus,
        Started.now(),
        tally=tally,
        how=Execution(),
        cache_dir=None,
        show=timed,
        opened=plugin,
    ) as predicted:
        predictions = {found.doc_id: found.extraction for found in predicted.read(Problems())}
    return PluginRun(predicted.info, predictions, tally.failures, seconds)


def _layers(run: PluginRun) -> Check:
    declared = run.info.layers
    answered = sorted({layer.value for p in run.predictions.values() for layer in p.attempted()})
    if declared is None:
        return Check("layers", None, f"none declared; answers carry {answered or 'no layer'}")
    expected = sorted(layer.value for layer in declared)
    passed = not run.predictions or answered == expected
    return Check("layers", passed, f"declared {expected}, answers carry {answered}")


def _headline_fields(run: PluginRun) -> Check:
    presence = LayerPresence.of(run.predictions)
    missing = presence.silent_zeros()
    if missing:
        return Check("headline fields", False, "; ".join(missing))
    return Check(
        "headline fields",
        True,
        f"{presence.numbers - presence.numbers_without_value} of {presence.numbers} numbers "
        f"carry a value, {presence.attributions - presence.attributions_without_source} of "
        f"{presence.attributions} attributions a source",
    )


def _determinism(first: PluginRun, second: PluginRun) -> Check:
    one, two = first.predictions, second.predictions
    differing = [
        doc_id
        for doc_id in one.keys() | two.keys()
        if doc_id not in one
        or doc_id not in two
        or one[doc_id].model_dump() != two[doc_id].model_dump()
    ]
    if differing:
        return Check("determinism", False, f"runs differ on {', '.join(sorted(differing))}")
    return Check("determinism", True, f"two runs identical on {len(one)} documents")


def _timing(run: PluginRun) -> Check:
    times = [seconds * 1000 for seconds in run.seconds]
    if not times:
        return Check("time per document", None, "no documents")
    return Check(
        "time per document",
        None,
        f"median {statistics.median(times):.1f} ms, max {max(times):.1f} ms "
        f"over {len(times)} documents",
    )
