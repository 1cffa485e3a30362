"""The one pipeline from corpus, gold, predictions and settings to results, used by
`claimbench evaluate`, `score` and `compare`; its scoring core (`score_documents`) also scores
each submission of the leaderboard build.

Documents are scored one at a time in the gold's order. Each document's text is read once,
and the gold and the predictions read from files are checked against it there, so that each
line of a file is parsed and checked once; predictions the harness made itself (a plugin run)
are trusted. The predictions may come in any order: they are taken in the gold's order, and
those that come early wait (`InGoldOrder`), so the predictions held stay bounded when both
are in corpus order, as `claimbench predict` writes them (a corpus folder's texts are kept
once read; a JSON Lines corpus is streamed).
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimbench.corpus.store import Corpus, JsonlCorpus
from claimbench.errors import Problem, Problems, UsageError
from claimbench.evaluation.sources import Predicted
from claimbench.extractors.failures import DocumentFailure, FailureCause
from claimbench.extractors.runner import attempted_layers
from claimbench.models import Extraction, Layer, LayerPresence, SlotsFile
from claimbench.processes import collecting_rarely
from claimbench.reporting.gates import GateSpec, evaluate_gates, headline_keys
from claimbench.reporting.provenance import build_provenance, data_provenance, plugin_provenance
from claimbench.reporting.results import Results
from claimbench.scoring import Scorer, Scores, ScoringSettings
from claimbench.scoring.label_map import LabelMapping, map_labels
from claimbench.validation.predictions import (
    Found,
    check_prediction,
    load_predictions,
    partial_layers,
    read_predictions,
)

if TYPE_CHECKING:
    from claimbench.scoring.claims import ClaimScores
    from claimbench.validation.gold import GoldSet


@dataclass(frozen=True)
class Gold:
    """The gold to score against: a checked gold folder (`gold_set`, held in memory), or a
    predictions-format JSON Lines file read once, one document at a time, as it is scored.

    Parameters
    ----------
    path : Path
        The gold folder or file (hashed into the provenance).
    corpus : Corpus or JsonlCorpus
        The corpus it annotates.
    gold_set : GoldSet or None
        The checked folder, with its claims and slots; None for a file.
    """

    path: Path
    corpus: Corpus | JsonlCorpus
    gold_set: "GoldSet | None" = None
    held: Mapping[str, Extraction] | None = None
    """Every document's layers in scoring order, held and trusted (`hold`); None: read as
    scored."""

    def documents(self, problems: Problems) -> Iterator[Found]:
        """Each gold document in scoring order (a folder's, or one held: trusted; a file's: its
        spans are still to be checked against the text)."""
        if self.held is not None:
            return (Found(d, gold) for d, gold in self.held.items())
        if self.gold_set is not None:
            return (Found(d, gold) for d, gold in self.gold_set.extractions().items())
        return read_predictions(self.path, self.corpus, problems)

    def hold(self) -> "Gold":
        """This gold with every document held in memory, read and checked once here, for a
        caller that scores many sets of predictions against it (the leaderboard).

        Raises
        ------
        InputError
            With every problem of a gold file.

        Examples
        --------
        >>> from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
        >>> from claimbench.corpus.store import load_corpus
        >>> gold = gold_extractions(DEFAULT_GOLD, load_corpus(DEFAULT_CORPUS)).hold()
        >>> list(gold.held)[:2]
        ['000-afp', '001-dawn']
        """
        if self.gold_set is not None:
            return replace(self, held=self.gold_set.extractions())
        return replace(self, held=dict(load_predictions(self.path, self.corpus)))


def gold_extractions(gold_path: Path, corpus: Corpus | JsonlCorpus) -> Gold:
    """The gold the scorer compares with predictions: a gold folder (checked here, every
    corpus document, held in memory), or a predictions-format JSON Lines file (its documents
    and layers only, e.g. one annotator's pass scored against another's, or a large corpus's
    answers), read and checked one document at a time as it is scored.

    Parameters
    ----------
    gold_path : Path
        A gold folder, or a JSON Lines file.
    corpus : Corpus or JsonlCorpus
        The corpus the gold annotates (a gold folder needs a corpus folder).

    Returns
    -------
    Gold
        The gold, with its checked `gold_set` for a folder.

    Raises
    ------
    InputError
        With every problem of a gold folder (see `claimbench validate gold`).
    UsageError
        When a gold folder is given with a JSON Lines corpus.

    Examples
    --------
    >>> from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
    >>> from claimbench.corpus.store import load_corpus
    >>> gold = gold_extractions(DEFAULT_GOLD, load_corpus(DEFAULT_CORPUS))
    >>> next(gold.documents(Problems())).doc_id, gold.gold_set.slots is not None
    ('000-afp', True)
    """
    from claimbench.validation.gold import load_gold

    if gold_path.is_file():
        return Gold(gold_path, corpus)
    if not isinstance(corpus, Corpus):
        raise UsageError(
            f"--gold {gold_path}: a gold folder is checked against a corpus folder's manifest; "
            "with a JSON Lines corpus give the gold as a JSON Lines file"
        )
    return Gold(gold_path, corpus, load_gold(gold_path, corpus))


@dataclass(frozen=True)
class Evaluation:
    """What the pipeline made: the results, which layers the predictions had (`presence`, for
    warnings such as `LayerPresence.silent_zeros`), and the predictions it kept (when asked
    to, as they were given: before any label map)."""

    results: Results
    presence: LayerPresence
    predictions: dict[str, Extraction] = field(default_factory=dict)


class OutOfOrderError(Exception):
    """The predictions left a document out and came out of corpus order: read them again,
    every one held until its turn."""


class InGoldOrder:
    """Predictions read from a stream in any order, taken in the gold's order.

    A prediction that comes before its turn waits here. While the stream is in corpus order,
    a document whose place has passed has no prediction, so nothing more is read to find out;
    with `in_order` False (or once the stream is seen out of order) the rest of the stream is
    read before a document is called missing.

    Parameters
    ----------
    stream : Iterator[Found]
        The predictions.
    positions : Mapping[str, int]
        Each document's corpus position.
    in_order : bool
        Whether a document may be called missing once a later one came.

    Examples
    --------
    >>> found = iter([Found("b", Extraction()), Found("c", Extraction())])
    >>> predictions = InGoldOrder(found, {"a": 0, "b": 1, "c": 2}, in_order=True)
    >>> predictions.take("a") is None, predictions.take("c").doc_id, predictions.take("b").doc_id
    (True, 'c', 'b')
    """

    def __init__(
        self, stream: Iterator[Found], positions: Mapping[str, int], *, in_order: bool
    ) -> None:
        self.stream = stream
        self.positions = positions
        self.in_order = in_order
        self.waiting: dict[str, Found] = {}
        self.latest = -1
        """The latest corpus position read so far."""
        self.assumed_missing = False

    def peek(self) -> Found | None:
        """The first prediction, left to be taken."""
        if self.waiting:
            return next(iter(self.waiting.values()))
        found = self._next()
        if found is not None:
            self.waiting[found.doc_id] = found
        return found

    def take(self, doc_id: str) -> Found | None:
        """The prediction of `doc_id`, or None when there is none."""
        found = self.waiting.pop(doc_id, None)
        if found is not None:
            return found
        position = self.positions[doc_id]
        while not self.in_order or self.latest < position:
            found = self._next()
            if found is None:
                return None
            if found.doc_id == doc_id:
                return found
            self.waiting[found.doc_id] = found
        self.assumed_missing = True
        return None

    def rest(self) -> Iterator[Found]:
        """The predictions never taken: those waiting, then the rest of the stream."""
        yield from self.waiting.values()
        self.waiting = {}
        while (found := self._next()) is not None:
            yield found

    def _next(self) -> Found | None:
        found = next(self.stream, None)
        if found is None:
            return None
        position = self.positions[found.doc_id]
        if position < self.latest:
            if self.assumed_missing:
                raise OutOfOrderError
            self.in_order = False
        self.latest = max(self.latest, position)
        return found


def score_predictions(
    predicted: Predicted,
    gold: Gold,
    *,
    settings: ScoringSettings,
    gates: GateSpec | None = None,
    match_log: Path | None = None,
    label_map: LabelMapping | None = None,
    keep: bool = False,
) -> Evaluation:
    """Score `predicted` against `gold` and wrap the scores with provenance and gates.

    Parameters
    ----------
    predicted : Predicted
        The plugin (or file), its predictions and its failed documents.
    gold : Gold
        The gold, from `gold_extractions`. Predicted claims are scored only against a gold
        folder with `slots.json`.
    settings : ScoringSettings
        Bootstrap resamples and seed, minimum overlap, detail.
    gates : GateSpec or None
        The gates to judge.
    match_log : Path or None
        Write every pair, miss and false positive here (JSON Lines).
    label_map : LabelMapping or None
        Map predicted labels onto the gold's before scoring (`claimbench.scoring.label_map`;
        checked); recorded in the provenance.
    keep : bool
        Keep the predictions in `Evaluation.predictions` (for `--record`).

    Returns
    -------
    Evaluation
        Headline metrics, full scores, failures, gate verdicts and provenance.

    Raises
    ------
    InputError
        With every problem of the gold and predictions read from files (each is checked as
        it is scored), a prediction for a document that is not in the gold, documents that
        give different layers.

    Examples
    --------
    >>> from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
    >>> from claimbench.corpus.store import load_corpus
    >>> from claimbench.evaluation.sources import Started
    >>> from claimbench.extractors.plugin import PluginInfo, PluginKind
    >>> corpus = load_corpus(DEFAULT_CORPUS)
    >>> info = PluginInfo(kind=PluginKind.PREDICTIONS, name="x", version="1", target="x")
    >>> predicted = Predicted(info, {"001-dawn": Extraction(numbers=[])}, Started.now())
    >>> results = score_predictions(predicted, gold_extractions(DEFAULT_GOLD, corpus),
    ...     settings=ScoringSettings(resamples=0)).results
    >>> results.headline["numbers.f1"], len(results.failures)
    (0.0, 4)
    """
    wanted = Wanted(matches=match_log is not None, scored=match_log is not None, predictions=keep)
    scored = score_documents(predicted, gold, settings, wanted=wanted, label_map=label_map)
    if match_log is not None:
        write_match_log(match_log, scored.scores, scored.kept.gold, scored.kept.scored)
    results = _results(predicted, gold, scored, gates or GateSpec(), label_map)
    return Evaluation(results, scored.kept.presence, scored.kept.predictions if keep else {})


@dataclass(frozen=True)
class Wanted:
    """What a caller of `score_documents` needs besides the figures, so that only that is held
    while the documents are scored.

    Examples
    --------
    >>> Wanted(matches=True).scored
    False
    """

    matches: bool = False
    """The scorer's match log (`Scores.pairs`, `Scores.matches`)."""
    scored: bool = False
    """Each document's gold and predictions as scored (labels mapped), for writing the match
    log."""
    predictions: bool = False
    """Each document's predictions as given (for `--record`)."""
    headline_only: bool = False
    """Only each layer's headline scheme (see `Scorer`): for a caller that shows no other."""


