"""Rendering the static site with jinja2 and writing only what changed.

Every page is self-contained: CSS and JavaScript are inlined, nothing is fetched, and a Content
Security Policy forbids any request. Autoescaping is on for every template, so each string that a
submitter controls (name, version, provenance) is escaped. Nothing depends on the time of the
build, so building twice writes nothing the second time.
"""

import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from claimbench.fileio import current_bytes, write_atomic
from claimbench.leaderboard.claims import FIGURE_NAMES, SlotView
from claimbench.leaderboard.downloads import (
    CSV_NAME,
    JSON_NAME,
    ranking_csv,
    ranking_json,
    ranking_rows,
)
from claimbench.leaderboard.plot import pr_plot
from claimbench.leaderboard.submissions import Badge
from claimbench.leaderboard.views import DocumentView, Entry, Rejected
from claimbench.models import Layer
from claimbench.scoring.scores import Figure

if TYPE_CHECKING:
    from jinja2 import Environment

SUBMISSION_PAGES = "submissions"
_LAYERS = [layer.value for layer in Layer]


@dataclass(frozen=True)
class BuildInfo:
    """What every page says about the build: its date (the day only, so that building twice
    in a day writes nothing the second time), the corpus, and the gold every score is against.
    """

    gold_sha256: str
    gold_version: str | None
    build_date: str
    annotated: tuple[str, ...]
    """The layers the gold annotates (the others show "not annotated" and are not in the
    overall score)."""
    corpus_name: str
    corpus_version: str
    claimbench_version: str
    documents: int
    resamples: int
    test_resamples: int
    seed: int
    alpha: float


def render_site(
    entries: Sequence[Entry],
    corpus_documents: Sequence[DocumentView],
    corpus_data: Markup,
    info: BuildInfo,
    slots: Sequence[SlotView] | None = None,
    rejected: Sequence[Rejected] = (),
    comparison: Markup | None = None,
) -> Iterator[tuple[str, str]]:
    """Every page of the site with its path relative to the site folder, rendered one at a
    time (`write_site` writes each before the next is rendered).

    Parameters
    ----------
    entries : Sequence[Entry]
        Ranked entries first, in rank order, then outdated ones.
    corpus_documents : Sequence[DocumentView]
        The corpus page's documents, in corpus order.
    corpus_data : Markup
        Their texts and gold, for the pages' script (`documents.corpus_json`): the corpus page
        and every submission page carry it.
    info : BuildInfo
        Footer facts.
    slots : Sequence[SlotView], optional
        The contradiction map of the gold, one view per slot (None: the gold has no
        `slots.json` yet, and the map page says so).
    rejected : Sequence[Rejected]
        Submissions that failed a check, listed on the main page with their reasons.
    comparison : Markup, optional
        The comparison page's data (`compare.compare_json`).

    Yields
    ------
    tuple[str, str]
        `index.html`, the ranking as `ranking.csv` and `ranking.json`, `submit.html`,
        `compare.html`, `corpus.html`, `claims.html`, then `submissions/<key>.html` for each
        entry, with their contents.
    """
    env = environment()
    common = _common(info)
    rows = ranking_rows(entries, info.gold_version)
    yield (
        "index.html",
        env.get_template("index.html.j2").render(
            common,
            page="index",
            root="",
            entries=entries,
            badges=[badge.value for badge in Badge],
            plots=[pr_plot(layer, entries) for layer in _LAYERS],
            claim_figures=[name for _, name in FIGURE_NAMES if name in CLAIM_COLUMNS],
            rejected=rejected,
            downloads={"csv": CSV_NAME, "json": JSON_NAME},
        ),
    )
    yield CSV_NAME, ranking_csv(rows)
    yield JSON_NAME, ranking_json(rows)
    yield (
        "submit.html",
        env.get_template("submit.html.j2").render(common, page="submit", root=""),
    )
    yield (
        "compare.html",
        env.get_template("compare.html.j2").render(
            common,
            page="compare",
            root="",
            comparison=comparison or Markup('{"entries":[],"p":{},"tested":0}'),
            corpus=corpus_data,
        ),
    )
    yield (
        "corpus.html",
        env.get_template("corpus.html.j2").render(
            common, page="corpus", root="", documents=corpus_documents, corpus=corpus_data
        ),
    )
    yield (
        "claims.html",
        env.get_template("claims.html.j2").render(common, page="claims", root="", slots=slots),
    )
    for entry in entries:
        page = entry.page or render_submission(entry, info)
        yield (
            f"{SUBMISSION_PAGES}/{entry.key}.html",
            page.replace(RANK_SLOT, rank_sentence(entry), 1).replace(CORPUS_SLOT, corpus_data, 1),
        )


