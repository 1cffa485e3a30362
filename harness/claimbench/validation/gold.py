"""Loading and checking the gold folder: documents, entity catalogue, cross-references."""

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from claimbench.corpus.store import Corpus
from claimbench.errors import InputError, Problem
from claimbench.fileio import read_json
from claimbench.models import EntityCatalog, Extraction, GoldDocument
from claimbench.validation.items import Where, id_problems, span_problems
from claimbench.validation.pydantic_errors import problems_from_validation_error

CATALOG_FILE = "entities.json"
SLOTS_FILE = "slots.json"


@dataclass(frozen=True)
class GoldSet:
    """Validated gold: one document per corpus document, and the entity catalogue."""

    documents: dict[str, GoldDocument]
    catalog: EntityCatalog


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
        documents, and gold annotated on another version of a text.
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
        if path.name not in (CATALOG_FILE, SLOTS_FILE) and path.stem not in corpus.doc_ids:
            problems.append(
                Problem(
                    str(path), "gold for a document that is not in the corpus", doc_id=path.stem
                )
            )
    if problems:
        raise InputError(problems)
    assert catalog is not None
    return GoldSet(documents=documents, catalog=catalog)


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
    extraction = _as_extraction(gold)
    text = corpus.document(doc_id).text
    problems.extend(span_problems(extraction, text, where))
    problems.extend(id_problems(extraction, where))
    if known_entities is not None:
        problems.extend(_entity_problems(gold, known_entities, where))
    return gold


def _as_extraction(gold: GoldDocument) -> Extraction:
    # Gold items subclass the predicted ones, so the shared checks apply unchanged.
    return Extraction(entities=gold.entities, numbers=gold.numbers, attributions=gold.attributions)


def _entity_problems(gold: GoldDocument, known: set[str], where: Where) -> list[Problem]:
    problems = []
    for index, mention in enumerate(gold.entities):
        if mention.entity not in known:
            problems.append(
                where.problem(
                    f"entity id is not defined in {CATALOG_FILE}",
                    f"entities[{index}].entity",
                    mention.entity,
                )
            )
    for index, attribution in enumerate(gold.attributions):
        if attribution.source_entity is not None and attribution.source_entity not in known:
            problems.append(
                where.problem(
                    f"source_entity is not defined in {CATALOG_FILE}",
                    f"attributions[{index}].source_entity",
                    attribution.source_entity,
                )
            )
    return problems
