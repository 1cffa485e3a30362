"""Scoring the claims layer: claim value F1, value + source F1, slot links and contradictions.

Claims are aligned one to one per document on their number spans (maximum total overlap, the
aligner of every other layer, `claimbench.scoring.alignment.align`); ties go to the pair whose
value matches, then whose cue matches, then with the same boundaries. Every figure below is
computed from that one alignment.

- **Claim value** (`claims.value_f1`): an aligned pair matches when the number spans overlap,
  `counted` and `event` are equal, and the value of the plugin's number mention with exactly the
  claim's number span (from the same extraction's `numbers` layer) equals the gold number's
  normalised value (`claimbench.scoring.span_layers.value_key`). A span the plugin gives no
  number for, or two different values for, has no value.
- **Claim value + source** (`claims.source_f1`): in addition, the claim's cue overlaps the cue
  of the gold claim's attribution, or both are null (the outlet's own voice).
- **Slot links** (`slots.link_f1`): pairwise link F1 over claims of different documents. A gold
  link joins two members of one gold slot; a predicted link joins two predicted claims with
  the same non-null `slot` key. A predicted link is correct when the alignment maps its two
  claims to the two ends of a gold link; a link touching an unaligned claim is a false
  positive (predicted) or a miss (gold).
- **Contradictions** (`slots.contradiction_f1`): gold pairs labelled `contradicts` against
  predicted links whose relation, derived by `claimbench.claims.relations.relation` from the
  plugin's own values and forms, is `contradicts`; a predicted contradiction is correct when it
  maps to a gold `contradicts` pair. A predicted pair that maps to a gold `scope_mismatch` pair
  is left out (the gold says its values are not comparable, and a plugin has no way to say
  so). A predicted claim's `within` span caps its value at the
  value the plugin's numbers give that span (a partitive, GUIDELINES §13.8 C2), as a gold
  claim's `within` does.

Intervals (95%, percentile): the two claim-level figures come from the paragraph bootstrap of
the other layers (each claim charged to the paragraph where its number starts). Links and
contradictions are pairs of documents, so their figures come from resampling *documents*: a
resample draws the documents with replacement, and a pair of documents drawn `u` and `v` times
weighs `u * v` (links between two copies of one document do not exist, as in the gold).
"""

import bisect
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

from claimbench.claims.relations import Quantity, cap_problem, capped, quantity_of, relation
from claimbench.claims.resolve import resolve_claims
from claimbench.errors import InputError, Problem
from claimbench.models import (
    ClaimEvent,
    CountedClass,
    Extraction,
    GoldDocument,
    PredictedClaim,
    SlotRelation,
    SlotsFile,
    Span,
)
from claimbench.scoring.alignment import Spans, align
from claimbench.scoring.attributions import roles_overlap
from claimbench.scoring.batch import DocumentPair, Layout
from claimbench.scoring.bootstrap import bootstrap_f1, f1_of, interval, resample_weights
from claimbench.scoring.figures import prf
from claimbench.scoring.scores import Accuracy, Figure
from claimbench.scoring.span_layers import value_key

IntArray = NDArray[np.int64]
HEADLINE_KEYS = ("claims.value_f1", "claims.source_f1", "slots.link_f1", "slots.contradiction_f1")
"""The claims figures a `--fail-under` gate may name."""
_MAX_AGREEMENT = 7.0
_NOTHING = Extraction.found_nothing([])
"""An extraction with no layer."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClaimFigures(_Model):
    """One claims figure: counts, precision, recall and F1 with its interval."""

    tp: int
    gold: int
    predicted: int
    precision: float
    recall: float
    f1: Figure


class DocumentClaimCounts(_Model):
    """One document's claims: gold, predicted, and matches by value and by value + source."""

    gold: int
    predicted: int
    value: int
    source: int


class ClaimScores(_Model):
    """Every claims figure of one system on one gold."""

    resamples: int
    seed: int
    confidence: float
    value: ClaimFigures
    source: ClaimFigures
    links: ClaimFigures
    contradictions: ClaimFigures
    accuracy: dict[str, Accuracy]
    """On aligned pairs: counted class, event, value and cue agreement."""
    per_document: dict[str, DocumentClaimCounts]

    def headline_metrics(self) -> dict[str, float]:
        """The four headline F1s, keyed as `--fail-under` names them.

        Examples
        --------
        >>> scores = score_claims({}, SlotsFile(slots=[]), {}, {}, resamples=0)
        >>> scores.headline_metrics()["slots.link_f1"]
        1.0
        """
        figures = (self.value, self.source, self.links, self.contradictions)
        return {key: f.f1.value for key, f in zip(HEADLINE_KEYS, figures, strict=True)}


