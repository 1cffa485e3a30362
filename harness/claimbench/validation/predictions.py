"""Reading and checking a predictions JSON Lines file against the corpus.

The file is checked in one streamed pass, line by line (`check_predictions`). `index_predictions`
keeps only where each document's line starts, and reads a document again when asked for it
(`PredictionsFile`), so that scoring a large file holds one document at a time;
`load_predictions` keeps every record, for small files that are used whole (a leaderboard
submission).
"""

from array import array
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import ValidationError

from claimbench.corpus.store import Corpus, JsonlCorpus
from claimbench.errors import InputError, Problem, Problems, Where, problems_from_validation_error
from claimbench.fileio import JsonlReader, iter_jsonl_lines
from claimbench.models import Extraction, Layer, PredictionRecord
from claimbench.validation.items import id_problems, span_problems


def check_prediction(record: PredictionRecord, text: str, where: Where) -> list[Problem]:
    """Problems of one document's predictions against its canonical `text`."""
    return [*span_problems(record, text, where), *id_problems(record, where)]


def check_predictions(
    path: Path, corpus: Corpus | JsonlCorpus, problems: Problems
) -> Iterator[tuple[int, PredictionRecord]]:
    """Read a predictions file line by line, checking each document against `corpus` as it is
    read.

    Parameters
    ----------
    path : Path
        JSON Lines file; each line is a `PredictionRecord` with a `doc_id`.
    corpus : Corpus or JsonlCorpus
        The corpus the predictions were made on (each document's text is read when its line
        is checked).
    problems : Problems
        Where every problem goes: malformed lines, schema errors (with JSON path and value),
        unknown documents, a document given twice, spans out of range or with the wrong text,
        duplicate ids, a layer that some documents have and others lack (as `score` requires
        of predictions, and of gold in this format). A line with a problem is not yielded.

    Returns
    -------
    Iterator[tuple[int, PredictionRecord]]
        The byte offset of the line (for `JsonlReader`) and the record, for each valid line
        in file order. Memory is bounded by the longest line, plus one line number per corpus
        document (to name the first line of a document given twice).

    Examples
    --------
    >>> import tempfile
    >>> from claimbench.paths import DEFAULT_CORPUS
    >>> from claimbench.corpus.store import load_corpus
    >>> p = Path(tempfile.mkdtemp()) / "p.jsonl"
    >>> _ = p.write_text('{"doc_id": "001-dawn", "numbers": []}\\n{"doc_id": "x"}\\n')
    >>> problems = Problems()
    >>> [(offset, record.doc_id) for offset, record in
    ...  check_predictions(p, load_corpus(DEFAULT_CORPUS), problems)]
    [(0, '001-dawn')]
    >>> print(problems.kept[0])
    ... # doctest: +ELLIPSIS
    /.../p.jsonl:2: document 'x': doc_id = 'x': document is not in the corpus
    """
    first_line = array("q", bytes(8 * len(corpus)))  # by corpus position; 0: not seen yet
    presence = LayerPresence()
    try:
        for line in iter_jsonl_lines(path):
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
            presence.add(record.doc_id, record, line.number)
            found = check_prediction(record, corpus.document(record.doc_id).text, where)
            if found:
                problems.extend(found)
                continue
            yield line.offset, record
    except InputError as err:
        problems.extend(err)
    problems.extend(presence.partial_layers(path))


