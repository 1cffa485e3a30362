"""Everything the leaderboard asks of the scorer (`claimbench.scoring`), in one place: scores
with intervals, per-label figures, the match log and the paired test that forms tie groups."""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from claimbench.leaderboard.submissions import Submission
from claimbench.leaderboard.views import Entry, Figure, LabelRow, LayerResult
from claimbench.models import Extraction, Layer

RESAMPLES = 1000
SEED = 0
ALPHA = 0.05


@dataclass(frozen=True)
class Settings:
    """The current gold and texts, and the bootstrap settings of a build."""

    gold: Mapping[str, Extraction]
    texts: Mapping[str, str]
    resamples: int = RESAMPLES
    seed: int = SEED


def score_entry(entry: Entry, submission: Submission, settings: Settings) -> Any:
    """Score a submission against the current gold and fill in the entry's figures.

    Parameters
    ----------
    entry : Entry
        The entry to fill (overall, per-layer results, per-label tables).
    submission : Submission
        Its predictions; a document without a prediction counts as found nothing.
    settings : Settings
        Gold, texts and bootstrap settings.

    Returns
    -------
    Scores
        The scorer's result, kept for the paired test and the match log.
    """
    from claimbench.extractors.runner import scorable
    from claimbench.scoring import score

    attempted = submission.attempted()
    predictions = scorable(submission.extractions(), settings.gold.keys(), attempted)
    scores = score(
        settings.gold,
        predictions,
        settings.texts,
        attempted=attempted,
        resamples=settings.resamples,
        seed=settings.seed,
    )
    entry.overall = _figure(scores, "overall")
    entry.layers = {layer.value: _layer_result(scores, layer) for layer in attempted}
    entry.label_tables = [(layer.value, label_rows(scores, layer)) for layer in attempted]
    return scores


def _figure(scores: Any, key: str) -> Figure:
    raise NotImplementedError


def _layer_result(scores: Any, layer: Layer) -> LayerResult:
    raise NotImplementedError


def label_rows(scores: Any, layer: Layer) -> list[LabelRow]:
    """Per-label counts and figures of `layer` under its headline scheme."""
    raise NotImplementedError


def match_pairs(scores: Any, doc_id: str, layer: Layer) -> list[tuple[int, int]]:
    """`(gold index, predicted index)` of the matches of one document and layer."""
    raise NotImplementedError


def separable(leader: Any, other: Any) -> bool:
    """Whether the paired test separates two entries' overall scores at level `ALPHA`."""
    raise NotImplementedError


def rank(entries: Sequence[Entry], scores: Mapping[str, Any]) -> list[Entry]:
    """Rank the current entries into tie groups; outdated entries follow, unranked.

    Entries are sorted by overall score (then name). Walking down, an entry joins the group of
    the entry heading it unless the paired test separates the two; a new group takes the rank
    of its position (1, 1, 3, ...). Every member of a group shares its rank.

    Parameters
    ----------
    entries : Sequence[Entry]
        Scored and outdated entries.
    scores : Mapping[str, Any]
        Scores by entry key, for every entry that is not outdated.

    Returns
    -------
    list[Entry]
        Ranked entries in rank order, then outdated ones by name; `rank`, `tie_size` and
        `tie_group` are set on the ranked ones.
    """
    current = sorted(
        (entry for entry in entries if not entry.outdated),
        key=lambda entry: (-(entry.overall.value if entry.overall else 0.0), entry.name, entry.key),
    )
    leader: Entry | None = None
    group = -1
    for position, entry in enumerate(current, start=1):
        if leader is None or separable(scores[leader.key], scores[entry.key]):
            leader, group = entry, group + 1
            leader.rank = position
        entry.rank, entry.tie_group = leader.rank, group
    sizes = Counter(entry.rank for entry in current)
    for entry in current:
        entry.tie_size = sizes[entry.rank]
    outdated = sorted((e for e in entries if e.outdated), key=lambda e: (e.name, e.key))
    return current + outdated
