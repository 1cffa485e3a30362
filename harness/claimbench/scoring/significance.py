"""Is system A better than system B? The paired approximate randomisation test on two `Scores`."""

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from claimbench.errors import InputError, Problem
from claimbench.models import Layer
from claimbench.scoring.bootstrap import randomisation_test, randomisation_tests
from claimbench.scoring.scores import Scores


class Comparison(BaseModel):
    """The outcome of the paired test on the overall score."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    a: float
    b: float
    difference: float
    """The difference the test measures (see `randomisation_test`): `a - b`, except that on a
    layer whose gold has no items, not attempting it and finding nothing there count alike."""
    p_value: float
    alpha: float
    significant: bool
    layers: dict[str, tuple[float | None, float | None]]
    """Per layer the gold annotates, the headline F1 of A and of B (None: not attempted)."""
    resamples: int
    seed: int

    def verdict(self, name_a: str = "A", name_b: str = "B") -> str:
        """One sentence: which system is better and whether the test can tell.

        Examples
        --------
        >>> Comparison(a=0.6, b=0.5, difference=0.1, p_value=0.01, alpha=0.05,
        ...            significant=True, layers={}, resamples=999, seed=0).verdict()
        'A is better than B by 0.1000 overall (p = 0.0100 < 0.05): the difference is significant.'
        """
        if not self.significant:
            return (
                f"{name_a} and {name_b} differ by {self.difference:+.4f} overall "
                f"(p = {self.p_value:.4f} >= {self.alpha:g}): the test cannot separate "
                "them."
            )
        better, worse = (name_a, name_b) if self.difference > 0 else (name_b, name_a)
        return (
            f"{better} is better than {worse} by {abs(self.difference):.4f} overall "
            f"(p = {self.p_value:.4f} < {self.alpha:g}): the difference is significant."
        )


def compare(
    a: Scores, b: Scores, *, resamples: int = 9999, seed: int = 0, alpha: float = 0.05
) -> Comparison:
    """Paired approximate randomisation test of the overall scores of A and B.

    Parameters
    ----------
    a, b : Scores
        Two systems scored on the same gold (same documents and paragraphs).
    resamples, seed : int
        Random swaps and their seed.
    alpha : float
        Significance level.

    Returns
    -------
    Comparison
        Both scores, the difference the test measures, the p-value and the verdict.

    Raises
    ------
    InputError
        When the two were not scored on the same documents and paragraphs, or without detail.
    """
    _check_comparable(a, b, ("the first system", "the second system"))
    difference, p_value = randomisation_test(
        a.paragraph_arrays(), b.paragraph_arrays(), resamples=resamples, seed=seed
    )

    def f1(scores: Scores, layer: Layer) -> float | None:
        found = scores.layers.get(layer)
        return found.f1.value if found is not None and found.f1 else None

    return Comparison(
        a=a.overall.value,
        b=b.overall.value,
        difference=difference,
        p_value=p_value,
        alpha=alpha,
        significant=p_value < alpha,
        layers={
            layer.value: (f1(a, layer), f1(b, layer))
            for layer in Layer
            if layer not in a.layers or a.layers[layer].annotated  # the others are not scored
        },
        resamples=resamples,
        seed=seed,
    )


def p_values(
    head: Scores, others: Sequence[Scores], *, resamples: int = 9999, seed: int = 0
) -> list[float]:
    """The paired test of `head` against each of `others`, at once on the same swaps (each
    p-value is the one `compare(head, other)` gives).

    Parameters
    ----------
    head : Scores
        One system's scores.
    others : Sequence[Scores]
        Systems scored on the same gold.
    resamples, seed : int
        Random swaps and their seed.

    Returns
    -------
    list of float
        One p-value per other system.

    Raises
    ------
    InputError
        When a pair was not scored on the same documents and paragraphs, or without detail.
    """
    for number, other in enumerate(others, start=1):
        _check_comparable(head, other, ("the head system", f"other system {number}"))
    tests = randomisation_tests(
        head.paragraph_arrays(),
        [other.paragraph_arrays() for other in others],
        resamples=resamples,
        seed=seed,
    )
    return [p_value for _, p_value in tests]


def _check_comparable(a: Scores, b: Scores, names: tuple[str, str]) -> None:
    """Raise `InputError` unless both have per-paragraph counts on the same paragraphs; `names`
    says which systems `a` and `b` are in the message."""
    for name, scores in zip(names, (a, b), strict=True):
        if not scores.settings.detail:
            raise InputError(
                [
                    Problem(
                        "compare",
                        f"the scores of {name} were computed without detail (no per-paragraph "
                        f"counts): score {name} again without --summary",
                    )
                ]
            )
    if a.units != b.units:
        raise InputError(
            [
                Problem(
                    "compare",
                    "the two scores are not on the same documents and "
                    "paragraphs (scored on different gold or corpus)",
                )
            ]
        )
