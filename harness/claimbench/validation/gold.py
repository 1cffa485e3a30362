"""Loading and checking the gold folder: documents, entity catalogue, cross-references, and the
claims layer with its slots (gold/GUIDELINES.md §13) where they are annotated."""

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from claimbench.claims.relations import Quantity, quantity_of, relation
from claimbench.claims.resolve import (
    WithinError,
    carrying_attributions,
    claim_quantity,
    within_size,
)
from claimbench.corpus.store import Corpus
from claimbench.errors import InputError, Problem, Where, problems_from_validation_error
from claimbench.fileio import read_json
from claimbench.models import (
    Claim,
    EntityCatalog,
    Extraction,
    GoldDocument,
    GoldManifest,
    Layer,
    NumberLabel,
    NumberMention,
    SlotRelation,
    SlotsFile,
)
from claimbench.validation.items import id_problems, span_problems
from claimbench.validation.predictions import annotated_layers

CATALOG_FILE = "entities.json"
SLOTS_FILE = "slots.json"
MANIFEST_FILE = "manifest.json"
NOT_DOCUMENTS = (CATALOG_FILE, SLOTS_FILE, MANIFEST_FILE)


@dataclass(frozen=True)
class GoldSet:
    """Validated gold: one document per corpus document, the entity catalogue, and the slots
    (None while `slots.json` is absent: the claims are not annotated yet)."""

    documents: dict[str, GoldDocument]
    catalog: EntityCatalog
    slots: SlotsFile | None = None
    manifest: GoldManifest | None = None

    def extractions(self) -> dict[str, Extraction]:
        """Each document's layers as the scorer compares them (`GoldDocument.extraction`), in
        corpus order.

        Examples
        --------
        >>> from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
        >>> from claimbench.corpus.store import load_corpus
        >>> extractions = load_gold(DEFAULT_GOLD, load_corpus(DEFAULT_CORPUS)).extractions()
        >>> list(extractions)[0], extractions["000-afp"].claims is None
        ('000-afp', True)
        """
        return {doc_id: gold.extraction() for doc_id, gold in self.documents.items()}


def load_gold(gold_dir: Path, corpus: Corpus) -> GoldSet:
    """Load and check every gold document against the corpus.

    Parameters
    ----------
    gold_dir : Path
        Folder holding `entities.json` and one `<doc_id>.json` per corpus document.
    corpus : Corpus
        The corpus the gold annotates.

    Returns
    -------
    GoldSet
        The gold, keyed by document id in corpus order.

    Raises
    ------
    InputError
        With every problem found: malformed files, schema errors, spans out of range or with the
        wrong text, duplicate ids, undefined entity ids, dangling parents, missing or extra
        documents, gold annotated on another version of a text, and claims or slots that break
        §13 (see `claim_problems` and `slot_problems`).
    """
    problems: list[Problem] = []
    catalog = _load_catalog(gold_dir / CATALOG_FILE, problems)
    known_entities = {record.id for record in catalog.entities} if catalog else set()
    documents: dict[str, GoldDocument] = {}
    for doc_id in corpus.doc_ids:
        path = gold_dir / f"{doc_id}.json"
        if not path.exists():
            problems.append(Problem(str(path), "no gold for this corpus document", doc_id=doc_id))
            continue
        gold = _load_document(path, doc_id, corpus, known_entities if catalog else None, problems)
        if gold is not None:
            documents[doc_id] = gold
    for path in sorted(gold_dir.glob("*.json")):
        if path.name not in NOT_DOCUMENTS and path.stem not in corpus:
            problems.append(
                Problem(
                    str(path), "gold for a document that is not in the corpus", doc_id=path.stem
                )
            )
    problems.extend(_layer_problems(documents, gold_dir))
    slots = _load_slots(gold_dir / SLOTS_FILE, problems)
    manifest = _load_manifest(gold_dir, problems)
    if slots is not None and len(documents) == len(corpus):
        problems.extend(slot_problems(slots, documents, gold_dir))
    if problems:
        raise InputError(problems)
    assert catalog is not None
    return GoldSet(documents=documents, catalog=catalog, slots=slots, manifest=manifest)


