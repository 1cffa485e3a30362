"""Loading a corpus: a built folder (manifest and canonical texts) or a JSON Lines file of
documents; documents are checked as they are read. A JSON Lines corpus is streamed one
document at a time; a folder's texts are kept once read (each is read and hashed once per
command), so a corpus too large to hold is given as a JSON Lines file."""

import hashlib
import unicodedata
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from claimbench.errors import InputError, Problem, Problems, problems_from_validation_error
from claimbench.fileio import (
    CHANGED_WHILE_READ,
    JsonlReader,
    iter_jsonl_lines,
    read_json,
    read_text,
)
from claimbench.models import CorpusManifest, Document, DocumentEdits, ManifestEntry


@dataclass(frozen=True)
class Corpus:
    """A corpus on disk: the manifest, and documents read on demand.

    Each text is read and checked (its SHA-256 against the manifest) once per `Corpus`, when
    it is first asked for, and kept: the gold's check, a plugin run, the scorer and the
    provenance's hash of one command all read it there. (A corpus folder is held whole once
    read, as a gold folder is; a corpus too large for that is a JSON Lines file.)
    """

    root: Path
    manifest: CorpusManifest
    _read: dict[str, Document] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def doc_ids(self) -> list[str]:
        """Document ids in manifest order."""
        return [entry.id for entry in self.manifest.documents]

    @cached_property
    def _entries(self) -> dict[str, ManifestEntry]:
        return {entry.id: entry for entry in self.manifest.documents}

    @cached_property
    def positions(self) -> dict[str, int]:
        """The position of each document id in manifest order."""
        return {doc_id: index for index, doc_id in enumerate(self._entries)}

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._entries

    def __len__(self) -> int:
        return len(self.manifest.documents)

    def entry(self, doc_id: str) -> ManifestEntry:
        """The manifest entry of `doc_id` (`KeyError` when the corpus has no such document)."""
        return self._entries[doc_id]

    def document(self, doc_id: str) -> Document:
        """The canonical document `doc_id`, its text checked against the manifest (read once).

        Examples
        --------
        >>> from claimbench.paths import DEFAULT_CORPUS
        >>> corpus = load_corpus(DEFAULT_CORPUS)
        >>> corpus.document("001-dawn") is corpus.document("001-dawn")
        True
        """
        found = self._read.get(doc_id)
        if found is None:
            found = self._read[doc_id] = self._checked(self.entry(doc_id))
        return found

    def _checked(self, entry: ManifestEntry) -> Document:
        path = self.root / entry.text_path
        text = read_text(path, allow_crlf=False)
        problems = check_canonical_text(path, entry, text)
        if problems:
            raise InputError(problems)
        return Document(id=entry.id, text=text, metadata=entry.metadata())

    def text(self, doc_id: str) -> str:
        """The canonical text of `doc_id` (`document`)."""
        return self.document(doc_id).text

    def text_sha256(self, doc_id: str) -> str:
        """The SHA-256 of the text of `doc_id` (its file's bytes), as checked when it was read
        (`document`; read now if it has not been): no text is hashed twice.

        Examples
        --------
        >>> import hashlib
        >>> from claimbench.paths import DEFAULT_CORPUS
        >>> corpus = load_corpus(DEFAULT_CORPUS)
        >>> text = corpus.document("001-dawn").text
        >>> corpus.text_sha256("001-dawn") == hashlib.sha256(text.encode()).hexdigest()
        True
        """
        self.document(doc_id)
        return self.entry(doc_id).text_sha256

    def documents(self) -> Iterator[Document]:
        """Every document, in manifest order, one at a time (each kept once read: `Corpus`)."""
        for doc_id in self.doc_ids:
            yield self.document(doc_id)

    def edits(self, doc_id: str) -> DocumentEdits:
        """The recorded seed-to-canonical edits of `doc_id`."""
        path = self.root / self.entry(doc_id).edits_path
        try:
            return DocumentEdits.model_validate(read_json(path))
        except ValidationError as err:
            raise InputError(problems_from_validation_error(err, path)) from None


def load_corpus(root: Path) -> Corpus:
    """Read `root/manifest.json`.

    Raises
    ------
    InputError
        When the manifest is missing, malformed, or lists a document twice.
    """
    path = root / "manifest.json"
    try:
        manifest = CorpusManifest.model_validate(read_json(path))
    except ValidationError as err:
        raise InputError(problems_from_validation_error(err, path)) from None
    seen: set[str] = set()
    for index, entry in enumerate(manifest.documents):
        if entry.id in seen:
            raise InputError.single(
                path,
                "duplicate document id",
                field=f"documents[{index}].id",
                value=entry.id,
                has_value=True,
            )
        seen.add(entry.id)
    return Corpus(root=root, manifest=manifest)


def check_canonical_text(path: Path, entry: ManifestEntry, text: str) -> list[Problem]:
    """Problems with a canonical text: hash, NFC, line endings and paragraph form."""
    problems = []
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if digest != entry.text_sha256:
        problems.append(
            Problem(
                str(path),
                f"SHA-256 {digest} differs from the manifest's "
                f"{entry.text_sha256}; rebuild with `claimbench corpus build`",
                doc_id=entry.id,
            )
        )
    if not unicodedata.is_normalized("NFC", text):
        problems.append(Problem(str(path), "text is not in Unicode NFC", doc_id=entry.id))
    if not text.endswith("\n") or "\n\n" in text:
        problems.append(
            Problem(
                str(path),
                "canonical text must be one paragraph per line, with no blank "
                "lines, ending with a line break",
                doc_id=entry.id,
            )
        )
    return problems


