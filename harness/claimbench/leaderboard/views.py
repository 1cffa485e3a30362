"""What the pages show: plain data built from submissions and scores, rendered by templates."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from claimbench.leaderboard.highlight import Mark, highlight
from claimbench.models import PredictedAttribution, PredictedEntity, PredictedNumber
from claimbench.scoring.scores import Figure, LabelFigures

Item = PredictedEntity | PredictedNumber | PredictedAttribution
Pair = tuple[int, int, str]
"""An aligned pair: gold index, predicted index, and its outcome under the headline scheme
(`COR` a match; `PAR` or `INC` aligned but not credited, so a false positive and a miss)."""


@dataclass(frozen=True)
class LayerResult:
    """A layer's headline F1 with its interval, and precision and recall."""

    f1: Figure
    precision: float | None
    recall: float | None


@dataclass(frozen=True)
class ClaimRow:
    """One claims or slots figure of an entry: F1 with its interval, precision, recall, and
    how many gold claims (or gold pairs) it is counted over."""

    name: str
    f1: Figure
    precision: float
    recall: float
    gold: int


@dataclass(frozen=True)
class LayerView:
    """One document and layer: highlighted HTML and its counts."""

    layer: str
    html: Markup
    tp: int = 0
    fp: int = 0
    fn: int = 0
    count: int = 0


@dataclass(frozen=True)
class DocumentView:
    """A document of a submission page or of the corpus page, one view per layer."""

    doc_id: str
    outlet: str | None
    date: str | None
    views: list[LayerView]


@dataclass
class Entry:
    """A row of the ranking and the content of its submission page."""

    key: str
    name: str
    version: str
    date: str
    badges: list[str]
    attempted: list[str]
    predictions_sha256: str
    corpus_label: str
    provenance: list[tuple[str, str]]
    outdated_reason: str | None = None
    overall: Figure | None = None
    layers: dict[str, LayerResult] = field(default_factory=dict)
    label_tables: list[tuple[str, dict[str, LabelFigures]]] = field(default_factory=list)
    """Per attempted layer, the figures of each label under its headline scheme, by label."""
    claims: list[ClaimRow] = field(default_factory=list)
    """Its claims and slots figures (empty: no claims attempted, or none in the gold); they
    never enter `overall`."""
    details: Markup = field(default_factory=Markup)
    """Its page's per-label figures and highlighted documents, rendered (`site.render_details`)."""
    rank: int | None = None
    tie_size: int = 1
    tie_group: int = 0

    @property
    def outdated(self) -> bool:
        """Whether the entry was made on another corpus text (shown, never ranked)."""
        return self.outdated_reason is not None


def item_marks(item: Item, css: str, title: str) -> list[Mark]:
    """Marks for every span of `item`; attribution roles get a `role-*` class each.

    Examples
    --------
    >>> entity = PredictedEntity(start=0, end=2, label="ORG")
    >>> item_marks(entity, "fp", "ORG")
    [Mark(start=0, end=2, css='fp', title='ORG')]
    """
    if not isinstance(item, PredictedAttribution):
        return [Mark(item.start, item.end, css, title)]
    roles = [("cue", item.cue)]
    if item.source is not None:
        roles.append(("source", item.source))
    roles += [("content", span) for span in item.content]
    return [Mark(span.start, span.end, f"{css} role-{role}", title) for role, span in roles]


def describe_item(item: Item, text: str) -> str:
    """A one-line description of an item for hover titles: label, text and value.

    Examples
    --------
    >>> describe_item(PredictedEntity(start=0, end=3, label="GPE"), "ISIS said")
    "GPE 'ISI'"
    """
    if isinstance(item, PredictedAttribution):
        source = repr(text[item.source.start : item.source.end]) if item.source else "no source"
        cue = text[item.cue.start : item.cue.end]
        return f"attribution ({item.quote.value}): {source} {cue!r}"
    label = f"{item.label.value} {text[item.start : item.end]!r}"
    if isinstance(item, PredictedNumber):
        if item.value is not None:
            label += f" = [{item.value.low}, {item.value.high}]"
        if item.timex is not None:
            label += f" = {item.timex.value}"
    return label


def match_view(
    layer: str,
    text: str,
    gold: Sequence[Item],
    predicted: Sequence[Item],
    pairs: Sequence[Pair],
    scheme: str,
) -> LayerView:
    """Highlight a document's matches, false positives and misses for one layer.

    Parameters
    ----------
    layer : str
        The layer's name.
    text : str
        The document's canonical text.
    gold, predicted : Sequence[Item]
        The layer's gold and predicted items of this document.
    pairs : Sequence[Pair]
        The aligned pairs: `(gold index, predicted index, outcome)` under the headline scheme.
    scheme : str
        The headline scheme's name, for the hover descriptions.

    Returns
    -------
    LayerView
        `COR` pairs as `tp`; other predictions as `fp` and other gold items as `fn` (an aligned
        pair the scheme refuses is both, and its descriptions name each other).

    Examples
    --------
    >>> gold = [PredictedEntity(start=0, end=3, label="ORG")]
    >>> pred = [PredictedEntity(start=0, end=3, label="ORG"),
    ...         PredictedEntity(start=4, end=8, label="PERSON")]
    >>> view = match_view("entities", "ISI said", gold, pred, [(0, 0, "COR")], "strict")
    >>> (view.tp, view.fp, view.fn)
    (1, 1, 0)
    >>> wrong = [PredictedEntity(start=0, end=3, label="GPE")]
    >>> view = match_view("entities", "ISI said", gold, wrong, [(0, 0, "INC")], "strict")
    >>> (view.tp, view.fp, view.fn), "aligned with gold ORG" in view.html
    ((0, 1, 1), True)
    """
    credited = {p: g for g, p, outcome in pairs if outcome == "COR"}
    refused = {p: g for g, p, outcome in pairs if outcome != "COR"}
    refused_gold = {g: p for p, g in refused.items()}
    marks: list[Mark] = []
    for index, item in enumerate(predicted):
        described = describe_item(item, text)
        if index in credited:
            expected = describe_item(gold[credited[index]], text)
            marks += item_marks(item, "tp", f"match: {described} (gold: {expected})")
        elif index in refused:
            expected = describe_item(gold[refused[index]], text)
            title = f"false positive under {scheme}: {described} (aligned with gold {expected})"
            marks += item_marks(item, "fp", title)
        else:
            marks += item_marks(item, "fp", f"false positive: {described}")
    matched_gold = set(credited.values())
    for index, item in enumerate(gold):
        if index in matched_gold:
            continue
        title = f"missed: {describe_item(item, text)}"
        if index in refused_gold:
            title += f" (aligned with {describe_item(predicted[refused_gold[index]], text)})"
        marks += item_marks(item, "fn", title)
    return LayerView(
        layer=layer,
        html=highlight(text, marks),
        tp=len(credited),
        fp=len(predicted) - len(credited),
        fn=len(gold) - len(matched_gold),
    )


def gold_view(layer: str, text: str, gold: Sequence[Item]) -> LayerView:
    """Highlight a document's gold items of one layer (the corpus page).

    Examples
    --------
    >>> gold_view("entities", "ISI", [PredictedEntity(start=0, end=3, label="ORG")]).count
    1
    """
    marks = [m for item in gold for m in item_marks(item, "gold", describe_item(item, text))]
    return LayerView(layer=layer, html=highlight(text, marks), count=len(gold))
