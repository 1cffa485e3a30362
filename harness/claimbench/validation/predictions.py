"""Reading and checking a predictions JSON Lines file against the corpus.

Each line is parsed and validated once, as it is read (`read_predictions`): its schema and its
document (in the corpus, not given twice). Its spans are checked against the document's text
by whoever reads that text: the evaluation pipeline, which reads each text once to score it,
or `check_predictions`, which reads it here (`claimbench validate predictions`, a leaderboard
submission).
"""

from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from pydantic import ValidationError

from claimbench.corpus.store import Corpus, JsonlCorpus
from claimbench.errors import InputError, Problem, Problems, Where, problems_from_validation_error
from claimbench.fileio import decode_json, iter_jsonl_lines
from claimbench.models import Extraction, Layer, LayerPresence, PredictionRecord
from claimbench.models.compiled import decode_record, validate_record
from claimbench.validation.items import id_problems, span_problems


@dataclass(frozen=True)
class Found:
    """One document's predictions as read: its id, its layers, and where they were read from
    (None when the harness made them itself and checked them already: trusted).

    Examples
    --------
    >>> Found("d", Extraction(numbers=[])).where is None
    True
    """

    doc_id: str
    extraction: Extraction
    where: Where | None = None


def check_prediction(record: Extraction, text: str, where: Where) -> list[Problem]:
    """Problems of one document's predictions against its canonical `text`: spans out of
    range or with the wrong text, ids given twice.

    Examples
    --------
    >>> from claimbench.models import PredictedEntity
    >>> record = Extraction(entities=[PredictedEntity(start=0, end=9, label="GPE")])
    >>> [p.message for p in check_prediction(record, "Paris\\n", Where("p", "d"))]
    ... # doctest: +ELLIPSIS
    ['offset out of range...']
    """
    return [*span_problems(record, text, where), *id_problems(record, where)]


def read_predictions(
    path: Path, corpus: Corpus | JsonlCorpus, problems: Problems
) -> Iterator[Found]:
    """Read a predictions file line by line, each line parsed and validated once.

    Parameters
    ----------
    path : Path
        JSON Lines file; each line is a `PredictionRecord` with a `doc_id`.
    corpus : Corpus or JsonlCorpus
        The corpus the predictions were made on (only its document ids are read here).
    problems : Problems
        Where every problem goes: malformed lines, schema errors (with JSON path and value),
        unknown documents, a document given twice. A line with a problem is not yielded.

    Returns
    -------
    Iterator[Found]
        Each valid line's record with where it was read (file and line), in file order; its
        spans are still to be checked against its text (`check_prediction`). Memory is
        bounded by the longest line, plus one line number per corpus document (to name the
        first line of a document given twice).

    Examples
    --------
    >>> import tempfile
    >>> from claimbench.paths import DEFAULT_CORPUS
    >>> from claimbench.corpus.store import load_corpus
    >>> p = Path(tempfile.mkdtemp()) / "p.jsonl"
    >>> _ = p.write_text('{"doc_id": "001-dawn", "numbers": []}\\n{"doc_id": "x"}\\n')
    >>> problems = Problems()
    >>> [(found.doc_id, found.where.line) for found in
    ...  read_predictions(p, load_corpus(DEFAULT_CORPUS), problems)]
    [('001-dawn', 1)]
    >>> print(problems.kept[0])
    ... # doctest: +ELLIPSIS
    /.../p.jsonl:2: document 'x': doc_id = 'x': document is not in the corpus
    """
    first_line = array("q", bytes(8 * len(corpus)))  # by corpus position; 0: not seen yet
    try:
        for line in iter_jsonl_lines(path, parse=_RecordLines()):
            record = _parse(path, line.number, line.value, problems)
            if record is None:
                continue
            where = Where(str(path), record.doc_id, line.number)
            position = corpus.positions.get(record.doc_id)
            if position is None:
                problems.add(
                    where.problem("document is not in the corpus", "doc_id", record.doc_id)
                )
                continue
            if first_line[position]:
                problems.add(
                    where.problem(
                        f"document predicted twice (first at line {first_line[position]})",
                        "doc_id",
                        record.doc_id,
                    )
                )
                continue
            first_line[position] = line.number
            yield Found(record.doc_id, record, where)
    except InputError as err:
        problems.extend(err)


def check_predictions(
    path: Path, corpus: Corpus | JsonlCorpus, problems: Problems
) -> Iterator[Found]:
    """`read_predictions`, each document's spans also checked against its text (read here).

    Examples
    --------
    >>> import tempfile
    >>> from claimbench.paths import DEFAULT_CORPUS
    >>> from claimbench.corpus.store import load_corpus
    >>> p = Path(tempfile.mkdtemp()) / "p.jsonl"
    >>> _ = p.write_text('{"doc_id": "001-dawn", "entities": [{"start": 0, "end": 99999, '
    ...                  '"label": "GPE"}]}\\n')
    >>> problems = Problems()
    >>> list(check_predictions(p, load_corpus(DEFAULT_CORPUS), problems)), problems.count
    ([], 1)
    """
    presence = LayerPresence()
    for found in read_predictions(path, corpus, problems):
        assert found.where is not None  # read from the file
        presence.add(found.doc_id, found.extraction, found.where.line)
        text = corpus.text(found.doc_id)
        issues = check_prediction(found.extraction, text, found.where)
        if issues:
            problems.extend(issues)
            continue
        yield found
    problems.extend(partial_layers(presence, path))


