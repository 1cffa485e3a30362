"""Writing an imported corpus: canonical texts, edit lists, manifest, gold and entity catalogue.

Importers hand over `DraftDocument`s: the source text and gold-shaped items whose spans are
offsets into that source text. The writer makes the text canonical, projects every span through
the offset map, fills in span texts and missing entity ids, validates the result with the gold
models, and writes `OUT/corpus/` and `OUT/gold/` in claimbench's formats, and each source text
as `OUT/seeds/<doc_id>.txt`, so that `claimbench validate --seeds OUT/seeds --corpus OUT/corpus
--gold OUT/gold` checks the import and a gold span can be projected back onto the source.
Everything is written into a staging folder first, which becomes `OUT` only when every
document is valid, so a failed import leaves nothing half-written behind; the staged files are
made durable with one sync for the whole import, not one per file. With `partial`, a document
with problems is left out instead (the summary lists it with every problem, and so does
`OUT/left-out.json`) and the others are imported.

Only the layers the source annotates are written (`layers`): a layer absent from the gold is
not annotated, so it is not scored and not in the overall score.
"""

import re
import shutil
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from pydantic import ValidationError

from claimbench.corpus.build import manifest_entry, sha256_hex
from claimbench.corpus.offsets import OffsetMap
from claimbench.errors import (
    InputError,
    OutputError,
    Problem,
    UsageError,
    Where,
    problems_from_validation_error,
)
from claimbench.fileio import commit_folder, dump_json, write_atomic
from claimbench.interop.canonical import canonicalise
from claimbench.models import (
    ENTITY_LABELS,
    CorpusManifest,
    DocumentEdits,
    EntityCatalog,
    EntityRecord,
    GoldDocument,
    GoldManifest,
    ManifestEntry,
)
from claimbench.models.claims import SlotsFile
from claimbench.validation.gold import (
    CATALOG_FILE,
    MANIFEST_FILE,
    SLOTS_FILE,
    gold_document_problems,
    slot_problems,
)

CORPUS_VERSION = "1.0.0"
LAYERS = ("entities", "numbers", "attributions")
LEFT_OUT_FILE = "left-out.json"
"""Written into `OUT` by a partial import that left documents out: each with its problems."""
NO_VALUE = (
    "number mentions without a normalised value (claimbench's number gold needs value and "
    "form, or timex)"
)
EMPTY_DOCUMENTS = "empty documents (no text, nothing annotated)"
_SLUG_CHARS = 80


@dataclass
class DraftDocument:
    """One imported document before canonicalisation.

    `entities`, `numbers` and `attributions` hold JSON-like dicts shaped like the gold items;
    every span (a dict with `start` and `end`) is in source-text offsets and has no `text` yet.
    An entity whose `entity` is None gets an id derived from its text and label. `claims`
    (None: the claims layer is not annotated) refer to number and attribution ids. `problems`
    are what the importer found wrong with the source document; `skipped` and `noted` count
    what it left out and decided, merged into the summary when the document is imported.
    """

    doc_id: str
    source: str
    where: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    numbers: list[dict[str, Any]] = field(default_factory=list)
    attributions: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] | None = None
    problems: list[Problem] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    noted: Counter[str] = field(default_factory=Counter)

    def skip(self, reason: str, count: int = 1) -> None:
        """Record that `count` source annotations were left out, and why."""
        self.skipped[reason] += count

    def note(self, what: str) -> None:
        """Record something the import decided that the user should know (kept, not skipped)."""
        self.noted[what] += 1

    def add_mention(
        self,
        item: dict[str, Any],
        *,
        entity: str | None = None,
        normalised: dict[str, Any] | None = None,
    ) -> str | None:
        """Add a mention (`id`, `start`, `end`, `label`) to the layer its label belongs to.

        Parameters
        ----------
        item : dict[str, Any]
            The mention, in source offsets, with a claimbench label.
        entity : str | None
            Canonical entity id of an entity mention (derived from its text when None).
        normalised : dict[str, Any] | None
            `value`, `form`, `unit` or `timex` of a number mention.

        Returns
        -------
        str | None
            None when added; otherwise why it was left out (a number with no value).

        Examples
        --------
        >>> draft = DraftDocument("d", "Ann saw 3.", "d.txt")
        >>> draft.add_mention({"id": "T1", "start": 0, "end": 3, "label": "PERSON"})
        >>> draft.add_mention({"id": "T2", "start": 8, "end": 9, "label": "CARDINAL"}) == NO_VALUE
        True
        """
        if item["label"] in ENTITY_LABELS:
            self.entities.append({**item, "entity": entity})
            return None
        if not normalised:
            return NO_VALUE
        self.numbers.append({**item, **normalised})
        return None


