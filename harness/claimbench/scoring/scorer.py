"""The scorer: documents in, `Scores` out, in bounded memory.

`Scorer` takes one document at a time and scores buffered documents in batches (vectorised
alignment and counting), so memory is bounded by the batch and the counts, not the corpus.
`score` is the one-call form over mappings.

With full detail (the default) the scorer keeps counts per document and per paragraph: the
per-document figures, the paragraph bootstrap's intervals and `compare` need them. In summary
mode (`ScoringSettings(detail=False)`) it keeps nothing per document or paragraph: each batch
is folded into corpus totals and streamed into a Poisson bootstrap (`PoissonBootstrap`), so its
memory does not grow with the corpus. Every figure is the same in both modes except the
intervals, which come from the two bootstraps: on large corpora they agree to within their
Monte Carlo error (see `claimbench.scoring.bootstrap`).
"""

from collections.abc import Iterable, Mapping
from typing import NoReturn

import numpy as np
from numpy.typing import NDArray

from claimbench.errors import InputError, Problem
from claimbench.models import Extraction, Layer, LayerPresence
from claimbench.scoring.attributions import AttributionScorer
from claimbench.scoring.batch import DocumentPair, Layout
from claimbench.scoring.bootstrap import PoissonBootstrap, bootstrap_f1, intervals
from claimbench.scoring.counts import category_rows, headline_prf, label_rows, macro
from claimbench.scoring.scores import (
    Accuracy,
    CategoryFigures,
    Figure,
    LabelFigures,
    LayerScores,
    MacroFigures,
    RoleFigures,
    SchemeFigures,
    Scores,
    ScoringSettings,
    Units,
)
from claimbench.scoring.span_layers import EntityScorer, LayerScorer, NumberScorer

SCORERS: dict[Layer, type[LayerScorer]] = {
    Layer.ENTITIES: EntityScorer,
    Layer.NUMBERS: NumberScorer,
    Layer.ATTRIBUTIONS: AttributionScorer,
}
BATCH_ITEMS = 50_000
"""Items buffered before a batch is scored: large enough to vectorise, small enough to bound
memory."""


