"""Documents grouped into a batch: columns of items, paragraphs and shifted offsets.

A batch holds whole documents. Offsets are shifted by `document index x stride` so that the
aligner can treat the batch as one long text in which documents never overlap; the same shift
turns "which paragraph is this offset in" into one `searchsorted` for the whole batch.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from claimbench.errors import InputError, Problem
from claimbench.models import Extraction, Layer
from claimbench.scoring.alignment import Agreement, Spans, align
from claimbench.scoring.counts import Batch, Items

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class DocumentPair:
    """One document's gold and predictions, and its paragraphs (where its lines break is
    read for the whole batch at once, `Layout.of`)."""

    doc_id: str
    text: str
    gold: Extraction
    predicted: Extraction
    paragraphs: int
    """One per line; a last line without a final line break counts too."""

    @classmethod
    def make(
        cls, doc_id: str, text: str, gold: Extraction, predicted: Extraction
    ) -> "DocumentPair":
        """A pair whose paragraphs are counted in `text`."""
        trailing = 1 if text and not text.endswith("\n") else 0
        return cls(doc_id, text, gold, predicted, text.count("\n") + trailing)


@dataclass(frozen=True)
class Layout:
    """Where a batch sits in the corpus, and how to find the paragraph of any offset."""

    docs: Sequence[DocumentPair]
    batch: Batch
    stride: int
    lengths: IntArray
    first_unit: IntArray
    paragraphs: IntArray
    newlines: IntArray
    """Every line break of the batch, shifted."""
    newlines_before: IntArray
    """Line breaks of the batch's earlier documents, per document."""

    @classmethod
    def of(cls, docs: Sequence[DocumentPair], first_doc: int, first_unit: int) -> "Layout":
        """The layout of `docs`, the batch that starts at document `first_doc`."""
        texts = [d.text for d in docs]
        lengths = np.fromiter(map(len, texts), np.int64, len(texts))
        stride = int(lengths.max(initial=0)) + 1
        paragraphs = np.array([d.paragraphs for d in docs], dtype=np.int64)
        starts = first_unit + np.concatenate([[0], np.cumsum(paragraphs)[:-1]]).astype(np.int64)
        # Every line break of the batch in one pass over its texts, end to end; each is then
        # moved from its document's place there to its place in the batch (index x stride).
        codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
        joined = np.flatnonzero(codes == 10)
        text_starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        doc = np.searchsorted(text_starts, joined, side="right") - 1
        newlines = joined - text_starts[doc] + doc * stride
        before = np.searchsorted(doc, np.arange(len(docs)), side="left").astype(np.int64)
        batch = Batch(first_doc, len(docs), first_unit, int(paragraphs.sum()))
        return cls(docs, batch, stride, lengths, starts, paragraphs, newlines, before)

    def units(self, doc: IntArray, start: IntArray) -> IntArray:
        """The global paragraph index of each (document, offset)."""
        local = np.searchsorted(self.newlines, doc * self.stride + start, side="left")
        local = local - self.newlines_before[doc]
        return self.first_unit[doc] + np.minimum(local, np.maximum(self.paragraphs[doc] - 1, 0))


@dataclass(frozen=True)
class Side:
    """One side of one layer in a batch: its items as columns, and the items themselves."""

    items: Items
    objects: list[Any]
    first: IntArray
    """Position in `objects` of each document's first item."""


def side_of(
    layout: Layout, layer: Layer, gold: bool, span: str | None, label: str, labels: dict[str, int]
) -> Side:
    """Columns of the `layer` items of one side of a batch.

    Parameters
    ----------
    layout : Layout
        The batch.
    layer : Layer
        Which layer's items.
    gold : bool
        The gold side, or the predicted one.
    span : str or None
        The attribute holding the item's span (`cue` for attributions), None for the item.
    label, labels : str, dict
        The attribute holding the item's label, and each label's index.

    Raises
    ------
    InputError
        When an item (any of an attribution's spans) ends beyond its document's text.
    """
    lists = [getattr(pair.gold if gold else pair.predicted, layer.value) for pair in layout.docs]
    counts = np.array([len(found) for found in lists], dtype=np.int64)
    objects = [item for found in lists for item in found]
    spans = objects if span is None else list(map(attrgetter(span), objects))
    size = len(objects)
    starts = np.fromiter(map(attrgetter("start"), spans), np.int64, size)
    ends = np.fromiter(map(attrgetter("end"), spans), np.int64, size)
    label_ids = np.fromiter(
        map(labels.__getitem__, map(attrgetter(label), objects)), np.int64, size
    )
    doc = np.repeat(np.arange(len(lists), dtype=np.int64), counts)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    _check_range(layout, layer, gold, objects, ends, doc, first)
    items = Items(doc, layout.units(doc, starts), label_ids, starts, ends)
    return Side(items, objects, first)


def _check_range(
    layout: Layout,
    layer: Layer,
    gold: bool,
    objects: list[Any],
    ends: IntArray,
    doc: IntArray,
    first: IntArray,
) -> None:
    if layer is Layer.ATTRIBUTIONS:
        ends = np.array([max(s.end for s in item.spans()) for item in objects], dtype=np.int64)
    bad = np.flatnonzero(ends > layout.lengths[doc]) if len(objects) else []
    if len(bad):
        side = "gold" if gold else "predictions"
        raise InputError(
            [
                Problem(
                    side,
                    f"offset out of range: the document has {layout.lengths[doc[i]]} characters",
                    doc_id=layout.docs[doc[i]].doc_id,
                    field=f"{layer.value}[{i - first[doc[i]]}].end",
                    value=int(ends[i]),
                    has_value=True,
                )
                for i in bad.tolist()
            ]
        )


def align_sides(
    layout: Layout,
    gold: Side,
    pred: Side,
    keys: tuple[IntArray, IntArray],
    agreement: Agreement,
    max_agreement: float,
    min_dice: float,
) -> tuple[IntArray, IntArray]:
    """Align the two sides of a batch document by document (see `alignment.align`)."""

    def spans(items: Items, key: IntArray) -> Spans:
        shift = items.doc * layout.stride
        return Spans(shift + items.start, shift + items.end, key)

    return align(
        spans(gold.items, keys[0]),
        spans(pred.items, keys[1]),
        agreement,
        max_agreement=max_agreement,
        min_dice=min_dice,
    )
