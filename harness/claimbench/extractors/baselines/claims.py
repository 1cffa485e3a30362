"""The claims step both baselines share (gold/GUIDELINES.md §13), built on their own layers.

From the numbers and attributions a baseline has just predicted (never the gold):

- every numeric mention, and every duration with a numeral ("three days", "48 hours"), is a
  candidate claim;
- `cue` is the cue of the innermost predicted attribution whose content contains the number
  (the shortest containing content span), else null: the outlet's own voice;
- `counted` is read from the noun after the number ("23 people", "some 40 soldiers", "two of
  the injured miners"), with a modifier that fixes the class ("police officers", "explosive
  devices"), a nationality the vocabulary has a class for, and a mix of classes read as
  `people`; a count with no such noun but a human event ("the death toll rose to 61") counts
  `people`; money is `funds`, kilometres and miles a `place`, a duration an `operation` when
  an operation word is in the sentence;
- `event` is the event word nearest to the number in its sentence ("killed", "wounded",
  "abducted", ...), `critically_injured` when the sentence says critical or serious; money is
  an `amount`, a distance a `distance`, a duration a `duration`;
- `slot` is `<counted>-<event>`: claims of different documents answering the same question
  about *some* episode share a key (the baselines do not tell episodes apart).

A candidate whose class or event cannot be read is not a claim (§13.1: a claim is a number that
one counted class and one event describe). Every word list is general English
(`lexicon.py`).
"""

from typing import Any

from claimbench.extractors.baselines.lexicon import (
    COUNTED_MODIFIERS,
    COUNTED_NOUNS,
    CRITICAL_WORDS,
    DISTANCE_UNITS,
    EVENT_WORDS,
    MONTH_AND_DAY_NAMES,
    NATIONAL_NOUNS,
    NATIONALITY_CLASSES,
    OPERATION_NOUNS,
    SEIZED_PEOPLE_EVENT,
)
from claimbench.models import (
    ClaimEvent,
    CountedClass,
    NumberLabel,
    PredictedAttribution,
    PredictedClaim,
    PredictedNumber,
    Span,
    TimexType,
)

