"""CoNLL-2003 named entities (BIO, IOB1, BIOES): import into claimbench's corpus and gold.

A CoNLL file has one token per line, the entity tag in the last column (``EU NNP B-NP B-ORG``),
a blank line after each sentence, and ``-DOCSTART-`` lines between documents. CoNLL keeps no
original text, so a document's text is its tokens joined by single spaces, one sentence per
line (paragraph); offsets are counted in that text. These tag schemes are read: BIO (IOB2),
where every entity starts with ``B-``; the original IOB1, where ``I-`` after ``O`` or after
another type also starts one; and BIOES (BILOU), which also marks an entity's last token
``E-`` (``L-``) and a one-token entity ``S-`` (``U-``). An entity ends at its ``E-``, ``S-``,
``L-`` or ``U-`` token, so a following ``I-`` of its type starts another (as IOB1 reads an
``I-`` that continues nothing). Document ids are ``<file name>-<number>``, numbered from 1 in
the order of the file's ``-DOCSTART-`` lines (an empty document keeps its number and is counted
as empty), or the file name alone when the file holds one document; the file name keeps its
extension unless that is ``.txt``, ``.conll``, ``.tsv``, ``.iob`` or ``.bio``, so the splits of a
release stay apart (``eng.train-1``, ``eng.testa-1``), and is made a valid id by
`document_id`. CoNLL annotates named entities only, so
the gold has the entities layer alone (numbers and attributions are not annotated, not scored).
Files are UTF-8 unless an encoding is named: the CoNLL-2002 (Spanish, Dutch) and German
CoNLL-2003 releases are ISO-8859-1 (``latin-1``), and a file that is not valid in the encoding
is an error naming the line and byte.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from claimbench.errors import Problem
from claimbench.fileio import read_text, split_lines
from claimbench.interop.labels import LabelMap, label_map, uses_ontonotes_types
from claimbench.interop.writer import DraftDocument, ImportSummary, ImportWriter, document_id

DOCSTART = "-DOCSTART-"
ONTONOTES_NOTE = (
    "documents read with OntoNotes types (LOC stays LOC, no CoNLL-2003 LOC=GPE or MISC=NORP)"
)
ENCODING_HINT = (
    "name the file's encoding with --encoding (--encoding latin-1 for the CoNLL-2002 and the "
    "German CoNLL-2003 releases)"
)
# Columns are separated by tabs (in a line that has one) or ASCII spaces, as the CoNLL formats
# define them: str.split() would also break at a no-break space inside a token, and a space in
# a tab-separated line (CoNLL-U allows one in a word) would cut the token. Lines: `split_lines`.
_TABS, _SPACES = re.compile(r" *\t[ \t]*"), re.compile(r" +")


@dataclass
class _Document:
    """Sentences of (token, tag, line) triples read so far for one document."""

    sentences: list[list[tuple[str, str, int]]] = field(default_factory=lambda: [[]])

    def add(self, token: str, tag: str, line: int) -> None:
        self.sentences[-1].append((token, tag, line))

    def end_sentence(self) -> None:
        if self.sentences[-1]:
            self.sentences.append([])

    def non_empty(self) -> list[list[tuple[str, str, int]]]:
        return [sentence for sentence in self.sentences if sentence]


def read_conll(path: Path, encoding: str = "utf-8") -> Iterator[tuple[int, _Document]]:
    """Yield `(first line, document)` for each document of a CoNLL file in `encoding`: each
    that a `-DOCSTART-` line begins, empty or not, and the tokens before the first such line,
    when there are any.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.conll"
    >>> _ = p.write_text("-DOCSTART- -X- O\\n\\n-DOCSTART- -X- O\\n\\nEU NNP B-ORG\\n")
    >>> [(line, len(doc.non_empty())) for line, doc in read_conll(p)]
    [(1, 0), (3, 1)]
    """
    document, first, begun = _Document(), 1, False
    text = read_text(path, allow_bom=True, encoding=encoding, decode_hint=ENCODING_HINT)
    for number, line in enumerate(split_lines(text), start=1):
        # A byte-order mark is not part of a token: Windows editors write one at the start of
        # a file, and files joined with `cat` have one at the start of each.
        line = line.lstrip("\ufeff").strip(" \t")
        columns = (_TABS if "\t" in line else _SPACES).split(line) if line else []
        if columns and columns[0] == DOCSTART:
            if begun or document.non_empty():
                yield first, document
            document, first, begun = _Document(), number, True
        elif not columns:
            document.end_sentence()
        else:
            document.add(columns[0], columns[-1] if len(columns) > 1 else "", number)
    if begun or document.non_empty():
        yield first, document


_TEXT_SUFFIXES = {".txt", ".conll", ".tsv", ".iob", ".bio"}


def _file_id(path: Path) -> str:
    """The part of a document id taken from its file (see the module's description)."""
    return document_id(path.stem if path.suffix.lower() in _TEXT_SUFFIXES else path.name)


def import_conll(
    paths: list[Path],
    out: Path,
    *,
    name: str,
    overrides: Iterable[str] = (),
    partial: bool = False,
    encoding: str = "utf-8",
) -> ImportSummary:
    """Import CoNLL-2003 files into `out/corpus` and `out/gold` (entities only).

    Parameters
    ----------
    paths : list[Path]
        CoNLL files (e.g. eng.train, eng.testa).
    out : Path
        New output folder.
    name : str
        Corpus name for the manifest.
    overrides : Iterable[str]
        ``TYPE=LABEL`` entries over the default map: CoNLL-2003's (PER -> PERSON, LOC -> GPE,
        MISC -> NORP) or, when the files use OntoNotes types, the identity on those
        (`claimbench.interop.labels`).
    partial : bool
        Leave out documents with problems (listed in the summary) and import the others.
    encoding : str
        The files' encoding (``latin-1`` for the CoNLL-2002 and German CoNLL-2003 releases).

    Returns
    -------
    ImportSummary
        What was written, and what was left out.

    Raises
    ------
    InputError
        With every malformed line (file, line, tag) and unknown type; nothing is written then.
    """
    label_map(overrides)  # a malformed --label is refused before any file is read
    files = [(path, list(read_conll(path, encoding))) for path in paths]
    ontonotes = uses_ontonotes_types(
        tag_types(document for _, documents in files for _, document in documents)
    )
    labels = label_map(overrides, conll=not ontonotes)
    with ImportWriter(out, name, layers=("entities",), partial=partial) as writer:
        for path, documents in files:
            file_id = _file_id(path)
            for index, (line, document) in enumerate(documents, start=1):
                doc_id = file_id if len(documents) == 1 else f"{file_id}-{index}"
                draft = DraftDocument(doc_id, "", f"{path}:{line}")
                if ontonotes:
                    draft.note(ONTONOTES_NOTE)
                _fill(draft, path, document, labels)
                writer.add(draft)
        return writer.finish()


def tag_types(documents: Iterable[_Document]) -> set[str]:
    """The entity types that the tags of `documents` name (``B-GPE`` names GPE).

    Parameters
    ----------
    documents : Iterable[_Document]
        Documents read by `read_conll`.

    Returns
    -------
    set[str]
        Every type named by a tag other than ``O``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.conll"
    >>> _ = p.write_text("Vienna B-GPE\\non O\\nMonday B-DATE\\n")
    >>> sorted(tag_types(document for _, document in read_conll(p)))
    ['DATE', 'GPE']
    """
    return {
        tag.partition("-")[2]
        for document in documents
        for sentence in document.non_empty()
        for _, tag, _ in sentence
        if tag != "O"
    }


def _fill(draft: DraftDocument, path: Path, document: _Document, labels: LabelMap) -> None:
    """Set the draft's text (tokens joined by spaces, a sentence per line) and its entities."""
    lines: list[str] = []
    position = 0
    for sentence in document.non_empty():
        starts = []
        for token, _, _ in sentence:
            starts.append(position)
            position += len(token) + 1
        for first, last, kind in _entities(path, draft, sentence):
            label = _label(path, draft, sentence[first][2], kind, labels)
            if label is not None:
                end = starts[last] + len(sentence[last][0])
                item = {"id": f"e{len(draft.entities) + 1}", "start": starts[first], "end": end}
                skipped = draft.add_mention({**item, "label": label})
                if skipped is not None:
                    draft.skip(skipped)
        lines.append(" ".join(token for token, _, _ in sentence))
    draft.source = "\n".join(lines) + "\n"


_STARTS = {"B", "S", "U"}
"""Prefixes that always start an entity: B (begin), and S and U, a single-token one."""
_CONTINUES = {"I", "E", "L"}
"""Prefixes that continue the open entity of their type, or else start one: I (inside), and
E and L, its last token."""
_PREFIXES = _STARTS | _CONTINUES
_CLOSES = {"S", "U", "E", "L"}
"""Prefixes after which the entity is over: the next token's I-, E- or L- starts another."""
TAG_EXPECTED = "expected O, or B-, I-, E-, S- (BIOES) or L-, U- (BILOU) with a type"


def _entities(
    path: Path, draft: DraftDocument, sentence: list[tuple[str, str, int]]
) -> list[tuple[int, int, str]]:
    """(first token, last token, type) of each entity of a sentence: BIO, IOB1, BIOES or BILOU
    (an entity still open at the end of the sentence ends there)."""
    spans: list[tuple[int, int, str]] = []
    open_kind = None  # the type of the entity the next token may continue
    for index, (_, tag, line) in enumerate(sentence):
        prefix, _, kind = tag.partition("-")
        if tag == "O":
            open_kind = None
            continue
        if prefix not in _PREFIXES or not kind:
            problem = Problem(str(path), TAG_EXPECTED, line, draft.doc_id, "tag", tag, True)
            draft.problems.append(problem)
            open_kind = None
            continue
        if prefix in _CONTINUES and open_kind == kind:
            spans[-1] = (spans[-1][0], index, kind)
        else:
            spans.append((index, index, kind))
        open_kind = None if prefix in _CLOSES else kind
    return spans


def _label(path: Path, draft: DraftDocument, line: int, kind: str, labels: LabelMap) -> str | None:
    if kind not in labels:
        message = "unknown entity type (map it with --label TYPE=LABEL, or TYPE= to drop it)"
        problem = Problem(str(path), message, line, draft.doc_id, "tag type", kind, True)
        draft.problems.append(problem)
        return None
    label = labels[kind]
    if label is None:
        draft.skip(f"{kind} entities (mapped to nothing)")
    return label
