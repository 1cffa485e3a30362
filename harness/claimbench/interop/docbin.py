"""spaCy DocBin (`.spacy` files, as written by `spacy convert` and used to train pipelines):
import the named entities into claimbench's corpus and gold.

A document's text is `doc.text`; each `doc.ents` span becomes a mention with its character
offsets and its label mapped like any other source type (OntoNotes labels unchanged). Value
types (CARDINAL, DATE, ...) carry no normalised value in a DocBin, so they are counted and left
out (claimbench's number gold needs one). Document ids are `<file stem>-<number>` from 1, or
`doc.user_data["doc_id"]` when the DocBin stored user data and that id is usable.

spaCy is an optional dependency (`pip install 'claimbench[spacy]'`), imported only here.
"""

import re
from pathlib import Path
from typing import Any

from claimbench.errors import InputError, Problem, UsageError
from claimbench.interop.labels import LabelMap
from claimbench.interop.writer import DraftDocument, ImportSummary, ImportWriter

_DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def load_docs(path: Path) -> list[Any]:
    """The `spacy.tokens.Doc`s of a DocBin file, read with a blank English vocabulary.

    Raises
    ------
    UsageError
        When spaCy is not installed (with the install command).
    InputError
        When the file is missing or not a DocBin.
    """
    try:
        import spacy
        from spacy.tokens import DocBin
    except ImportError:
        raise UsageError(
            "importing a spaCy DocBin needs spaCy: pip install 'claimbench[spacy]'"
        ) from None
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError.single(path, f"cannot read: {err.strerror}") from None
    try:
        doc_bin = DocBin(store_user_data=True).from_bytes(data)
    except (ValueError, KeyError, TypeError) as err:
        raise InputError.single(path, f"not a spaCy DocBin: {err}") from None
    return list(doc_bin.get_docs(spacy.blank("en").vocab))


def import_docbin(paths: list[Path], out: Path, *, name: str, labels: LabelMap) -> ImportSummary:
    """Import spaCy DocBin files into `out/corpus` and `out/gold` (entity mentions).

    Parameters
    ----------
    paths : list[Path]
        `.spacy` files.
    out : Path
        New output folder.
    name : str
        Corpus name for the manifest.
    labels : LabelMap
        Entity label -> claimbench label (None drops it).

    Returns
    -------
    ImportSummary
        What was written, and what was left out.

    Raises
    ------
    InputError
        With every problem (unknown labels with file, document and value); nothing is written.
    """
    with ImportWriter(out, name) as writer:
        for path in paths:
            for index, doc in enumerate(load_docs(path), start=1):
                doc_id = _doc_id(doc, f"{path.stem}-{index}")
                draft = DraftDocument(doc_id, doc.text, f"{path} (document {index})")
                _fill(draft, doc, labels, writer)
                writer.add(draft)
        return writer.finish()


def _doc_id(doc: Any, default: str) -> str:
    stored = doc.user_data.get("doc_id") if isinstance(doc.user_data, dict) else None
    return stored if isinstance(stored, str) and _DOC_ID.match(stored) else default


def _fill(draft: DraftDocument, doc: Any, labels: LabelMap, writer: ImportWriter) -> None:
    for number, ent in enumerate(doc.ents, start=1):
        if ent.label_ not in labels:
            message = "unknown entity label (map it with --label LABEL=ONTONOTES, or LABEL=)"
            field = f"ents[{number - 1}].label"
            problem = Problem(draft.where, message, None, draft.doc_id, field, ent.label_, True)
            writer.problems.append(problem)
            continue
        label = labels[ent.label_]
        if label is None:
            writer.skip(f"{ent.label_} entities (mapped to nothing)")
            continue
        item = {"id": f"e{number}", "start": ent.start_char, "end": ent.end_char, "label": label}
        skipped = draft.add_mention(item)
        if skipped is not None:
            writer.skip(skipped)