@dataclass
class LeftOut:
    """A document a partial import left out, with every problem found in it."""

    doc_id: str
    where: str
    problems: list[Problem]


@dataclass
class ImportSummary:
    """What an import wrote, and what it deliberately left out (with the reason)."""

    corpus_dir: Path
    gold_dir: Path
    seeds_dir: Path
    documents: int
    items: Counter[str]
    skipped: Counter[str]
    noted: Counter[str]
    layers: tuple[str, ...] = LAYERS
    left_out: list[LeftOut] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A short human-readable report.

        Examples
        --------
        >>> summary = ImportSummary(Path("c"), Path("g"), Path("s"), 2, Counter(entities=5),
        ...                         Counter(), Counter(), ("entities",))
        >>> summary.lines()[0]
        'imported 2 documents (5 entities; not annotated: numbers, attributions)'
        >>> ImportSummary(Path("c"), Path("g"), Path("s"), 1, Counter(), Counter(), Counter(),
        ...               ()).lines()[0]
        'imported 1 documents (not annotated: entities, numbers, attributions)'
        """
        parts = [", ".join(f"{self.items[layer]} {layer}" for layer in self.layers)]
        absent = [layer for layer in LAYERS if layer not in self.layers]
        if absent:
            parts.append(f"not annotated: {', '.join(absent)}")
        counts = "; ".join(part for part in parts if part)
        lines = [
            f"imported {self.documents} documents ({counts})",
            f"  corpus: {self.corpus_dir}",
            f"  gold:   {self.gold_dir}",
            f"  seeds:  {self.seeds_dir}",
        ]
        lines += [f"  skipped {count} {reason}" for reason, count in sorted(self.skipped.items())]
        lines += [f"  {count} {what}" for what, count in sorted(self.noted.items())]
        if self.left_out:
            lines.append(
                f"left out {len(self.left_out)} documents (partial import; also in "
                f"{LEFT_OUT_FILE} beside corpus/):"
            )
            for document in self.left_out:
                lines.append(f"  {document.doc_id} ({document.where}):")
                lines += [f"    {problem}" for problem in document.problems]
        return lines


def derive_entity_id(text: str, label: str) -> str:
    """A readable canonical id for a mention that has none: its text and label, slugged.

    Examples
    --------
    >>> derive_entity_id("São Paulo", "GPE")
    'sao-paulo-gpe'
    >>> derive_entity_id("Islamic State", "WORK_OF_ART")
    'islamic-state-work-of-art'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:_SLUG_CHARS].strip("-")
    if not slug:
        slug = "entity-" + sha256_hex(text.encode("utf-8"))[:8]
    return f"{slug}-{label.lower().replace('_', '-')}"


_NOT_IN_IDS = re.compile(r"[^A-Za-z0-9_.-]+")


