"""Leaderboard submissions: one JSON file per entry, holding predictions and provenance.

A submission never stores scores: `claimbench leaderboard build` recomputes them from the
predictions against the current gold, so an erratum in the gold never leaves a stale number.
Nor does it store badges: the build derives them (`claimbench.leaderboard.verification`). Its
`sha256` covers the whole file (canonical JSON without that field), so an edited name,
provenance or metadata field is caught as surely as edited predictions.
"""

import datetime as dt
import fcntl
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AnyHttpUrl, Field, ValidationError

from claimbench.corpus.store import Corpus
from claimbench.errors import (
    InputError,
    OutputError,
    Problem,
    UsageError,
    Where,
    describe_value,
    problems_from_validation_error,
)
from claimbench.fileio import dump_json, parse_json, read_json, read_text, write_atomic
from claimbench.models import Extraction, Layer, PredictionRecord
from claimbench.models.base import ContractModel, DocId, Sha256
from claimbench.models.compiled import as_model
from claimbench.validation.predictions import check_prediction

SUBMISSIONS_FOLDER = "submissions"
LABEL_CHARS = {"name": 200, "version": 100}
"""The longest name and version a submission may show."""
_SLUG_MAX = 60


MAX_SUBMISSION_BYTES = 16 * 1024 * 1024
"""The largest submission file read: a corpus of five articles needs a small fraction of it."""
MAX_PROVENANCE_DEPTH = 32
"""The deepest nesting of arrays and objects a submission's free-form provenance may hold."""
MAX_JSON_INTEGER = 2**53
"""The largest integer a submission may hold (in magnitude): larger ones lose precision in
the page's JavaScript and are no offset or count of this corpus."""


class Badge(StrEnum):
    """Marks shown beside an entry, all derived at build time, never read from the file."""

    BASELINE = "baseline"
    VERIFIED = "verified"
    OUTDATED = "outdated"


class SubmissionCorpus(ContractModel):
    """The corpus text the predictions were made on: name, version and text hashes."""

    name: str
    version: str
    texts: dict[DocId, Sha256]


ShortText = Annotated[str, Field(min_length=1, max_length=200)]


class EntryMetadata(ContractModel):
    """What the submitter says about the entry, all optional: shown escaped on its page."""

    authors: list[ShortText] = Field(default_factory=list, max_length=50)
    description: Annotated[str, Field(max_length=2000)] | None = None
    code_url: AnyHttpUrl | None = None
    paper_url: AnyHttpUrl | None = None
    model_licence: ShortText | None = None


class Submission(ContractModel):
    """`leaderboard/submissions/<slug>.json`: a plugin's predictions plus their provenance."""

    schema_version: Literal[2] = 2
    name: Annotated[str, Field(min_length=1, max_length=LABEL_CHARS["name"])]
    version: Annotated[str, Field(min_length=1, max_length=LABEL_CHARS["version"])]
    date: dt.date
    metadata: EntryMetadata = EntryMetadata()
    corpus: SubmissionCorpus
    provenance: dict[str, Any] = Field(default_factory=dict)
    predictions_sha256: Sha256
    predictions: list[PredictionRecord]
    sha256: Sha256
    """SHA-256 of the whole submission as canonical JSON, without this field."""

    def attempted(self) -> list[Layer]:
        """Layers attempted on at least one document, in `Layer` order."""
        seen = {layer for record in self.predictions for layer in record.attempted()}
        return [layer for layer in Layer if layer in seen]


def record_of(doc_id: str, extraction: Extraction) -> PredictionRecord:
    """One document's checked predictions as the model a submission stores (unchecked again:
    a compiled record read from a file is rebuilt as the model, `as_model`).

    Examples
    --------
    >>> record_of("a", Extraction(numbers=[])).model_dump(exclude_defaults=True)
    {'numbers': [], 'doc_id': 'a'}
    """
    return PredictionRecord.model_construct(**{**dict(as_model(extraction)), "doc_id": doc_id})


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
    return canonical_hash(stored)


def canonical_hash(value: Any) -> str:
    """SHA-256 of a JSON value as canonical JSON (sorted keys, no spaces, UTF-8), so that
    reformatting a file never changes it.

    Examples
    --------
    >>> canonical_hash({"b": 1, "a": [1.5]}) == canonical_hash({"a": [1.5], "b": 1})
    True
    """
    return _sha256(canonical_json(value))