@dataclass(frozen=True)
class _Side:
    """Claims of one side (gold or predicted), flattened over documents."""

    doc: list[int]
    spans: list[Span]
    counted: list[CountedClass]
    event: list[ClaimEvent]
    cue: list[Span | None]
    value: list[tuple[Any, ...] | None]
    quantity: list[Quantity | None]


def _check(
    gold: Mapping[str, GoldDocument],
    predictions: Mapping[str, Extraction],
    texts: Mapping[str, str],
) -> None:
    """Every problem of the inputs' shape at once, before any work: documents missing on
    either side or without text, a prediction without its `claims` layer. The gold's claims
    and slots and the predicted spans are checked where they are read (`claimbench validate
    gold`, the evaluation pipeline), and trusted here."""
    problems = [
        Problem("predictions", "document is not in the gold", doc_id=d)
        for d in predictions
        if d not in gold
    ]
    for doc_id in gold:
        if doc_id not in texts:
            problems.append(Problem("corpus", "no text for this gold document", doc_id=doc_id))
        predicted = predictions.get(doc_id)
        if predicted is None or predicted.claims is None:
            problems.append(Problem("predictions", "layer claims missing", doc_id=doc_id))
    if problems:
        raise InputError(problems)


def _predicted_values(
    extraction: Extraction,
) -> dict[tuple[int, int], tuple[tuple[Any, ...] | None, Quantity | None]]:
    """Per exact span, the value (and §13.8 quantity) the plugin's numbers give it; None for a
    span given two different values."""
    keys: dict[tuple[int, int], set[tuple[Any, ...] | None]] = defaultdict(set)
    quantities: dict[tuple[int, int], set[Quantity | None]] = defaultdict(set)
    for number in extraction.numbers or []:
        keys[(number.start, number.end)].add(value_key(number))
        quantities[(number.start, number.end)].add(quantity_of(number))
    return {
        span: (
            next(iter(found)) if len(found) == 1 else None,
            next(iter(quantities[span])) if len(quantities[span]) == 1 else None,
        )
        for span, found in keys.items()
    }


def _gold_side(
    gold: Mapping[str, GoldDocument],
) -> tuple[_Side, dict[str, int]]:
    side = _Side([], [], [], [], [], [], [])
    index: dict[str, int] = {}
    for doc, document in enumerate(gold.values()):
        for claim in resolve_claims(document, {}):
            index[claim.ref] = len(side.doc)
            side.doc.append(doc)
            side.spans.append(claim.number)
            side.counted.append(claim.counted)
            side.event.append(claim.event)
            side.cue.append(claim.cue)
            side.value.append(value_key(claim.mention))
            side.quantity.append(claim.value)
    return side, index


def _predicted_side(
    gold: Mapping[str, GoldDocument], predictions: Mapping[str, Extraction]
) -> tuple[_Side, list[str | None]]:
    side = _Side([], [], [], [], [], [], [])
    slots: list[str | None] = []
    for doc, doc_id in enumerate(gold):
        extraction = predictions[doc_id]
        values = _predicted_values(extraction)
        claims: list[PredictedClaim] = extraction.claims or []
        for claim in claims:
            key, quantity = values.get((claim.number.start, claim.number.end), (None, None))
            if quantity is not None and claim.within is not None:
                size = values.get((claim.within.start, claim.within.end), (None, None))[1]
                quantity = _capped(quantity, size)
            side.doc.append(doc)
            side.spans.append(claim.number)
            side.counted.append(claim.counted)
            side.event.append(claim.event)
            side.cue.append(claim.cue)
            side.value.append(key)
            side.quantity.append(quantity)
            slots.append(claim.slot)
    return side, slots


def _capped(quantity: Quantity, size: Quantity | None) -> Quantity:
    """A predicted claim's value capped by its `within` number as a gold claim's is (§13.8
    C2); unchanged where the gold's rule refuses the cap (`cap_problem`)."""
    return quantity if cap_problem(quantity, size) else capped(quantity, size)


def _judge(gold: _Side, pred: _Side, g: int, p: int) -> tuple[bool, bool]:
    """Whether an aligned pair matches by value, and whether the cues agree."""
    value = (
        gold.counted[g] == pred.counted[p]
        and gold.event[g] == pred.event[p]
        and pred.value[p] is not None
        and pred.value[p] == gold.value[g]
    )
    return value, roles_overlap(gold.cue[g], pred.cue[p])


