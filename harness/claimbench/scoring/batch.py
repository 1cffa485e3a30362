"""Documents grouped into a batch: columns of items, paragraphs and shifted offsets.

A batch holds whole documents. Offsets are shifted by `document index x stride` so that the
aligner can treat the batch as one long text in which documents never overlap.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from claimbench.models import Extraction, Layer
from claimbench.scoring.alignment import Agreement, Spans, align
from claimbench.scoring.counts import Batch, Items

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class DocumentPair:
    """One document's gold and predictions, with where its paragraphs start."""

    doc_id: str
    text: str
    gold: Extraction
    predicted: Extraction
    first_unit: int
    newlines: IntArray

    @classmethod
    def make(
        cls, doc_id: str, text: str, gold: Extraction, predicted: Extraction, first_unit: int
    ) -> "DocumentPair":
        """A pair whose paragraph boundaries are read off `text`."""
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        return cls(doc_id, text, gold, predicted, first_unit, np.flatnonzero(codes == 10))

    @property
    def paragraphs(self) -> int:
        """One per line; a last line without a final line break counts too."""
        trailing = 1 if self.text and not self.text.endswith("\n") else 0
        return len(self.newlines) + trailing

    def unit_of(self, starts: IntArray) -> IntArray:
        """The global paragraph index of each offset."""
        local = np.searchsorted(self.newlines, starts, side="left")
        return self.first_unit + np.minimum(local, max(self.paragraphs - 1, 0))


@dataclass(frozen=True)
class Side:
    """One side of one layer in a batch: its items as columns, and the items themselves."""

    items: Items
    objects: list[Any]
    first: IntArray
    """Position in `objects` of each document's first item."""


def side_of(
    docs: Sequence[DocumentPair],
    layer: Layer,
    gold: bool,
    span: Callable[[Any], Any],
    label: Callable[[Any], int],
) -> Side:
    """Columns of the `layer` items of one side of `docs` (span and label chosen by caller)."""
    doc, unit, labels, starts, ends, objects, first = [], [], [], [], [], [], []
    for index, pair in enumerate(docs):
        found = getattr(pair.gold if gold else pair.predicted, layer.value) or []
        first.append(len(objects))
        objects.extend(found)
        item_starts = np.fromiter((span(x).start for x in found), np.int64, len(found))
        starts.append(item_starts)
        ends.append(np.fromiter((span(x).end for x in found), np.int64, len(found)))
        labels.append(np.fromiter((label(x) for x in found), np.int64, len(found)))
        unit.append(pair.unit_of(item_starts))
        doc.append(np.full(len(found), index, dtype=np.int64))
    items = Items(*(_cat(c) for c in (doc, unit, labels, starts, ends)))
    return Side(items, objects, np.array(first, dtype=np.int64))


def _cat(chunks: list[IntArray]) -> IntArray:
    return np.concatenate(chunks).astype(np.int64) if chunks else np.zeros(0, np.int64)


def batch_of(docs: Sequence[DocumentPair], first_doc: int) -> Batch:
    """Where `docs` sit in the corpus."""
    first_unit = docs[0].first_unit if docs else 0
    return Batch(first_doc, len(docs), first_unit, sum(d.paragraphs for d in docs))


def align_sides(
    docs: Sequence[DocumentPair],
    gold: Side,
    pred: Side,
    keys: tuple[IntArray, IntArray],
    agreement: Agreement,
    max_agreement: float,
    min_dice: float,
) -> tuple[IntArray, IntArray]:
    """Align the two sides of a batch document by document (see `alignment.align`)."""
    stride = max((len(d.text) for d in docs), default=0) + 1

    def spans(items: Items, key: IntArray) -> Spans:
        shift = items.doc * stride
        return Spans(shift + items.start, shift + items.end, key)

    return align(
        spans(gold.items, keys[0]),
        spans(pred.items, keys[1]),
        agreement,
        max_agreement=max_agreement,
        min_dice=min_dice,
    )
