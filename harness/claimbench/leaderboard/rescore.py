"""Everything the leaderboard asks of the scorer, in one place: a submission's scores with
intervals and match log (through the evaluation pipeline's one scoring path,
`claimbench.evaluation.pipeline.score_documents`), per-label figures, and the paired test
that forms tie groups."""

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from claimbench.evaluation.pipeline import Gold, Wanted, score_documents
from claimbench.evaluation.sources import Predicted, Started
from claimbench.extractors.plugin import PluginInfo, PluginKind
from claimbench.leaderboard.claims import claim_rows
from claimbench.leaderboard.submissions import Submission
from claimbench.leaderboard.views import Entry, LayerResult, Pair
from claimbench.models import Layer
from claimbench.scoring import LayerScores, Scores, ScoringSettings
from claimbench.scoring.scores import LabelFigures
from claimbench.scoring.significance import p_values

RESAMPLES = 1000
"""Bootstrap resamples of the 95% intervals."""
TEST_RESAMPLES = 1000
"""Random swaps of the paired approximate randomisation test between two entries: the smallest
p-value it can report is 1/1001, far below `ALPHA`."""
SEED = 0
ALPHA = 0.05

MatchIndex = dict[tuple[str, str], list[Pair]]
"""Aligned pairs by (document id, layer), as `(gold index, predicted index, outcome)`."""


@dataclass(frozen=True)
class Settings:
    """The bootstrap and paired-test settings of a build."""

    resamples: int = RESAMPLES
    test_resamples: int = TEST_RESAMPLES
    seed: int = SEED
    alpha: float = ALPHA


def score_entry(
    entry: Entry, submission: Submission, gold: Gold, settings: Settings, source: str
) -> Scores:
    """Score a submission against the current gold through the evaluation pipeline (the one
    scoring path, `claimbench.evaluation.pipeline.score_documents`) and fill in the entry's
    figures.

    Parameters
    ----------
    entry : Entry
        The entry to fill (overall, per-layer results, per-label tables, and the claims
        figures when it attempted claims and the gold has them).
    submission : Submission
        Its predictions, checked when the file was read (`check_submission`): trusted. As
        in `claimbench evaluate`, a document without a prediction counts as "attempted, found
        nothing", so its gold counts as missed, and every document gives the same layers.
    gold : Gold
        The current gold, held in memory (`Gold.hold`).
    settings : Settings
        Bootstrap settings.
    source : str
        The submission file, as problems name it.

    Returns
    -------
    Scores
        The scorer's result with its match log, kept for the paired test and the pages.

    Raises
    ------
    InputError
        When the records give different layers, or one is for a document not in the gold.

    Examples
    --------
    >>> from claimbench.corpus.store import load_corpus
    >>> from claimbench.evaluation.pipeline import gold_extractions
    >>> from claimbench.leaderboard.submissions import SubmissionCorpus
    >>> from claimbench.models import PredictionRecord
    >>> from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
    >>> gold = gold_extractions(DEFAULT_GOLD, load_corpus(DEFAULT_CORPUS)).hold()
    >>> found = [PredictionRecord(doc_id=d, **dict(x)) for d, x in gold.held.items()]
    >>> submission = Submission(name="x", version="1", date="2026-11-22",
    ...     predictions_sha256="0" * 64, sha256="0" * 64, predictions=found,
    ...     corpus=SubmissionCorpus(name="c", version="1", texts={}))
    >>> entry = Entry("x", "x", "1", "2026-11-22", [], ["entities"], "0" * 64, "c 1", [])
    >>> scores = score_entry(entry, submission, gold, Settings(resamples=0), "x.json")
    >>> entry.layers["entities"].f1.value, entry.overall.value  # the gold scores itself
    (1.0, 1.0)
    """
    info = PluginInfo(
        kind=PluginKind.PREDICTIONS,
        name=submission.name,
        version=submission.version,
        target=source,
    )
    records = {record.doc_id: record for record in submission.predictions}
    scored = score_documents(
        Predicted(info, records, Started.now()),
        gold,
        ScoringSettings(resamples=settings.resamples, seed=settings.seed),
        wanted=Wanted(matches=True, headline_only=True),  # the pages show no other scheme
    )
    scores = scored.scores
    entry.overall = scores.overall
    layers = [layer for layer in scored.attempted if scores.layers[layer].attempted]
    entry.layers = {layer.value: _layer_result(scores, layer) for layer in layers}
    entry.label_tables = [(layer.value, label_rows(scores, layer)) for layer in layers]
    entry.claims = claim_rows(scored.claims)
    return scores


