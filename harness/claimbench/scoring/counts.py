"""Counts kept as counts: per document x scheme, per document x label x scheme, per paragraph.

`tally` turns one batch of aligned items into integer counts; `LayerCounts` collects batches
and derives every figure (micro, macro over labels, per label, per document) from them.

Per document and scheme the MUC / SemEval-2013 categories are kept: COR, INC, PAR, MIS, SPU.
Per document, label and scheme: the gold items of the label (`pos`), the predictions of the
label (`act`), and the correct and partial pairs whose two labels agree (`cor`, `par`). Per
paragraph (the bootstrap's resampling unit), for the layer's headline scheme only: the credit,
the gold items and the predictions, each charged to the paragraph where the item starts.
Without `detail` only the latest batch's paragraphs are kept, for the scorer to stream into the
Poisson bootstrap.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from claimbench.scoring.figures import prf_arrays
from claimbench.scoring.schemes import Outcome, PairFacts, Scheme

IntArray = NDArray[np.int64]
CATEGORIES = ("cor", "inc", "par", "mis", "spu")
LABEL_FIELDS = ("pos", "act", "cor", "par")


@dataclass(frozen=True)
class Items:
    """One side (gold or predicted) of one layer in a batch of documents, as columns."""

    doc: IntArray
    """Index of the item's document within the batch."""
    unit: IntArray
    """Global index of the paragraph the item starts in."""
    label: IntArray
    """Index of the item's label in the layer's label list."""
    start: IntArray
    end: IntArray

    def __len__(self) -> int:
        return len(self.doc)


@dataclass(frozen=True)
class Batch:
    """Where a batch sits in the corpus: its documents and its paragraphs."""

    first_doc: int
    n_docs: int
    first_unit: int
    n_units: int


@dataclass
class LayerCounts:
    """Every count of one layer, batch by batch, and the figures derived from them."""

    schemes: tuple[Scheme, ...]
    labels: tuple[str, ...]
    headline: int
    """Index in `schemes` of the headline scheme."""
    detail: bool = True
    """Keep counts per document (and per document and label) and per paragraph; without, each
    batch is folded into corpus totals at once and only the latest batch's paragraphs are kept,
    so memory does not grow with the number of documents."""
    by_document: list[NDArray] = field(default_factory=list)
    by_label: list[tuple[IntArray, NDArray]] = field(default_factory=list)
    by_unit: list[NDArray] = field(default_factory=list)

    def add(
        self, gold: Items, pred: Items, gi: IntArray, pj: IntArray, facts: PairFacts, batch: Batch
    ) -> None:
        """Count one batch whose pairs `(gi[k], pj[k])` were aligned and judged by `facts`."""
        outcomes = np.stack([s.outcomes(facts) for s in self.schemes]) if len(gi) else None
        self.by_document.append(self._documents(gold, pred, gi, outcomes, batch))
        self.by_label.append(self._labels(gold, pred, gi, facts, outcomes, batch))
        self.by_unit.append(self._units(gold, pred, gi, outcomes, batch))
        if not self.detail:
            self.by_document = [self.document_counts().sum(axis=0, keepdims=True)]
            self.by_label = [(np.arange(len(self.labels)), self.label_totals())]
            self.by_unit = self.by_unit[-1:]

    def _per_doc(self, doc: IntArray, batch: Batch, weights: NDArray | None = None) -> NDArray:
        return np.bincount(doc, weights=weights, minlength=batch.n_docs)[: batch.n_docs]

    def _documents(
        self, gold: Items, pred: Items, gi: IntArray, outcomes: NDArray | None, batch: Batch
    ) -> NDArray:
        counts = np.zeros((batch.n_docs, len(self.schemes), len(CATEGORIES)), dtype=np.int64)
        n_gold, n_pred = self._per_doc(gold.doc, batch), self._per_doc(pred.doc, batch)
        matched = self._per_doc(gold.doc[gi], batch)
        for s in range(len(self.schemes)):
            cor = par = np.zeros(batch.n_docs)
            if outcomes is not None:
                cor = self._per_doc(gold.doc[gi], batch, outcomes[s] == Outcome.COR)
                par = self._per_doc(gold.doc[gi], batch, outcomes[s] == Outcome.PAR)
            counts[:, s] = np.stack(
                [cor, matched - cor - par, par, n_gold - matched, n_pred - matched], axis=1
            )
        return counts

    def _labels(
        self,
        gold: Items,
        pred: Items,
        gi: IntArray,
        facts: PairFacts,
        outcomes: NDArray | None,
        batch: Batch,
    ) -> tuple[IntArray, NDArray]:
        n_labels = len(self.labels)
        size = batch.n_docs * n_labels
        gold_key, pred_key = gold.doc * n_labels + gold.label, pred.doc * n_labels + pred.label
        counts = np.zeros((size, len(self.schemes), len(LABEL_FIELDS)), dtype=np.int64)
        counts[:, :, 0] = np.bincount(gold_key, minlength=size)[:, None]
        counts[:, :, 1] = np.bincount(pred_key, minlength=size)[:, None]
        if outcomes is not None:
            agreeing = gold_key[gi][facts.same_label]
            for s in range(len(self.schemes)):
                kept = outcomes[s][facts.same_label]
                counts[:, s, 2] = np.bincount(agreeing, kept == Outcome.COR, minlength=size)
                counts[:, s, 3] = np.bincount(agreeing, kept == Outcome.PAR, minlength=size)
        rows = np.flatnonzero(counts[:, 0, :2].sum(axis=1))
        return rows + batch.first_doc * n_labels, counts[rows]

    def _units(
        self, gold: Items, pred: Items, gi: IntArray, outcomes: NDArray | None, batch: Batch
    ) -> NDArray:
        def per_unit(unit: IntArray, weights: NDArray | None = None) -> NDArray:
            local = unit - batch.first_unit
            return np.bincount(local, weights=weights, minlength=batch.n_units)[: batch.n_units]

        scheme = self.schemes[self.headline]
        credit = np.zeros(batch.n_units)
        if outcomes is not None:
            out = outcomes[self.headline]
            worth = (out == Outcome.COR) + scheme.weight_partial * (out == Outcome.PAR)
            credit = per_unit(gold.unit[gi], worth.astype(np.float64))
        return np.stack([credit, per_unit(gold.unit), per_unit(pred.unit)], axis=1)

    # Derived figures -------------------------------------------------------------------------

    def document_counts(self) -> NDArray:
        """Categories per document: shape (documents, schemes, 5); without `detail`, one row
        for the whole corpus."""
        if not self.by_document:
            return np.zeros((0, len(self.schemes), len(CATEGORIES)), dtype=np.int64)
        return np.concatenate(self.by_document)

    def unit_counts(self) -> NDArray:
        """Headline (credit, gold, predicted) per paragraph: shape (paragraphs, 3); without
        `detail`, of the latest batch's paragraphs only."""
        if not self.by_unit:
            return np.zeros((0, 3))
        return np.concatenate(self.by_unit)

    def label_totals(self) -> NDArray:
        """`pos, act, cor, par` per label over the corpus: shape (labels, schemes, 4)."""
        totals = np.zeros((len(self.labels), len(self.schemes), len(LABEL_FIELDS)), np.int64)
        for rows, counts in self.by_label:
            np.add.at(totals, rows % len(self.labels), counts)
        return totals


