"""What the pages show: plain data built from submissions and scores, rendered by templates."""

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from claimbench.errors import Problem
from claimbench.leaderboard.submissions import EntryMetadata
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
    verification: str = ""
    """What the page says about verification: how the badges were earned, or why not."""
    metadata: EntryMetadata = field(default_factory=EntryMetadata)
    summary: dict[str, Any] | None = None
    """Its matches for the comparison page (`compare.match_summary`); None when not scored."""
    recorded_gold: str | None = None
    """The gold version the submission was recorded against (its scores are always against
    the current gold)."""

    def claim_figure(self, name: str) -> Figure | None:
        """The F1 of the claims figure `name`, or None when the entry has none.

        Examples
        --------
        >>> Entry("k", "x", "1", "2026-11-22", [], [], "0" * 64, "c 1", []).claim_figure("x")
        """
        return next((row.f1 for row in self.claims if row.name == name), None)

    @property
    def outdated(self) -> bool:
        """Whether the entry was made on another corpus text (shown, never ranked)."""
        return self.outdated_reason is not None


@dataclass(frozen=True)
class Rejected:
    """A submission file that failed a check: listed on the page with its reasons."""

    path: Path
    problems: list[Problem]

    @property
    def reasons(self) -> list[str]:
        """Each problem as the page shows it, naming the file by its name alone.

        Examples
        --------
        >>> Rejected(Path("/x/a.json"), [Problem("/x/a.json", "bad")]).reasons
        ['a.json: bad']
        """
        return [str(replace(problem, file=self.path.name)) for problem in self.problems]