@dataclass
class Kept:
    """What is held while the documents are scored: counts, and what `Wanted` asks for."""

    presence: LayerPresence = field(default_factory=LayerPresence)
    """Of the predictions, as they were read (for warnings such as
    `LayerPresence.silent_zeros`)."""
    documents: int = 0
    unpredicted: list[str] = field(default_factory=list)
    """Gold documents without a prediction, scored as found nothing."""
    predictions: dict[str, Extraction] = field(default_factory=dict)
    """As given (before any label map): every one when asked for; otherwise only those with
    claims, when the gold scores claims."""
    scored: dict[str, Extraction] = field(default_factory=dict)
    gold: dict[str, Extraction] = field(default_factory=dict)

    def keep(
        self,
        doc_id: str,
        gold: Extraction,
        scored: Extraction,
        predicted: Extraction | None,
        wanted: Wanted,
        claims: bool,
    ) -> None:
        """Hold what `wanted` (and the claims, when `claims`) need of one scored document;
        `predicted` is None when it had no prediction."""
        self.documents += 1
        if wanted.scored:
            self.gold[doc_id], self.scored[doc_id] = gold, scored
        if predicted is not None and (
            wanted.predictions or (claims and predicted.claims is not None)
        ):
            self.predictions[doc_id] = predicted