def _spans(side: _Side, stride: int, keys: Sequence[int]) -> Spans:
    shift = np.array(side.doc, dtype=np.int64) * stride
    return Spans(
        shift + np.array([s.start for s in side.spans], dtype=np.int64),
        shift + np.array([s.end for s in side.spans], dtype=np.int64),
        np.array(keys, dtype=np.int64),
    )


def _content_rank(side: _Side, slots: Sequence[str | None]) -> list[int]:
    """A sort key per predicted claim that depends only on its content, never its position."""

    def content(i: int) -> tuple[Any, ...]:
        cue = side.cue[i]
        return (
            side.spans[i].start,
            side.spans[i].end,
            side.counted[i].value,
            side.event[i].value,
            (-1, -1) if cue is None else (cue.start, cue.end),
            slots[i] or "",
            repr(side.value[i]),
        )

    order = sorted(range(len(side.doc)), key=content)
    rank = [0] * len(order)
    for position, i in enumerate(order):
        rank[i] = position
    return rank


def _figures(
    tp: float, gold: float, predicted: float, samples: NDArray[np.float64] | None, conf: float
) -> ClaimFigures:
    precision, recall, f1 = prf(tp, int(gold), int(predicted))
    bounds = None if samples is None else interval(samples, conf)
    return ClaimFigures(
        tp=int(tp),
        gold=int(gold),
        predicted=int(predicted),
        precision=precision,
        recall=recall,
        f1=Figure.of(f1, bounds),
    )


def _document_bootstrap(
    matrices: Sequence[NDArray[np.float64]], n_docs: int, resamples: int, seed: int
) -> NDArray[np.float64]:
    """Resampled F1 of (credit, gold, predicted) document-pair matrices: documents are drawn
    with replacement and a pair of documents drawn u and v times weighs u * v."""
    blocks = []
    for weights in resample_weights(n_docs, resamples, seed):
        totals = [np.einsum("ri,ij,rj->r", weights, m, weights) for m in matrices]
        blocks.append(f1_of(np.stack(totals, axis=-1)))
    return np.concatenate(blocks) if blocks else np.zeros(0)


def found_nothing_where_absent(
    predictions: Mapping[str, Extraction], doc_ids: Iterable[str]
) -> dict[str, Extraction]:
    """A prediction with a `claims` layer for every document of `doc_ids`: a document with no
    prediction, or a prediction without claims, found nothing, so its gold claims are missed.

    Examples
    --------
    >>> found_nothing_where_absent({"a": Extraction(numbers=[])}, ["a", "b"])["a"].claims
    []
    """
    filled = {}
    for doc_id in doc_ids:
        found = predictions.get(doc_id, _NOTHING)
        filled[doc_id] = (
            found if found.claims is not None else found.model_copy(update={"claims": []})
        )
    return filled


