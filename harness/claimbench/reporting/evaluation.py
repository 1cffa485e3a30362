"""From predictions to results: gold loading, scoring, provenance and gates in one place,
shared by `claimbench evaluate` and `claimbench score`."""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimbench.corpus.store import Corpus
from claimbench.extractors.failures import DocumentFailure
from claimbench.extractors.runner import Predicted, attempted_layers, scorable
from claimbench.models import Extraction
from claimbench.reporting.gates import GateSpec, evaluate_gates, headline_keys
from claimbench.reporting.provenance import build_provenance, data_provenance, plugin_provenance
from claimbench.reporting.results import Results

if TYPE_CHECKING:
    from claimbench.scoring import Scores
    from claimbench.scoring.claims import ClaimScores


@dataclass(frozen=True)
class ScoringOptions:
    """Scorer settings: bootstrap, minimum overlap, and where to write the match log."""

    resamples: int = 1000
    seed: int = 0
    min_dice: float = 0.0
    detail: bool = True
    match_log: Path | None = None


def load_gold_extractions(gold_path: Path, corpus: Corpus) -> dict[str, Extraction]:
    """The gold as extractions the scorer compares with predictions: a gold folder (every
    corpus document), or a predictions-format JSON Lines file (its documents and layers only,
    e.g. one annotator's pass scored against another's).

    Raises
    ------
    InputError
        With every problem of the gold (see `claimbench validate gold` and `validate
        predictions`).
    """
    from claimbench.validation.gold import load_gold
    from claimbench.validation.predictions import load_predictions

    if gold_path.is_file():
        return dict(load_predictions(gold_path, corpus))
    gold = load_gold(gold_path, corpus)
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

    texts = {document.id: document.text for document in corpus.documents() if document.id in gold}
    attempted = attempted_layers(predicted.info, predicted.predictions.values())
    _check_documents_in_gold(predicted, gold)
    predictions = scorable(predicted.predictions, gold.keys(), attempted)
    scores = score(
        gold,
        predictions,
        texts,
        attempted=attempted,
        resamples=options.resamples,
        seed=options.seed,
        min_dice=options.min_dice,
        keep_matches=options.match_log is not None,
        detail=options.detail,
    )
    if options.match_log is not None:
        write_match_log(options.match_log, scores, gold, predictions)
    claims = score_gold_claims(
        predicted, corpus=corpus, gold_dir=gold_dir, texts=texts, options=options
    )
    headline = {key: scores.headline_metrics().get(key) for key in headline_keys()}
    if claims is not None:
        headline |= claims.headline_metrics()
    provenance = build_provenance(
        data=data_provenance(corpus, gold_dir),
        plugin=plugin_provenance(predicted.info, [layer.value for layer in attempted]),
        started_at=predicted.started.at,
        duration=predicted.started.elapsed(),
    )
    return Results(
        provenance=provenance,
        headline=headline,
        scores=scores,
        documents=len(texts),
        failures=[*predicted.failures, *_missing(predicted, gold)],
        gates=evaluate_gates(headline, gates),
        claims=claims,
    )


def score_gold_claims(
    predicted: Predicted,
    *,
    corpus: Corpus,
    gold_dir: Path,
    texts: Mapping[str, str],
    options: ScoringOptions,
) -> "ClaimScores | None":
    """The claims figures, when the plugin attempted claims (any document has a `claims`
    layer) and the gold folder has claims and `slots.json`; None otherwise.

    A document that failed or has no `claims` counts as "found nothing", so its gold claims
    are missed.

    Raises
    ------
    InputError
        When the gold is invalid (see `claimbench validate gold`) or a predicted claim's span
        does not fit its text.
    """
    if not gold_dir.is_dir() or all(p.claims is None for p in predicted.predictions.values()):
        return None
    from claimbench.scoring.claims import found_nothing_where_absent, score_claims
    from claimbench.validation.gold import load_gold

    gold = load_gold(gold_dir, corpus)
    if gold.slots is None:
        return None
    predictions = found_nothing_where_absent(predicted.predictions, gold.documents)
    return score_claims(
        gold.documents,
        gold.slots,
        predictions,
        texts,
        resamples=options.resamples,
        seed=options.seed,
    )


def _check_documents_in_gold(predicted: Predicted, gold: Mapping[str, Extraction]) -> None:
    """A prediction for a document the gold does not have is an error, never dropped."""
    from claimbench.errors import InputError, Problem

    extra = [doc_id for doc_id in predicted.predictions if doc_id not in gold]
    if extra:
        source = predicted.info.target
        raise InputError([Problem(source, "document is not in the gold", doc_id=d) for d in extra])


def _missing(predicted: Predicted, gold: Mapping[str, Extraction]) -> list[DocumentFailure]:
    """Gold documents with neither a prediction nor a recorded failure: recorded as missing
    (their gold counts as missed), so a short predictions file is never scored silently."""
    from claimbench.extractors.failures import FailureCause

    failed = {failure.doc_id for failure in predicted.failures}
    return [
        DocumentFailure(
            doc_id=doc_id,
            cause=FailureCause.MISSING,
            message="no prediction for this document; its gold counts as missed",
        )
        for doc_id in gold
        if doc_id not in predicted.predictions and doc_id not in failed
    ]


def write_match_log(
    path: Path,
    scores: "Scores",
    gold: Mapping[str, Extraction],
    predictions: Mapping[str, Extraction],
) -> None:
    """Write the match log as JSON Lines: one row per pair, miss and false positive, with the
    items themselves, for error analysis.

    Parameters
    ----------
    path : Path
        The file to write (atomically).
    scores : Scores
        Scores computed with `keep_matches=True`.
    gold, predictions : Mapping[str, Extraction]
        What was scored; the log's indices point into their layer lists.
    """
    import json

    from claimbench.fileio import write_atomic

    def item(source: Mapping[str, Extraction], doc_id: str, layer: str, index: int | None) -> Any:
        if index is None:
            return None
        return getattr(source[doc_id], layer)[index].model_dump(mode="json", exclude_none=True)

    lines = []
    for match in scores.matches():
        row = match.as_dict()
        row["gold_item"] = item(gold, match.doc_id, match.layer, match.gold)
        row["predicted_item"] = item(predictions, match.doc_id, match.layer, match.predicted)
        lines.append(json.dumps(row, ensure_ascii=False) + "\n")
    write_atomic(path, "".join(lines))