_PERSON_CLASSES = frozenset(
    {"militants", "security_personnel", "officers", "civilians", "chinese_nationals", "people"}
)
_NUMERIC = frozenset({NumberLabel.CARDINAL, NumberLabel.QUANTITY, NumberLabel.MONEY})
# How far after a number its noun may be, and what ends the search (a clause break).
_NOUN_WINDOW = 6
_BREAKS = frozenset({",", ";", ":", ".", "!", "?", "(", ")", "—", "–"})
# Words after which an event word is an adjective ("two of the injured miners").
_PARTITIVE = frozenset({"of", "the", "these", "those"})
_AUXILIARIES = frozenset(
    {"is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "who", "that"}
)
_COORDINATION = frozenset({"and", "or"})
_PREPOSITIONS = frozenset(
    {"in", "on", "at", "from", "after", "before", "during", "since", "near", "across", "by"}
)


def claims(
    doc: Any, numbers: list[PredictedNumber], attributions: list[PredictedAttribution]
) -> list[PredictedClaim]:
    """The claims of a document from a baseline's own numbers and attributions.

    Parameters
    ----------
    doc:
        The spaCy `Doc` of the document, with sentence boundaries.
    numbers, attributions:
        What the baseline predicted for the same text.

    Returns
    -------
    One claim per number that a counted class and an event describe, in text order.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en"); _ = nlp.add_pipe("sentencizer")
    >>> from claimbench.normalise import predicted_number
    >>> text = "Police said the floods killed at least 23 people."
    >>> doc = nlp(text)
    >>> number = predicted_number(text, 30, 41, None)
    >>> report = PredictedAttribution(cue=Span(start=7, end=11), source=Span(start=0, end=6),
    ...     content=[Span(start=12, end=48)], quote="indirect")
    >>> [(c.number.text, c.cue.start, c.counted.value, c.event.value, c.slot)
    ...  for c in claims(doc, [number], [report])]
    [('at least 23', 7, 'people', 'killed', 'people-killed')]
    """
    found = []
    for number in numbers:
        described = _describe(doc, number)
        if described is None:
            continue
        counted, event = described
        found.append(
            PredictedClaim(
                number=Span(start=number.start, end=number.end, text=number.text),
                cue=_cue(number, attributions),
                counted=counted,
                event=event,
                slot=f"{counted.value}-{event.value}",
            )
        )
    return found


def _cue(number: PredictedNumber, attributions: list[PredictedAttribution]) -> Span | None:
    """The cue of the attribution with the shortest content span containing the number."""
    best: tuple[int, int, int] | None = None
    cue = None
    for attribution in attributions:
        for content in attribution.content:
            if content.start <= number.start and number.end <= content.end:
                key = (content.end - content.start, attribution.cue.start, attribution.cue.end)
                if best is None or key < best:
                    best, cue = key, attribution.cue
    return None if cue is None else Span(start=cue.start, end=cue.end, text=cue.text)


def _describe(doc: Any, number: PredictedNumber) -> tuple[CountedClass, ClaimEvent] | None:
    """The counted class and event of a number, or None when it is not a claim."""
    tokens = _tokens(doc, number)
    if tokens is None:
        return None
    first, last = tokens
    sentence = doc[first].sent
    words = [t.lower_ for t in sentence]
    if number.timex is not None:
        timex = number.timex
        measured = timex.type is TimexType.DURATION and any(c.isdigit() for c in timex.value)
        if measured and OPERATION_NOUNS & set(words):
            return CountedClass.OPERATION, ClaimEvent.DURATION
        return None
    if number.label not in _NUMERIC or number.value is None:
        return None
    if number.unit in DISTANCE_UNITS:
        return CountedClass.PLACE, ClaimEvent.DISTANCE
    if number.label is NumberLabel.MONEY:
        return CountedClass.FUNDS, ClaimEvent.AMOUNT
    if first > 0 and doc[first - 1].text in MONTH_AND_DAY_NAMES:
        return None  # "May 24" read as a count
    counted, alone = _counted(doc, last + 1, sentence.end)
    event = _event(doc, first, last, sentence, counted)
    if event is None:
        return None
    if counted is None:
        if not alone or event is ClaimEvent.SEIZED:
            return None
        counted = CountedClass.PEOPLE
    return counted, event


def _tokens(doc: Any, number: PredictedNumber) -> tuple[int, int] | None:
    """Indices of the first and last token overlapping the number span."""
    inside = [t.i for t in doc if t.idx < number.end and number.start < t.idx + len(t)]
    return (inside[0], inside[-1]) if inside else None


def _counted(doc: Any, start: int, stop: int) -> tuple[CountedClass | None, bool]:
    """The class of the noun the number counts, read from the words right after it, and
    whether the number stands alone (nothing it could count follows it).

    Modifiers are skipped ("40 heavily armed rebels"), and so is a partitive ("two of the
    injured miners"); the search ends at a clause break, an auxiliary, a conjunction before
    any noun, or an event word used as a verb ("25 killed", but not "two kidnapped
    children"). Nouns joined by "and"/"or" are all read, and two classes make `people`.
    """
    found: list[str] = []
    modifier: str | None = None
    previous = ""
    alone = start >= stop or _ends_phrase(doc, start, stop)
    i = start
    while i < min(stop, start + _NOUN_WINDOW + len(found)):
        word = doc[i].lower_
        if word in _COORDINATION:
            if not found:
                break
        elif doc[i].text in _BREAKS or (_ends_phrase(doc, i, stop) and previous not in _PARTITIVE):
            break
        elif word in NATIONAL_NOUNS and previous in NATIONALITY_CLASSES:
            found.append(NATIONALITY_CLASSES[previous])
            break
        elif word in COUNTED_NOUNS:
            found.append(modifier or COUNTED_NOUNS[word])
            modifier = None
            if i + 1 >= stop or doc[i + 1].lower_ not in _COORDINATION:
                break
        elif found:
            break
        elif modifier is not None and doc[i].is_alpha:
            found.append(modifier)
            break
        elif word in COUNTED_MODIFIERS:
            modifier = COUNTED_MODIFIERS[word]
        previous = word
        i += 1
    classes = set(found)
    if not classes:
        return None, alone
    counted = CountedClass(classes.pop()) if len(classes) == 1 else CountedClass.PEOPLE
    return counted, alone


def _ends_phrase(doc: Any, i: int, stop: int) -> bool:
    """Whether token `i` ends the noun phrase after a number: a clause break, an auxiliary
    (lower case only: a word in capitals is an acronym, not a verb), a conjunction, or an
    event word not followed by a noun it qualifies ("25 killed", not "two kidnapped
    children")."""
    token = doc[i]
    if token.text in _BREAKS or token.text in _AUXILIARIES or token.lower_ in _COORDINATION:
        return True
    if token.lower_ in _PREPOSITIONS:
        return True
    if token.lower_ not in EVENT_WORDS:
        return False
    ahead = [t.lower_ for t in doc[i + 1 : min(stop, i + 4)]]
    return not any(w in COUNTED_NOUNS or w in NATIONAL_NOUNS for w in ahead)


def _event(
    doc: Any, first: int, last: int, sentence: Any, counted: CountedClass | None
) -> ClaimEvent | None:
    """The event word nearest to the number in its sentence, read for the counted class."""
    best: tuple[int, int] | None = None
    event = None
    for token in sentence:
        name = EVENT_WORDS.get(token.lower_)
        if name is None or first <= token.i <= last:
            continue
        distance = first - token.i if token.i < first else token.i - last
        key = (distance, 0 if token.i > last else 1)
        if best is None or key < best:
            best, event = key, name
    if event is None:
        return None
    if event == "seized" and counted is not None and counted.value in _PERSON_CLASSES:
        event = SEIZED_PEOPLE_EVENT
    if event == "injured" and _critical(doc, first, last, sentence):
        return ClaimEvent.CRITICALLY_INJURED
    return ClaimEvent(event)


def _critical(doc: Any, first: int, last: int, sentence: Any) -> bool:
    """Whether a word of critical condition is in the number's clause (no clause break between
    them): "three miners were hurt and are in serious condition", not "Four were wounded,
    one of them critically"."""
    for token in sentence:
        if token.lower_ in CRITICAL_WORDS:
            low, high = (token.i, first) if token.i < first else (last + 1, token.i)
            if not any(t.text in _BREAKS for t in doc[low:high]):
                return True
    return False
