"""Gold claims with their references resolved: the number, its value, the carrying attribution
and the chain of sources behind it (gold/GUIDELINES.md §13.2, §13.6).

A gold `Claim` only names ids (`n5`, `a2`); a `ResolvedClaim` carries what a reader or a scorer
needs: the number span and text, its value as §13.8 compares it, the cue and source spans of
the attribution, and the source chain (the attribution followed by its `parent` links), each
step with the speaker's name from `gold/entities.json` when `source_entity` resolves.
"""

from collections.abc import Mapping, Sequence

from claimbench.claims.relations import Quantity, cap_problem, capped, quantity_of
from claimbench.models import (
    Attribution,
    Claim,
    ClaimEvent,
    CountedClass,
    EntityCatalog,
    GoldDocument,
    NumberMention,
    Span,
)
from claimbench.models.base import ContractModel

OWN_VOICE = "outlet's own voice"
"""The source chain of a claim that no attribution carries."""


class SourceStep(ContractModel):
    """One attribution of a source chain: who speaks, with which cue."""

    attribution: str
    cue: Span
    source: Span | None
    speaker_entity: str | None
    speaker: str
    """The catalogue name of `speaker_entity` when it resolves, else the source text, else
    `unnamed ("<cue>")` for an agentless report."""


class ResolvedClaim(ContractModel):
    """A gold claim with its number, value, attribution and source chain spelled out."""

    doc_id: str
    id: str
    mention: NumberMention
    """The gold number mention the claim names."""
    value: Quantity
    """The value §13.8 compares: the number's, capped by `within` (decision C2)."""
    counted: CountedClass
    event: ClaimEvent
    within: Span | None = None
    """The number that states the size of the set a partitive restricts the claim to."""
    attribution: str | None
    chain: list[SourceStep]
    """Innermost first: the carrying attribution, then its parent, and so on; empty for the
    outlet's own voice."""
    note: str | None = None

    @property
    def ref(self) -> str:
        """`"<doc_id>:<claim_id>"`, as `gold/slots.json` names the claim."""
        return f"{self.doc_id}:{self.id}"

    @property
    def number(self) -> Span:
        """The number's span and text (`number.text` is the value as written)."""
        return _span(self.mention)

    @property
    def cue(self) -> Span | None:
        """The cue span of the carrying attribution (None: the outlet's own voice)."""
        return self.chain[0].cue if self.chain else None

    def chain_text(self, outlet: str | None = None) -> str:
        """The source chain as one line, innermost speaker first, the outlet in parentheses.

        Examples
        --------
        >>> step = SourceStep(attribution="a4", cue=Span(start=0, end=4, text="told"),
        ...                   source=None, speaker_entity="x",
        ...                   speaker="a provincial government official")
        >>> mention = NumberMention(id="n1", start=9, end=11, text="12", label="CARDINAL",
        ...                         value={"low": 12, "high": 12}, form="exact")
        >>> claim = ResolvedClaim(doc_id="002-voa", id="c1", mention=mention,
        ...     value=Quantity(low=12, high=12, form="exact"),
        ...     counted="militants", event="killed", attribution="a4", chain=[step])
        >>> claim.chain_text("VOA")
        'a provincial government official (VOA)'
        >>> claim.model_copy(update={"chain": []}).chain_text("VOA")
        "outlet's own voice"
        """
        if not self.chain:
            return OWN_VOICE
        text = " <- ".join(step.speaker for step in self.chain)
        return f"{text} ({outlet})" if outlet else text


def _span(number: NumberMention) -> Span:
    return Span(start=number.start, end=number.end, text=number.text)