def load_predictions(path: Path, corpus: Corpus | JsonlCorpus) -> dict[str, PredictionRecord]:
    """Read a predictions file, one JSON object per document, and check it against `corpus`,
    keeping every record (see `index_predictions` for large files).

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
        Listing every problem (see `check_predictions`).

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
    records = {record.doc_id: record for _, record in check_predictions(path, corpus, problems)}
    problems.check()
    return records


@dataclass
class LayerPresence:
    """Which layers a set of extractions has: documents per layer, the first document
    without each layer, and whether any has claims; and how many numbers and attributions
    there are, and how many lack what their layer's headline needs (`silent_zeros`).

    Examples
    --------
    >>> presence = LayerPresence.of({"a": Extraction(numbers=[]), "b": Extraction()})
    >>> presence.layers, presence.lacking[Layer.NUMBERS]
    ([<Layer.NUMBERS: 'numbers'>], 'b')
    """

    documents: int = 0
    counts: Counter[Layer] = field(default_factory=Counter)
    lacking: dict[Layer, str] = field(default_factory=dict)
    claims: bool = False
    numbers: int = 0
    numbers_without_value: int = 0
    attributions: int = 0
    attributions_without_source: int = 0
    lacking_line: dict[Layer, int] = field(default_factory=dict)
    """The line of the first document without each layer, when read from a file."""

    @classmethod
    def of(cls, extractions: Mapping[str, Extraction]) -> "LayerPresence":
        """The presence of the layers of `extractions` (each is read once, in order)."""
        if isinstance(extractions, PredictionsFile):
            return extractions.presence
        presence = cls()
        for doc_id, extraction in extractions.items():
            presence.add(doc_id, extraction)
        return presence

    def add(self, doc_id: str, extraction: Extraction, line: int | None = None) -> None:
        """Count the layers of one more document (read from `line` of a file, if given)."""
        self.documents += 1
        self.claims = self.claims or extraction.claims is not None
        for number in extraction.numbers or ():
            self.numbers += 1
            self.numbers_without_value += number.value is None and number.timex is None
        for attribution in extraction.attributions or ():
            self.attributions += 1
            self.attributions_without_source += attribution.source is None
        for layer in Layer:
            if getattr(extraction, layer.value) is not None:
                self.counts[layer] += 1
            elif layer not in self.lacking:
                self.lacking[layer] = doc_id
                if line is not None:
                    self.lacking_line[layer] = line

    def partial_layers(self, path: Path | str) -> list[Problem]:
        """A problem for each layer that some documents have and others lack (the scorer
        cannot tell "not attempted" or "not annotated" from "forgotten" there), at the first
        document lacking it: the one rule of predictions and gold, in any format.

        Examples
        --------
        >>> presence = LayerPresence.of({"a": Extraction(numbers=[]), "b": Extraction()})
        >>> print(*presence.partial_layers("p.jsonl"))
        p.jsonl: document 'b': layer numbers is missing here but present in 1 other document(s)
        """
        return [
            Problem(
                str(path),
                f"layer {layer.value} is missing here but present in "
                f"{self.counts[layer]} other document(s)",
                self.lacking_line.get(layer),
                self.lacking[layer],
            )
            for layer in Layer
            if 0 < self.counts[layer] < self.documents
        ]

    @property
    def layers(self) -> list[Layer]:
        """The layers present in any document, in `Layer` order."""
        return [layer for layer in Layer if self.counts[layer]]

    def silent_zeros(self) -> list[str]:
        """Why a headline will be (nearly) zero whatever the spans: every predicted number
        lacks its normalised value, or every predicted attribution lacks a source.

        Examples
        --------
        >>> from claimbench.models import PredictedNumber
        >>> numbers = [PredictedNumber(start=0, end=2, label="CARDINAL")]
        >>> print(*LayerPresence.of({"a": Extraction(numbers=numbers)}).silent_zeros())
        ... # doctest: +ELLIPSIS
        none of the 1 predicted numbers has a `value` (`timex` for DATE and TIME): ...
        """
        found = []
        if self.numbers and self.numbers_without_value == self.numbers:
            found.append(
                f"none of the {self.numbers} predicted numbers has a `value` (`timex` for DATE "
                "and TIME): the numbers headline (value F1) counts a number only when its "
                "normalised value equals the gold's, so it is 0 whatever the spans; "
                "claimbench.normalise gives values"
            )
        if self.attributions and self.attributions_without_source == self.attributions:
            found.append(
                f"none of the {self.attributions} predicted attributions has a `source`: the "
                "attributions headline counts an attribution only when its source overlaps "
                "the gold's (or both are absent), so only the gold's sourceless attributions "
                "can match"
            )
        return found

    def annotated(self) -> list[Layer]:
        """The layers a gold with this presence annotates: a layer absent from every gold
        document is not annotated (not scored, not in the overall score); absent from only
        some, it is an error. The one rule for gold folders, JSON Lines gold and the
        leaderboard (`annotated_layers`).

        Returns
        -------
        list of Layer
            The annotated layers, in `Layer` order.

        Raises
        ------
        InputError
            Naming the first gold document without a layer that other gold documents have.

        Examples
        --------
        >>> LayerPresence.of({"a": Extraction(entities=[]), "b": Extraction(entities=[])}
        ...                 ).annotated()
        [<Layer.ENTITIES: 'entities'>]
        """
        problems = self.partial_layers("gold")
        if problems:
            raise InputError(problems)
        return self.layers


def annotated_layers(gold: Mapping[str, Extraction]) -> list[Layer]:
    """The layers `gold` annotates, in `Layer` order (see `LayerPresence.annotated`): what
    reports and the leaderboard show as scored, the others being "not annotated".

    Parameters
    ----------
    gold : Mapping[str, Extraction]
        Gold layers by document id (`GoldSet.extractions()`, or a JSON Lines gold).

    Returns
    -------
    list of Layer
        The annotated layers.

    Raises
    ------
    InputError
        When a layer is annotated in some gold documents and absent from others.

    Examples
    --------
    >>> annotated_layers({"d": Extraction(entities=[], attributions=[])})
    [<Layer.ENTITIES: 'entities'>, <Layer.ATTRIBUTIONS: 'attributions'>]
    """
    return LayerPresence.of(gold).annotated()


class PredictionsFile(Mapping[str, PredictionRecord]):
    """A checked predictions file as a mapping from document id to record, in file order.

    Only where each document's line starts is held (two integers per corpus document); a
    record is read (and parsed) again when it is looked up, so memory is bounded by the
    longest line. Looking documents up in file order reads the file sequentially.

    Parameters
    ----------
    path : Path
        The file, as checked by `index_predictions`.
    corpus : Corpus or JsonlCorpus
        The corpus the predictions are of.
    order : array of int
        The corpus position of each document, in file order.
    offsets : array of int
        Byte offset of each document's line, by corpus position (-1: no line).
    presence : LayerPresence
        The layers its documents have.
    """

    def __init__(
        self,
        path: Path,
        corpus: Corpus | JsonlCorpus,
        order: "array[int]",
        offsets: "array[int]",
        presence: LayerPresence,
    ) -> None:
        self.path = path
        self.corpus = corpus
        self.order = order
        self.offsets = offsets
        self.presence = presence

    @cached_property
    def _reader(self) -> JsonlReader:
        return JsonlReader(self.path)

    @cached_property
    def _ids(self) -> list[str]:
        return list(self.corpus.positions)

    def _offset(self, doc_id: object) -> int:
        position = self.corpus.positions.get(doc_id) if isinstance(doc_id, str) else None
        return -1 if position is None else self.offsets[position]

    def __getitem__(self, doc_id: str) -> PredictionRecord:
        offset = self._offset(doc_id)
        if offset < 0:
            raise KeyError(doc_id)
        problems = Problems()
        record = _parse(self.path, None, self._reader.value_at(offset), problems)
        if record is None or record.doc_id != doc_id:
            message = "changed while it was being read; run the command again"
            raise InputError([*problems.kept, Problem(str(self.path), message, doc_id=doc_id)])
        return record

    def __contains__(self, doc_id: object) -> bool:
        return self._offset(doc_id) >= 0

    def __iter__(self) -> Iterator[str]:
        ids = self._ids
        return (ids[position] for position in self.order)

    def __len__(self) -> int:
        return len(self.order)

    def close(self) -> None:
        """Close the file (it is reopened if read again)."""
        self._reader.close()


def index_predictions(path: Path, corpus: Corpus | JsonlCorpus) -> PredictionsFile:
    """Check a predictions file against `corpus` in one streamed pass (see
    `check_predictions`), keeping where each document's line starts and which layers the
    documents have.

    Parameters
    ----------
    path : Path
        JSON Lines file; each line is a `PredictionRecord` with a `doc_id`.
    corpus : Corpus or JsonlCorpus
        The corpus the predictions were made on.

    Returns
    -------
    PredictionsFile
        The records by document id, in file order, each read from the file when looked up.

    Raises
    ------
    InputError
        Listing every problem (the first thousand, and how many more).

    Examples
    --------
    >>> import tempfile
    >>> from claimbench.paths import DEFAULT_CORPUS
    >>> from claimbench.corpus.store import load_corpus
    >>> p = Path(tempfile.mkdtemp()) / "p.jsonl"
    >>> _ = p.write_text('{"doc_id": "001-dawn", "numbers": []}\\n')
    >>> predictions = index_predictions(p, load_corpus(DEFAULT_CORPUS))
    >>> list(predictions), predictions["001-dawn"].numbers, predictions.presence.layers
    (['001-dawn'], [], [<Layer.NUMBERS: 'numbers'>])
    """
    problems = Problems()
    order = array("q")
    offsets = array("q", [-1]) * len(corpus)
    presence = LayerPresence()
    for offset, record in check_predictions(path, corpus, problems):
        position = corpus.positions[record.doc_id]
        order.append(position)
        offsets[position] = offset
        presence.add(record.doc_id, record)
    problems.check()
    return PredictionsFile(path, corpus, order, offsets, presence)


def _parse(
    path: Path, line: int | None, value: object, problems: Problems
) -> PredictionRecord | None:
    if not isinstance(value, dict):
        problems.add(
            Problem(str(path), f"expected a JSON object, got {type(value).__name__}", line)
        )
        return None
    doc_id = value.get("doc_id") if isinstance(value.get("doc_id"), str) else None
    try:
        return PredictionRecord.model_validate(value)
    except ValidationError as err:
        problems.extend(problems_from_validation_error(err, path, line=line, doc_id=doc_id))
        return None
