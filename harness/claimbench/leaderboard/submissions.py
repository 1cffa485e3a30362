"""Leaderboard submissions: one JSON file per entry, holding predictions and provenance.

A submission never stores scores: `claimbench leaderboard build` recomputes them from the
predictions against the current gold, so an erratum in the gold never leaves a stale number.
"""

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from claimbench.corpus.store import Corpus
from claimbench.errors import (
    InputError,
    Problem,
    UsageError,
    Where,
    describe_value,
    problems_from_validation_error,
)
from claimbench.fileio import dump_json, parse_json, read_json, read_text, write_atomic
from claimbench.models import Extraction, Layer, PredictionRecord
from claimbench.models.base import ContractModel, DocId, Sha256
from claimbench.validation.predictions import check_prediction

SUBMISSIONS_FOLDER = "submissions"
LABEL_CHARS = {"name": 200, "version": 100}
"""The longest name and version a submission may show."""
_SLUG_MAX = 60


class Badge(StrEnum):
    """Marks shown beside an entry. `outdated` is never stored: the build derives it."""

    BASELINE = "baseline"
    VERIFIED = "verified"
    OUTDATED = "outdated"


class SubmissionCorpus(ContractModel):
    """The corpus text the predictions were made on: name, version and text hashes."""

    name: str
    version: str
    texts: dict[DocId, Sha256]


class Submission(ContractModel):
    """`leaderboard/submissions/<slug>.json`: a plugin's predictions plus their provenance."""

    schema_version: Literal[1] = 1
    name: Annotated[str, Field(min_length=1, max_length=LABEL_CHARS["name"])]
    version: Annotated[str, Field(min_length=1, max_length=LABEL_CHARS["version"])]
    date: dt.date
    badges: list[Literal[Badge.BASELINE, Badge.VERIFIED]] = Field(default_factory=list)
    corpus: SubmissionCorpus
    provenance: dict[str, Any] = Field(default_factory=dict)
    predictions_sha256: Sha256
    predictions: list[PredictionRecord]

    def attempted(self) -> list[Layer]:
        """Layers attempted on at least one document, in `Layer` order."""
        seen = {layer for record in self.predictions for layer in record.attempted()}
        return [layer for layer in Layer if layer in seen]


def predictions_json(records: Iterable[PredictionRecord]) -> list[dict[str, Any]]:
    """Predictions as a submission file stores them: by document id, without default values.

    Leaving out fields at their default (null) keeps a stored file, and so its hash, the same
    when a later claimbench adds an optional field to the prediction models.

    Examples
    --------
    >>> predictions_json([PredictionRecord(doc_id="b"), PredictionRecord(doc_id="a", numbers=[])])
    [{'doc_id': 'a', 'numbers': []}, {'doc_id': 'b'}]
    """
    ordered = sorted(records, key=lambda record: record.doc_id)
    return [
        {"doc_id": record.doc_id, **record.model_dump(mode="json", exclude_defaults=True)}
        for record in ordered
    ]


def predictions_hash(records: Iterable[PredictionRecord]) -> str:
    """SHA-256 of predictions as stored (`predictions_json`), independent of document order.

    Parameters
    ----------
    records : Iterable[PredictionRecord]
        One record per document.

    Returns
    -------
    str
        Hex digest; two submissions with the same predictions have the same digest.

    Examples
    --------
    >>> a = PredictionRecord(doc_id="a", entities=[])
    >>> b = PredictionRecord(doc_id="b")
    >>> predictions_hash([a, b]) == predictions_hash([b, a])
    True
    """
    return json_hash(predictions_json(records))


