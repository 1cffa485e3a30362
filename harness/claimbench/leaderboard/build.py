"""`claimbench leaderboard build`: rescore every submission against the current gold, rank the
entries into tie groups, and write the static site.

Each submission is loaded, scored and given its detail pages (per-label figures, the documents
with its matches as JSON for the page's script) on its own, so the work runs on a process pool
when there are many submissions; only ranking (the paired tests down the sorted list) and the
main page need them all together.
"""

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from claimbench import __version__
from claimbench.corpus.store import Corpus, load_corpus
from claimbench.errors import InputError, Problem
from claimbench.evaluation.pipeline import Gold, gold_extractions
from claimbench.leaderboard import rescore
from claimbench.leaderboard.claims import gold_map, map_views
from claimbench.leaderboard.compare import compare_json, match_summary
from claimbench.leaderboard.documents import corpus_json, submission_json
from claimbench.leaderboard.pool import process_files
from claimbench.leaderboard.site import BuildInfo, render_site, render_submission, write_site
from claimbench.leaderboard.submissions import (
    Submission,
    check_submission,
    corpus_fingerprint,
    duplicate_problems,
    load_submission,
    submission_paths,
)
from claimbench.leaderboard.verification import Derived, derive_badges, read_record
from claimbench.leaderboard.views import DocumentView, Entry, Rejected
from claimbench.reporting.provenance import data_provenance
from claimbench.scoring import Scores
from claimbench.validation.predictions import annotated_layers

SITE_FOLDER = "site"
COMPARE_TESTED = 20
"""The paired test runs between every two of this many best-ranked entries, for the comparison
page (190 tests); other pairs show their differences without a p-value."""


@dataclass(frozen=True)
class BuildReport:
    """What a build did: where the site is, how many entries, which files changed."""

    site_dir: Path
    entries: int
    ranked: int
    written: list[Path]
    removed: list[Path]
    rejected: list[Rejected] = field(default_factory=list)
    """Submissions that failed a check: listed on the page, not built."""

    @property
    def index(self) -> Path:
        """The main page."""
        return self.site_dir / "index.html"


def build_leaderboard(
    leaderboard_dir: Path,
    corpus_dir: Path,
    gold_dir: Path,
    site_dir: Path | None = None,
    *,
    resamples: int = rescore.RESAMPLES,
    test_resamples: int = rescore.TEST_RESAMPLES,
    seed: int = rescore.SEED,
    jobs: int | None = None,
    build_date: dt.date | None = None,
) -> BuildReport:
    """Rescore every submission and write the site.

    Parameters
    ----------
    leaderboard_dir : Path
        Folder with `submissions/`; the site goes to its `site/` unless `site_dir` is given.
    corpus_dir, gold_dir : Path
        The current corpus and gold: every score is recomputed against them.
    site_dir : Path, optional
        Where to write the site.
    resamples, test_resamples, seed : int
        Bootstrap resamples of the intervals, random swaps of the paired test, and their seed.
    jobs : int, optional
        Worker processes for scoring and detail pages (default: one per CPU; with fewer than
        `claimbench.leaderboard.pool.PARALLEL_FROM` submissions the work stays in this
        process).
    build_date : datetime.date, optional
        The date every page shows (default: `build_day()`).

    Returns
    -------
    BuildReport
        The site folder, entry counts, the files written or removed, and the rejected
        submissions: a file that fails any check (size, JSON, schema, hashes, offsets, the
        same predictions as an earlier file) is listed on the page with its reason and every
        other entry is still built.

    Raises
    ------
    InputError
        When the corpus or the gold is invalid (nothing is written).

    Examples
    --------
    >>> from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD, DataKind, locate
    >>> board = locate(DataKind.LEADERBOARD).path  # in a checkout, its leaderboard/
    >>> build_leaderboard(board, DEFAULT_CORPUS, DEFAULT_GOLD).index.name  # doctest: +SKIP
    'index.html'
    """
    corpus = load_corpus(corpus_dir)
    gold = gold_extractions(gold_dir, corpus).hold()
    held = gold.held or {}
    texts = {document.id: document.text for document in corpus.documents()}
    settings = rescore.Settings(resamples=resamples, test_resamples=test_resamples, seed=seed)
    data = data_provenance(corpus, gold_dir, gold.gold_set)
    info = BuildInfo(
        gold_sha256=data.gold_sha256 or "",
        gold_version=data.gold_version,
        annotated=tuple(layer.value for layer in annotated_layers(held)),
        build_date=(build_date or build_day()).isoformat(),
        corpus_name=data.corpus_name,
        corpus_version=data.corpus_version,
        claimbench_version=__version__,
        documents=data.documents,
        resamples=resamples,
        test_resamples=test_resamples,
        seed=seed,
        alpha=settings.alpha,
    )
    job = Job(gold, texts, leaderboard_dir, settings, info)
    processed = reject_duplicates(process_all(submission_paths(leaderboard_dir), job, jobs))
    rejected = [Rejected(item.path, item.problems) for item in processed if item.problems]
    accepted = [item for item in processed if not item.problems and item.entry is not None]
    entries = [item.entry for item in accepted if item.entry is not None]
    scores = {item.entry.key: item.scores for item in accepted if item.entry and item.scores}
    ranked = rescore.rank(entries, scores, settings)
    tested = rescore.pairwise_p_values(ranked, scores, settings, COMPARE_TESTED)
    contradiction_map = gold_map(gold.gold_set, corpus)
    slots = map_views(contradiction_map) if contradiction_map else None
    headings = document_headings(corpus)
    comparison = compare_json(ranked, tested, COMPARE_TESTED)
    corpus_data = corpus_json(headings, texts, held)
    pages = render_site(ranked, headings, corpus_data, info, slots, rejected, comparison)
    site = site_dir or leaderboard_dir / SITE_FOLDER
    written, removed = write_site(site, pages)
    return BuildReport(
        site_dir=site,
        entries=len(ranked),
        ranked=sum(entry.rank is not None for entry in ranked),
        written=written,
        removed=removed,
        rejected=rejected,
    )


