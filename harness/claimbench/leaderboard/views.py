"""What the pages show: plain data built from submissions and scores, rendered by templates."""

from dataclasses import dataclass, field

from claimbench.scoring.scores import Figure, LabelFigures

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
class DocumentView:
    """The heading of a document on a submission page or the corpus page (its highlighted
    text is drawn by the page's script, from `documents.corpus_json`)."""

    doc_id: str
    outlet: str | None
    date: str | None


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
    page: str = ""
    """Its submission page, rendered where it was scored (`site.render_submission`) with
    `site.RANK_SLOT` where the rank goes and `site.CORPUS_SLOT` where the texts and gold go;
    empty for an entry that was not scored."""
    rank: int | None = None
    tie_size: int = 1
    tie_group: int = 0

    @property
    def outdated(self) -> bool:
        """Whether the entry was made on another corpus text (shown, never ranked)."""
        return self.outdated_reason is not None