def json_hash(stored: list[Any]) -> str:
    """SHA-256 of stored predictions (JSON values, one per document) as canonical JSON.

    Examples
    --------
    >>> json_hash([{"doc_id": "a"}]) == predictions_hash([PredictionRecord(doc_id="a")])
    True
    """
    canonical = json.dumps(stored, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def slugify(text: str) -> str:
    """A file-name-safe lower-case slug of `text` (`submission` when nothing is left).

    Examples
    --------
    >>> slugify("Rule-based NER v0.3")
    'rule-based-ner-v0-3'
    >>> slugify("<img src=x>")
    'img-src-x'
    >>> slugify("!!!")
    'submission'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:_SLUG_MAX].strip("-")
    return slug or "submission"


def add_submission(
    predictions: Mapping[str, Extraction],
    provenance: Mapping[str, Any],
    leaderboard_dir: Path,
    *,
    corpus: Corpus,
    name: str | None = None,
    version: str | None = None,
    badges: Iterable[Badge] = (),
    date: dt.date | None = None,
) -> Path:
    """Write a new submission file, atomically, and return its path.

    Parameters
    ----------
    predictions : Mapping[str, Extraction]
        The plugin's extraction per document id (a `PredictionRecord` is an `Extraction` too).
    provenance : Mapping[str, Any]
        Free-form provenance, usually the `provenance` object of a results JSON. Its
        `plugin.name` and `plugin.version` are used when `name` or `version` is not given.
    leaderboard_dir : Path
        The leaderboard folder; the file goes to its `submissions/` folder.
    corpus : Corpus
        The corpus the predictions were made on, and checked against (`load_predictions`,
        `claimbench.evaluation.pipeline`); its version and text hashes are recorded.
    name, version : str, optional
        Shown on the leaderboard; default to the plugin's name and version in `provenance`.
    badges : Iterable[Badge]
        `baseline`, and `verified` when the harness produced the predictions by running the
        plugin itself (`claimbench evaluate --record`), never for a file handed in.
    date : datetime.date, optional
        The submission date; today (UTC) by default.

    Returns
    -------
    Path
        The new file, `submissions/<name>-<version>-<hash>.json`.

    Raises
    ------
    InputError
        When the same predictions are already submitted, or the file already exists (an
        existing submission is never overwritten).
    UsageError
        When no name or version is given or found in the provenance.

    Examples
    --------
    >>> from claimbench.paths import DEFAULT_CORPUS
    >>> from claimbench.corpus.store import load_corpus
    >>> import tempfile
    >>> corpus = load_corpus(DEFAULT_CORPUS)
    >>> folder = Path(tempfile.mkdtemp())
    >>> path = add_submission({"000-afp": Extraction(entities=[])}, {}, folder,
    ...                       corpus=corpus, name="Nothing", version="1")
    >>> path.parent.name
    'submissions'
    """
    # Checked where they were read (`load_predictions`, the evaluation pipeline): trusted here.
    records = [
        PredictionRecord.model_construct(**{**dict(extraction), "doc_id": doc_id})
        for doc_id, extraction in sorted(predictions.items())
    ]
    digest = predictions_hash(records)
    labels = {
        "name": name or _plugin_field(provenance, "name"),
        "version": version or _plugin_field(provenance, "version"),
    }
    _check_labels(labels)
    submission = Submission(
        **labels,
        date=date or dt.datetime.now(dt.UTC).date(),
        badges=sorted({Badge(badge) for badge in badges} - {Badge.OUTDATED}),
        corpus=corpus_fingerprint(corpus),
        provenance=dict(provenance),
        predictions_sha256=digest,
        predictions=records,
    )
    folder = leaderboard_dir / SUBMISSIONS_FOLDER
    _refuse_duplicate(folder, digest)
    path = folder / f"{slugify(submission.name)}-{slugify(submission.version)}-{digest[:8]}.json"
    if path.exists():
        raise InputError.single(path, "a submission with this file name exists; not overwritten")
    stored = submission.model_dump(mode="json")
    stored["predictions"] = predictions_json(records)
    write_atomic(path, dump_json(stored))
    return path


def _check_labels(labels: Mapping[str, str]) -> None:
    """The name and version as the page shows them: UTF-8 text of the lengths `Submission`
    allows (a usage error naming the option, not a traceback later)."""
    for option, value in labels.items():
        limit = LABEL_CHARS[option]
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError(f"--{option} {describe_value(value)}: not valid UTF-8") from None
        if not 0 < len(value) <= limit:
            raise UsageError(
                f"--{option} {describe_value(value)}: {len(value)} characters, "
                f"expected 1 to {limit}"
            )


def corpus_fingerprint(corpus: Corpus) -> SubmissionCorpus:
    """Name, version and text hashes of `corpus`, as a submission records them."""
    manifest = corpus.manifest
    return SubmissionCorpus(
        name=manifest.name,
        version=manifest.version,
        texts={entry.id: entry.text_sha256 for entry in manifest.documents},
    )


def load_submission(path: Path) -> Submission:
    """Read and check one submission file (schema, and predictions against their hash).

    Raises
    ------
    InputError
        When the file is malformed, does not fit the schema, or its predictions do not match
        its `predictions_sha256` (edited by hand after submission).
    """
    text = read_text(path)
    stored = parse_json(text, path)  # clear errors for bad JSON; the hash reads the values
    try:
        # From the values, parsed once: faster than pydantic parsing the text a second time.
        submission = Submission.model_validate(stored)
    except ValidationError as err:
        raise InputError(problems_from_validation_error(err, path)) from None
    actual = json_hash(sorted(stored["predictions"], key=lambda record: record["doc_id"]))
    if actual != submission.predictions_sha256:
        raise InputError.single(
            path,
            f"predictions were changed after submission: their SHA-256 is {actual}",
            field="predictions_sha256",
            value=submission.predictions_sha256,
            has_value=True,
        )
    return submission


def load_submissions(leaderboard_dir: Path) -> dict[str, Submission]:
    """Every submission of the folder, keyed by file stem, in file-name order.

    Raises
    ------
    InputError
        With the problems of every bad file, and of predictions submitted twice.
    """
    problems: list[Problem] = []
    submissions: dict[Path, Submission] = {}
    for path in submission_paths(leaderboard_dir):
        try:
            submissions[path] = load_submission(path)
        except InputError as err:
            problems.extend(err.problems)
    problems += duplicate_problems(
        (path, submission.predictions_sha256) for path, submission in submissions.items()
    )
    if problems:
        raise InputError(problems)
    return {path.stem: submission for path, submission in submissions.items()}


def submission_paths(leaderboard_dir: Path) -> list[Path]:
    """The submission files of a leaderboard folder, in file-name order."""
    return sorted((leaderboard_dir / SUBMISSIONS_FOLDER).glob("*.json"))


def duplicate_problems(digests: Iterable[tuple[Path, str]]) -> list[Problem]:
    """A problem for every file whose predictions an earlier file already holds.

    Examples
    --------
    >>> [str(p) for p in duplicate_problems([(Path("a.json"), "1"), (Path("b.json"), "1")])]
    ['b.json: the same predictions as a.json']
    """
    seen: dict[str, Path] = {}
    problems = []
    for path, digest in digests:
        first = seen.setdefault(digest, path)
        if first != path:
            problems.append(Problem(str(path), f"the same predictions as {first.name}"))
    return problems


def check_submission(submission: Submission, texts: Mapping[str, str], path: Path) -> list[Problem]:
    """Problems of a submission's predictions against `texts`, the corpus text (by document id)
    they were made on.

    Not for an outdated submission (made on another text, see `build.outdated_reason`): its
    offsets refer to that text.
    """
    try:
        _check_against_texts(submission.predictions, texts, str(path))
    except InputError as err:
        return err.problems
    return []


def _check_against_texts(
    records: Iterable[PredictionRecord], texts: Mapping[str, str], source: str = "predictions"
) -> None:
    problems: list[Problem] = []
    for record in records:
        where = Where(source, record.doc_id)
        text = texts.get(record.doc_id)
        if text is None:
            problems.append(where.problem("document is not in the corpus", "doc_id", record.doc_id))
            continue
        problems.extend(check_prediction(record, text, where))
    if problems:
        raise InputError(problems)


def _plugin_field(provenance: Mapping[str, Any], field: str) -> str:
    plugin = provenance.get("plugin")
    value = plugin.get(field) if isinstance(plugin, Mapping) else None
    if not isinstance(value, str) or not value:
        raise UsageError(
            f"no submission {field}: pass --{field} (the provenance has no plugin {field})"
        )
    return value


class AlreadySubmittedError(InputError):
    """The same predictions are already a submission (`path`); nothing was written."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            [Problem(str(path), "these predictions are already submitted; nothing written")]
        )
        self.path = path


def _refuse_duplicate(folder: Path, digest: str) -> None:
    for path in sorted(folder.glob("*.json")):
        try:
            existing = read_json(path)
        except InputError:
            continue
        if isinstance(existing, dict) and existing.get("predictions_sha256") == digest:
            raise AlreadySubmittedError(path)
