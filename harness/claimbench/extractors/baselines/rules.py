"""The `rules` baseline: spaCy's blank English tokenizer and hand-written general patterns.

No trained model and no download: numbers and dates come from Matcher patterns normalised by
`claimbench.normalise`, entities from capitalised runs with general cues, attributions from
reporting verbs, quotations and "according to", claims from those numbers and attributions
(`claims`). Every list it uses is general (see `lexicon`);
none comes from the corpus or its gold.
"""

import datetime as dt
from typing import Any, ClassVar

from claimbench.extractors.baselines.attribution_rules import attributions
from claimbench.extractors.baselines.claims import claims
from claimbench.extractors.baselines.common import (
    add_paragraph_breaks,
    number_spans,
    require_spacy,
)
from claimbench.extractors.baselines.entity_rules import entity_candidates
from claimbench.extractors.baselines.patterns import NUMERIC, TEMPORAL, TEMPORAL_LEADING
from claimbench.models import Document, Extraction, Layer, NumberLabel, PredictedNumber
from claimbench.normalise import parse_quantity


class RulesBaseline:
    """Rule-based extractor of all three layers, and claims built on its numbers and
    attributions (`claims.claims`).

    Examples
    --------
    >>> from claimbench.models import Document
    >>> text = 'About 40 homes flooded on Monday, Mayor Ana Ruiz said.'
    >>> out = RulesBaseline().extract(Document(id="d", text=text))
    >>> [(n.text, n.label.value) for n in out.numbers]
    [('About 40', 'CARDINAL'), ('Monday', 'DATE')]
    >>> [(e.text, e.label.value) for e in out.entities]
    [('Ana Ruiz', 'PERSON')]
    >>> a = out.attributions[0]; (a.cue.text, a.source.text, a.content[0].text)
    ('said', 'Mayor Ana Ruiz', 'About 40 homes flooded on Monday')
    >>> out.claims  # "homes" is no counted class of the claims vocabulary
    []
    """

    name = "rules"
    version = "1.2.0"
    layers: ClassVar[tuple[Layer, ...]] = (Layer.ENTITIES, Layer.NUMBERS, Layer.ATTRIBUTIONS)
    config: ClassVar[dict[str, str]] = {"tokenizer": "spacy.blank('en') + sentencizer"}

    def __init__(self) -> None:
        require_spacy()
        self._nlp: Any = None
        self._matcher: Any = None

    def _pipeline(self) -> tuple[Any, Any]:
        """The blank pipeline and matcher, built on first use (spaCy is imported only here)."""
        if self._nlp is None:
            import spacy
            from spacy.matcher import Matcher

            self._nlp = spacy.blank("en")
            self._nlp.add_pipe("sentencizer")
            add_paragraph_breaks(self._nlp)
            self._matcher = Matcher(self._nlp.vocab)
            self._matcher.add("NUMERIC", NUMERIC)
            self._matcher.add("TEMPORAL", TEMPORAL)
        return self._nlp, self._matcher

    def extract(self, document: Document) -> Extraction:
        """Entities, numbers, attributions and claims of `document` (see the class example)."""
        nlp, matcher = self._pipeline()
        doc = nlp(document.text)
        numbers = _numbers(doc, matcher, document.metadata.date)
        reports = attributions(doc)
        return Extraction(
            entities=entity_candidates(doc),
            numbers=numbers,
            attributions=reports,
            claims=claims(doc, numbers, reports),
        )


def _numbers(doc: Any, matcher: Any, anchor: dt.date | None) -> list[PredictedNumber]:
    """Matcher spans, longest first, normalised; a temporal match drops its preposition."""
    from spacy.util import filter_spans

    found = []
    for span in filter_spans(matcher(doc, as_spans=True)):
        temporal = span.label_ == "TEMPORAL"
        begin, end = _core(doc, span, temporal)
        found.append((begin, end, None if temporal else _numeric_label(doc.text[begin:end])))
    return [n for n in number_spans(doc.text, found, anchor) if _plausible(n)]


def _core(doc: Any, span: Any, temporal: bool) -> tuple[int, int]:
    """Character bounds of a match without a temporal preposition or a trailing "of"."""
    start, stop = span.start, span.end
    while temporal and start < stop - 1 and doc[start].lower_ in TEMPORAL_LEADING:
        start += 1
    if stop - start > 1 and doc[stop - 1].lower_ == "of":  # "dozens of" -> "dozens"
        stop -= 1
    return doc[start].idx, doc[stop - 1].idx + len(doc[stop - 1])


def _numeric_label(text: str) -> NumberLabel:
    """The label a numeric match reads as (so a bare "2015" stays a CARDINAL)."""
    quantity = parse_quantity(text)
    return quantity.label if quantity is not None else NumberLabel.CARDINAL


def _plausible(number: PredictedNumber) -> bool:
    """Drop matches nothing could normalise: a bare label with no value is a guess."""
    return number.value is not None or number.timex is not None