@dataclass(frozen=True)
class JsonlCorpus:
    """A corpus as one JSON Lines file, one document per line: `{"id", "text", "metadata"}`
    (what a `--command` plugin reads). Only the ids and the byte offsets of their lines are
    held (a few dozen bytes per document); texts are streamed, or read one at a time by id.
    """

    path: Path
    positions: dict[str, int]
    """The position of each document id in file order."""
    offsets: "array[int]"
    """Byte offset of each document's line, by position."""
    sha256: str
    """The file's SHA-256, taken as it was checked (for the provenance: not read again)."""

    @property
    def doc_ids(self) -> list[str]:
        """Document ids in file order."""
        return list(self.positions)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.positions

    def __len__(self) -> int:
        return len(self.positions)

    @cached_property
    def _reader(self) -> JsonlReader:
        return JsonlReader(self.path)

    def document(self, doc_id: str) -> Document:
        """The document `doc_id`, read from its line (`KeyError` when the corpus has no such
        document); in file order, successive reads never seek."""
        return _document(self.path, None, self._line(doc_id))

    def text(self, doc_id: str) -> str:
        """The text of `doc_id`, from its line as it was checked when the file was loaded:
        trusted, not checked again (`KeyError` when the corpus has no such document).

        Raises
        ------
        InputError
            When the file changed since it was checked.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "c.jsonl"
        >>> _ = p.write_text('{"id": "a", "text": "One.\\\\n"}\\n')
        >>> load_jsonl_corpus(p).text("a")
        'One.\\n'
        """
        value = self._line(doc_id)
        text = value.get("text") if isinstance(value, dict) else None
        if not isinstance(text, str):
            raise InputError.single(self.path, CHANGED_WHILE_READ)
        return text

    def _line(self, doc_id: str) -> Any:
        """The JSON value of `doc_id`'s line, read again where it was found at load."""
        return self._reader.value_at(self.offsets[self.positions[doc_id]])

    def documents(self) -> Iterator[Document]:
        """Every document, in file order, one at a time."""
        for line in iter_jsonl_lines(self.path):
            yield _document(self.path, line.number, line.value)


def load_jsonl_corpus(path: Path) -> JsonlCorpus:
    """Check every line of a JSON Lines corpus in one streamed pass, holding only the ids and
    their lines' offsets.

    Raises
    ------
    InputError
        With every problem: malformed JSON, a line that is not a document (field and value
        named), a duplicate id, a text that is not canonical (NFC, `\\n` line endings).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "c.jsonl"
    >>> _ = p.write_text('{"id": "a", "text": "One.\\\\n"}\\n{"id": "b", "text": "Two.\\\\n"}\\n')
    >>> corpus = load_jsonl_corpus(p)
    >>> corpus.doc_ids, corpus.document("b").text
    (['a', 'b'], 'Two.\\n')
    """
    problems = Problems()
    positions: dict[str, int] = {}
    offsets, lines = array("q"), array("q")
    digest = hashlib.sha256()
    try:
        for line in iter_jsonl_lines(path, digest.update):
            try:
                document = _document(path, line.number, line.value)
            except InputError as err:
                problems.extend(err)
                continue
            if document.id in positions:
                first = lines[positions[document.id]]
                message = f"duplicate document id (first at line {first})"
                problems.add(
                    Problem(
                        str(path),
                        message,
                        line.number,
                        field="id",
                        value=document.id,
                        has_value=True,
                    )
                )
                continue
            positions[document.id] = len(positions)
            offsets.append(line.offset)
            lines.append(line.number)
    except InputError as err:
        problems.extend(err)
    problems.check()
    if not positions:
        raise InputError.single(path, "no documents")
    return JsonlCorpus(path=path, positions=positions, offsets=offsets, sha256=digest.hexdigest())


def _document(path: Path, line: int | None, value: object) -> Document:
    doc_id = value.get("id") if isinstance(value, dict) else None
    doc_id = doc_id if isinstance(doc_id, str) else None
    try:
        document = Document.model_validate(value)
    except ValidationError as err:
        raise InputError(
            problems_from_validation_error(err, path, line=line, doc_id=doc_id)
        ) from None
    problems = []
    if not unicodedata.is_normalized("NFC", document.text):
        problems.append("text is not in Unicode NFC")
    if "\r" in document.text:
        problems.append("text has a carriage return; use \\n line endings")
    if problems:
        raise InputError(
            [
                Problem(str(path), message, line, doc_id=document.id, field="text")
                for message in problems
            ]
        )
    return document


def open_corpus(path: Path) -> "Corpus | JsonlCorpus":
    """The corpus at `path`: a folder with `manifest.json`, or a `.jsonl` file of documents.

    Examples
    --------
    >>> from claimbench.paths import DEFAULT_CORPUS
    >>> type(open_corpus(DEFAULT_CORPUS)).__name__
    'Corpus'
    """
    if path.is_file() or path.suffix == ".jsonl":
        return load_jsonl_corpus(path)
    return load_corpus(path)
