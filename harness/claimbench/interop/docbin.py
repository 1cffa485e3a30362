"""spaCy DocBin (`.spacy` files, as written by `spacy convert` and used to train pipelines):
import the named entities into claimbench's corpus and gold.

A document's text is `doc.text` with one sentence per line when the DocBin has sentence
boundaries (`spacy convert` sets them): the whitespace between two sentences becomes a line
break, so each sentence is a paragraph, a resampling unit of the bootstrap. Without sentence
boundaries a document is one paragraph (the summary counts these). Each `doc.ents` span becomes
a mention with its character offsets and its label mapped like any other source type (OntoNotes
labels unchanged). Value types (CARDINAL, DATE, ...) carry no normalised value in a DocBin, so
they are counted and left out (claimbench's number gold needs one): the gold has the entities
layer alone. Span groups (`doc.spans`, often overlapping spans for span categorisation) are
not entity mentions: their spans are counted and left out. Document ids are
`<file stem>-<number>` from 1, or `doc.user_data["doc_id"]` when the DocBin stored user data
and that id is usable.

spaCy is an optional dependency (`pip install 'claimbench[spacy]'`), imported only here.
"""

import re
from pathlib import Path
from typing import Any

from claimbench.errors import InputError, Problem, UsageError
from claimbench.interop.labels import LabelMap
from claimbench.interop.writer import DraftDocument, ImportSummary, ImportWriter, document_id

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
        return list(doc_bin.get_docs(spacy.blank("en").vocab))
    except Exception as err:  # spaCy's decoder on bytes it did not write fails in any way
        raise InputError.single(path, f"not a spaCy DocBin: {err}") from None


def import_docbin(
    paths: list[Path], out: Path, *, name: str, labels: LabelMap, partial: bool = False
) -> ImportSummary:
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
    partial : bool
        Leave out documents with problems (listed in the summary) and import the others.

    Returns
    -------
    ImportSummary
        What was written, and what was left out.

    Raises
    ------
    InputError
        With every problem (unknown labels with file, document and value); nothing is written.
    """
    with ImportWriter(out, name, layers=("entities",), partial=partial) as writer:
        for path in paths:
            for index, doc in enumerate(load_docs(path), start=1):
                doc_id = _doc_id(doc, document_id(f"{path.stem}-{index}"))
                draft = DraftDocument(doc_id, sentence_lines(doc), f"{path} (document {index})")
                if not doc.has_annotation("SENT_START"):
                    draft.note("documents without sentence boundaries (one paragraph each)")
                _fill(draft, doc, labels)
                writer.add(draft)
        return writer.finish()


def _doc_id(doc: Any, default: str) -> str:
    stored = doc.user_data.get("doc_id") if isinstance(doc.user_data, dict) else None
    return stored if isinstance(stored, str) and _DOC_ID.match(stored) else default


def sentence_lines(doc: Any) -> str:
    """`doc.text` with a line break for the whitespace character that ends each sentence but
    the last, so offsets are unchanged (the canonical text then has a paragraph per sentence);
    `doc.text` when the document has no sentence boundaries, or a sentence ends without one.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        A document of a DocBin.

    Returns
    -------
    str
        Its text, a sentence per line, every character at its offset in `doc.text`.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("Ann left. Bo stayed.")
    >>> for token in doc:
    ...     token.is_sent_start = token.i in (0, 3)
    >>> sentence_lines(doc)
    'Ann left.\\nBo stayed.'
    """
    if not doc.has_annotation("SENT_START"):
        return str(doc.text)
    characters = list(doc.text)
    for sentence in list(doc.sents)[:-1]:
        end = sentence.end_char
        if end < len(characters) and characters[end] in " \t":
            characters[end] = "\n"
    return "".join(characters)


def _fill(draft: DraftDocument, doc: Any, labels: LabelMap) -> None:
    for group, spans in doc.spans.items():
        if len(spans):
            draft.skip(
                f"spans of span group {group!r} (doc.spans; the entities are doc.ents)", len(spans)
            )
    for number, ent in enumerate(doc.ents, start=1):
        if ent.label_ not in labels:
            message = "unknown entity label (map it with --label LABEL=ONTONOTES, or LABEL=)"
            field = f"ents[{number - 1}].label"
            problem = Problem(draft.where, message, None, draft.doc_id, field, ent.label_, True)
            draft.problems.append(problem)
            continue
        label = labels[ent.label_]
        if label is None:
            draft.skip(f"{ent.label_} entities (mapped to nothing)")
            continue
        item = {"id": f"e{number}", "start": ent.start_char, "end": ent.end_char, "label": label}
        skipped = draft.add_mention(item)
        if skipped is not None:
            draft.skip(skipped)