def read_gold_manifest(gold_dir: Path) -> GoldManifest | None:
    """The gold's name and version from `gold_dir/manifest.json`, or None without one.

    Parameters
    ----------
    gold_dir : Path
        A gold folder; a JSON Lines gold file has no manifest.

    Returns
    -------
    GoldManifest or None
        None when `gold_dir` is a file or holds no `manifest.json` (imported corpora).

    Raises
    ------
    InputError
        When the manifest is malformed, naming the file, field and value.

    Examples
    --------
    >>> from claimbench.paths import DEFAULT_GOLD
    >>> read_gold_manifest(DEFAULT_GOLD).name
    'claimbench-mastung-gold'
    """
    problems: list[Problem] = []
    manifest = _load_manifest(gold_dir, problems)
    if problems:
        raise InputError(problems)
    return manifest


def _load_manifest(gold_dir: Path, problems: list[Problem]) -> GoldManifest | None:
    path = gold_dir / MANIFEST_FILE
    if not gold_dir.is_dir() or not path.exists():
        return None
    try:
        return GoldManifest.model_validate(read_json(path))
    except InputError as err:
        problems.extend(err.problems)
    except ValidationError as err:
        problems.extend(problems_from_validation_error(err, path))
    return None


def _layer_problems(documents: dict[str, GoldDocument], gold_dir: Path) -> list[Problem]:
    """A layer annotated in some documents and absent from others (`annotated_layers`)."""
    try:
        annotated_layers({doc_id: gold.extraction() for doc_id, gold in documents.items()})
    except InputError as err:
        return [
            Problem(str(gold_dir / f"{p.doc_id}.json"), p.message, doc_id=p.doc_id)
            for p in err.problems
        ]
    return []


def _load_slots(path: Path, problems: list[Problem]) -> SlotsFile | None:
    if not path.exists():
        return None
    try:
        return SlotsFile.model_validate(read_json(path))
    except InputError as err:
        problems.extend(err.problems)
    except ValidationError as err:
        problems.extend(problems_from_validation_error(err, path))
    return None


def _load_catalog(path: Path, problems: list[Problem]) -> EntityCatalog | None:
    try:
        catalog = EntityCatalog.model_validate(read_json(path))
    except InputError as err:
        problems.extend(err.problems)
        return None
    except ValidationError as err:
        problems.extend(problems_from_validation_error(err, path))
        return None
    seen: set[str] = set()
    for index, record in enumerate(catalog.entities):
        if record.id in seen:
            problems.append(
                Problem(
                    str(path),
                    "duplicate entity id",
                    None,
                    None,
                    f"entities[{index}].id",
                    record.id,
                    True,
                )
            )
        seen.add(record.id)
    return catalog


def _load_document(
    path: Path,
    doc_id: str,
    corpus: Corpus,
    known_entities: set[str] | None,
    problems: list[Problem],
) -> GoldDocument | None:
    try:
        gold = GoldDocument.model_validate(read_json(path))
    except InputError as err:
        problems.extend(err.problems)
        return None
    except ValidationError as err:
        problems.extend(problems_from_validation_error(err, path, doc_id=doc_id))
        return None
    where = Where(str(path), doc_id)
    if gold.doc_id != doc_id:
        problems.append(where.problem("doc_id differs from the file name", "doc_id", gold.doc_id))
        return None
    entry = corpus.entry(doc_id)
    if gold.text_sha256 != entry.text_sha256:
        problems.append(
            where.problem(
                f"annotated on another version of the text (corpus has {entry.text_sha256})",
                "text_sha256",
                gold.text_sha256,
            )
        )
        return None
    problems.extend(
        gold_document_problems(gold, corpus.document(doc_id).text, where, known_entities)
    )
    return gold