def document_id(name: str) -> str:
    """A valid document id made from a file name or a relative path (without its extension):
    letters turned to ASCII, each run of other characters (a space, a slash, brackets) made one
    `-`, and `-`, `_` or `.` at either end dropped; a name with nothing left is hashed.

    Examples
    --------
    >>> document_id("eng.train-1"), document_id("my train (1)"), document_id("_données")
    ('eng.train-1', 'my-train-1', 'donnees')
    >>> document_id("train/doc1"), document_id("新闻")
    ('train-doc1', 'doc-d39567b2')
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    made = _NOT_IN_IDS.sub("-", ascii_name).strip("-_.")
    return made or "doc-" + sha256_hex(name.encode("utf-8"))[:8]


class ImportWriter:
    """Collects drafts into `OUT/corpus` and `OUT/gold`; use as a context manager.

    Parameters
    ----------
    out : Path
        Output folder; it must not exist or be empty.
    name : str
        Corpus name recorded in the manifest.
    catalog : EntityCatalog | None
        Canonical entities known beforehand; ids that mentions use and it lacks are added.
    slots : SlotsFile | None
        Cross-document slots of the claims, written as `gold/slots.json` when given; checked
        against the claims of the documents written, as `validate` checks them.
    gold_manifest : GoldManifest | None
        The gold's name and version, written as `gold/manifest.json` when given (a re-import
        of exported claimbench gold keeps it).
    layers : tuple of str
        The layers the source annotates, the only ones written (the others are not
        annotated); an item of another layer is an error.
    partial : bool
        Leave out a document with problems (listed in the summary) instead of failing the
        whole import.
    slots_dir : Path or None
        The folder `slots` was read from, which its problems name (default: `OUT/gold`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "imported"
    >>> with ImportWriter(out, "demo") as writer:
    ...     writer.add(DraftDocument("d1", "Ann met Bo.", "d1.txt",
    ...                entities=[{"id": "T1", "start": 0, "end": 3, "label": "PERSON"}]))
    ...     summary = writer.finish()
    >>> (out / "gold" / "d1.json").exists(), summary.items["entities"]
    (True, 1)
    """

    def __init__(
        self,
        out: Path,
        name: str,
        catalog: EntityCatalog | None = None,
        slots: SlotsFile | None = None,
        gold_manifest: GoldManifest | None = None,
        *,
        layers: tuple[str, ...] = LAYERS,
        partial: bool = False,
        slots_dir: Path | None = None,
    ) -> None:
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise UsageError(f"{out} exists and is not an empty folder; choose a new --out")
        self.out = out
        self.name = name
        self.staging = out.parent / f".{out.name}.importing"
        self.problems: list[Problem] = []
        self.entries: list[ManifestEntry] = []
        self.items: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()
        self.noted: Counter[str] = Counter()
        self.records: dict[str, EntityRecord] = (
            {r.id: r for r in catalog.entities} if catalog else {}
        )
        self.derived: set[str] = set()
        self.doc_ids: set[str] = set()
        self.written: dict[str, GoldDocument] = {}
        self.slots = slots
        self.slots_dir = out / "gold" if slots_dir is None else slots_dir
        self.gold_manifest = gold_manifest
        self.layers = tuple(layer for layer in LAYERS if layer in layers)
        self.partial = partial
        self.left_out: list[LeftOut] = []

    def __enter__(self) -> Self:
        shutil.rmtree(self.staging, ignore_errors=True)
        try:
            (self.staging / "corpus").mkdir(parents=True)
            (self.staging / "gold").mkdir()
        except OSError as err:  # under a file, on a read-only file system: named, exit 2
            raise OutputError.of(self.out, err) from None
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def add(self, draft: DraftDocument) -> None:
        """Canonicalise, project, validate and write one document; its problems are collected
        (or, in a partial import, the document is left out with them). A document with no
        text and nothing annotated is counted and left out: it holds nothing to score."""
        if _blank(draft):
            self.skipped[EMPTY_DOCUMENTS] += 1
            return
        problems = [*draft.problems, *self._unannotated(draft)]
        if draft.doc_id in self.doc_ids:
            problems.append(Problem(draft.where, "duplicate document id", doc_id=draft.doc_id))
        self.doc_ids.add(draft.doc_id)
        written = self._checked_write(draft, problems)
        if written:
            self.skipped.update(draft.skipped)
            self.noted.update(draft.noted)
        elif self.partial:
            self.left_out.append(LeftOut(draft.doc_id, draft.where, problems))
        else:
            self.problems += problems

    def _unannotated(self, draft: DraftDocument) -> list[Problem]:
        return [
            Problem(
                draft.where,
                f"{layer} found, but this import writes only {', '.join(self.layers)}",
                doc_id=draft.doc_id,
            )
            for layer in LAYERS
            if layer not in self.layers and getattr(draft, layer)
        ]

    def _checked_write(self, draft: DraftDocument, problems: list[Problem]) -> bool:
        """Write the draft when it is valid and `problems` is empty (True); otherwise add its
        problems to `problems`."""
        try:
            text, edits, omap = canonicalise(draft.source)
            layers = {layer: _project(getattr(draft, layer), omap, text) for layer in self.layers}
        except ValueError as err:
            problems.append(Problem(draft.where, str(err), doc_id=draft.doc_id))
            return False
        if not text.strip():
            if not draft.problems:  # a text that could not be read is not also "empty"
                problems.append(Problem(draft.where, "document is empty", doc_id=draft.doc_id))
            return False
        gold = self._gold(draft, text, layers, problems)
        if gold is None or problems:
            return False
        self._write(draft, text, edits, gold)
        return True

    def _gold(
        self,
        draft: DraftDocument,
        text: str,
        layers: dict[str, list[dict[str, Any]]],
        problems: list[Problem],
    ) -> GoldDocument | None:
        for mention in layers.get("entities", []):
            if mention.get("entity") is None:
                mention["entity"] = derive_entity_id(mention["text"], mention["label"])
        try:
            gold = GoldDocument(
                doc_id=draft.doc_id,
                text_sha256=sha256_hex(text.encode("utf-8")),
                claims=draft.claims,
                **layers,
            )
        except ValidationError as err:
            problems += problems_from_validation_error(err, draft.where, doc_id=draft.doc_id)
            return None
        # The checks `validate` and `score` run on gold, so that what is written is usable.
        found = gold_document_problems(gold, text, Where(draft.where, draft.doc_id))
        problems += found
        return None if found else gold

    def _write(self, draft: DraftDocument, text: str, edits: list[Any], gold: GoldDocument) -> None:
        doc_id = draft.doc_id
        seed, seed_bytes = f"{doc_id}.txt", draft.source.encode("utf-8")
        entry = manifest_entry(doc_id, seed, seed_bytes, text)
        corpus_dir = self.staging / "corpus"
        document_edits = DocumentEdits(doc_id=doc_id, seed=seed, edits=edits)
        files = {
            corpus_dir / entry.text_path: text.encode("utf-8"),
            self.staging / "seeds" / seed: seed_bytes,
            corpus_dir / entry.edits_path: dump_json(document_edits.model_dump(mode="json")),
            self.staging / "gold" / f"{doc_id}.json": dump_json(gold.model_dump(mode="json")),
        }
        for path, content in files.items():
            write_atomic(path, content, durable=False)  # made durable at once in `finish`
        self.entries.append(entry)
        self.written[doc_id] = gold
        self._catalogue(gold)
        for layer in self.layers:
            self.items[layer] += len(getattr(gold, layer) or [])

    def _catalogue(self, gold: GoldDocument) -> None:
        for mention in gold.entities or []:
            self._remember(mention.entity, mention.text, mention.label.value)
        for attribution in gold.attributions or []:
            if attribution.source_entity is not None:
                name = attribution.source.text if attribution.source else attribution.source_entity
                self._remember(attribution.source_entity, name, None)

    def _remember(self, entity_id: str, text: str, label: str | None) -> None:
        record = self.records.get(entity_id)
        if record is None:
            self.records[entity_id] = EntityRecord(id=entity_id, name=text, label=label)
            self.derived.add(entity_id)
            return
        if entity_id not in self.derived:
            return
        aliases = record.aliases
        if text != record.name and text not in aliases:
            aliases = [*aliases, text]
        same_label = label is None or record.label is None or record.label.value == label
        self.records[entity_id] = record.model_copy(
            update={"aliases": aliases, "label": record.label if same_label else None}
        )

    def finish(self) -> ImportSummary:
        """Write manifest and catalogue and move the import into place.

        Raises
        ------
        InputError
            With every problem found in any document; nothing is written then.
        """
        if not self.entries and not self.problems:
            self.problems.append(Problem(self.name, "no documents to import"))
            self.problems += [p for document in self.left_out for p in document.problems]
        if self.slots is not None and not self.problems:
            self.problems += slot_problems(self.slots, self.written, self.slots_dir)
        if self.problems:
            raise InputError(self.problems)
        manifest = CorpusManifest(name=self.name, version=CORPUS_VERSION, documents=self.entries)
        catalog = EntityCatalog(entities=list(self.records.values()))
        files = {
            self.staging / "corpus" / "manifest.json": manifest.model_dump(mode="json"),
            self.staging / "gold" / CATALOG_FILE: catalog.model_dump(mode="json"),
        }
        if self.slots is not None:
            files[self.staging / "gold" / SLOTS_FILE] = self.slots.model_dump(mode="json")
        if self.gold_manifest is not None:
            files[self.staging / "gold" / MANIFEST_FILE] = self.gold_manifest.model_dump(
                mode="json"
            )
        if self.left_out:
            files[self.staging / LEFT_OUT_FILE] = [
                {
                    "doc_id": doc.doc_id,
                    "where": doc.where,
                    "problems": [str(p) for p in doc.problems],
                }
                for doc in self.left_out
            ]
        for path, value in files.items():
            write_atomic(path, dump_json(value), durable=False)
        commit_folder(self.staging, self.out)
        return ImportSummary(
            corpus_dir=self.out / "corpus",
            gold_dir=self.out / "gold",
            seeds_dir=self.out / "seeds",
            documents=len(self.entries),
            items=self.items,
            skipped=self.skipped,
            noted=self.noted,
            layers=self.layers,
            left_out=self.left_out,
        )


def _blank(draft: DraftDocument) -> bool:
    """Whether the draft has no text, no annotation and no problem.

    Examples
    --------
    >>> _blank(DraftDocument("d", " \\n", "d.txt")), _blank(DraftDocument("d", "Ann", "d.txt"))
    (True, False)
    """
    annotated = draft.claims or any(getattr(draft, layer) for layer in LAYERS)
    return not (draft.source.strip() or annotated or draft.problems)


def _project(value: Any, omap: OffsetMap, text: str) -> Any:
    """`value` with every span moved from source to canonical offsets and given its text."""
    if isinstance(value, dict):
        if isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
            start, end = omap.to_text(value["start"], value["end"])
            return {**value, "start": start, "end": end, "text": text[start:end]}
        return {key: _project(item, omap, text) for key, item in value.items()}
    if isinstance(value, list):
        return [_project(item, omap, text) for item in value]
    return value