@dataclass(frozen=True)
class Scored:
    """What `score_documents` made: the figures, the claims figures, and what was kept."""

    scores: Scores
    claims: "ClaimScores | None"
    attempted: list[Layer]
    """The layers the predictions attempted (declared, or those of the first answer)."""
    kept: Kept


def score_documents(
    predicted: Predicted,
    gold: Gold,
    settings: ScoringSettings,
    *,
    wanted: Wanted = Wanted(),
    label_map: LabelMapping | None = None,
) -> Scored:
    """Score `predicted` against `gold`, one document at a time in the gold's order: the one
    scoring path of `evaluate`, `score`, `compare` and the leaderboard build.

    A gold document without a prediction counts as "attempted, found nothing"
    (`Extraction.found_nothing`), so its gold is missed. Claims are scored (against a gold
    folder with `slots.json`) when any prediction has a `claims` layer. The cycle collector
    runs rarely meanwhile (`collecting_rarely`): the items read hold no cycles.

    Parameters
    ----------
    predicted : Predicted
        The predictions, read once.
    gold : Gold
        The gold (`gold_extractions`, or `Gold.hold` to score many against it).
    settings : ScoringSettings
        Bootstrap resamples and seed, minimum overlap, detail.
    wanted : Wanted
        What to keep besides the figures.
    label_map : LabelMapping or None
        Map predicted labels onto the gold's before scoring.

    Returns
    -------
    Scored
        The figures and what `wanted` asked for.

    Raises
    ------
    InputError
        With every problem of the gold and predictions read from files, a prediction for a
        document that is not in the gold, documents that give different layers.

    Examples
    --------
    >>> from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
    >>> from claimbench.corpus.store import load_corpus
    >>> from claimbench.evaluation.sources import Started
    >>> from claimbench.extractors.plugin import PluginInfo, PluginKind
    >>> gold = gold_extractions(DEFAULT_GOLD, load_corpus(DEFAULT_CORPUS)).hold()
    >>> info = PluginInfo(kind=PluginKind.PREDICTIONS, name="x", version="1", target="x")
    >>> predicted = Predicted(info, {"001-dawn": Extraction(numbers=[])}, Started.now())
    >>> scored = score_documents(predicted, gold, ScoringSettings(resamples=0))
    >>> scored.scores.headline_metrics()["numbers.f1"], scored.kept.unpredicted[0]
    (0.0, '000-afp')
    """
    with collecting_rarely():
        try:
            return _score(predicted, gold, settings, wanted, label_map, in_order=True)
        except OutOfOrderError:
            if not predicted.restartable:
                raise
            return _score(predicted, gold, settings, wanted, label_map, in_order=False)