def load_predictions(path: Path, corpus: Corpus | JsonlCorpus) -> dict[str, PredictionRecord]:
    """Read a predictions file, one JSON object per document, and check it against `corpus`,
    keeping every record (for files that are used whole, such as a leaderboard submission).

    Parameters
    ----------
    path : Path
        JSON Lines file; each line is a `PredictionRecord` with a `doc_id`.
    corpus : Corpus or JsonlCorpus
        The corpus the predictions were made on.

    Returns
    -------
    dict[str, PredictionRecord]
        Predictions keyed by document id, in file order. Corpus documents with no line are
        absent (the scorer reports them as not predicted).

    Raises
    ------
    InputError
        Listing every problem (see `read_predictions` and `check_prediction`).

    Examples
    --------
    >>> import tempfile
    >>> from claimbench.paths import DEFAULT_CORPUS
    >>> from claimbench.corpus.store import load_corpus
    >>> p = Path(tempfile.mkdtemp()) / "p.jsonl"
    >>> _ = p.write_text('{"doc_id": "001-dawn", "numbers": []}\\n')
    >>> load_predictions(p, load_corpus(DEFAULT_CORPUS))["001-dawn"].numbers
    []
    """
    problems = Problems()
    records = {
        found.doc_id: cast(PredictionRecord, found.extraction)  # read from its line
        for found in check_predictions(path, corpus, problems)
    }
    problems.check()
    return records


@dataclass(frozen=True, slots=True)
class _Decoded:
    """A line that `decode_record` read straight into its record: checked."""

    record: PredictionRecord


class _RecordLines:
    """Parses the lines of one predictions (or gold) file: each straight into its record
    (`decode_record`) where that is exact, else as JSON (`decode_json`) for `_parse` to check.

    The first line that `decode_record` cannot take sends the rest of the file the second way:
    a file that writes its nulls (`"id": null`, as a writer that dumps every field does) is
    never taken by it, so at most one line of a file is parsed twice.
    """

    def __init__(self) -> None:
        self.straight = True

    def __call__(self, line: bytes) -> object:
        if self.straight:
            record = decode_record(line)
            if record is not None:
                return _Decoded(record)
            self.straight = False
        return decode_json(line)


def _parse(
    path: Path, line: int | None, value: object, problems: Problems
) -> PredictionRecord | None:
    if isinstance(value, _Decoded):
        return value.record
    if not isinstance(value, dict):
        problems.add(
            Problem(str(path), f"expected a JSON object, got {type(value).__name__}", line)
        )
        return None
    doc_id = value.get("doc_id") if isinstance(value.get("doc_id"), str) else None
    try:
        return validate_record(value)
    except ValidationError as err:
        problems.extend(problems_from_validation_error(err, path, line=line, doc_id=doc_id))
        return None


def annotated_layers(gold: Mapping[str, Extraction] | LayerPresence) -> list[Layer]:
    """The layers a gold annotates, in `Layer` order: a layer absent from every gold document
    is not annotated (not scored, not in the overall score); absent from only some, it is an
    error. The one rule for gold folders, JSON Lines gold and the leaderboard, checked where
    the gold is read (the scorer trusts it).

    Parameters
    ----------
    gold : Mapping[str, Extraction] or LayerPresence
        Gold layers by document id (`GoldSet.extractions()`, or a JSON Lines gold), or their
        presence.

    Returns
    -------
    list of Layer
        The annotated layers.

    Raises
    ------
    InputError
        Naming the first gold document without a layer that other gold documents have.

    Examples
    --------
    >>> annotated_layers({"d": Extraction(entities=[], attributions=[])})
    [<Layer.ENTITIES: 'entities'>, <Layer.ATTRIBUTIONS: 'attributions'>]
    >>> annotated_layers({"a": Extraction(entities=[]), "b": Extraction()})
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    claimbench.errors.InputError: gold: document 'b': layer entities is missing here but ...
    """
    presence = gold if isinstance(gold, LayerPresence) else LayerPresence.of(gold)
    problems = partial_layers(presence, "gold")
    if problems:
        raise InputError(problems)
    return presence.layers


def partial_layers(presence: LayerPresence, path: Path | str) -> list[Problem]:
    """A problem for each layer that some documents have and others lack (the scorer
    cannot tell "not attempted" or "not annotated" from "forgotten" there), at the first
    document lacking it: the one rule of predictions and gold, in any format.

    Examples
    --------
    >>> presence = LayerPresence.of({"a": Extraction(numbers=[]), "b": Extraction()})
    >>> print(*partial_layers(presence, "p.jsonl"))
    p.jsonl: document 'b': layer numbers is missing here but present in 1 other document(s)
    """
    return [
        Problem(
            str(path),
            f"layer {layer.value} is missing here but present in "
            f"{presence.counts[layer]} other document(s)",
            presence.lacking_line.get(layer),
            presence.lacking[layer],
        )
        for layer in Layer
        if 0 < presence.counts[layer] < presence.documents
    ]