def canonical_json(value: Any) -> str:
    """`value` as canonical JSON: sorted keys, no spaces, characters as they are."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def submission_hash(stored: Mapping[str, Any], predictions: str | None = None) -> str:
    """The integrity hash of a stored submission: every field but `sha256` itself.

    `predictions`, the canonical JSON of the stored predictions when the caller has it
    already, is spliced in rather than made again (the bulk of a submission): the text hashed is
    the same, as canonical JSON of an object is its sorted members, each canonical.

    Examples
    --------
    >>> submission_hash({"name": "x", "sha256": "0"}) == canonical_hash({"name": "x"})
    True
    >>> stored = {"predictions": [{"doc_id": "a"}], "name": "x"}
    >>> submission_hash(stored, canonical_json(stored["predictions"])) == canonical_hash(stored)
    True
    """
    members = []
    for key in sorted(stored):
        if key == "sha256":
            continue
        given = predictions if key == "predictions" else None
        members.append(f"{canonical_json(key)}:{given or canonical_json(stored[key])}")
    return _sha256("{" + ",".join(members) + "}")


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
    metadata: EntryMetadata | None = None,
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
    metadata : EntryMetadata, optional
        Authors, description, code and paper links, model licence.
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
        existing submission is never overwritten). Adds run one at a time (a lock on the
        submissions folder), so concurrent adds of the same predictions leave one submission.
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
    records = [record_of(doc_id, extraction) for doc_id, extraction in sorted(predictions.items())]
    labels = {
        "name": name or _plugin_field(provenance, "name"),
        "version": version or _plugin_field(provenance, "version"),
    }
    _check_labels(labels)
    stored = stored_submission(
        records,
        provenance,
        corpus_fingerprint(corpus),
        name=labels["name"],
        version=labels["version"],
        metadata=metadata,
        date=date or dt.datetime.now(dt.UTC).date(),
    )
    digest = stored["predictions_sha256"]
    submission = _validated(stored, Path("submission"))  # what the build will read back
    folder = leaderboard_dir / SUBMISSIONS_FOLDER
    path = folder / f"{slugify(submission.name)}-{slugify(submission.version)}-{digest[:8]}.json"
    with _exclusive(folder):
        _refuse_duplicate(folder, digest)
        if path.exists():
            raise InputError.single(
                path, "a submission with this file name exists; not overwritten"
            )
        write_atomic(path, dump_json(stored))
    return path


def stored_submission(
    records: list[PredictionRecord],
    provenance: Mapping[str, Any],
    corpus: SubmissionCorpus,
    *,
    name: str,
    version: str,
    date: dt.date,
    metadata: EntryMetadata | None = None,
) -> dict[str, Any]:
    """A submission as its file stores it, with both hashes (predictions, and the whole).

    Examples
    --------
    >>> stored = stored_submission([PredictionRecord(doc_id="a")], {},
    ...     SubmissionCorpus(name="c", version="1", texts={}), name="x", version="1",
    ...     date=dt.date(2026, 1, 1))
    >>> stored["sha256"] == submission_hash(stored), stored["schema_version"]
    (True, 2)
    """
    stored_predictions = predictions_json(records)
    predictions_text = canonical_json(stored_predictions)  # made once: hashed twice
    stored: dict[str, Any] = {
        "schema_version": 2,
        "name": name,
        "version": version,
        "date": date.isoformat(),
        "metadata": (metadata or EntryMetadata()).model_dump(mode="json", exclude_defaults=True),
        "corpus": corpus.model_dump(mode="json"),
        "provenance": dict(provenance),
        "predictions_sha256": _sha256(predictions_text),
        "predictions": stored_predictions,
    }
    stored["sha256"] = submission_hash(stored, predictions_text)
    return stored


@contextmanager
def _exclusive(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` (the submissions folder itself: no lock file is
    left behind) while a submission is checked against the others and written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(folder, os.O_RDONLY)
    except OSError as err:  # under a file, on a read-only file system: named, exit 2
        raise OutputError.of(folder, err) from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


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
    """Read and check one submission file: size, JSON, finite numbers and bounded depth and
    integers (in its free-form provenance and its numbers' values: the schema bounds the rest),
    schema, the whole file against its `sha256` and the predictions against their
    `predictions_sha256`.

    Raises
    ------
    InputError
        When any check fails, naming the file and the reason (every failure of the file's
        content is turned into this error here, so a caller lists the file as rejected).
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError.single(path, "file not found") from None
    if size > MAX_SUBMISSION_BYTES:
        raise InputError.single(
            path, f"the file has {size:,} bytes, more than the {MAX_SUBMISSION_BYTES:,} allowed"
        )
    text = read_text(path)
    # The one JSON reader refuses NaN, Infinity, duplicate keys and nesting beyond its limit.
    stored = parse_json(text, path)
    check_provenance_limits(stored, path)
    submission = _validated(stored, path)
    check_number_limits(submission, path)
    return submission


def _validated(stored: Any, path: Path) -> Submission:
    if isinstance(stored, dict):
        _refuse_stored_badges_and_old_schema(stored, path)
    try:
        # From the values, parsed once: faster than pydantic parsing the text a second time.
        submission = Submission.model_validate(stored)
    except ValidationError as err:
        raise InputError(problems_from_validation_error(err, path)) from None
    stored_predictions = stored["predictions"]
    predictions_text = canonical_json(stored_predictions)
    ordered = sorted(stored_predictions, key=lambda record: record["doc_id"])
    # Stored in document order (as `add_submission` writes them), the text is the same.
    actual = _sha256(predictions_text) if ordered == stored_predictions else json_hash(ordered)
    checks = (
        ("sha256", submission_hash(stored, predictions_text), "the submission was changed "
         "after it was written"),
        ("predictions_sha256", actual, "predictions were changed after submission"),
    )  # fmt: skip
    for field, found, what in checks:
        if found != stored[field]:
            raise InputError.single(
                path,
                f"{what}: the SHA-256 as read is {found}",
                field=field,
                value=stored[field],
                has_value=True,
            )
    return submission


_BADGES = (
    "a submission may not carry badges: the build derives them (`claimbench leaderboard verify`)"
)
_SCHEMA_1 = (
    "written by an earlier claimbench (schema 1, whose hash covers only the predictions): "
    "move it out of the submissions folder (an add refuses its predictions while it is there), "
    "then record the run again with `claimbench evaluate --record`"
)


def _refuse_stored_badges_and_old_schema(stored: dict[str, Any], path: Path) -> None:
    if "badges" in stored:
        field, why = "badges", _BADGES
    elif stored.get("schema_version") == 1:
        field, why = "schema_version", _SCHEMA_1
    else:
        return
    raise InputError.single(path, why, field=field, value=stored[field], has_value=True)


def check_provenance_limits(stored: Any, path: Path) -> None:
    """`check_json_limits` on the free-form part of a parsed submission, its `provenance`
    (nothing else of it is free-form: the schema bounds the rest, see `check_number_limits`).

    Examples
    --------
    >>> check_provenance_limits({"provenance": {"a": [1.5]}}, Path("s"))
    >>> check_provenance_limits({"provenance": {"a": 2**60}}, Path("s"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    claimbench.errors.InputError: s: provenance.a = 1152921504606846976: an integer beyond ...
    """
    if isinstance(stored, dict):
        check_json_limits(stored.get("provenance"), path, prefix="provenance", depth=1)


def check_number_limits(submission: Submission, path: Path) -> None:
    """The one place the schema lets a number be any JSON number, a number mention's value
    bounds: each must be within ±`MAX_JSON_INTEGER` (the JSON reader has refused non-finite
    numbers already).

    Raises
    ------
    InputError
        Naming the file, the field (`predictions[i].numbers[j].value.low`) and the value.
    """
    for i, record in enumerate(submission.predictions):
        for j, number in enumerate(record.numbers or []):
            if number.value is None:
                continue
            for bound in ("low", "high"):
                where = f"predictions[{i}].numbers[{j}].value.{bound}"
                check_json_limits(getattr(number.value, bound), path, prefix=where, depth=5)


def check_json_limits(value: Any, path: Path, *, prefix: str = "", depth: int = 0) -> None:
    """Refuse JSON values a page cannot show faithfully: integers beyond `MAX_JSON_INTEGER`
    (JavaScript's exact range) and nesting deeper than `MAX_PROVENANCE_DEPTH`. (Non-finite
    numbers never get here: the JSON reader refuses them.)

    Raises
    ------
    InputError
        Naming the file and the JSON path of the first such value.

    Examples
    --------
    >>> check_json_limits({"a": [1, 2.5]}, Path("s.json"))
    >>> check_json_limits({"a": [1, -(2**53) - 1]}, Path("s.json"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    claimbench.errors.InputError: s.json: a[1] = -9007199254740993: an integer beyond ...
    """
    pending: list[tuple[Any, str, int]] = [(value, prefix, depth)]
    while pending:  # a loop, not recursion: the depth is what is being checked
        found, where, depth = pending.pop()
        reason = None
        if depth > MAX_PROVENANCE_DEPTH:
            reason = f"nested more than {MAX_PROVENANCE_DEPTH} levels deep"
        elif isinstance(found, int) and abs(found) > MAX_JSON_INTEGER:
            reason = f"an integer beyond ±{MAX_JSON_INTEGER}"
        if reason is not None:
            shown: object = found if depth <= MAX_PROVENANCE_DEPTH else "..."
            raise InputError.single(
                path, reason, field=where or "(top)", value=shown, has_value=True
            )
        if isinstance(found, dict):
            pending += [(inner, f"{where}.{key}" if where else key, depth + 1)
                        for key, inner in found.items()]  # fmt: skip
        elif isinstance(found, list):
            pending += [(inner, f"{where}[{i}]", depth + 1) for i, inner in enumerate(found)]


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
    they were made on: a document not in the corpus, spans that do not fit its text.

    Not for an outdated submission (made on another text, see `build.outdated_reason`): its
    offsets refer to that text.

    Examples
    --------
    >>> s = Submission(name="x", version="1", date="2026-11-22", predictions_sha256="0" * 64,
    ...                sha256="0" * 64, predictions=[PredictionRecord(doc_id="b")],
    ...                corpus=SubmissionCorpus(name="c", version="1", texts={}))
    >>> print(*check_submission(s, {"a": "A.\\n"}, Path("s.json")))
    s.json: document 'b': doc_id = 'b': document is not in the corpus
    """
    problems: list[Problem] = []
    for record in submission.predictions:
        where = Where(str(path), record.doc_id)
        text = texts.get(record.doc_id)
        if text is None:
            problems.append(where.problem("document is not in the corpus", "doc_id", record.doc_id))
        else:
            problems.extend(check_prediction(record, text, where))
    return problems


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