class Scorer:
    """Scores documents one at a time.

    Parameters
    ----------
    attempted : iterable of Layer
        The layers to score; the others are reported as not attempted.
    settings : ScoringSettings
        Bootstrap resamples, seed, confidence, minimum Dice overlap, detail. Without detail
        nothing is kept per document, so a document given twice is not detected: feed the
        scorer from a mapping.
    keep_matches : bool
        Keep the match log (needed for error analysis; costs memory on large corpora).
    headline_only : bool
        Count, log and report each layer's headline scheme only (`LayerScores.schemes` then
        holds that one; no accuracies on matched pairs, no role figures): for a caller that
        shows nothing else, such as the leaderboard.
    annotated : iterable of Layer or None
        The layers the gold annotates (`LayerPresence.layers`; None: all of them). The
        overall score is the mean over these, a layer not attempted counting 0; the others
        are reported as not annotated. The attempted layers must be among them.

    Examples
    --------
    >>> from claimbench.models import PredictedEntity
    >>> gold = Extraction(entities=[PredictedEntity(start=0, end=5, label="GPE")])
    >>> scorer = Scorer([Layer.ENTITIES], ScoringSettings(resamples=0))
    >>> scorer.add("d1", "Paris is big.\\n", gold, gold)
    >>> scorer.result().layers[Layer.ENTITIES].f1.value
    1.0
    """

    def __init__(
        self,
        attempted: Iterable[Layer],
        settings: ScoringSettings,
        *,
        keep_matches: bool = False,
        headline_only: bool = False,
        annotated: Iterable[Layer] | None = None,
    ) -> None:
        self.settings = settings
        self.attempted = [layer for layer in Layer if layer in set(attempted)]
        self.annotated = list(Layer) if annotated is None else list(annotated)
        if not set(self.attempted) <= set(self.annotated):
            raise ValueError("the layers to score must be among the annotated layers")
        self.scorers = {
            layer: SCORERS[layer](
                min_dice=settings.min_dice,
                keep_matches=keep_matches,
                detail=settings.detail,
                headline_only=headline_only,
            )
            for layer in self.attempted
        }
        self.doc_ids: list[str] = []
        self.paragraphs: list[int] = []
        """Each document's id and paragraphs, in order (with detail only)."""
        self._seen: set[str] = set()
        self._poisson = (
            None
            if settings.detail
            else PoissonBootstrap(len(self.attempted), settings.resamples, settings.seed)
        )
        self._fields = [layer.value for layer in self.attempted]
        """The attempted layers' field names (read per document: `Layer.value` is slow)."""
        self._buffer: list[DocumentPair] = []
        self._buffered_items = 0
        self._flushed_docs = 0
        self._flushed_units = 0

    def add(self, doc_id: str, text: str, gold: Extraction, predicted: Extraction) -> None:
        """Add one document: its text, gold and predictions (every attempted layer present)."""
        layers = [getattr(x, name) for name in self._fields for x in (gold, predicted)]
        if doc_id in self._seen or any(items is None for items in layers):
            self._refuse(doc_id, gold, predicted)
        pair = DocumentPair.make(doc_id, text, gold, predicted)
        if self.settings.detail:
            self._seen.add(doc_id)
            self.doc_ids.append(doc_id)
            self.paragraphs.append(pair.paragraphs)
        self._buffer.append(pair)
        self._buffered_items += sum(map(len, layers))
        if self._buffered_items >= BATCH_ITEMS:
            self._flush()

    def _refuse(self, doc_id: str, gold: Extraction, predicted: Extraction) -> NoReturn:
        """Raise `InputError` naming why a document cannot be added: given twice, or without
        an attempted layer."""
        problems = []
        if doc_id in self._seen:
            problems.append(Problem("scoring input", "document scored twice", doc_id=doc_id))
        for name in self._fields:
            for side, extraction in (("gold", gold), ("predictions", predicted)):
                if getattr(extraction, name) is None:
                    problems.append(Problem(side, f"layer {name} missing", doc_id=doc_id))
        raise InputError(problems)

    def _flush(self) -> None:
        if not self._buffer:
            return
        layout = Layout.of(self._buffer, self._flushed_docs, self._flushed_units)
        for scorer in self.scorers.values():
            scorer.add(layout)
        if self._poisson is not None and self.scorers:
            batch_units = [scorer.counts.unit_counts() for scorer in self.scorers.values()]
            self._poisson.add(np.stack(batch_units, axis=1))
        self._flushed_docs += layout.batch.n_docs
        self._flushed_units += layout.batch.n_units
        self._buffer, self._buffered_items = [], 0

    def result(self) -> Scores:
        """Score what is buffered and return every figure, with intervals."""
        self._flush()
        units, samples, overall_samples = self._headline_counts()
        *bounds, overall_bounds = intervals([*samples, overall_samples], self.settings.confidence)
        layers = {
            layer: self._layer(self.scorers[layer], layer_units, layer_bounds)
            if layer in self.scorers
            else LayerScores(attempted=False, annotated=layer in self.annotated)
            for layer, layer_units, layer_bounds in zip(Layer, units, bounds, strict=True)
        }
        headlines = [s.f1.value if s.f1 else 0.0 for s in layers.values() if s.annotated]
        value = float(np.mean(headlines)) if headlines else 0.0
        scores = Scores(
            settings=self.settings,
            units=Units(documents=self.doc_ids, paragraphs=self.paragraphs),
            overall=Figure.of(value, overall_bounds),
            layers=layers,
        )
        scores._matches = [m for s in self.scorers.values() for m in s.matches]
        return scores

    def _headline_counts(
        self,
    ) -> tuple[list[NDArray | None], list[NDArray | None], NDArray]:
        """Per layer (in `Layer` order, None where not attempted) the headline counts (per
        paragraph; in summary mode one row, the corpus totals) and the resampled F1s; and the
        resampled overall score."""
        if self._poisson is None:
            units = [
                self.scorers[layer].counts.unit_counts() if layer in self.scorers else None
                for layer in Layer
            ]
            samples, overall = bootstrap_f1(
                units, self.settings.resamples, self.settings.seed, layers=len(self.annotated)
            )
            return units, samples, overall
        resampled = self._poisson.f1_samples()  # (resamples, attempted layers)
        index = {layer: i for i, layer in enumerate(self.scorers)}
        totals = self._poisson.totals
        return (
            [totals[index[layer]][None] if layer in index else None for layer in Layer],
            [resampled[:, index[layer]] if layer in index else None for layer in Layer],
            resampled.sum(axis=1) / max(len(self.annotated), 1),
        )

    def _layer(
        self, scorer: LayerScorer, units: np.ndarray, bounds: tuple[float, float] | None
    ) -> LayerScores:
        precision, recall, f1 = headline_prf(units)
        figure = Figure.of(f1, bounds)
        roles = getattr(scorer, "roles", None)
        return LayerScores(
            attempted=True,
            headline_scheme=scorer.headline.name,
            f1=figure,
            precision=precision,
            recall=recall,
            schemes=self._schemes(scorer),
            accuracy={name: Accuracy.of(t.correct, t.total) for name, t in scorer.tallies.items()},
            roles=None
            if not roles
            else {
                role: {kind: RoleFigures(**figures) for kind, figures in c.figures().items()}
                for role, c in roles.items()
            },
            paragraph_counts=[(float(c), int(g), int(p)) for c, g, p in units.tolist()]
            if self.settings.detail
            else [],
        )

    def _schemes(self, scorer: LayerScorer) -> dict[str, SchemeFigures]:
        documents = scorer.counts.document_counts()  # (documents, schemes, categories)
        labels = scorer.counts.label_totals()  # (labels, schemes, fields)
        credit = np.array([scheme.weight_partial for scheme in scorer.schemes])
        # Every scheme, label and document in two vectorised passes; rows run scheme-fastest.
        by_label = label_rows(labels, credit)
        by_document = category_rows(
            np.concatenate([documents.sum(axis=0, keepdims=True), documents]), credit
        )
        n_schemes = len(scorer.schemes)
        figures = {}
        for s, scheme in enumerate(scorer.schemes):
            present = {
                label: row
                for label, row in zip(scorer.labels, by_label[s::n_schemes], strict=True)
                if row["gold"] or row["predicted"]
            }
            micro, *per_document = by_document[s::n_schemes]
            figures[scheme.name] = SchemeFigures(
                micro=CategoryFigures(**micro),
                macro=MacroFigures(**macro(present)),
                per_label={label: LabelFigures(**row) for label, row in present.items()},
                per_document=dict(zip(self.doc_ids, per_document, strict=True))
                if self.settings.detail
                else {},
            )
        return figures


