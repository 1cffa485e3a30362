"""From predictions to results: gold loading, scoring, provenance and gates in one place,
shared by `claimbench evaluate`, `score` and `compare`."""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimbench.corpus.store import Corpus, JsonlCorpus
from claimbench.evaluation.sources import Predicted
from claimbench.extractors.failures import DocumentFailure
from claimbench.extractors.runner import attempted_layers
from claimbench.models import Extraction
from claimbench.reporting.gates import GateSpec, evaluate_gates, headline_keys
from claimbench.reporting.provenance import build_provenance, data_provenance, plugin_provenance
from claimbench.reporting.results import Results

if TYPE_CHECKING:
    from claimbench.scoring import Scores
    from claimbench.scoring.claims import ClaimScores
    from claimbench.validation.gold import GoldSet


@dataclass(frozen=True)
class ScoringOptions:
    """Scorer settings: bootstrap, minimum overlap, and where to write the match log."""

    resamples: int = 1000
    seed: int = 0
    min_dice: float = 0.0
    detail: bool = True
    match_log: Path | None = None


class GoldFolder(dict[str, Extraction]):
    """A checked gold folder as the scorer's gold: each document's layers by id, in corpus
    order (`GoldSet.extractions`), and the `GoldSet` itself (`gold_set`), against which the
    claims layer is scored; so the folder is read and checked once for both.

    Parameters
    ----------
    gold_set : GoldSet
        The folder, from `load_gold`.
    """

    def __init__(self, gold_set: "GoldSet") -> None:
        super().__init__(gold_set.extractions())
        self.gold_set = gold_set


def gold_extractions(gold_path: Path, corpus: Corpus | JsonlCorpus) -> Mapping[str, Extraction]:
    """The gold as extractions the scorer compares with predictions, checked: a gold folder
    (every corpus document, held in memory), or a predictions-format JSON Lines file (its
    documents and layers only, e.g. one annotator's pass scored against another's, or a large
    corpus's answers), read one document at a time as it is scored.

    Parameters
    ----------
    gold_path : Path
        A gold folder, or a JSON Lines file.
    corpus : Corpus or JsonlCorpus
        The corpus the gold annotates (a gold folder needs a corpus folder).

    Returns
    -------
    Mapping[str, Extraction]
        The gold by document id, in scoring order: a `GoldFolder` (corpus order, claims
        and slots included) for a folder, a `PredictionsFile` (file order) for a file.

    Raises
    ------
    InputError
        With every problem of the gold (see `claimbench validate gold` and `validate
        predictions`).
    UsageError
        When a gold folder is given with a JSON Lines corpus.

    Examples
    --------
    >>> from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
    >>> from claimbench.corpus.store import load_corpus
    >>> gold = gold_extractions(DEFAULT_GOLD, load_corpus(DEFAULT_CORPUS))
    >>> list(gold)[0], gold.gold_set.slots is not None
    ('000-afp', True)
    """
    from claimbench.errors import UsageError
    from claimbench.validation.gold import load_gold
    from claimbench.validation.predictions import index_predictions

    if gold_path.is_file():
        return index_predictions(gold_path, corpus)
    if not isinstance(corpus, Corpus):
        raise UsageError(
            f"--gold {gold_path}: a gold folder is checked against a corpus folder's manifest; "
            "with a JSON Lines corpus give the gold as a JSON Lines file"
        )
    return GoldFolder(load_gold(gold_path, corpus))


def load_gold_extractions(gold_path: Path, corpus: Corpus) -> dict[str, Extraction]:
    """`gold_extractions`, every document held in memory (for the leaderboard, which scores
    many submissions against it): a folder's `GoldFolder` as it is, a file's records read
    into a dict.

    Raises
    ------
    InputError
        With every problem of the gold.
    """
    gold = gold_extractions(gold_path, corpus)
    return gold if isinstance(gold, GoldFolder) else dict(gold)


