"""One-to-one, order-independent alignment of gold and predicted spans.

Gold and predicted spans form a bipartite overlap graph. Spans are grouped into connected
runs of overlapping intervals (the interval-union components, computed for a whole batch at
once); a run with one gold and one predicted span is matched directly, and any larger run is
solved exactly by the Hungarian algorithm (`scipy.optimize.linear_sum_assignment`) for the
maximum total overlap. Ties in overlap are broken by how much the two items agree (an
`agreement` score the caller gives, e.g. same boundaries and same label), never by input
order: each run is put in a canonical order first, so shuffling the input cannot change which
pairs are formed (only which of two identical predictions is named in a match log).

Spans of different documents never overlap because each document's offsets are shifted by
`document index x stride` before alignment.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]
Agreement = Callable[[IntArray, IntArray], NDArray[np.float64]]
"""`agreement(gold_indices, pred_indices)`: how much each candidate pair agrees beyond overlap,
between 0 and the aligner's `max_agreement`; only used to break ties in overlap."""


@dataclass(frozen=True)
class Spans:
    """One side of a batch: shifted offsets and a canonical sort key per item."""

    start: IntArray
    end: IntArray
    key: IntArray

    def __len__(self) -> int:
        return len(self.start)


def _components(gold: Spans, pred: Spans) -> tuple[IntArray, IntArray, IntArray]:
    """Component id of every gold and predicted span, and the number of components."""
    starts = np.concatenate([gold.start, pred.start])
    ends = np.concatenate([gold.end, pred.end])
    order = np.lexsort((ends, starts))
    reach = np.maximum.accumulate(ends[order])
    new = np.ones(len(order), dtype=bool)
    new[1:] = starts[order][1:] >= reach[:-1]
    component = np.empty(len(order), dtype=np.int64)
    component[order] = np.cumsum(new) - 1
    return component[: len(gold)], component[len(gold) :], np.array(int(new.sum()))


def _dice_ok(gold: Spans, pred: Spans, gi: IntArray, pj: IntArray, min_dice: float) -> NDArray:
    overlap = np.minimum(gold.end[gi], pred.end[pj]) - np.maximum(gold.start[gi], pred.start[pj])
    if min_dice <= 0:
        return overlap > 0
    total = (gold.end[gi] - gold.start[gi]) + (pred.end[pj] - pred.start[pj])
    return (overlap > 0) & (2 * overlap >= min_dice * total)


def align(
    gold: Spans,
    pred: Spans,
    agreement: Agreement,
    *,
    max_agreement: float,
    min_dice: float = 0.0,
) -> tuple[IntArray, IntArray]:
    """Match gold and predicted spans one to one for the maximum total overlap.

    Parameters
    ----------
    gold, pred : Spans
        Shifted offsets (documents never overlap) and canonical sort keys.
    agreement : callable
        Tie-break score of candidate pairs, in `[0, max_agreement]`.
    max_agreement : float
        Upper bound of `agreement`; overlap always outweighs any sum of agreements.
    min_dice : float
        Pairs whose Dice coefficient of characters is below this are not candidates (0: any
        shared character makes a candidate, the MUC/SemEval convention).

    Returns
    -------
    tuple of ndarray
        Gold and predicted indices of the matched pairs, sorted by gold index.

    Examples
    --------
    Two predictions on one gold span: only the better one matches.

    >>> g = Spans(np.array([0]), np.array([5]), np.array([0]))
    >>> p = Spans(np.array([0, 0]), np.array([5, 9]), np.array([0, 1]))
    >>> gi, pj = align(g, p, lambda a, b: np.zeros(len(a)), max_agreement=0)
    >>> gi.tolist(), pj.tolist()
    ([0], [0])
    """
    if not len(gold) or not len(pred):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    gold_comp, pred_comp, count = _components(gold, pred)
    n_gold = np.bincount(gold_comp, minlength=int(count))
    n_pred = np.bincount(pred_comp, minlength=int(count))
    simple = (n_gold == 1) & (n_pred == 1)
    gold_simple = np.flatnonzero(simple[gold_comp])
    pred_simple = np.flatnonzero(simple[pred_comp])
    # In a simple component the one gold and the one prediction overlap; sorting both by
    # component pairs them up.
    gi = gold_simple[np.argsort(gold_comp[gold_simple], kind="stable")]
    pj = pred_simple[np.argsort(pred_comp[pred_simple], kind="stable")]
    keep = _dice_ok(gold, pred, gi, pj, min_dice)
    pairs_g, pairs_p = [gi[keep]], [pj[keep]]
    complex_ids = np.flatnonzero((n_gold > 0) & (n_pred > 0) & ~simple)
    if len(complex_ids):
        for g, p in _solve_complex(
            gold, pred, gold_comp, pred_comp, complex_ids, agreement, max_agreement, min_dice
        ):
            pairs_g.append(g)
            pairs_p.append(p)
    gi, pj = np.concatenate(pairs_g), np.concatenate(pairs_p)
    order = np.argsort(gi, kind="stable")
    return gi[order], pj[order]


def _members(component: IntArray, wanted: IntArray) -> dict[int, IntArray]:
    selected = np.flatnonzero(np.isin(component, wanted))
    selected = selected[np.argsort(component[selected], kind="stable")]
    groups = np.split(selected, np.flatnonzero(np.diff(component[selected])) + 1)
    return {int(component[group[0]]): group for group in groups if len(group)}


def _solve_complex(
    gold: Spans,
    pred: Spans,
    gold_comp: IntArray,
    pred_comp: IntArray,
    complex_ids: IntArray,
    agreement: Agreement,
    max_agreement: float,
    min_dice: float,
) -> list[tuple[IntArray, IntArray]]:
    from scipy.optimize import linear_sum_assignment

    gold_members, pred_members = _members(gold_comp, complex_ids), _members(pred_comp, complex_ids)
    solved = []
    for component in complex_ids.tolist():
        g = _canonical(gold, gold_members[component])
        p = _canonical(pred, pred_members[component])
        gi, pj = (a.ravel() for a in np.meshgrid(g, p, indexing="ij"))
        candidate = _dice_ok(gold, pred, gi, pj, min_dice)
        overlap = np.minimum(gold.end[gi], pred.end[pj]) - np.maximum(
            gold.start[gi], pred.start[pj]
        )
        scale = max_agreement * min(len(g), len(p)) + 1
        weight = np.where(candidate, overlap * scale + agreement(gi, pj), 0.0)
        rows, cols = linear_sum_assignment(weight.reshape(len(g), len(p)), maximize=True)
        chosen = candidate.reshape(len(g), len(p))[rows, cols]
        solved.append((g[rows[chosen]], p[cols[chosen]]))
    return solved


def _canonical(side: Spans, members: IntArray) -> IntArray:
    """Members in an order that depends only on their content (offsets, then sort key)."""
    order = np.lexsort((members, side.key[members], side.end[members], side.start[members]))
    return members[order]
