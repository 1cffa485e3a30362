"""Entity candidates of the rules baseline: capitalised token runs labelled by general cues.

A run of capitalised tokens (with connectors such as "of" or "al-" inside) is a candidate. Its
label comes from, in order: an organisation, place or facility suffix; an acronym; a demonym or
a country; a title before it (PERSON, title left out as in OntoNotes); a place preposition
before a single word (GPE); a reporting verb after it or two or more words (PERSON). A word
that opens a sentence counts only when the document also writes it capitalised elsewhere.
"""

from collections.abc import Iterator
from typing import Any

from claimbench.extractors.baselines.common import trimmed
from claimbench.extractors.baselines.lexicon import (
    CONNECTORS,
    COUNTRIES,
    DEMONYMS,
    FAC_SUFFIXES,
    GPE_SUFFIXES,
    LOC_SUFFIXES,
    MONTH_AND_DAY_NAMES,
    ORG_SUFFIXES,
    REPORTING_VERBS,
    TITLES,
)
from claimbench.models import EntityLabel, PredictedEntity

Token = Any  # a spaCy Token; spaCy is imported lazily
_PLACE_PREPOSITIONS = frozenset({"in", "near", "from", "across", "outside", "to", "at", "into"})
_SUFFIX_LABELS = (
    (ORG_SUFFIXES, EntityLabel.ORG),
    (GPE_SUFFIXES, EntityLabel.GPE),
    (LOC_SUFFIXES, EntityLabel.LOC),
    (FAC_SUFFIXES, EntityLabel.FAC),
)


def _capitalised(token: Token) -> bool:
    text = token.text
    return text[:1].isupper() and any(c.isalpha() for c in text) and text not in {"I", "A"}


def _runs(sentence: Any) -> Iterator[tuple[int, int]]:
    """Token index ranges `[i, j)` of capitalised runs in `sentence`, connectors inside."""
    tokens = list(sentence)
    i = 0
    while i < len(tokens):
        if not _capitalised(tokens[i]):
            i += 1
            continue
        j = i + 1
        while j < len(tokens):
            if _capitalised(tokens[j]):
                j += 1
            elif _is_connector(tokens, j):
                j += 2 if tokens[j + 1].text in {"-", "–"} else 1
            else:
                break
        yield tokens[i].i, tokens[j - 1].i + 1
        i = j


def _is_connector(tokens: list, j: int) -> bool:
    """ "of", "al-", "bin" between two capitalised words; a hyphen joining two such words."""
    if j + 1 >= len(tokens):
        return False
    word, following = tokens[j], tokens[j + 1]
    if word.text in {"-", "–"} and not word.whitespace_:
        return _capitalised(following)
    if word.lower_ in CONNECTORS and word.lower_ != "and":
        after = tokens[j + 2] if following.text in {"-", "–"} and j + 2 < len(tokens) else following
        return _capitalised(after)
    return False


def _known(doc: Any) -> set[str]:
    """Words the document writes capitalised somewhere other than at a sentence start."""
    return {t.text for t in doc if _capitalised(t) and not t.is_sent_start}


def _label(doc: Any, start: int, end: int) -> EntityLabel | None:
    words = [t.text for t in doc[start:end]]
    last = words[-1].lower()
    for suffixes, label in _SUFFIX_LABELS:
        if last in suffixes and len(words) > 1:
            return label
    if len(words) == 1 and words[0].isupper() and 2 <= len(words[0]) <= 6:
        return EntityLabel.ORG
    if len(words) == 1 and words[0] in DEMONYMS:
        return EntityLabel.NORP
    if words[0] in DEMONYMS:
        return EntityLabel.ORG  # "Chilean Red Cross": a name led by a demonym is an institution
    if " ".join(words) in COUNTRIES:
        return EntityLabel.GPE
    before = doc[start - 1].lower_ if start > 0 else ""
    after = doc[end].lower_ if end < len(doc) else ""
    if before.rstrip(".") in {t.rstrip(".") for t in TITLES}:
        return EntityLabel.PERSON
    if len(words) == 1 and before in _PLACE_PREPOSITIONS:
        return EntityLabel.GPE
    if after in REPORTING_VERBS or len(words) >= 2:
        return EntityLabel.PERSON
    return None


def _trim_run(doc: Any, start: int, end: int, known: set[str]) -> tuple[int, int]:
    """Drop titles, date names and an ordinary sentence-opening word from the run's start."""
    while start < end:
        token = doc[start]
        title = token.lower_ in TITLES or token.lower_.rstrip(".") in TITLES
        dated = token.text in MONTH_AND_DAY_NAMES
        opener = token.is_sent_start and not _proper(token, known)
        if not (title or dated or opener or token.lower_ in CONNECTORS or token.text in "-–"):
            break
        start += 1
    titles = [i for i in range(start, end - 1) if doc[i].lower_.rstrip(".") in TITLES]
    start = titles[-1] + 1 if titles else start  # "Interior Minister Ana Ruiz" -> "Ana Ruiz"
    while end > start and (doc[end - 1].lower_ in CONNECTORS or doc[end - 1].text in "-–"):
        end -= 1
    return start, end


def _proper(token: Token, known: set[str]) -> bool:
    return token.text in known or token.text in COUNTRIES or token.text in DEMONYMS


def entity_candidates(doc: Any) -> list[PredictedEntity]:
    """Entity mentions of a spaCy `doc` whose sentences are set.

    Parameters
    ----------
    doc:
        A spaCy `Doc` with sentence boundaries.

    Returns
    -------
    Mentions in text order; a name labelled once labels its repeated last word ("Ms Okafor"
    then "Okafor") in the same document.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en"); _ = nlp.add_pipe("sentencizer")
    >>> doc = nlp("Dr Amara Okafor of the Kenyan Red Cross spoke in Kisumu. Okafor left.")
    >>> for entity in entity_candidates(doc):
    ...     print(entity.text, entity.label.value)
    Amara Okafor PERSON
    Kenyan Red Cross ORG
    Kisumu GPE
    Okafor PERSON
    """
    known, found = _known(doc), []
    for sentence in doc.sents:
        for run in _runs(sentence):
            start, end = _trim_run(doc, *run, known)
            if start < end:
                found.append((start, end, _label(doc, start, end)))
    surnames = {doc[e - 1].text: lab for s, e, lab in found if lab and e - s >= 2}
    surnames = {k: v for k, v in surnames.items() if v is EntityLabel.PERSON}
    entities = []
    for start, end, label in found:
        label = label or (surnames.get(doc[start].text) if end - start == 1 else None)
        span = trimmed(doc.text, doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))
        if label is not None and span is not None:
            entities.append(PredictedEntity(**span.model_dump(), label=label))
    return entities