def score(
    gold: Mapping[str, Extraction],
    predictions: Mapping[str, Extraction],
    texts: Mapping[str, str],
    *,
    attempted: Iterable[Layer],
    resamples: int = 1000,
    seed: int = 0,
    min_dice: float = 0.0,
    keep_matches: bool = False,
    detail: bool = True,
    headline_only: bool = False,
) -> Scores:
    """Score predictions against gold, document by document, in the order of `gold`.

    Parameters
    ----------
    gold : Mapping[str, Extraction]
        Gold per document id. A layer missing from every gold document is not annotated: not
        scored, not in the overall score; missing from only some is an error.
    predictions : Mapping[str, Extraction]
        Predictions per document id: exactly the gold's documents, each with every attempted
        layer (an empty list means "found nothing").
    texts : Mapping[str, str]
        Canonical text per document id (paragraphs are its lines).
    attempted : iterable of Layer
        The layers the system attempted.
    resamples, seed : int
        Paragraph bootstrap resamples (0: no intervals) and seed.
    min_dice : float
        Minimum Dice overlap of two spans to be aligned (0: any shared character).
    keep_matches : bool
        Keep the match log (`Scores.matches()`).
    detail : bool
        Keep per-document figures and per-paragraph counts (needed by `compare`); without,
        the scorer's memory does not grow with the number of documents, and the intervals
        come from the Poisson bootstrap (see the module's docstring).
    headline_only : bool
        Compute each layer's headline scheme only (see `Scorer`).

    Returns
    -------
    Scores
        Every figure, with 95% intervals on the headlines.

    Raises
    ------
    InputError
        A prediction for a document that is not in the gold, a gold document without
        prediction or text, a layer missing, or an offset beyond the end of the text.

    Examples
    --------
    >>> from claimbench.models import PredictedEntity
    >>> g = {"d": Extraction(entities=[PredictedEntity(start=0, end=5, label="GPE"),
    ...                                PredictedEntity(start=9, end=12, label="ORG")])}
    >>> p = {"d": Extraction(entities=[PredictedEntity(start=0, end=5, label="GPE")])}
    >>> s = score(g, p, {"d": "Paris is big.\\n"}, attempted=[Layer.ENTITIES], resamples=0)
    >>> round(s.layers[Layer.ENTITIES].f1.value, 3), s.headline_metrics()["entities.recall"]
    (0.667, 0.5)
    >>> round(s.overall.value, 3), s.layers[Layer.NUMBERS].annotated  # entities-only gold
    (0.667, False)
    """
    presence = LayerPresence.of(gold)
    layers = scorable_layers(presence, attempted)
    _check_documents(gold, predictions, texts)
    settings = ScoringSettings(resamples=resamples, seed=seed, min_dice=min_dice, detail=detail)
    scorer = Scorer(
        layers,
        settings,
        keep_matches=keep_matches,
        headline_only=headline_only,
        annotated=presence.layers,  # checked where the gold was read (`annotated_layers`)
    )
    for doc_id, gold_doc in gold.items():
        scorer.add(doc_id, texts[doc_id], gold_doc, predictions[doc_id])
    return scorer.result()


