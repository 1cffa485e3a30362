"""`claimbench corpus build`: derive `corpus/` from `seeds/`, deterministically."""

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from claimbench.corpus.cleaning import PlannedEdit, apply_edits, plan_edits
from claimbench.corpus.metadata import find_date, find_outlet
from claimbench.errors import InputError
from claimbench.fileio import current_bytes, dump_json, read_text, write_atomic
from claimbench.models import CorpusManifest, DocumentEdits, Edit, ManifestEntry
from claimbench.models.corpus import Evidence

CORPUS_NAME = "claimbench-mastung"
# Bump when any canonical text changes: gold records the text hash it was annotated on.
CORPUS_VERSION = "1.0.0"
SEED_PATTERN = re.compile(r"^(?P<index>\d{3})_[0-9a-f]+\.txt$")


@dataclass(frozen=True)
class BuiltCorpus:
    """The files of a corpus build, as relative path -> bytes, not yet written."""

    files: dict[str, bytes]

    def write(self, corpus_dir: Path) -> list[str]:
        """Write every file that differs; return the relative paths written."""
        written = []
        for relative, data in self.files.items():
            target = corpus_dir / relative
            if current_bytes(target) != data:
                write_atomic(target, data)
                written.append(relative)
        return written

    def differences(self, corpus_dir: Path) -> list[str]:
        """Relative paths whose content on disk differs from this build (or that are extra)."""
        differing = [
            relative
            for relative, data in self.files.items()
            if current_bytes(corpus_dir / relative) != data
        ]
        on_disk = {
            path.relative_to(corpus_dir).as_posix()
            for path in corpus_dir.rglob("*")
            if path.is_file()
        }
        return sorted([*differing, *(on_disk - set(self.files))])


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def seed_files(seeds_dir: Path) -> list[Path]:
    """The seed files, in index order; anything else in the folder is an error, not ignored."""
    if not seeds_dir.is_dir():
        raise InputError.single(seeds_dir, "seeds folder not found")
    seeds, problems = [], []
    for path in sorted(seeds_dir.iterdir()):
        if path.name == "SHA256SUMS":
            continue
        if SEED_PATTERN.match(path.name):
            seeds.append(path)
        else:
            problems.append(f"{path.name!r} is not a seed name (NNN_<hex>.txt)")
    if problems:
        raise InputError.single(seeds_dir, "; ".join(problems))
    if not seeds:
        raise InputError.single(seeds_dir, "no seed files")
    return seeds


def build_corpus(seeds_dir: Path) -> BuiltCorpus:
    """Build the canonical corpus from `seeds_dir` in memory.

    Parameters
    ----------
    seeds_dir : Path
        Folder of raw seed articles named `NNN_<hex>.txt`.

    Returns
    -------
    BuiltCorpus
        Manifest, canonical texts and edit lists, ready to write or compare.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> seeds = pathlib.Path(tempfile.mkdtemp())
    >>> text = "KARACHI: Two men were ki\\ndnapped, police told AFP."
    >>> _ = (seeds / "000_ab.txt").write_text(text)
    >>> built = build_corpus(seeds)
    >>> built.files["texts/000-afp.txt"]
    b'KARACHI: Two men were kidnapped, police told AFP.\\n'
    """
    from wordfreq import zipf_frequency  # imported here: loading it is slow and only build needs it

    def lexicon(word: str) -> float:
        return zipf_frequency(word, "en")

    files: dict[str, bytes] = {}
    entries = []
    for seed_path in seed_files(seeds_dir):
        seed_bytes = seed_path.read_bytes()
        seed = read_text(seed_path, allow_bom=True)
        planned = plan_edits(seed, lexicon)
        text = apply_edits(seed, planned)
        if not unicodedata.is_normalized("NFC", text):
            raise InputError.single(seed_path, "canonical text is not NFC after repairs")
        outlet, outlet_evidence = find_outlet(seed)
        date, date_evidence = find_date(seed)
        doc_id = _doc_id(seed_path, outlet, text)
        text_bytes = text.encode("utf-8")
        edits = DocumentEdits(doc_id=doc_id, seed=seed_path.name, edits=_edits(seed, planned))
        entry = manifest_entry(
            doc_id,
            seed_path.name,
            seed_bytes,
            text,
            outlet=outlet,
            outlet_evidence=outlet_evidence,
            date=date,
            date_evidence=date_evidence,
        )
        files[entry.text_path] = text_bytes
        files[entry.edits_path] = dump_json(edits.model_dump(mode="json")).encode()
        entries.append(entry)
    manifest = CorpusManifest(name=CORPUS_NAME, version=CORPUS_VERSION, documents=entries)
    files["manifest.json"] = dump_json(manifest.model_dump(mode="json")).encode()
    return BuiltCorpus(files=dict(sorted(files.items())))


def manifest_entry(
    doc_id: str,
    seed: str,
    seed_bytes: bytes,
    text: str,
    *,
    outlet: str | None = None,
    outlet_evidence: Evidence | None = None,
    date: datetime.date | None = None,
    date_evidence: Evidence | None = None,
) -> ManifestEntry:
    """A document's manifest entry: where its text and edits live in a corpus folder, the
    hashes of seed and text, and its size (also for corpora written by the importers).

    Examples
    --------
    >>> entry = manifest_entry("d1", "d1.txt", b"A raid.", "A raid.\\n")
    >>> entry.text_path, entry.edits_path, entry.paragraphs, entry.characters
    ('texts/d1.txt', 'edits/d1.json', 1, 8)
    """
    return ManifestEntry(
        id=doc_id,
        seed=seed,
        seed_sha256=sha256_hex(seed_bytes),
        text_path=f"texts/{doc_id}.txt",
        text_sha256=sha256_hex(text.encode("utf-8")),
        outlet=outlet,
        outlet_evidence=outlet_evidence,
        date=date,
        date_evidence=date_evidence,
        paragraphs=text.count("\n"),
        characters=len(text),
        edits_path=f"edits/{doc_id}.json",
    )


def _doc_id(seed_path: Path, outlet: str | None, text: str) -> str:
    """`NNN-outlet` where the text names its outlet, else `NNN-` and its first three words."""
    match = SEED_PATTERN.match(seed_path.name)
    assert match is not None  # seed_files admitted only matching names
    words = outlet or " ".join(re.findall(r"[A-Za-z0-9]+", text)[:3])
    slug = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")
    return f"{match['index']}-{slug}"


def _edits(seed: str, planned: list[PlannedEdit]) -> list[Edit]:
    edits, shift = [], 0
    for edit in planned:
        text_start = edit.start + shift
        text_end = text_start + len(edit.replacement)
        edits.append(
            Edit(
                seed_start=edit.start,
                seed_end=edit.end,
                text_start=text_start,
                text_end=text_end,
                seed_text=seed[edit.start : edit.end],
                text=edit.replacement,
                kind=edit.kind,
                reason=edit.reason,
            )
        )
        shift += len(edit.replacement) - (edit.end - edit.start)
    return edits
