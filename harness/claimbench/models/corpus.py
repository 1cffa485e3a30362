"""Corpus documents and the manifest (DESIGN §2)."""

import datetime as dt

from pydantic import NonNegativeInt

from claimbench.models.base import ContractModel, DocId, FolderPath, Sha256


class Evidence(ContractModel):
    """Where in the seed a metadata value is stated, so a reviewer can check it."""

    seed_start: NonNegativeInt
    seed_end: NonNegativeInt
    text: str
    rule: str


class DocumentMetadata(ContractModel):
    """What a plugin may know about a document besides its text. Never gold."""

    outlet: str | None = None
    date: dt.date | None = None


class Document(ContractModel):
    """A canonical document: what a plugin receives."""

    id: DocId
    text: str
    metadata: DocumentMetadata = DocumentMetadata()


class ManifestEntry(ContractModel):
    """One document of `corpus/manifest.json`."""

    id: DocId
    seed: str
    seed_sha256: Sha256
    text_path: FolderPath
    text_sha256: Sha256
    outlet: str | None
    outlet_evidence: Evidence | None
    date: dt.date | None
    date_evidence: Evidence | None
    paragraphs: NonNegativeInt
    characters: NonNegativeInt
    edits_path: FolderPath

    def metadata(self) -> DocumentMetadata:
        """The plugin-visible metadata of this document."""
        return DocumentMetadata(outlet=self.outlet, date=self.date)


class CorpusManifest(ContractModel):
    """`corpus/manifest.json`: corpus name, version and its documents in order."""

    schema_version: int = 1
    name: str
    version: str
    documents: list[ManifestEntry]
