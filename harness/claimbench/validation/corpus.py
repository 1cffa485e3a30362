"""Checking a built corpus: manifest, texts, edit lists and seeds."""

import hashlib
from pathlib import Path

from claimbench.corpus.offsets import OffsetMap
from claimbench.corpus.store import check_canonical_text, load_corpus
from claimbench.errors import InputError, Problem
from claimbench.fileio import read_text


def validate_corpus(corpus_dir: Path, seeds_dir: Path | None = None) -> str:
    """Check the corpus in `corpus_dir`; with `seeds_dir`, also against its seeds.

    Returns
    -------
    str
        A one-line summary of what was checked.

    Raises
    ------
    InputError
        With every problem: malformed manifest, missing or changed texts, CRLF line endings,
        non-NFC text, blank lines, edit lists that do not turn the seed into the text, seeds whose
        hash differs from the manifest.
    """
    corpus = load_corpus(corpus_dir)
    problems: list[Problem] = []
    for entry in corpus.manifest.documents:
        path = corpus_dir / entry.text_path
        try:
            text = read_text(path, allow_crlf=False)
        except InputError as err:
            problems.extend(err.problems)
            continue
        problems.extend(check_canonical_text(path, entry, text))
        if seeds_dir is not None:
            problems.extend(_seed_problems(corpus, entry.id, seeds_dir / entry.seed, text))
    if problems:
        raise InputError(problems)
    checked = "texts and seeds" if seeds_dir is not None else "texts"
    return f"{len(corpus.doc_ids)} documents ({checked} checked)"


def _seed_problems(corpus, doc_id: str, seed_path: Path, text: str) -> list[Problem]:
    entry = corpus.entry(doc_id)
    try:
        seed_bytes = seed_path.read_bytes()
    except FileNotFoundError:
        return [Problem(str(seed_path), "seed file not found", doc_id=doc_id)]
    if hashlib.sha256(seed_bytes).hexdigest() != entry.seed_sha256:
        return [Problem(str(seed_path), "seed SHA-256 differs from the manifest", doc_id=doc_id)]
    seed = seed_bytes.decode("utf-8")
    edits = corpus.edits(doc_id).edits
    rebuilt, position = [], 0
    for edit in edits:
        if seed[edit.seed_start : edit.seed_end] != edit.seed_text:
            return [
                Problem(
                    str(corpus.root / entry.edits_path),
                    f"edit at seed [{edit.seed_start}, {edit.seed_end}) does not match "
                    "the seed text",
                    doc_id=doc_id,
                )
            ]
        rebuilt += [seed[position : edit.seed_start], edit.text]
        position = edit.seed_end
    rebuilt.append(seed[position:])
    if "".join(rebuilt) != text:
        return [
            Problem(
                str(corpus.root / entry.edits_path),
                "applying the edits to the seed does not give the canonical text",
                doc_id=doc_id,
            )
        ]
    OffsetMap(edits, len(seed), len(text))  # raises if edits are inconsistent
    return []
