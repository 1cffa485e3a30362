"""The comparison page: any two entries side by side, per layer, label and document, with the
gold items one finds and the other misses, and the paired test's p-value.

Each entry contributes a compact summary of its matches (`match_summary`, made where it is
scored): which gold items it matched and how many false positives it made per label. The page's
script (`templates/compare.js`) reads the summaries of the two entries chosen and the gold of
`documents.corpus_json`, and builds the tables in the reader's browser; no request is made.
"""

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from claimbench.leaderboard.documents import safe_json
from claimbench.leaderboard.views import Entry, Pair
from claimbench.models import PredictionRecord

MatchSummary = dict[str, Any]
"""`{"m": {doc: {layer: [gold index, ...]}}, "f": {doc: {layer: {label: count}}}}`: the gold
items matched, and the false positives per predicted label."""
UNLABELLED = "attribution"
"""The label an item without one (an attribution) is counted under."""


def match_summary(
    layers: Sequence[str],
    predicted: Sequence[PredictionRecord],
    pairs: Mapping[tuple[str, str], Sequence[Pair]],
) -> MatchSummary:
    """Which gold items an entry matched and its false positives per label, per document and
    layer: matches are the pairs credited under the headline scheme (as its page highlights
    them); every other prediction is a false positive.

    Parameters
    ----------
    layers : Sequence[str]
        The layers scored.
    predicted : Sequence[PredictionRecord]
        The entry's predictions.
    pairs : Mapping[tuple[str, str], Sequence[Pair]]
        Its aligned pairs by (document, layer) (`rescore.match_index`).

    Returns
    -------
    MatchSummary
        Documents and layers without a match or a false positive are left out.

    Examples
    --------
    >>> from claimbench.models import PredictedEntity
    >>> found = PredictionRecord(doc_id="d", entities=[
    ...     PredictedEntity(start=0, end=3, label="ORG"), PredictedEntity(start=5, end=7,
    ...     label="GPE")])
    >>> match_summary(["entities"], [found], {("d", "entities"): [(2, 0, "COR")]})
    {'m': {'d': {'entities': [2]}}, 'f': {'d': {'entities': {'GPE': 1}}}}
    """
    matched: dict[str, dict[str, list[int]]] = {}
    false_positives: dict[str, dict[str, dict[str, int]]] = {}
    for record in predicted:
        for layer in layers:
            items = getattr(record, layer) or []
            aligned = pairs.get((record.doc_id, layer), ())
            credited = {p: g for g, p, outcome in aligned if outcome == "COR"}
            if credited:
                matched.setdefault(record.doc_id, {})[layer] = sorted(credited.values())
            wrong = Counter(
                str(getattr(item, "label", UNLABELLED))
                for index, item in enumerate(items)
                if index not in credited
            )
            if wrong:
                false_positives.setdefault(record.doc_id, {})[layer] = dict(sorted(wrong.items()))
    return {"m": matched, "f": false_positives}


def compare_json(
    entries: Sequence[Entry], tested: Mapping[str, Mapping[str, float]], limit: int
) -> Markup:
    """What the comparison page's script reads: every scored entry (in rank order) with its
    figures and match summary, and the p-values of the pairs tested.

    Parameters
    ----------
    entries : Sequence[Entry]
        Ranked entries first (outdated ones have no scores and are left out).
    tested : Mapping[str, Mapping[str, float]]
        p-values by entry key and entry key (`rescore.pairwise_p_values`).
    limit : int
        How many of the first ranked entries were tested pairwise (said on the page).

    Returns
    -------
    Markup
        JSON safe inside `<script>`.

    Examples
    --------
    >>> entry = Entry("k", "x", "1", "2026-11-22", [], [], "0" * 64, "c 1", [], rank=1)
    >>> json.loads(str(compare_json([entry], {}, 20)))["entries"]
    []
    """
    shown = []
    for entry in entries:
        if entry.overall is None or entry.summary is None:
            continue
        layers = {
            layer: [result.f1.value, result.precision, result.recall]
            for layer, result in entry.layers.items()
        }
        shown.append(
            {
                "key": entry.key,
                "name": entry.name,
                "version": entry.version,
                "rank": entry.rank,
                "overall": entry.overall.value,
                "layers": layers,
                "summary": entry.summary,
            }
        )
    data = {"entries": shown, "p": tested, "tested": limit}
    return safe_json(json.dumps(data, separators=(",", ":"), ensure_ascii=False))