def _score(
    predicted: Predicted,
    gold: Gold,
    settings: ScoringSettings,
    wanted: Wanted,
    label_map: LabelMapping | None,
    *,
    in_order: bool,
) -> Scored:
    problems = Problems()
    positions = gold.corpus.positions
    # Predictions held in memory come in no particular order: the first document missing
    # reads them all.
    in_order = in_order and not isinstance(predicted.predictions, Mapping)
    pending = InGoldOrder(predicted.read(problems), positions, in_order=in_order)
    first = pending.peek()
    attempted = attempted_layers(predicted.info, first.extraction.attempted() if first else [])
    gold_docs = gold.documents(problems)
    first_gold = next(gold_docs, None)
    gold_layers = first_gold.extraction.attempted() if first_gold else []
    scorer = Scorer(
        [layer for layer in attempted if layer in gold_layers],
        settings,
        keep_matches=wanted.matches,
        headline_only=wanted.headline_only,
        annotated=gold_layers,
    )
    found_nothing = Extraction.found_nothing(attempted)
    gold_set = gold.gold_set
    slots = None if gold_set is None else gold_set.slots
    claims = slots is not None  # the gold scores claims
    kept = Kept()
    gold_presence = LayerPresence()
    for gold_found in _chain(first_gold, gold_docs):
        doc_id = gold_found.doc_id
        text = gold.corpus.text(doc_id)
        gold_presence.add(doc_id, gold_found.extraction, _line(gold_found))
        gold_doc = _checked(gold_found, text, gold_layers, problems)
        found = pending.take(doc_id)
        if found is None:
            kept.unpredicted.append(doc_id)
        else:
            kept.presence.add(doc_id, found.extraction, _line(found))
        predicted_doc = (
            found_nothing
            if found is None
            # the layers of the first answer, unless the plugin declared its layers
            else _checked(
                found, text, attempted if predicted.info.layers is None else None, problems
            )
        )
        if gold_doc is None or predicted_doc is None:
            continue  # reported; the results are not made
        scored = predicted_doc if label_map is None else map_labels(predicted_doc, label_map)
        scorer.add(doc_id, text, gold_doc, scored)
        kept.keep(
            doc_id, gold_doc, scored, None if found is None else predicted_doc, wanted, claims
        )
    for found in pending.rest():
        problems.add(
            Problem(predicted.info.target, "document is not in the gold", doc_id=found.doc_id)
        )
    problems.extend(partial_layers(gold_presence, gold.path))
    if predicted.info.layers is None:
        problems.extend(partial_layers(kept.presence, predicted.info.target))
    problems.check()
    scores = scorer.result()
    found_claims = None
    if gold_set is not None and slots is not None and kept.presence.claims:
        found_claims = _score_claims(kept.predictions, gold_set, slots, gold.corpus, settings)
    return Scored(scores, found_claims, attempted, kept)


