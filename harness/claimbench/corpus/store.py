"""Loading a built corpus: its manifest and canonical documents, checked as they are read."""

import hashlib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from claimbench.errors import InputError, Problem
from claimbench.fileio import read_json, read_text
from claimbench.models import CorpusManifest, Document, DocumentEdits, ManifestEntry
from claimbench.validation.pydantic_errors import problems_from_validation_error


@dataclass(frozen=True)
class Corpus:
    """A corpus on disk: the manifest, and documents read on demand."""

    root: Path
    manifest: CorpusManifest

    @property
    def doc_ids(self) -> list[str]:
        """Document ids in manifest order."""
        return [entry.id for entry in self.manifest.documents]

    def entry(self, doc_id: str) -> ManifestEntry:
        """The manifest entry of `doc_id`."""
        for entry in self.manifest.documents:
            if entry.id == doc_id:
                return entry
        raise KeyError(doc_id)

    def document(self, doc_id: str) -> Document:
        """The canonical document `doc_id`, its text checked against the manifest."""
        entry = self.entry(doc_id)
        path = self.root / entry.text_path
        text = read_text(path, allow_crlf=False)
        problems = check_canonical_text(path, entry, text)
        if problems:
            raise InputError(problems)
        return Document(id=entry.id, text=text, metadata=entry.metadata())

    def documents(self) -> Iterator[Document]:
        """Every document, in manifest order, one at a time."""
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