def score_predictions(
    predicted: Predicted,
    *,
    corpus: Corpus | JsonlCorpus,
    gold_dir: Path,
    gold: Mapping[str, Extraction],
    gates: GateSpec,
    options: ScoringOptions,
) -> Results:
    """Score `predicted` against `gold` and wrap the scores with provenance and gates.

    Documents are scored one at a time in the gold's order, each read (gold, text and
    prediction) when it is scored, so with file-backed `gold` and predictions (see
    `gold_extractions` and `index_predictions`) and `options.detail` off, memory does not
    grow with the corpus beyond a few numbers per document.

    Parameters
    ----------
    predicted : Predicted
        The plugin (or file), its predictions and its failed documents.
    corpus : Corpus or JsonlCorpus
        Where the texts come from (hashed into the provenance).
    gold_dir : Path
        Where the gold comes from (hashed into the provenance).
    gold : Mapping[str, Extraction]
        The gold, from `gold_extractions`. Predicted claims are scored only against a
        `GoldFolder` whose folder has `slots.json` (`score_gold_claims`).
    gates : GateSpec
        The gates to judge.
    options : ScoringOptions
        Bootstrap resamples and seed, minimum overlap, detail, match log.

    Returns
    -------
    Results
        Headline metrics, full scores, failures, gate verdicts and provenance.

    Raises
    ------
    InputError
        A prediction for a document that is not in the gold; a layer that some gold documents
        have and others lack; a prediction that lacks an attempted layer.

    Examples
    --------
    >>> from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
    >>> from claimbench.corpus.store import load_corpus
    >>> from claimbench.extractors.plugin import PluginInfo, PluginKind
    >>> from claimbench.evaluation.sources import Started
    >>> from claimbench.reporting.gates import GateSpec
    >>> corpus = load_corpus(DEFAULT_CORPUS)
    >>> info = PluginInfo(kind=PluginKind.PREDICTIONS, name="x", version="1", target="x")
    >>> predicted = Predicted(info, {"001-dawn": Extraction(numbers=[])}, Started.now())
    >>> results = score_predictions(predicted, corpus=corpus, gold_dir=DEFAULT_GOLD,
    ...     gold=gold_extractions(DEFAULT_GOLD, corpus), gates=GateSpec(),
    ...     options=ScoringOptions(resamples=0))
    >>> results.headline["numbers.f1"], len(results.failures)
    (0.0, 4)
    """
    from claimbench.scoring import Scorer, ScoringSettings, scorable_layers
    from claimbench.validation.predictions import LayerPresence

    predictions = predicted.predictions
    presence = LayerPresence.of(predictions)
    attempted = attempted_layers(predicted.info, presence.layers)
    _check_documents_in_gold(predicted, gold)
    layers = scorable_layers(LayerPresence.of(gold), attempted)
    settings = ScoringSettings(
        resamples=options.resamples,
        seed=options.seed,
        min_dice=options.min_dice,
        detail=options.detail,
    )
    scorer = Scorer(layers, settings, keep_matches=options.match_log is not None)
    found_nothing = Extraction.model_validate({layer.value: [] for layer in attempted})
    for doc_id, gold_doc in gold.items():
        predicted_doc = predictions.get(doc_id, found_nothing)
        scorer.add(doc_id, corpus.document(doc_id).text, gold_doc, predicted_doc)
    scores = scorer.result()
    if options.match_log is not None:
        write_match_log(options.match_log, scores, gold, predictions, found_nothing)
    claims = None
    if presence.claims and isinstance(gold, GoldFolder):
        claims = score_gold_claims(predicted, corpus=corpus, gold=gold.gold_set, options=options)
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
        documents=len(gold),
        failures=[*predicted.failures, *_missing(predicted, gold)],
        gates=evaluate_gates(headline, gates),
        claims=claims,
    )


def score_gold_claims(
    predicted: Predicted,
    *,
    corpus: Corpus | JsonlCorpus,
    gold: "GoldSet",
    options: ScoringOptions,
) -> "ClaimScores | None":
    """The claims figures, when the gold has claims and `slots.json`; None otherwise (call it
    when the plugin attempted claims: any document has a `claims` layer).

    A document that failed or has no `claims` counts as "found nothing", so its gold claims
    are missed. The texts and predictions of the gold's documents are held in memory.

    Raises
    ------
    InputError
        When a predicted claim's span does not fit its text.
    """
    from claimbench.scoring.claims import found_nothing_where_absent, score_claims

    if gold.slots is None:
        return None
    predictions = found_nothing_where_absent(predicted.predictions, gold.documents)
    texts = {doc_id: corpus.document(doc_id).text for doc_id in gold.documents}
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
    from claimbench.errors import Problem, Problems

    problems = Problems()
    for doc_id in predicted.predictions:
        if doc_id not in gold:
            problems.add(
                Problem(predicted.info.target, "document is not in the gold", doc_id=doc_id)
            )
    problems.check()


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
    found_nothing: Extraction,
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
    found_nothing : Extraction
        What was scored for a gold document without prediction.
    """
    import json

    from claimbench.fileio import atomic_writer

    last: dict[str, tuple[str, Extraction]] = {}

    def item(side: str, doc_id: str, layer: str, index: int | None) -> Any:
        if index is None:
            return None
        if side not in last or last[side][0] != doc_id:
            if side == "gold":
                last[side] = (doc_id, gold[doc_id])
            else:
                found = predictions.get(doc_id, found_nothing)
                last[side] = (doc_id, found)
        extraction = last[side][1]
        return getattr(extraction, layer)[index].model_dump(mode="json", exclude_none=True)

    with atomic_writer(path) as handle:
        for match in scores.matches():
            row = match.as_dict()
            row["gold_item"] = item("gold", match.doc_id, match.layer, match.gold)
            row["predicted_item"] = item("predicted", match.doc_id, match.layer, match.predicted)
            handle.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
