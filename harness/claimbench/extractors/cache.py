"""A cache of predictions on disk, so an interrupted run resumes where it stopped.

An entry is keyed on the plugin (name, version, configuration hash) and on what the plugin saw
of the document: the SHA-256 of its text and of its metadata (a plugin may resolve "Sunday"
against the document's date, so the same text with another date is another question). The
document id is not part of the key: a text seen under another id is not extracted twice.

Layout: ``CACHE/<plugin key>/plugin.json`` (who the entries belong to, for people) and
``CACHE/<plugin key>/<first two hex digits>/<document key>.json``, one file per finished
document, each written atomically, so an interruption loses at most the documents in flight.
Only successes are kept: a failed document (a timeout, a crash) is tried again by the next run.
An entry that cannot be read or no longer fits its document is recomputed and rewritten.
"""

import hashlib
import json
from pathlib import Path

from pydantic import ValidationError

from claimbench.errors import UsageError
from claimbench.extractors.failures import DocumentError
from claimbench.extractors.plugin import PluginInfo
from claimbench.extractors.runner import DocumentOutcome, checked_record
from claimbench.fileio import decode_json, dump_json, write_atomic
from claimbench.models import Document, Extraction


def document_key(document: Document) -> str:
    """SHA-256 over the text's and the metadata's SHA-256: what the plugin saw, minus the id.

    Examples
    --------
    >>> a = Document(id="a", text="Ten died.\\n")
    >>> document_key(a) == document_key(Document(id="b", text="Ten died.\\n"))
    True
    """
    text = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
    metadata = hashlib.sha256(document.metadata.model_dump_json().encode("utf-8")).hexdigest()
    return hashlib.sha256(f"{text}:{metadata}".encode()).hexdigest()


def plugin_key(info: PluginInfo) -> str:
    """SHA-256 over the plugin's name, version and configuration hash.

    Examples
    --------
    >>> info = PluginInfo(kind="python", name="x", version="1", target="m:x")
    >>> plugin_key(info) == plugin_key(info.model_copy(update={"version": "2"}))
    False
    """
    identity = json.dumps([info.name, info.version, info.config_hash])
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


class PredictionCache:
    """The cached predictions of one plugin under a cache folder.

    Parameters
    ----------
    root : Path
        The cache folder (created on first write); several plugins may share it.
    info : PluginInfo
        The plugin, as known before the run (a command plugin's header comes later, so its
        entries are keyed on its command line and limits).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from claimbench.extractors.plugin import PluginKind
    >>> info = PluginInfo(kind=PluginKind.PYTHON, name="x", version="1", target="m:x")
    >>> cache = PredictionCache(pathlib.Path(tempfile.mkdtemp()), info)
    >>> document = Document(id="d", text="Ten died.\\n")
    >>> cache.lookup(document) is None
    True
    >>> from claimbench.models import PredictionRecord
    >>> record = PredictionRecord(doc_id="d", numbers=[])
    >>> cache.store(document, DocumentOutcome("d", 0.1, prediction=record))
    >>> cache.lookup(document).prediction.numbers
    []
    """

    def __init__(self, root: Path, info: PluginInfo) -> None:
        self.info = info
        self.folder = root / plugin_key(info)

    def _path(self, document: Document) -> Path:
        key = document_key(document)
        return self.folder / key[:2] / f"{key}.json"

    def lookup(self, document: Document) -> DocumentOutcome | None:
        """The cached outcome of `document` (marked `cached`), or None to compute it."""
        path = self._path(document)
        try:
            stored = decode_json(path.read_bytes())
            extraction = Extraction.model_validate(stored["extraction"])
            record = checked_record(document, extraction, self.info.name)
        except (OSError, ValueError, KeyError, TypeError, ValidationError, DocumentError):
            return None
        return DocumentOutcome(document.id, 0.0, prediction=record, cached=True)

    def store(self, document: Document, outcome: DocumentOutcome) -> None:
        """Keep a successful, freshly computed outcome (failures and cache hits are skipped)."""
        if outcome.prediction is None or outcome.cached:
            return
        if not (self.folder / "plugin.json").exists():
            write_atomic(self.folder / "plugin.json", dump_json(self.info.model_dump(mode="json")))
        layers = outcome.prediction.model_dump(mode="json", exclude={"doc_id"})
        entry = {
            "doc_id": document.id,
            "extraction": {name: value for name, value in layers.items() if value is not None},
        }
        write_atomic(self._path(document), json.dumps(entry, ensure_ascii=False) + "\n")


def open_cache(root: Path, info: PluginInfo) -> PredictionCache:
    """A `PredictionCache` under `root`, checked to be a folder (or creatable as one).

    Raises
    ------
    UsageError
        When `root` exists and is not a folder.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> info = PluginInfo(kind="python", name="x", version="1", target="m:x")
    >>> open_cache(pathlib.Path(tempfile.mkdtemp()), info).info.name
    'x'
    """
    if root.exists() and not root.is_dir():
        raise UsageError(f"--cache {root}: exists and is not a folder")
    return PredictionCache(root, info)