def carrying_attributions(number: Span, attributions: Sequence[Attribution]) -> list[str]:
    """The ids §13.2 allows as a number's attribution: those with a content span that contains
    the number and is the shortest such span (an attribution whose parent chain reaches another
    candidate is preferred to that ancestor). Empty: the outlet's own voice.

    Examples
    --------
    >>> outer = Attribution(id="a1", cue={"start": 0, "end": 4, "text": "said"}, source=None,
    ...     source_entity=None, content=[{"start": 5, "end": 40, "text": "x" * 35}],
    ...     quote="indirect", parent=None)
    >>> inner = outer.model_copy(update={"id": "a2", "parent": "a1",
    ...     "content": [Span(start=20, end=40, text="x" * 20)]})
    >>> carrying_attributions(Span(start=25, end=27), [outer, inner])
    ['a2']
    >>> carrying_attributions(Span(start=8, end=10), [outer, inner])
    ['a1']
    """
    lengths: dict[str, int] = {}
    for attribution in attributions:
        containing = [
            c.end - c.start
            for c in attribution.content
            if c.start <= number.start and number.end <= c.end
        ]
        if containing:
            lengths[attribution.id] = min(containing)
    if not lengths:
        return []
    shortest = min(lengths.values())
    candidates = {a for a, length in lengths.items() if length == shortest}
    parents = {a.id: a.parent for a in attributions}
    ancestors: set[str] = set()
    for candidate in candidates:
        ancestors |= set(_ancestors(candidate, parents)) & candidates
    return sorted(candidates - ancestors)


def _ancestors(attribution: str, parents: Mapping[str, str | None]) -> list[str]:
    """The parent chain of `attribution` (not itself), stopping at a cycle."""
    chain: list[str] = []
    parent = parents.get(attribution)
    while parent is not None and parent not in chain and parent != attribution:
        chain.append(parent)
        parent = parents.get(parent)
    return chain


def speaker_names(catalog: EntityCatalog | None) -> dict[str, str]:
    """Entity id -> name, from `gold/entities.json` (empty without a catalogue)."""
    return {} if catalog is None else {record.id: record.name for record in catalog.entities}


def _step(attribution: Attribution, names: Mapping[str, str]) -> SourceStep:
    entity = attribution.source_entity
    if entity is not None and entity in names:
        speaker = names[entity]
    elif attribution.source is not None:
        speaker = attribution.source.text
    else:
        speaker = f'unnamed ("{attribution.cue.text}")'
    return SourceStep(
        attribution=attribution.id,
        cue=attribution.cue,
        source=attribution.source,
        speaker_entity=entity,
        speaker=speaker,
    )


class WithinError(ValueError):
    """A gold claim's `within` breaks the rule of §13.8 C2 (`cap_problem` says how)."""


def within_size(claim: Claim, numbers: Mapping[str, NumberMention]) -> Quantity | None:
    """The size of the set a gold claim's partitive counts in (§13.8 C2): the value of the
    number its `within` names. The one statement of the rule, which `claim_quantity` applies
    and `claimbench.validation.gold.claim_problems` reports.

    Parameters
    ----------
    claim : Claim
        A gold claim, with or without a `within`.
    numbers : Mapping[str, NumberMention]
        The number mentions of the claim's document by id, where `within` must be found.

    Returns
    -------
    Quantity or None
        The size (one exact value), or None when the claim has no `within`.

    Raises
    ------
    WithinError
        When `within` names no other number of the document with one exact value, or a set
        smaller than the claim's lower end; the message says which.

    Examples
    --------
    >>> numbers = {id: NumberMention(id=id, start=0, end=1, text="x", label="CARDINAL",
    ...                              value={"low": low, "high": high}, form=form)
    ...            for id, low, high, form in (("n1", 8, None, "lower_bound"),
    ...                                        ("n2", 10, 10, "exact"), ("n3", 3, 3, "exact"))}
    >>> claim = Claim(id="c1", number="n1", attribution=None, counted="militants",
    ...               event="killed", within="n2")
    >>> str(within_size(claim, numbers))
    '10'
    >>> try:
    ...     within_size(claim.model_copy(update={"within": "n3"}), numbers)
    ... except WithinError as error:
    ...     print(error)
    the claim counts at least 8, more than the 3 of the set its `within` names (§13.8 C2)
    """
    if claim.within is None:
        return None
    size_number = numbers.get(claim.within)
    size = None
    if size_number is not None and claim.within != claim.number:
        size = quantity_of(size_number)
    number = numbers.get(claim.number)
    problem = cap_problem(None if number is None else quantity_of(number), size)
    if problem is not None:
        raise WithinError(problem)
    return size