def _layer_result(scores: Scores, layer: Layer) -> LayerResult:
    layer_scores = scores.layers[layer]
    assert layer_scores.f1 is not None  # set for every attempted layer
    return LayerResult(
        f1=layer_scores.f1,
        precision=layer_scores.precision,
        recall=layer_scores.recall,
    )


def label_rows(scores: Scores, layer: Layer) -> dict[str, LabelFigures]:
    """Per-label counts and figures of `layer` under its headline scheme, by label.

    Parameters
    ----------
    scores : Scores
        A submission's scores.
    layer : Layer
        An attempted layer.

    Returns
    -------
    dict[str, LabelFigures]
        One entry per label present in the gold or the predictions, in label order.

    Examples
    --------
    >>> from claimbench.models import Extraction, PredictedEntity
    >>> from claimbench.scoring import score
    >>> gold = {"d": Extraction(entities=[PredictedEntity(start=0, end=5, label="GPE")])}
    >>> wrong = {"d": Extraction(entities=[PredictedEntity(start=0, end=5, label="ORG")])}
    >>> s = score(gold, wrong, {"d": "Paris"}, attempted=[Layer.ENTITIES], resamples=0)
    >>> [(label, r.gold, r.predicted, r.tp, r.fp, r.fn)
    ...  for label, r in label_rows(s, Layer.ENTITIES).items()]
    [('GPE', 1, 0, 0.0, 0.0, 1.0), ('ORG', 0, 1, 0.0, 1.0, 0.0)]
    """
    layer_scores = scores.layers[layer]
    scheme = layer_scores.headline_scheme
    if scheme is None:
        return {}
    return dict(sorted(layer_scores.schemes[scheme].per_label.items()))


def match_index(scores: Scores) -> MatchIndex:
    """The aligned pairs of every document and layer, under each layer's headline scheme.

    Misses and false positives are not listed: they are the gold and predicted items that no
    pair names. A pair's outcome is `COR` when it counts as a match, otherwise `INC` (aligned,
    but the headline scheme refuses it: wrong label or boundaries, another value, roles that
    disagree), so it is one false positive and one miss.

    Examples
    --------
    >>> from claimbench.models import Extraction, PredictedEntity
    >>> from claimbench.scoring import score
    >>> gold = {"d": Extraction(entities=[PredictedEntity(start=0, end=5, label="GPE")])}
    >>> wrong = {"d": Extraction(entities=[PredictedEntity(start=0, end=3, label="GPE")])}
    >>> s = score(gold, wrong, {"d": "Paris"}, attempted=[Layer.ENTITIES], resamples=0,
    ...           keep_matches=True)
    >>> match_index(s)
    {('d', 'entities'): [(0, 0, 'INC')]}
    """
    index: MatchIndex = defaultdict(list)
    for doc_id, layer, gold, predicted, outcome in scores.pairs():
        index[(doc_id, layer)].append((gold, predicted, outcome))
    return dict(index)


def for_paired_test(scores: Scores) -> Scores:
    """What the paired test reads of `scores`: units, overall figure and, per layer, the headline
    figures and per-paragraph counts. The rest (schemes, match log) is left out, so a worker
    process sends little back. (The test counts a layer an entry did not attempt as attempted
    and found nothing, so entries on different layers can be separated.)

    Parameters
    ----------
    scores : Scores
        An entry's scores.

    Returns
    -------
    Scores
        The slimmed scores.
    """
    layers = {
        layer: LayerScores(
            attempted=found.attempted,
            annotated=found.annotated,  # the paired test averages over the annotated layers
            headline_scheme=found.headline_scheme,
            f1=found.f1,
            precision=found.precision,
            recall=found.recall,
            paragraph_counts=found.paragraph_counts,
        )
        for layer, found in scores.layers.items()
    }
    slim = Scores(
        settings=scores.settings, units=scores.units, overall=scores.overall, layers=layers
    )
    slim.paragraph_arrays()  # converted once, where it was scored: ranking reads them often
    return slim