def score_claims(
    gold_docs: Mapping[str, GoldDocument],
    slots: SlotsFile,
    predictions: Mapping[str, Extraction],
    texts: Mapping[str, str],
    *,
    resamples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> ClaimScores:
    """Score predicted claims and slot keys against gold claims and `gold/slots.json`.

    Parameters
    ----------
    gold_docs : Mapping[str, GoldDocument]
        Gold per document id, every document with its `claims`, in corpus order.
    slots : SlotsFile
        The gold slots over those claims (every claim in exactly one).
    predictions : Mapping[str, Extraction]
        Predictions for exactly the gold's documents, each with `claims` (an empty list:
        nothing found); the values of claimed numbers come from the same extraction's
        `numbers`.
    texts : Mapping[str, str]
        Canonical text per document id (paragraphs are its lines).
    resamples, seed : int
        Bootstrap resamples (0: no intervals) and seed.
    confidence : float
        Width of the intervals.

    Returns
    -------
    ClaimScores
        Value, value + source, link and contradiction figures with intervals, accuracies on
        aligned pairs and per-document counts.

    Raises
    ------
    InputError
        Before any scoring, with every problem found: a document missing on either side or
        without text, a prediction without `claims`. The inputs are trusted otherwise: gold
        claims and slots as `claimbench validate gold` accepts them, predicted spans that fit
        their text (checked where they were read).

    Examples
    --------
    >>> from claimbench.fileio import read_json
    >>> from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
    >>> data = read_json(DEFAULT_GOLD / "002-voa.json")
    >>> data["claims"] = [{"id": "c1", "number": "n4", "attribution": "a2",
    ...                    "counted": "security_personnel", "event": "injured"}]
    >>> gold = {"002-voa": GoldDocument.model_validate(data)}
    >>> number = next(n for n in gold["002-voa"].numbers if n.id == "n4")
    >>> cue = next(a for a in gold["002-voa"].attributions if a.id == "a2").cue
    >>> claim = {"number": {"start": number.start, "end": number.end}, "cue": cue.model_dump(),
    ...          "counted": "security_personnel", "event": "injured"}
    >>> predicted = {"002-voa": Extraction(numbers=[number], claims=[claim])}
    >>> text = {"002-voa": (DEFAULT_CORPUS / "texts" / "002-voa.txt").read_text()}
    >>> slots = SlotsFile.model_validate({"slots": [{
    ...     "id": "mastung-raid-security_personnel-injured", "episode": "mastung-raid",
    ...     "counted": "security_personnel", "event": "injured", "question": "How many?",
    ...     "members": ["002-voa:c1"], "pairs": []}]})
    >>> s = score_claims(gold, slots, predicted, text, resamples=0)
    >>> s.value.f1.value, s.source.f1.value, s.links.gold
    (1.0, 1.0, 0)
    """
    _check(gold_docs, predictions, texts)
    doc_ids = list(gold_docs)
    gold, gold_index = _gold_side(gold_docs)
    pred, pred_slots = _predicted_side(gold_docs, predictions)
    # Paragraphs are numbered as the span scorer numbers them, so the bootstrap draws alike.
    layout = Layout.of([DocumentPair.make(d, texts[d], _NOTHING, _NOTHING) for d in doc_ids], 0, 0)

    def agreement(gi: IntArray, pj: IntArray) -> NDArray[np.float64]:
        scores = []
        for g, p in zip(gi.tolist(), pj.tolist(), strict=True):
            value, cue = _judge(gold, pred, g, p)
            same = gold.spans[g].start == pred.spans[p].start and (
                gold.spans[g].end == pred.spans[p].end
            )
            scores.append(4.0 * value + 2.0 * cue + same)
        return np.array(scores, dtype=np.float64)

    gi, pj = align(
        _spans(gold, layout.stride, range(len(gold.doc))),
        _spans(pred, layout.stride, _content_rank(pred, pred_slots)),
        agreement,
        max_agreement=_MAX_AGREEMENT,
    )
    pairs = list(zip(gi.tolist(), pj.tolist(), strict=True))
    judged = [_judge(gold, pred, g, p) for g, p in pairs]

    units = np.zeros((2, layout.batch.n_units, 3))
    per_doc = np.zeros((len(doc_ids), 4), dtype=np.int64)
    paragraph = {}
    for side, column in ((gold, 1), (pred, 2)):
        docs = np.array(side.doc, dtype=np.int64)
        found = layout.units(docs, np.array([s.start for s in side.spans], dtype=np.int64))
        np.add.at(units[:, :, column], (slice(None), found), 1)
        np.add.at(per_doc[:, column - 1], docs, 1)
        paragraph[column] = found
    for (g, _), (value, cue) in zip(pairs, judged, strict=True):
        unit = paragraph[1][g]
        units[0, unit, 0] += value
        units[1, unit, 0] += value and cue
        per_doc[gold.doc[g], 2] += value
        per_doc[gold.doc[g], 3] += value and cue
    (value_samples, source_samples), _ = bootstrap_f1([units[0], units[1]], resamples, seed)

    matrices = _pair_matrices(gold, pred, pred_slots, gold_index, slots, dict(pairs), doc_ids)
    links = matrices[:3]
    contradictions = matrices[3:]
    link_samples = _document_bootstrap(links, len(doc_ids), resamples, seed)
    contradiction_samples = _document_bootstrap(contradictions, len(doc_ids), resamples, seed)

    def tally(agree: list[bool]) -> Accuracy:
        return Accuracy.of(sum(agree), len(agree))

    return ClaimScores(
        resamples=resamples,
        seed=seed,
        confidence=confidence,
        value=_figures(*units[0].sum(axis=0), value_samples, confidence),
        source=_figures(*units[1].sum(axis=0), source_samples, confidence),
        links=_figures(*(float(m.sum()) for m in links), link_samples, confidence),
        contradictions=_figures(
            *(float(m.sum()) for m in contradictions), contradiction_samples, confidence
        ),
        accuracy={
            "counted": tally([gold.counted[g] == pred.counted[p] for g, p in pairs]),
            "event": tally([gold.event[g] == pred.event[p] for g, p in pairs]),
            "value": tally([pred.value[p] == gold.value[g] for g, p in pairs]),
            "cue": tally([cue for _, cue in judged]),
        },
        per_document={
            doc_id: DocumentClaimCounts(
                gold=int(row[0]), predicted=int(row[1]), value=int(row[2]), source=int(row[3])
            )
            for doc_id, row in zip(doc_ids, per_doc, strict=True)
        },
    )


def _pair_matrices(
    gold: _Side,
    pred: _Side,
    pred_slots: Sequence[str | None],
    gold_index: Mapping[str, int],
    slots: SlotsFile,
    aligned: Mapping[int, int],
    doc_ids: Sequence[str],
) -> list[NDArray[np.float64]]:
    """Per pair of documents (upper triangle): link tp, gold, predicted, then contradiction tp,
    gold, predicted."""
    n = len(doc_ids)
    tp, gold_links, pred_links, tp_c, gold_c, pred_c = (np.zeros((n, n)) for _ in range(6))

    def cell(a: int, b: int) -> tuple[int, int]:
        return (a, b) if a < b else (b, a)

    # Predicted pairs on a gold `scope_mismatch` pair: the values are not comparable, so a
    # contradiction derived there is neither credited nor charged.
    other_scope: set[frozenset[int]] = set()
    for slot in slots.slots:
        for pair in slot.pairs:
            ga, gb = gold_index[pair.a], gold_index[pair.b]
            where = cell(gold.doc[ga], gold.doc[gb])
            contradicts = pair.relation is SlotRelation.CONTRADICTS
            gold_links[where] += 1
            gold_c[where] += contradicts
            pa, pb = aligned.get(ga), aligned.get(gb)
            if pair.relation is SlotRelation.SCOPE_MISMATCH and pa is not None and pb is not None:
                other_scope.add(frozenset((pa, pb)))
            if pa is None or pb is None or pred_slots[pa] is None:
                continue
            if pred_slots[pa] != pred_slots[pb]:
                continue
            tp[where] += 1
            qa, qb = pred.quantity[pa], pred.quantity[pb]
            predicted_contradiction = (
                qa is not None and qb is not None and relation(qa, qb) is SlotRelation.CONTRADICTS
            )
            tp_c[where] += contradicts and predicted_contradiction
    groups: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(pred_slots):
        if key is not None:
            groups[key].append(i)
    for members in groups.values():
        per_doc = np.bincount([pred.doc[i] for i in members], minlength=n)
        pred_links += np.triu(np.outer(per_doc, per_doc), k=1)
        _count_contradictions(pred, members, pred_c)
    for pair in other_scope:  # counted above with the rest of their slot: taken back out
        i, j = sorted(pair)
        qa, qb = pred.quantity[i], pred.quantity[j]
        same_slot = pred_slots[i] is not None and pred_slots[i] == pred_slots[j]
        if same_slot and pred.doc[i] != pred.doc[j] and qa is not None and qb is not None:
            pred_c[cell(pred.doc[i], pred.doc[j])] -= relation(qa, qb) is SlotRelation.CONTRADICTS
    return [tp, gold_links, pred_links, tp_c, gold_c, pred_c]


def _count_contradictions(pred: _Side, members: Sequence[int], counts: NDArray[np.float64]) -> None:
    """Add to `counts` (upper triangle, by pair of documents) the pairs of `members` (claims of
    one slot) in different documents whose values contradict, without looking at every pair.

    Two values contradict exactly when they have the same unit and their admitted intervals
    are disjoint (`relation`: equal and nested values always overlap). So per unit and per
    document the admitted lows are sorted, and for each value the values of another document
    that lie wholly above it are counted by bisection: O(n log n) per pair of documents
    present, instead of a `relation` call for each of the n² pairs.
    """
    by_unit: dict[str | None, dict[int, tuple[list[float], list[float]]]] = defaultdict(dict)
    for i in members:
        quantity = pred.quantity[i]
        if quantity is None:
            continue
        low, high = quantity.admitted()
        lows, highs = by_unit[quantity.unit].setdefault(pred.doc[i], ([], []))
        lows.append(-math.inf if low is None else low)
        highs.append(math.inf if high is None else high)
    for docs in by_unit.values():
        for lows, _ in docs.values():
            lows.sort()
        for a, b in itertools.combinations(sorted(docs), 2):
            counts[a, b] += _wholly_above(docs[a][1], docs[b][0])
            counts[a, b] += _wholly_above(docs[b][1], docs[a][0])


def _wholly_above(highs: Sequence[float], sorted_lows: Sequence[float]) -> int:
    """Pairs (x, y), x of `highs`, y of `sorted_lows`, with y's interval wholly above x's."""
    return sum(len(sorted_lows) - bisect.bisect_right(sorted_lows, high) for high in highs)
