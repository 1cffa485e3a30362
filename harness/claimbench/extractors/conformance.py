"""`claimbench plugins check`: a conformance test of one plugin on the corpus.

The plugin runs over every document twice. It passes when every answer follows the schema,
every span lies inside its document with the right text, nothing crashed or timed out, the
layers it declares are the layers it answers, its numbers and attributions carry what their
headlines need (not every number without a value, not every attribution without a source), and
both runs gave identical predictions. Time per document is reported, not judged.
"""

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from claimbench.extractors.failures import DocumentFailure, FailureCause
from claimbench.extractors.plugin import Plugin
from claimbench.extractors.runner import PluginRun, run_plugin
from claimbench.models import Document, LayerPresence

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
    """One conformance check and its verdict (`passed` None: informational)."""

    name: str
    passed: bool | None
    detail: str


def check_plugin(plugin: Plugin, documents: Iterable[Document]) -> list[Check]:
    """Run `plugin` twice over `documents` and judge each conformance check.

    Parameters
    ----------
    plugin : Plugin
        A loaded plugin (not closed here).
    documents : Iterable[Document]
        The documents to run on (read once, kept for the second run).

    Returns
    -------
    list[Check]
        schema, offsets, robustness, layers, headline fields, determinism and time per
        document.
    """
    docs = list(documents)
    first = run_plugin(plugin, docs, fail_fast=False)
    second = run_plugin(plugin, docs, fail_fast=False)
    failures = first.failures
    return [
        _by_cause("schema", failures, _SCHEMA_CAUSES, len(docs), "the answer follows the schema"),
        _by_cause(
            "offsets", failures, {FailureCause.OFFSETS}, len(docs), "every span fits the text"
        ),
        _by_cause("robustness", failures, _RUN_CAUSES, len(docs), "ran to an answer"),
        _layers(first),
        _headline_fields(first),
        _determinism(first, second),
        _timing(first),
    ]


def _by_cause(
    name: str, failures: list[DocumentFailure], causes: set[FailureCause], total: int, what: str
) -> Check:
    bad = [failure for failure in failures if failure.cause in causes]
    if not bad:
        return Check(name, True, f"{total} of {total} documents: {what}")
    listed = "; ".join(str(failure) for failure in bad[:3])
    return Check(name, False, f"{len(bad)} of {total} documents failed: {listed}")


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
    times = [outcome.seconds * 1000 for outcome in run.outcomes]
    if not times:
        return Check("time per document", None, "no documents")
    return Check(
        "time per document",
        None,
        f"median {statistics.median(times):.1f} ms, max {max(times):.1f} ms "
        f"over {len(times)} documents",
    )