MAX_BLOCK = 8
"""The most entries tested against a group's head at once."""


def _joining(
    leader: Entry, below: Sequence[Entry], scores: Mapping[str, Scores], settings: Settings
) -> int:
    """How many of the entries `below` the leader join its group: those before the first one
    the paired test separates from it.

    They are tested in blocks of 1, 2, 4, ... entries at once on the same swaps (a block costs
    about what one test costs): a long tie group takes a few blocks, and a group of one wastes
    nothing.
    """
    joined, block = 0, 1
    while joined < len(below):
        tested = below[joined : joined + block]
        found = p_values(
            scores[leader.key],
            [scores[entry.key] for entry in tested],
            resamples=settings.test_resamples,
            seed=settings.seed,
        )
        separated = next((k for k, p in enumerate(found) if p < settings.alpha), None)
        if separated is not None:
            return joined + separated
        joined, block = joined + len(tested), min(2 * block, MAX_BLOCK)
    return joined


def rank(entries: Sequence[Entry], scores: Mapping[str, Scores], settings: Settings) -> list[Entry]:
    """Rank the current entries into tie groups; outdated entries follow, unranked.

    Entries are sorted by overall score (then name). Walking down, an entry joins the group of
    the entry heading it unless the paired test separates the two; a new group takes the rank
    of its position (1, 1, 3, ...). Every member of a group shares its rank. Comparing with the
    group's head only (not every pair) keeps a build linear in the number of entries, and keeps
    groups contiguous: no entry ranks above one it is significantly worse than.

    Parameters
    ----------
    entries : Sequence[Entry]
        Scored and outdated entries.
    scores : Mapping[str, Scores]
        Scores by entry key, for every entry that is not outdated.
    settings : Settings
        The paired test's settings.

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
    head, group = 0, 0
    while head < len(current):
        leader = current[head]
        leader.rank, leader.tie_group = head + 1, group
        joined = _joining(leader, current[head + 1 :], scores, settings)
        for entry in current[head + 1 : head + 1 + joined]:
            entry.rank, entry.tie_group = leader.rank, group
        head, group = head + 1 + joined, group + 1
    sizes = Counter(entry.rank for entry in current)
    for entry in current:
        entry.tie_size = sizes[entry.rank]
    outdated = sorted((e for e in entries if e.outdated), key=lambda e: (e.name, e.key))
    return current + outdated


def pairwise_p_values(
    ranked: Sequence[Entry], scores: Mapping[str, Scores], settings: Settings, limit: int
) -> dict[str, dict[str, float]]:
    """The paired test's p-value between every two of the first `limit` ranked entries, for
    the comparison page (each is the p-value `compare` gives for that pair).

    Parameters
    ----------
    ranked : Sequence[Entry]
        Entries in rank order (outdated ones, without scores, are skipped).
    scores : Mapping[str, Scores]
        Scores by entry key (`for_paired_test`).
    settings : Settings
        The test's resamples and seed.
    limit : int
        How many entries to test pairwise.

    Returns
    -------
    dict[str, dict[str, float]]
        `p[a][b]` for a ranked above b (the test is symmetric).
    """
    keys = [entry.key for entry in ranked if entry.key in scores][:limit]
    tested: dict[str, dict[str, float]] = {}
    for index, head in enumerate(keys[:-1]):
        below = keys[index + 1 :]
        found = p_values(
            scores[head],
            [scores[key] for key in below],
            resamples=settings.test_resamples,
            seed=settings.seed,
        )
        tested[head] = dict(zip(below, found, strict=True))
    return tested