def scorable_layers(gold: LayerPresence, attempted: Iterable[Layer]) -> list[Layer]:
    """The attempted layers the gold annotates (`LayerPresence.layers`; the gold was checked
    where it was read, `claimbench.validation.predictions.annotated_layers`).

    Parameters
    ----------
    gold : LayerPresence
        How many gold documents there are, how many have each layer, and the first that lacks
        it (counted as the gold is read, so a streamed gold need not be held).
    attempted : iterable of Layer
        The layers the system attempted.

    Returns
    -------
    list of Layer
        The attempted layers present in the gold, in the order given.

    Examples
    --------
    >>> gold = LayerPresence.of({"a": Extraction(numbers=[])})
    >>> scorable_layers(gold, [Layer.ENTITIES, Layer.NUMBERS])
    [<Layer.NUMBERS: 'numbers'>]
    """
    return [layer for layer in attempted if layer in gold.layers]


def _check_documents(
    gold: Mapping[str, Extraction], predictions: Mapping[str, Extraction], texts: Mapping[str, str]
) -> None:
    problems = [
        Problem("predictions", "document is not in the gold", doc_id=d)
        for d in predictions
        if d not in gold
    ]
    problems += [
        Problem("predictions", "no prediction for this gold document", doc_id=d)
        for d in gold
        if d not in predictions
    ]
    problems += [
        Problem("corpus", "no text for this gold document", doc_id=d)
        for d in gold
        if d not in texts
    ]
    if problems:
        raise InputError(problems)
