"""The span schemes of MUC / SemEval-2013 (as nervaluate implements them), plus `value`.

Every scheme judges the same aligned pairs; it only decides what each pair is worth:

| scheme    | COR (full credit)              | PAR (half credit) | INC (no credit) | labels |
| --------- | ------------------------------ | ----------------- | --------------- | ------ |
| `strict`  | same boundaries and same label | -                 | otherwise       | yes    |
| `exact`   | same boundaries                | -                 | otherwise       | no     |
| `type`    | same label (any overlap)       | -                 | otherwise       | yes    |
| `partial` | same boundaries                | otherwise         | -               | no     |
| `value`   | same normalised value (numbers)| -                 | otherwise       | no     |
| `match`   | all roles agree (attributions) | -                 | otherwise       | no     |

An unmatched gold item is MIS and an unmatched prediction SPU under every scheme. In per-label
figures a pair only earns credit when its two labels agree: a type error is a miss for the gold
label and a false positive for the predicted one, under every scheme (as nervaluate's per-type
figures, which filter both sides by label).
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

BoolArray = NDArray[np.bool_]


class Outcome(IntEnum):
    """What a matched pair is worth under a scheme."""

    INC = 0
    PAR = 1
    COR = 2


@dataclass(frozen=True)
class PairFacts:
    """What is known of each aligned pair."""

    same_bounds: BoolArray
    same_label: BoolArray
    agree: BoolArray
    """The layer's own test: same normalised value (numbers), all roles agree (attributions)."""


@dataclass(frozen=True)
class Scheme:
    """A way of crediting aligned pairs."""

    name: str
    label_aware: bool
    half_credit: bool
    criterion: Callable[[PairFacts], BoolArray]

    def outcomes(self, facts: PairFacts) -> NDArray[np.int64]:
        """The `Outcome` of every pair.

        Examples
        --------
        >>> facts = PairFacts(np.array([True, False]), np.array([False, True]),
        ...                   np.array([True, True]))
        >>> STRICT.outcomes(facts).tolist(), PARTIAL.outcomes(facts).tolist()
        ([0, 0], [2, 1])
        """
        cor, inc = int(Outcome.COR), int(Outcome.PAR if self.half_credit else Outcome.INC)
        return np.where(self.criterion(facts), cor, inc).astype(np.int64)

    @property
    def weight_partial(self) -> float:
        """Credit of a partial match: 0.5 under `partial`, never used by the others."""
        return 0.5 if self.half_credit else 0.0


STRICT = Scheme("strict", True, False, lambda f: f.same_bounds & f.same_label)
EXACT = Scheme("exact", False, False, lambda f: f.same_bounds)
TYPE = Scheme("type", True, False, lambda f: f.same_label)
PARTIAL = Scheme("partial", False, True, lambda f: f.same_bounds)
VALUE = Scheme("value", False, False, lambda f: f.agree)
MATCH = Scheme("match", False, False, lambda f: f.agree)
SPAN_SCHEMES = (STRICT, EXACT, TYPE, PARTIAL)
