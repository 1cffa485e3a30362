"""`claimbench leaderboard build`: rescore every submission against the current gold, rank the
entries into tie groups, and write the static site."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimbench import __version__
from claimbench.corpus.store import Corpus, load_corpus
from claimbench.leaderboard import rescore
from claimbench.leaderboard.site import BuildInfo, render_site, write_site
from claimbench.leaderboard.submissions import (
    Submission,
    corpus_fingerprint,
    load_submissions,
)
from claimbench.leaderboard.views import DocumentView, Entry, gold_view, match_view
from claimbench.models import Extraction, Layer

SITE_FOLDER = "site"


@dataclass(frozen=True)
class BuildReport:
    """What a build did: where the site is, how many entries, which files changed."""

    site_dir: Path
    entries: int
    ranked: int
    written: list[Path]
    removed: list[Path]

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
    seed: int = rescore.SEED,
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
    resamples, seed : int
        Bootstrap settings for the intervals and the paired test.

    Returns
    -------
    BuildReport
        The site folder, entry counts and the files written or removed.

    Raises
    ------
    InputError
        When the corpus, the gold or a submission is invalid (every problem is listed).

    Examples
    --------
    >>> from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD, DEFAULT_LEADERBOARD as LB
    >>> build_leaderboard(LB, DEFAULT_CORPUS, DEFAULT_GOLD).index.name  # doctest: +SKIP
    'index.html'
    """
    from claimbench.reporting.evaluation import load_gold_extractions
    from claimbench.reporting.provenance import data_provenance

    corpus = load_corpus(corpus_dir)
    gold = load_gold_extractions(gold_dir, corpus)
    texts = {document.id: document.text for document in corpus.documents()}
    settings = rescore.Settings(gold=gold, texts=texts, resamples=resamples, seed=seed)
    entries, scores = _score_all(load_submissions(leaderboard_dir), corpus, settings)
    ranked = rescore.rank(entries, scores)
    data = data_provenance(corpus, gold_dir)
    info = BuildInfo(
        gold_sha256=data.gold_sha256 or "",
        corpus_name=data.corpus_name,
        corpus_version=data.corpus_version,
        claimbench_version=__version__,
        documents=data.documents,
        resamples=resamples,
        seed=seed,
        alpha=rescore.ALPHA,
    )
    pages = render_site(ranked, corpus_views(corpus, gold, texts), info)
    site = site_dir or leaderboard_dir / SITE_FOLDER
    written, removed = write_site(site, pages)
    return BuildReport(
        site_dir=site,
        entries=len(ranked),
        ranked=sum(entry.rank is not None for entry in ranked),
        written=written,
        removed=removed,
    )


def _score_all(
    submissions: Mapping[str, Submission], corpus: Corpus, settings: "rescore.Settings"
) -> tuple[list[Entry], dict[str, Any]]:
    current = corpus_fingerprint(corpus)
    entries, scores = [], {}
    for key, submission in submissions.items():
        entry = new_entry(key, submission, outdated_reason(submission, current.texts))
        if not entry.outdated:
            scores[key] = rescore.score_entry(entry, submission, settings)
            entry.documents = document_views(submission, scores[key], corpus, settings)
        entries.append(entry)
    return entries, scores


def new_entry(key: str, submission: Submission, outdated: str | None) -> Entry:
    """An unscored entry: what the submission file says about itself.

    Examples
    --------
    >>> from claimbench.leaderboard.submissions import SubmissionCorpus
    >>> s = Submission(name="x", version="1", date="2026-11-22", predictions_sha256="0" * 64,
    ...                corpus=SubmissionCorpus(name="c", version="1", texts={}), predictions=[])
    >>> new_entry("x-1", s, None).corpus_label
    'c 1'
    """
    return Entry(
        key=key,
        name=submission.name,
        version=submission.version,
        date=submission.date.isoformat(),
        badges=[badge.value for badge in submission.badges] + (["outdated"] if outdated else []),
        attempted=[layer.value for layer in submission.attempted()],
        predictions_sha256=submission.predictions_sha256,
        corpus_label=f"{submission.corpus.name} {submission.corpus.version}",
        provenance=flatten(submission.provenance),
        outdated_reason=outdated,
    )


def outdated_reason(submission: Submission, current: Mapping[str, str]) -> str | None:
    """Why a submission was made on another corpus text, or None if it was made on this one.

    Examples
    --------
    >>> from claimbench.leaderboard.submissions import SubmissionCorpus
    >>> s = Submission(name="x", version="1", date="2026-11-22", predictions_sha256="0" * 64,
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


def document_views(
    submission: Submission, scores: Any, corpus: Corpus, settings: "rescore.Settings"
) -> list[DocumentView]:
    """Each document with the submission's matches, false positives and misses per layer."""
    predictions = submission.extractions()
    attempted = submission.attempted()
    views = []
    for entry in corpus.manifest.documents:
        gold = settings.gold[entry.id]
        predicted = predictions.get(entry.id, Extraction())
        layer_views = [
            match_view(
                layer.value,
                settings.texts[entry.id],
                _items(gold, layer),
                _items(predicted, layer),
                rescore.match_pairs(scores, entry.id, layer),
            )
            for layer in attempted
        ]
        views.append(_document(entry.id, corpus, layer_views))
    return views


def corpus_views(
    corpus: Corpus, gold: Mapping[str, Extraction], texts: Mapping[str, str]
) -> list[DocumentView]:
    """Each corpus document with its gold highlighted, one view per layer."""
    return [
        _document(
            doc_id,
            corpus,
            [gold_view(layer.value, texts[doc_id], _items(gold[doc_id], layer)) for layer in Layer],
        )
        for doc_id in corpus.doc_ids
    ]


def _document(doc_id: str, corpus: Corpus, views: list[Any]) -> DocumentView:
    entry = corpus.entry(doc_id)
    date = entry.date.isoformat() if entry.date else None
    return DocumentView(doc_id=doc_id, outlet=entry.outlet, date=date, views=views)


def _items(extraction: Extraction, layer: Layer) -> Sequence[Any]:
    return getattr(extraction, layer.value) or []