def gold_document_problems(
    gold: GoldDocument, text: str, where: Where, known_entities: set[str] | None = None
) -> list[Problem]:
    """What is wrong within one gold document: the checks of `load_gold` on each document,
    also run by the importers before they write one.

    Parameters
    ----------
    gold : GoldDocument
        The document, valid under the model.
    text : str
        Its canonical text.
    where : Where
        The file (and document) that problems name.
    known_entities : set of str or None
        The entity catalogue's ids, when mentions must name one of them (None: not checked).

    Returns
    -------
    list[Problem]
        Spans outside the text or with other text, duplicate ids and dangling parents, a span
        annotated twice, unknown entity ids, and claims that break §13 (`claim_problems`).

    Examples
    --------
    >>> gold = GoldDocument(doc_id="d", text_sha256="0" * 64, entities=[
    ...     {"id": "T1", "start": 0, "end": 3, "text": "Ann", "label": "PERSON", "entity": "ann"},
    ...     {"id": "T2", "start": 0, "end": 3, "text": "Ann", "label": "ORG", "entity": "ann"}])
    >>> for problem in gold_document_problems(gold, "Ann\\n", Where("d.ann", "d")):
    ...     print(problem)
    d.ann: document 'd': entities[1].id = 'T2': span [0, 3) is annotated twice (also T1)
    """
    extraction = gold.extraction()
    problems = [
        *span_problems(extraction, text, where),
        *id_problems(extraction, where),
        *_twice_annotated(extraction, where),
    ]
    if known_entities is not None:
        problems.extend(_entity_problems(gold, known_entities, where))
    problems.extend(claim_problems(gold, where))
    return problems


def _twice_annotated(extraction: Extraction, where: Where) -> list[Problem]:
    """Entity or number mentions of one span under two ids: the scorer would count one of them
    as a miss whatever a system predicts."""
    problems = []
    for layer in (Layer.ENTITIES, Layer.NUMBERS):
        first: dict[tuple[int, int], str | None] = {}
        for index, item in enumerate(getattr(extraction, layer.value) or []):
            span = (item.start, item.end)
            if span in first:
                problems.append(
                    where.problem(
                        f"span [{item.start}, {item.end}) is annotated twice (also {first[span]})",
                        f"{layer.value}[{index}].id",
                        item.id,
                    )
                )
            first.setdefault(span, item.id)
    return problems


def _entity_problems(gold: GoldDocument, known: set[str], where: Where) -> list[Problem]:
    problems = []
    for index, mention in enumerate(gold.entities or []):
        if mention.entity not in known:
            problems.append(
                where.problem(
                    f"entity id is not defined in {CATALOG_FILE}",
                    f"entities[{index}].entity",
                    mention.entity,
                )
            )
    for index, attribution in enumerate(gold.attributions or []):
        if attribution.source_entity is not None and attribution.source_entity not in known:
            problems.append(
                where.problem(
                    f"source_entity is not defined in {CATALOG_FILE}",
                    f"attributions[{index}].source_entity",
                    attribution.source_entity,
                )
            )
    return problems