@functools.cache
def environment() -> "Environment":
    """The templates, with autoescaping on for every one (one environment per process)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("claimbench.leaderboard", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates are package files: no stat of each per page rendered
    )
    # Number formats are filters, not macros or global functions: the ranking calls them
    # 15,000 times, and a template calls a filter directly, a function through its context.
    env.filters.update(fig=fig, figure_ci=figure_ci, count=count, sort_key=sort_key)
    return env


_NA = Markup('<span class="na">N/A</span>')


def fig(value: float | None) -> Markup:
    """A figure to three decimals, or N/A.

    Examples
    --------
    >>> fig(0.5), fig(None)
    (Markup('0.500'), Markup('<span class="na">N/A</span>'))
    """
    return _NA if value is None else Markup(f"{value:.3f}")


def figure_ci(figure: Figure | None) -> Markup:
    """A figure with its interval, or N/A.

    Examples
    --------
    >>> figure_ci(Figure(value=0.5, low=0.25, high=0.75))
    Markup('0.500<span class="ci">[0.250, 0.750]</span>')
    """
    if figure is None:
        return _NA
    shown = f"{figure.value:.3f}"
    if figure.low is not None and figure.high is not None:
        shown += f'<span class="ci">[{figure.low:.3f}, {figure.high:.3f}]</span>'
    return Markup(shown)


def count(value: float) -> str:
    """A count, whole when it is (partial credit makes halves).

    Examples
    --------
    >>> count(3.0), count(2.5)
    ('3', '2.5')
    """
    return f"{value:g}"


def sort_key(value: object) -> str:
    """What a cell's `data-sort` holds: the value, or nothing (sorted last).

    Examples
    --------
    >>> sort_key(0.25), sort_key(None)
    ('0.25', '')
    """
    return "" if value is None else str(value)


def _common(info: BuildInfo) -> dict[str, Any]:
    """What every page's template reads: the footer facts and the layers."""
    return {"build": info, "layers": _LAYERS}


CLAIM_COLUMNS = ("claim value", "slot links", "contradictions")
"""The claims figures the ranking can show as optional columns."""

RANK_SLOT = "<!-- rank -->"
"""Where a submission page rendered before ranking says its rank: no text of a submitter's
can contain it, as every "<" they wrote is escaped."""
CORPUS_SLOT = "<!-- corpus -->"
"""Where a submission page gets the texts and gold (`documents.corpus_json`), the same on
every page: put in as the page is written, so a worker neither builds nor sends them."""


def render_submission(
    entry: Entry,
    info: BuildInfo,
    documents: Sequence[DocumentView] = (),
    layers: Sequence[str] = (),
    data: Markup | None = None,
) -> str:
    """A submission's page, with `RANK_SLOT` where its rank goes (see `rank_sentence`) and
    `CORPUS_SLOT` where the texts and gold go.

    Rendered as soon as the submission is scored, in a worker process on a large build: only
    the rank waits for every entry to be scored, and `render_site` fills it in.

    Parameters
    ----------
    entry : Entry
        An entry (for a scored one, its figures, `label_tables` and `attempted` layers).
    info : BuildInfo
        Footer facts.
    documents : Sequence[DocumentView]
        The corpus documents, in order.
    layers : Sequence[str]
        The layers scored, one tab each (none: no documents section).
    data : Markup, optional
        The submission's predictions and pairs, which the page's script marks on the texts
        and gold (`documents.submission_json`).

    Returns
    -------
    str
        Escaped HTML.
    """
    return (
        environment()
        .get_template("submission.html.j2")
        .render(
            _common(info),
            page="submission",
            root="../",
            entry=entry,
            rank=Markup(RANK_SLOT),
            corpus=Markup(CORPUS_SLOT),
            documents=documents,
            shown_layers=layers,
            data=data or Markup(),
        )
    )


def rank_sentence(entry: Entry) -> Markup:
    """What a submission page says of its rank (nothing for an unranked entry).

    Examples
    --------
    >>> from claimbench.leaderboard.views import Entry
    >>> entry = Entry("k", "x", "1", "2026-11-22", [], [], "0" * 64, "c 1", [], rank=2,
    ...               tie_size=3)
    >>> str(rank_sentence(entry))
    'Rank 2 (shared by 3 entries the paired test cannot separate).'
    """
    if entry.rank is None:
        return Markup()
    shared = f" (shared by {entry.tie_size} entries the paired test cannot separate)"
    return Markup(f"Rank {entry.rank}{shared if entry.tie_size > 1 else ''}.")


def write_site(site_dir: Path, pages: Iterable[tuple[str, str]]) -> tuple[list[Path], list[Path]]:
    """Write the pages that changed and remove pages of entries that are gone.

    Parameters
    ----------
    site_dir : Path
        The site folder (created if missing).
    pages : Iterable[tuple[str, str]]
        Relative paths and contents, from `render_site`: each page is written as soon as it is
        rendered.

    Returns
    -------
    tuple[list[Path], list[Path]]
        The files written and the stale files removed, each sorted (both empty on an
        unchanged rebuild).

    Examples
    --------
    >>> import tempfile
    >>> site = Path(tempfile.mkdtemp())
    >>> len(write_site(site, [("index.html", "<p>hi</p>")])[0])
    1
    >>> write_site(site, [("index.html", "<p>hi</p>")])
    ([], [])
    """
    # One page after another: threads made it slower (a thousand small files in one folder
    # serialise on the folder's lock, and the threads then contend for the interpreter).
    written, seen = [], set()
    for relative, content in pages:
        seen.add(relative)
        if _write_if_changed(site_dir / relative, content):
            written.append(site_dir / relative)
    removed = []
    for path in sorted((site_dir / SUBMISSION_PAGES).glob("*.html")):
        if f"{SUBMISSION_PAGES}/{path.name}" not in seen:
            path.unlink()
            removed.append(path)
    return sorted(written), removed


def _write_if_changed(path: Path, content: str) -> bool:
    data = content.encode("utf-8")
    if current_bytes(path) == data:
        return False
    write_atomic(path, data, durable=False)  # derived: a rebuild rewrites it
    path.chmod(0o644)  # a static site is public: readable by the web server
    return True
