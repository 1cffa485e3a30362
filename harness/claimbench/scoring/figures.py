"""Precision, recall and F1 from counts, with explicit zero-division rules.

The rules (the same for scalars and for the vectorised bootstrap):

- precision = credit / predicted and recall = credit / gold, where `credit` is the number of
  correct matches (plus half the partial ones under the `partial` scheme);
- when there is neither gold nor prediction, precision, recall and F1 are all 1.0: nothing was
  to be found and nothing was claimed;
- otherwise a zero denominator gives 0.0 (no predictions: precision 0; no gold: recall 0), so
  F1 is 0.0 whenever one side is empty and the other is not;
- F1 = 2PR / (P + R), and 0.0 when P + R = 0.
"""

import numpy as np
from numpy.typing import ArrayLike, NDArray


def prf_arrays(
    credit: ArrayLike, gold: ArrayLike, predicted: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Precision, recall and F1 element-wise, under the module's zero-division rules.

    Parameters
    ----------
    credit : array_like
        Correct matches (with half credit where the scheme gives it).
    gold, predicted : array_like
        Gold and predicted item counts.

    Returns
    -------
    tuple of ndarray
        Precision, recall and F1, each of the broadcast shape of the inputs.

    Examples
    --------
    >>> p, r, f = prf_arrays([2, 0, 0], [4, 0, 3], [2, 0, 0])
    >>> p.tolist(), r.tolist(), f.round(3).tolist()
    ([1.0, 1.0, 0.0], [0.5, 1.0, 0.0], [0.667, 1.0, 0.0])
    """
    credit = np.asarray(credit, dtype=np.float64)
    gold = np.asarray(gold, dtype=np.float64)
    predicted = np.asarray(predicted, dtype=np.float64)
    both_empty = (gold == 0) & (predicted == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, credit / np.where(predicted > 0, predicted, 1), 0.0)
        recall = np.where(gold > 0, credit / np.where(gold > 0, gold, 1), 0.0)
        total = precision + recall
        f1 = np.where(total > 0, 2 * precision * recall / np.where(total > 0, total, 1), 0.0)
    precision = np.where(both_empty, 1.0, precision)
    recall = np.where(both_empty, 1.0, recall)
    f1 = np.where(both_empty, 1.0, f1)
    return precision, recall, f1


def f1_array(credit: ArrayLike, gold: ArrayLike, predicted: ArrayLike) -> NDArray[np.float64]:
    """F1 alone, element-wise: equal, bit for bit, to `prf_arrays(...)[2]` in half the
    operations (the bootstrap and the paired test compute millions of F1s and nothing else).

    Examples
    --------
    >>> f1_array([2, 0, 0, 1], [4, 0, 3, 1], [2, 0, 0, 0]).round(3).tolist()
    [0.667, 1.0, 0.0, 0.0]
    """
    credit = np.asarray(credit, dtype=np.float64)
    gold = np.asarray(gold, dtype=np.float64)
    predicted = np.asarray(predicted, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = credit / predicted
        recall = credit / gold
        f1 = 2 * precision * recall / (precision + recall)
    # Where a zero denominator gave inf or nan, the rules give 0 (a zero precision or recall,
    # or both), and 1 where there was neither gold nor prediction.
    f1 = np.where(np.isfinite(f1), f1, 0.0)
    return np.where((gold == 0) & (predicted == 0), 1.0, f1)


def prf(credit: float, gold: int, predicted: int) -> tuple[float, float, float]:
    """Precision, recall and F1 of one set of counts (see the module's zero-division rules);
    plain Python, as `prf_arrays` is for many at once.

    Examples
    --------
    >>> prf(3, 4, 6)
    (0.5, 0.75, 0.6)
    >>> prf(0, 0, 0)
    (1.0, 1.0, 1.0)
    >>> prf(0, 0, 2)
    (0.0, 0.0, 0.0)
    """
    if gold == 0 and predicted == 0:
        return 1.0, 1.0, 1.0
    precision = credit / predicted if predicted > 0 else 0.0
    recall = credit / gold if gold > 0 else 0.0
    total = precision + recall
    return precision, recall, (2 * precision * recall / total if total > 0 else 0.0)