def _line(found: Found) -> int | None:
    return None if found.where is None else found.where.line


def _chain(first: Found | None, rest: Iterator[Found]) -> Iterator[Found]:
    if first is not None:
        yield first
        yield from rest


def _checked(
    found: Found,
    text: str,
    layers: list[Layer] | None,
    problems: Problems,
) -> Extraction | None:
    """`found`'s layers when they are sound: spans that fit `text` (when read from a file),
    and, when `layers` is given, those layers (every document of the gold, and of a
    predictions file, gives the same layers: `partial_layers` says which differ, once all are
    read). None otherwise (the problems are reported)."""
    if layers is not None and found.extraction.attempted() != layers:
        return None
    issues = [] if found.where is None else check_prediction(found.extraction, text, found.where)
    problems.extend(issues)
    return None if issues else found.extraction


def _results(
    predicted: Predicted,
    gold: Gold,
    scored: Scored,
    gates: GateSpec,
    label_map: LabelMapping | None,
) -> Results:
    headline = {key: scored.scores.headline_metrics().get(key) for key in headline_keys()}
    if scored.claims is not None:
        headline |= scored.claims.headline_metrics()
    provenance = build_provenance(
        data=data_provenance(gold.corpus, gold.path, gold.gold_set),
        plugin=plugin_provenance(predicted.info, [layer.value for layer in scored.attempted]),
        started_at=predicted.started.at,
        duration=predicted.started.elapsed(),
        label_map=label_map,
    )
    failed = {failure.doc_id for failure in predicted.failures}
    missing = [
        DocumentFailure(
            doc_id=doc_id,
            cause=FailureCause.MISSING,
            message="no prediction for this document; its gold counts as missed",
        )
        for doc_id in scored.kept.unpredicted
        if doc_id not in failed
    ]
    return Results(
        provenance=provenance,
        headline=headline,
        scores=scored.scores,
        documents=scored.kept.documents,
        failures=[*predicted.failures, *missing],
        gates=evaluate_gates(headline, gates),
        claims=scored.claims,
    )


def _score_claims(
    predictions: Mapping[str, Extraction],
    gold_set: "GoldSet",
    slots: SlotsFile,
    corpus: Corpus | JsonlCorpus,
    settings: ScoringSettings,
) -> "ClaimScores":
    """The claims figures against a gold folder's claims and `slots.json`, the texts taken
    from its corpus (read once: `Corpus.document`).

    A document that failed or has no `claims` counts as "found nothing", so its gold claims
    are missed.
    """
    from claimbench.scoring.claims import found_nothing_where_absent, score_claims

    return score_claims(
        gold_set.documents,
        slots,
        found_nothing_where_absent(predictions, gold_set.documents),
        {doc_id: corpus.text(doc_id) for doc_id in gold_set.documents},
        resamples=settings.resamples,
        seed=settings.seed,
    )


def write_match_log(
    path: Path,
    scores: Scores,
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
        What was scored (a gold document without prediction as found-nothing); the log's
        indices point into their layer lists.
    """
    import json

    from claimbench.fileio import atomic_writer
    from claimbench.models.compiled import as_model

    def item(extraction: Extraction, layer: str, index: int | None) -> Any:
        if index is None:
            return None
        found = as_model(getattr(extraction, layer)[index])
        return found.model_dump(mode="json", exclude_none=True)

    with atomic_writer(path) as handle:
        for match in scores.matches():
            row = match.as_dict()
            row["gold_item"] = item(gold[match.doc_id], match.layer, match.gold)
            row["predicted_item"] = item(predictions[match.doc_id], match.layer, match.predicted)
            handle.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
