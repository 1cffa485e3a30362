"""Small builders for hand-worked scoring cases."""

from claimbench.models import (
    Extraction,
    Layer,
    PredictedAttribution,
    PredictedEntity,
    PredictedNumber,
    Span,
)
from claimbench.scoring import Scores, score

TEXT = "Aaaaa Bbbbb Ccccc Ddddd Eeeee Fffff Ggggg Hhhhh Iiiii Jjjjj\n" * 4


def ents(*spans: tuple[int, int, str]) -> Extraction:
    """Entities from (start, end, label) triples."""
    return Extraction(entities=[PredictedEntity(start=s, end=e, label=lab) for s, e, lab in spans])


def nums(*items: tuple[int, int, str, dict]) -> Extraction:
    """Numbers from (start, end, label, fields) tuples."""
    return Extraction(
        numbers=[PredictedNumber(start=s, end=e, label=lab, **f) for s, e, lab, f in items]
    )


def attr(
    cue: tuple[int, int],
    source: tuple[int, int] | None,
    *content: tuple[int, int],
    quote: str = "indirect",
) -> PredictedAttribution:
    """An attribution from offsets."""
    return PredictedAttribution(
        cue=Span(start=cue[0], end=cue[1]),
        source=None if source is None else Span(start=source[0], end=source[1]),
        content=[Span(start=s, end=e) for s, e in content],
        quote=quote,
    )


def score_one(
    gold: Extraction, predicted: Extraction, layer: Layer, text: str = TEXT, **options: object
) -> Scores:
    """Score a one-document corpus on one layer, without intervals."""
    options.setdefault("resamples", 0)
    return score({"d": gold}, {"d": predicted}, {"d": text}, attempted=[layer], **options)


def micro(scores: Scores, layer: Layer, scheme: str) -> dict:
    """The micro figures of one scheme, as a dict."""
    return scores.layers[layer].schemes[scheme].micro.model_dump()