def claim_problems(gold: GoldDocument, where: Where) -> list[Problem]:
    """What is wrong with a document's claims (none when they are not annotated yet).

    A claim must name a number of the document that §13.1 admits (a count, measure or amount
    with a value, or a measured duration; never an ORDINAL or a date) and has no other claim,
    and the attribution §13.2 prescribes: the innermost one whose content contains the number,
    null when none does. A claim's `within` names another number with one exact value, not
    below the claim's lower end (§13.8 C2). Claim ids are unique and the claims follow their
    numbers' order.

    Examples
    --------
    >>> from claimbench.paths import DEFAULT_GOLD
    >>> data = read_json(DEFAULT_GOLD / "000-afp.json")
    >>> data["claims"] = [{"id": "c1", "number": "n4", "attribution": "a1",
    ...                    "counted": "chinese_nationals", "event": "kidnapped"}]
    >>> for problem in claim_problems(GoldDocument.model_validate(data), Where("f", "000-afp")):
    ...     print(problem)
    f: document '000-afp': claims[0].attribution = 'a1': the innermost attribution whose \
content contains number n4 'two' [174, 177) is a2 ('reports'), not a1 (§13.2)
    """
    problems: list[Problem] = []
    numbers = {number.id: number for number in gold.numbers or []}
    attributions = {attribution.id: attribution for attribution in gold.attributions or []}
    claim_ids: set[str] = set()
    claimed: dict[str, str] = {}
    previous_start = -1
    for index, claim in enumerate(gold.claims or []):
        path = f"claims[{index}]"
        if claim.id in claim_ids:
            problems.append(where.problem("duplicate claim id", f"{path}.id", claim.id))
        claim_ids.add(claim.id)
        number = numbers.get(claim.number)
        if number is None:
            problems.append(
                where.problem(
                    "not a number mention of this document", f"{path}.number", claim.number
                )
            )
            continue
        if claim.number in claimed:
            problems.append(
                where.problem(
                    f"number {claim.number} already has claim {claimed[claim.number]} (at most "
                    "one claim per number, §13.1)",
                    f"{path}.number",
                    claim.number,
                )
            )
        claimed.setdefault(claim.number, claim.id)
        if number.label is NumberLabel.ORDINAL or quantity_of(number) is None:
            problems.append(
                where.problem(
                    f"number {number.text!r} ({number.label.value}) is not a claim: §13.1 admits "
                    "counts, measures and amounts with a value, and measured durations",
                    f"{path}.number",
                    claim.number,
                )
            )
        if number.start < previous_start:
            problems.append(
                where.problem(
                    "claims must be listed in the order of their numbers' start (§13.6)",
                    f"{path}.number",
                    claim.number,
                )
            )
        previous_start = number.start
        problems += _within_problems(claim, numbers, where, path)
        if claim.attribution is not None and claim.attribution not in attributions:
            problems.append(
                where.problem(
                    "not an attribution of this document",
                    f"{path}.attribution",
                    claim.attribution,
                )
            )
            continue
        allowed = carrying_attributions(number, gold.attributions or [])
        if (claim.attribution is None and allowed) or (
            claim.attribution is not None and claim.attribution not in allowed
        ):
            expected = (
                " or ".join(f"{a} ({attributions[a].cue.text!r})" for a in allowed)
                if allowed
                else "none (null: the outlet's own voice)"
            )
            problems.append(
                where.problem(
                    f"the innermost attribution whose content contains number {number.id} "
                    f"{number.text!r} [{number.start}, {number.end}) is {expected}, not "
                    f"{claim.attribution or 'null'} (§13.2)",
                    f"{path}.attribution",
                    claim.attribution,
                )
            )
    return problems


def _within_problems(
    claim: Claim, numbers: dict[str, NumberMention], where: Where, path: str
) -> list[Problem]:
    """What `within_size` finds wrong with a claim's `within` (§13.8 C2)."""
    try:
        within_size(claim, numbers)
    except WithinError as error:
        return [where.problem(str(error), f"{path}.within", claim.within)]
    return []