FIGURE_NAMES = (*CATEGORIES, "tp", "fp", "fn", "precision", "recall", "f1")


def category_rows(counts: NDArray, partial_credit: ArrayLike) -> list[dict[str, float | int]]:
    """COR/INC/PAR/MIS/SPU with tp, fp, fn, precision, recall and F1 (nervaluate's formulas),
    for every row of `counts` at once.

    Parameters
    ----------
    counts : ndarray
        Categories in the last axis (shape (..., 5)).
    partial_credit : array_like
        What a PAR is worth (`Scheme.weight_partial`), broadcast against `counts`' leading
        axes: one per scheme when the last of them runs over schemes.

    Returns
    -------
    list of dict
        One per row, in C order of the leading axes.

    Examples
    --------
    >>> row = category_rows(np.array([[2, 0, 2, 1, 1]]), 0.5)[0]
    >>> row["tp"], row["precision"], row["recall"]
    (3.0, 0.6, 0.6)
    """
    cor, inc, par, mis, spu = np.moveaxis(np.asarray(counts, dtype=np.int64), -1, 0)
    tp = cor + np.asarray(partial_credit, dtype=np.float64) * par
    gold, predicted = cor + inc + par + mis, cor + inc + par + spu
    precision, recall, f1 = prf_arrays(tp, gold, predicted)
    columns = [cor, inc, par, mis, spu, tp, predicted - tp, gold - tp, precision, recall, f1]
    return _rows(FIGURE_NAMES, columns)


LABEL_FIGURE_NAMES = (
    "gold",
    "predicted",
    "cor",
    "par",
    "tp",
    "fp",
    "fn",
    "precision",
    "recall",
    "f1",
)


def label_rows(counts: NDArray, partial_credit: ArrayLike) -> list[dict[str, float | int]]:
    """Figures of labels from their `pos, act, cor, par` (the last axis of `counts`), all at
    once; `partial_credit` as for `category_rows`.

    Examples
    --------
    >>> row = label_rows(np.array([[4, 2, 1, 0]]), 0.0)[0]
    >>> row["tp"], row["fp"], row["fn"], row["precision"]
    (1.0, 1.0, 3.0, 0.5)
    """
    pos, act, cor, par = np.moveaxis(np.asarray(counts, dtype=np.int64), -1, 0)
    tp = cor + np.asarray(partial_credit, dtype=np.float64) * par
    precision, recall, f1 = prf_arrays(tp, pos, act)
    columns = [pos, act, cor, par, tp, act - tp, pos - tp, precision, recall, f1]
    return _rows(LABEL_FIGURE_NAMES, columns)


def _rows(names: Sequence[str], columns: Sequence[NDArray]) -> list[dict[str, float | int]]:
    lists = [column.ravel().tolist() for column in columns]  # all of one (broadcast) shape
    return [dict(zip(names, row, strict=True)) for row in zip(*lists, strict=True)]


def macro(per_label: dict[str, dict[str, float | int]]) -> dict[str, float]:
    """Unweighted mean of per-label precision, recall and F1 over the labels that occur in the
    gold or the predictions (a label absent from both is left out, never counted as 1.0)."""
    present = [v for v in per_label.values() if v["gold"] or v["predicted"]]
    if not present:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    metrics = ("precision", "recall", "f1")
    # One row per metric, contiguous, so each mean sums as np.mean of that metric alone would.
    means = np.ascontiguousarray([[v[m] for v in present] for m in metrics]).mean(axis=1)
    return dict(zip(metrics, means.tolist(), strict=True))


def headline_prf(units: NDArray) -> tuple[float, float, float]:
    """Precision, recall and F1 of summed per-paragraph headline counts."""
    credit, gold, predicted = units.sum(axis=0) if len(units) else (0.0, 0, 0)
    p, r, f = prf_arrays(credit, gold, predicted)
    return float(p), float(r), float(f)