def build_day() -> dt.date:
    """The build's date: from `SOURCE_DATE_EPOCH` when set (reproducible builds), else today
    (UTC). Only the day is shown, so building twice in a day writes nothing the second time.

    Examples
    --------
    >>> import os
    >>> os.environ["SOURCE_DATE_EPOCH"] = "0"
    >>> build_day().isoformat()
    '1970-01-01'
    >>> del os.environ["SOURCE_DATE_EPOCH"]
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


def reject_duplicates(processed: list["Processed"]) -> list["Processed"]:
    """`processed` with every file whose predictions another file holds marked rejected. The
    one that stays is the verified one, else the earliest submitted, else the first by file
    name: a copy of a verified entry, added under a name that sorts first, must not push it
    out."""
    ranked = sorted((item for item in processed if item.digest), key=_kept_first)
    found = duplicate_problems((item.path, item.digest) for item in ranked)
    by_file = {problem.file: problem for problem in found}
    return [
        replace(item, entry=None, scores=None, problems=[by_file[str(item.path)]])
        if str(item.path) in by_file and not item.problems
        else item
        for item in processed
    ]


def _kept_first(item: "Processed") -> tuple[bool, str, str]:
    entry = item.entry
    verified = entry is not None and "verified" in entry.badges
    return (not verified, entry.date if entry is not None else "", item.path.name)


@dataclass(frozen=True)
class Job:
    """What processing a submission needs: the gold held in memory (with its corpus, whose
    texts are read once), the texts by id, the build's settings and what every page's
    footer says."""

    gold: Gold
    texts: Mapping[str, str]
    leaderboard_dir: Path
    settings: rescore.Settings
    info: BuildInfo


@dataclass(frozen=True)
class Processed:
    """One submission file, processed: its entry and scores, or its problems."""

    path: Path
    entry: Entry | None = None
    scores: Scores | None = None
    """What the paired test reads (`rescore.for_paired_test`); None for an outdated entry."""
    digest: str | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class _Context:
    job: Job
    current: Mapping[str, str]
    """The text hashes of the current corpus, by document id."""
    headings: list[DocumentView]


def _context(job: Job) -> _Context:
    corpus = job.gold.corpus
    assert isinstance(corpus, Corpus), "a leaderboard is built on a corpus folder"
    return _Context(job, corpus_fingerprint(corpus).texts, document_headings(corpus))


def process_all(paths: Sequence[Path], job: Job, jobs: int | None = None) -> list[Processed]:
    """Process every submission file (`process_submission`), on a process pool when there
    are many (`claimbench.leaderboard.pool`).

    Returns
    -------
    list[Processed]
        In the order of `paths`.
    """
    return process_files(paths, process_submission, partial(_context, job), jobs)


def process_submission(path: Path, context: _Context) -> Processed:
    """Load one submission, check it, score it against the current gold and render its page.

    An outdated submission (made on another corpus text) is described but not scored. Problems
    (a malformed file, predictions that do not fit the corpus or the gold) are returned, not
    raised, so that every bad file is reported at once, from worker processes too.
    """
    job = context.job
    try:
        submission = load_submission(path)
        record = read_record(job.leaderboard_dir, path.stem)
    except InputError as err:  # the file, or its verification record
        return Processed(path, problems=err.problems)
    outdated = outdated_reason(submission, context.current)
    entry = new_entry(path.stem, submission, outdated, derive_badges(submission, record))
    digest = submission.predictions_sha256
    if entry.outdated:
        return Processed(path, entry=entry, digest=digest)
    problems = check_submission(submission, job.texts, path)
    if problems:
        return Processed(path, problems=problems)
    try:
        scores = rescore.score_entry(entry, submission, job.gold, job.settings, str(path))
    except InputError as err:  # records that give different layers, or a document not in the gold
        return Processed(path, problems=err.problems)
    schemes = {
        layer.value: found.headline_scheme
        for layer, found in scores.layers.items()
        if found.headline_scheme is not None
    }
    pairs = rescore.match_index(scores)
    data = submission_json(schemes, submission.predictions, pairs)
    entry.summary = match_summary(list(schemes), submission.predictions, pairs)
    entry.page = render_submission(entry, job.info, context.headings, list(schemes), data)
    paired = rescore.for_paired_test(scores)
    return Processed(path, entry, paired, digest)


def new_entry(
    key: str, submission: Submission, outdated: str | None, derived: Derived | None = None
) -> Entry:
    """An unscored entry: what the submission file says about itself, with the badges the
    build derived (`verification.derive_badges`; none when not given).

    Examples
    --------
    >>> from claimbench.leaderboard.submissions import SubmissionCorpus
    >>> s = Submission(name="x", version="1", date="2026-11-22", predictions_sha256="0" * 64,
    ...                sha256="0" * 64, predictions=[],
    ...                corpus=SubmissionCorpus(name="c", version="1", texts={}))
    >>> new_entry("x-1", s, None).corpus_label
    'c 1'
    """
    derived = derived or Derived([], "")
    data = submission.provenance.get("data")
    recorded_gold = data.get("gold_version") if isinstance(data, Mapping) else None
    return Entry(
        key=key,
        name=submission.name,
        version=submission.version,
        date=submission.date.isoformat(),
        badges=derived.badges + (["outdated"] if outdated else []),
        attempted=[layer.value for layer in submission.attempted()],
        predictions_sha256=submission.predictions_sha256,
        corpus_label=f"{submission.corpus.name} {submission.corpus.version}",
        provenance=flatten(submission.provenance),
        outdated_reason=outdated,
        verification=derived.verification,
        metadata=submission.metadata,
        recorded_gold=recorded_gold if isinstance(recorded_gold, str) else None,
    )


def outdated_reason(submission: Submission, current: Mapping[str, str]) -> str | None:
    """Why a submission was made on another corpus text, or None if it was made on this one.

    Examples
    --------
    >>> from claimbench.leaderboard.submissions import SubmissionCorpus
    >>> s = Submission(name="x", version="1", date="2026-11-22", predictions_sha256="0" * 64,
    ...                sha256="0" * 64,
    ...                corpus=SubmissionCorpus(name="c", version="0.9", texts={"a": "1" * 64}),
    ...                predictions=[])
    >>> outdated_reason(s, {"a": "2" * 64})
    'made on corpus c 0.9, whose text differs from the current one in: a.'
    """
    made_on = submission.corpus.texts
    differing = sorted(
        doc_id
        for doc_id in made_on.keys() | current.keys()
        if made_on.get(doc_id) != current.get(doc_id)
    )
    if not differing:
        return None
    corpus = f"{submission.corpus.name} {submission.corpus.version}"
    listed = ", ".join(differing)
    return f"made on corpus {corpus}, whose text differs from the current one in: {listed}."


def flatten(value: object, prefix: str = "") -> list[tuple[str, str]]:
    """Nested provenance as `(dotted.key, text)` rows, in the order given.

    Examples
    --------
    >>> flatten({"plugin": {"name": "x", "layers": ["numbers"]}, "python": "3.11"})
    [('plugin.name', 'x'), ('plugin.layers', 'numbers'), ('python', '3.11')]
    """
    if isinstance(value, Mapping):
        rows: list[tuple[str, str]] = []
        for key, inner in value.items():
            rows += flatten(inner, f"{prefix}.{key}" if prefix else str(key))
        return rows
    if isinstance(value, list) and all(not isinstance(v, Mapping | list) for v in value):
        return [(prefix, ", ".join(str(v) for v in value))]
    return [(prefix, "" if value is None else str(value))]


def document_headings(corpus: Corpus) -> list[DocumentView]:
    """Each corpus document's id, outlet and date, in corpus order."""
    views = []
    for entry in corpus.manifest.documents:
        date = entry.date.isoformat() if entry.date else None
        views.append(DocumentView(doc_id=entry.id, outlet=entry.outlet, date=date))
    return views