def slot_problems(
    slots: SlotsFile, documents: dict[str, GoldDocument], gold_dir: Path
) -> list[Problem]:
    """What is wrong between `slots.json` and the documents' claims.

    Every document has its claims annotated and every claim is in a slot; every member is a
    claim of a gold document with the slot's counted class and event; every pair labelled other
    than `scope_mismatch` has the relation §13.8 derives from the two values.

    Examples
    --------
    >>> from claimbench.paths import DEFAULT_GOLD
    >>> docs = {}
    >>> for doc_id, number in (("002-voa", "n4"), ("003-pakistan-forward", "n14")):
    ...     data = read_json(DEFAULT_GOLD / f"{doc_id}.json")
    ...     data["claims"] = [{"id": "c1", "number": number, "attribution": None,
    ...                        "counted": "security_personnel", "event": "injured"}]
    ...     docs[doc_id] = GoldDocument.model_validate(data)
    >>> slots = SlotsFile.model_validate({"slots": [{
    ...     "id": "mastung-raid-security_personnel-injured", "episode": "mastung-raid",
    ...     "counted": "security_personnel", "event": "injured", "question": "How many?",
    ...     "members": ["002-voa:c1", "003-pakistan-forward:c1"],
    ...     "pairs": [{"a": "002-voa:c1", "b": "003-pakistan-forward:c1",
    ...                "relation": "compatible"}]}]})
    >>> for problem in slot_problems(slots, docs, Path("gold")):
    ...     print(problem)
    gold/slots.json: slots[0].pairs[0].relation = 'compatible': slot \
mastung-raid-security_personnel-injured, pair 002-voa:c1 'five' (5) and \
003-pakistan-forward:c1 '10' (10): the values say contradicts (§13.8), not compatible
    """
    path = str(gold_dir / SLOTS_FILE)
    problems: list[Problem] = []
    claims: dict[str, tuple[str, str, Quantity | None, str, str]] = {}
    for doc_id, gold in documents.items():
        if gold.claims is None:
            problems.append(
                Problem(
                    str(gold_dir / f"{doc_id}.json"),
                    f"{SLOTS_FILE} exists but this document has no `claims` (annotate every "
                    "document before grouping claims into slots)",
                    doc_id=doc_id,
                )
            )
            continue
        numbers = {number.id: number for number in gold.numbers or []}
        for claim in gold.claims:
            number = numbers.get(claim.number)
            value = claim_quantity(claim, numbers)
            text = number.text if number is not None else claim.number
            claims[f"{doc_id}:{claim.id}"] = (text, claim.counted, value, claim.event, doc_id)
    in_slot: set[str] = set()
    for s, slot in enumerate(slots.slots):
        for m, member in enumerate(slot.members):
            in_slot.add(member)
            found = claims.get(member)
            field = f"slots[{s}].members[{m}]"
            if found is None:
                problems.append(
                    Problem(
                        path,
                        "not a claim of a gold document",
                        field=field,
                        value=member,
                        has_value=True,
                    )
                )
                continue
            _, counted, _, event, _ = found
            if (counted, event) != (slot.counted, slot.event):
                problems.append(
                    Problem(
                        path,
                        f"the claim is {counted.value} {event.value}, the slot "
                        f"{slot.counted.value} {slot.event.value}",
                        field=field,
                        value=member,
                        has_value=True,
                    )
                )
        for p, pair in enumerate(slot.pairs):
            if pair.relation is SlotRelation.SCOPE_MISMATCH:
                continue
            a, b = claims.get(pair.a), claims.get(pair.b)
            if a is None or b is None or a[2] is None or b[2] is None:
                continue
            derived = relation(a[2], b[2])
            if derived is pair.relation:
                continue
            says = (
                f"the values say {derived.value} (§13.8)"
                if derived is not None
                else "the values are in different units and cannot be compared"
            )
            problems.append(
                Problem(
                    path,
                    f"slot {slot.id}, pair {pair.a} {a[0]!r} ({a[2]}) and {pair.b} {b[0]!r} "
                    f"({b[2]}): {says}, not {pair.relation.value}",
                    field=f"slots[{s}].pairs[{p}].relation",
                    value=pair.relation.value,
                    has_value=True,
                )
            )
    for ref in claims:
        if ref not in in_slot:
            doc_id = claims[ref][4]
            problems.append(
                Problem(
                    path,
                    f"claim {ref} is in no slot (every claim is a member of exactly one, §13.7)",
                    doc_id=doc_id,
                )
            )
    return problems
