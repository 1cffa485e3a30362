"""From predictions to results: gold loading, scoring, provenance and gates in one place,
shared by `claimbench evaluate` and `claimbench score`."""

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from claimbench.corpus.store import Corpus
from claimbench.extractors.failures import DocumentFailure
from claimbench.extractors.plugin import PluginInfo
from claimbench.extractors.runner import attempted_layers, scorable
from claimbench.models import Extraction
from claimbench.reporting.gates import GateSpec, evaluate_gates, headline_keys
from claimbench.reporting.provenance import build_provenance, data_provenance, plugin_provenance
from claimbench.reporting.results import Results


@dataclass(frozen=True)
class ScoringOptions:
    """Bootstrap settings passed to the scorer."""

    resamples: int = 1000
    seed: int = 0


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


@dataclass(frozen=True)
class Predicted:
    """Predictions to score, from a plugin run or a file, with the run's failures."""

    info: PluginInfo
    predictions: Mapping[str, Extraction]
    started: Started
    failures: list[DocumentFailure] = field(default_factory=list)


def load_gold_extractions(gold_dir: Path, corpus: Corpus) -> dict[str, Extraction]:
    """The gold of every corpus document, as extractions the scorer compares with predictions.

    Raises
    ------
    InputError
        With every problem of the gold folder (see `claimbench validate gold`).
    """
    from claimbench.validation.gold import load_gold

    gold = load_gold(gold_dir, corpus)
    return {
        doc_id: Extraction(entities=g.entities, numbers=g.numbers, attributions=g.attributions)
        for doc_id, g in gold.documents.items()
    }


def score_predictions(
    predicted: Predicted,
    *,
    corpus: Corpus,
    gold_dir: Path,
    gold: Mapping[str, Extraction],
    gates: GateSpec,
    options: ScoringOptions,
) -> Results:
    """Score `predicted` against `gold` and wrap the scores with provenance and gates.

    Parameters
    ----------
    predicted : Predicted
        The plugin (or file), its predictions and its failed documents.
    corpus, gold_dir : Corpus, Path
        Where the texts and gold come from (hashed into the provenance).
    gold : Mapping[str, Extraction]
        The gold, from `load_gold_extractions`.
    gates : GateSpec
        The gates to judge.
    options : ScoringOptions
        Bootstrap resamples and seed.

    Returns
    -------
    Results
        Headline metrics, full scores, failures, gate verdicts and provenance.
    """
    from claimbench.scoring import score

    texts = {document.id: document.text for document in corpus.documents()}
    attempted = attempted_layers(predicted.info, predicted.predictions.values())
    predictions = scorable(predicted.predictions, gold.keys(), attempted)
    scores = score(
        gold,
        predictions,
        texts,
        attempted=attempted,
        resamples=options.resamples,
        seed=options.seed,
    )
    headline = {key: scores.headline_metrics().get(key) for key in headline_keys()}
    provenance = build_provenance(
        data=data_provenance(corpus, gold_dir),
        plugin=plugin_provenance(predicted.info, [layer.value for layer in attempted]),
        started_at=predicted.started.at,
        duration=predicted.started.elapsed(),
    )
    return Results(
        provenance=provenance,
        headline=headline,
        scores=scores.model_dump(mode="json"),
        documents=len(texts),
        failures=predicted.failures,
        gates=evaluate_gates(headline, gates),
    )