def claim_quantity(claim: Claim, numbers: Mapping[str, NumberMention]) -> Quantity | None:
    """The value §13.8 compares for a gold claim: its number's value, capped at the size of the
    set a partitive restricts it to when the claim names one (`within`, decision C2).

    Parameters
    ----------
    claim : Claim
        A gold claim.
    numbers : Mapping[str, NumberMention]
        The document's number mentions by id.

    Returns
    -------
    Quantity or None
        None when the claim's number is missing or has no comparable value, or its `within`
        breaks the rule of `within_size` (`claimbench.validation.gold.claim_problems` reports
        each).

    Examples
    --------
    >>> from claimbench.paths import DEFAULT_GOLD
    >>> from claimbench.fileio import read_json
    >>> dawn = GoldDocument.model_validate(read_json(DEFAULT_GOLD / "001-dawn.json"))
    >>> numbers = {number.id: number for number in dawn.numbers}
    >>> claim = Claim(id="c4", number="n9", attribution="a7", counted="militants",
    ...               event="killed", within="n8")
    >>> numbers["n9"].text, str(claim_quantity(claim, numbers))
    ('at least eight or nine', '8-10')
    """
    number = numbers.get(claim.number)
    value = None if number is None else quantity_of(number)
    if value is None:
        return None
    try:
        size = within_size(claim, numbers)
    except WithinError:
        return None
    return value if size is None else capped(value, size)


def resolve_claims(document: GoldDocument, names: Mapping[str, str]) -> list[ResolvedClaim]:
    """Every claim of a valid gold document, resolved; an empty list when it has none (or none
    yet).

    The claims must be valid (`claimbench.validation.gold.claim_problems` finds nothing, as in
    gold that `load_gold` returns): this resolves them and reports nothing.

    Parameters
    ----------
    document : GoldDocument
        A gold document (its `claims` may be null: not annotated yet).
    names : Mapping[str, str]
        Entity id -> display name (`speaker_names(catalog)`).

    Returns
    -------
    list of ResolvedClaim
        In the document's order of claims.

    Raises
    ------
    KeyError
        When a claim names a number or attribution the document does not have.
    AssertionError
        When a claim names a number without a comparable value.

    Examples
    --------
    >>> from claimbench.paths import DEFAULT_GOLD
    >>> from claimbench.fileio import read_json
    >>> data = read_json(DEFAULT_GOLD / "002-voa.json")
    >>> data["claims"] = [{"id": "c1", "number": "n5", "attribution": "a2",
    ...                    "counted": "officers", "event": "injured"}]
    >>> claim = resolve_claims(GoldDocument.model_validate(data), {})[0]
    >>> claim.number.text, str(claim.value), claim.chain_text("VOA")
    ('two', '2', 'A military statement (VOA)')
    """
    numbers = {number.id: number for number in document.numbers or []}
    attributions = {attribution.id: attribution for attribution in document.attributions or []}
    parents = {a.id: a.parent for a in document.attributions or []}
    resolved = []
    for claim in document.claims or []:
        number = numbers[claim.number]
        value = claim_quantity(claim, numbers)
        assert value is not None  # claim_problems admits only numbers with a value (§13.1)
        chain: list[SourceStep] = []
        if claim.attribution is not None:
            chain = [_step(attributions[claim.attribution], names)]
            # A parent naming no attribution ends the chain (`claimbench validate gold`
            # reports it as a dangling parent).
            ancestors = _ancestors(claim.attribution, parents)
            chain += [_step(attributions[a], names) for a in ancestors if a in attributions]
        resolved.append(
            ResolvedClaim(
                doc_id=document.doc_id,
                id=claim.id,
                mention=number,
                value=value,
                counted=claim.counted,
                event=claim.event,
                within=_span(numbers[claim.within]) if claim.within is not None else None,
                attribution=claim.attribution,
                chain=chain,
                note=claim.note,
            )
        )
    return resolved
