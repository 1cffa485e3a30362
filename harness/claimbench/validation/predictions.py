"""Reading and checking a predictions JSON Lines file against the corpus."""

from pathlib import Path

from pydantic import ValidationError

from claimbench.corpus.store import Corpus
from claimbench.errors import InputError, Problem, Where, problems_from_validation_error
from claimbench.fileio import iter_jsonl
from claimbench.models import PredictionRecord
from claimbench.validation.items import id_problems, span_problems


def check_prediction(record: PredictionRecord, text: str, where: Where) -> list[Problem]:
    """Problems of one document's predictions against its canonical `text`."""
    return [*span_problems(record, text, where), *id_problems(record, where)]


def load_predictions(path: Path, corpus: Corpus) -> dict[str, PredictionRecord]:
    """Read a predictions file, one JSON object per document, and check it against `corpus`.

    Parameters
    ----------
    path : Path
        JSON Lines file; each line is a `PredictionRecord` with a `doc_id`.
    corpus : Corpus
        The corpus the predictions were made on.

    Returns
    -------
    dict[str, PredictionRecord]
        Predictions keyed by document id, in file order. Corpus documents with no line are
        absent (the scorer reports them as not predicted).

    Raises
    ------
    InputError
        Listing every problem: malformed lines, schema errors (with JSON path and value),
        unknown documents, a document given twice, spans out of range or with the wrong text,
        duplicate ids.
    """
    problems: list[Problem] = []
    records: dict[str, PredictionRecord] = {}
    first_line: dict[str, int] = {}
    known = set(corpus.doc_ids)
    try:
        for line, value in iter_jsonl(path):
            record = _parse(path, line, value, problems)
            if record is None:
                continue
            where = Where(str(path), record.doc_id, line)
            if record.doc_id not in known:
                problems.append(
                    where.problem("document is not in the corpus", "doc_id", record.doc_id)
                )
                continue
            if record.doc_id in first_line:
                problems.append(
                    where.problem(
                        f"document predicted twice (first at line {first_line[record.doc_id]})",
                        "doc_id",
                        record.doc_id,
                    )
                )
                continue
            first_line[record.doc_id] = line
            problems.extend(check_prediction(record, corpus.document(record.doc_id).text, where))
            records[record.doc_id] = record
    except InputError as err:
        problems.extend(err.problems)
    if problems:
        raise InputError(problems)
    return records


def _parse(
    path: Path, line: int, value: object, problems: list[Problem]
) -> PredictionRecord | None:
    if not isinstance(value, dict):
        problems.append(
            Problem(str(path), f"expected a JSON object, got {type(value).__name__}", line)
        )
        return None
    doc_id = value.get("doc_id") if isinstance(value.get("doc_id"), str) else None
    try:
        return PredictionRecord.model_validate(value)
    except ValidationError as err:
        problems.extend(problems_from_validation_error(err, path, line=line, doc_id=doc_id))
        return None
