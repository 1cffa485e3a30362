"""The leaderboard site in a real browser: Playwright driving Debian's Chromium.

Without /usr/bin/chromium (run `scripts/install-browser.sh` as root) these tests skip on a
workstation, but fail in CI (CI=true), so a CI machine without a browser never passes silently.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from leaderboard_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FALSE_POSITIVE_DOC,
    KNOWN_FALSE_POSITIVE,
    XSS_NAME,
    make_project,
    populate,
)

from claimbench.leaderboard.build import build_leaderboard
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from claimbench.reporting.contradictions import load_contradiction_map
from tests.checkout import PROJECT_ROOT

ARTIFACTS = PROJECT_ROOT / "test-artifacts"


def _browser_missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium under Playwright, one per test module."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_missing("the playwright package is not installed (pip install -e '.[dev]')")
    if not CHROMIUM.exists():
        _browser_missing(f"{CHROMIUM} is missing: run scripts/install-browser.sh as root")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """A built site with four submissions (see `leaderboard_support.populate`)."""
    corpus_dir, gold_dir, board = make_project(tmp_path_factory.mktemp("leaderboard"))
    made = populate(corpus_dir, gold_dir, board)
    report = build_leaderboard(board, corpus_dir, gold_dir)
    return report.site_dir, made


class PageWatch:
    """A page with its console errors, page errors, dialogs and requests recorded."""

    def __init__(self, browser: object) -> None:
        self.page = browser.new_page(viewport={"width": 1360, "height": 900})  # type: ignore[attr-defined]
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda request: self.requests.append(request.url))

    def _console(self, message: object) -> None:
        if message.type in {"error", "warning"}:  # type: ignore[attr-defined]
            self.errors.append(f"console {message.type}: {message.text}")  # type: ignore[attr-defined]

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    def open(self, path: Path) -> object:
        """Go to a local file and wait until it has loaded."""
        self.page.goto(path.as_uri(), wait_until="load")
        return self.page


@pytest.fixture
def watch(browser: object) -> Iterator[PageWatch]:
    watched = PageWatch(browser)
    yield watched
    watched.page.close()


def names(page: object) -> list[str]:
    """Submission names of the visible rows, top to bottom. Read as text content, not inner
    text: rows are `content-visibility: auto`, and the inner text of a row the browser has not
    laid out yet is empty."""
    cells = page.locator("#board tbody tr:visible td:nth-child(2)")  # type: ignore[attr-defined]
    return [" ".join(text.split()) for text in cells.all_text_contents()]


def test_main_page_loads_cleanly_and_requests_nothing(site, watch):
    site_dir, _ = site
    page = watch.open(site_dir / "index.html")
    assert page.locator("#board tbody tr").count() == 4
    assert watch.errors == []
    assert watch.requests == [(site_dir / "index.html").as_uri()]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "leaderboard.png"), full_page=True)
    assert (ARTIFACTS / "leaderboard.png").stat().st_size > 10_000


def test_sorting_by_a_column_reorders_the_rows(site, watch):
    page = watch.open(site[0] / "index.html")
    header = page.locator("#board thead th", has_text="Submission")
    header.locator("button").click()
    ascending = names(page)
    assert ascending == sorted(ascending, key=str.lower)
    assert header.get_attribute("aria-sort") == "ascending"
    header.locator("button").click()
    assert names(page) == ascending[::-1]
    assert header.get_attribute("aria-sort") == "descending"
    rank = page.locator("#board thead th", has_text="Rank")
    rank.locator("button").click()
    assert names(page)[:2] == ["Oracle", "Noisy tagger"]  # rank order; ties keep their order
    overall = page.locator("#board thead th", has_text="Overall")
    overall.locator("button").click()  # scores sort high first
    scores = page.locator("#board tbody tr td:nth-child(6)").evaluate_all(
        "cells => cells.map(cell => Number(cell.dataset.sort))"
    )
    assert scores == sorted(scores, reverse=True)
    assert overall.get_attribute("aria-sort") == "descending"
    assert watch.errors == []


def test_a_filter_hides_rows_and_says_so(site, watch):
    page = watch.open(site[0] / "index.html")
    page.select_option("#filter-layer", "numbers")
    assert sorted(names(page)) == ["Half numbers", "Noisy tagger", "Oracle"]
    assert "3 of 4" in page.inner_text("#filter-state")
    assert "layer attempted = numbers" in page.inner_text("#filter-state")
    page.select_option("#filter-badge", "baseline")
    assert names(page) == []
    page.click("#filter-clear")
    assert len(names(page)) == 4
    assert "no filter" in page.inner_text("#filter-state")


def test_filter_state_survives_a_reload(site, watch):
    page = watch.open(site[0] / "index.html")
    page.select_option("#filter-badge", "verified")
    page.reload()
    assert page.input_value("#filter-badge") == "verified"
    assert names(page) == ["Oracle"]


def test_submission_page_highlights_a_known_false_positive(site, watch):
    site_dir, made = site
    page = watch.open(site_dir / "submissions" / f"{made['noisy'].stem}.html")
    document = page.locator(f"#doc-{FALSE_POSITIVE_DOC} .layer-view.entities")
    false_positive = document.locator("mark.fp")
    assert false_positive.all_inner_texts() == [KNOWN_FALSE_POSITIVE]
    assert false_positive.is_visible()
    assert "false positive" in (false_positive.get_attribute("title") or "")
    assert document.locator("mark.tp").count() > 0
    assert watch.errors == []


def test_layer_tabs_switch_the_highlighted_layer(site, watch):
    page = watch.open(site[0] / "corpus.html")
    assert page.locator("#doc-000-afp .layer-view.entities").is_visible()
    page.click(".layer-tabs button[data-layer='numbers']")
    assert page.locator("#doc-000-afp .layer-view.numbers mark.gold").first.is_visible()
    assert not page.locator("#doc-000-afp .layer-view.entities").is_visible()
    assert watch.errors == []


def test_a_hostile_submission_name_renders_as_text_and_runs_nothing(site, watch):
    site_dir, made = site
    pages = [
        (site_dir / "index.html", f"#board a[href$='{made['xss'].stem}.html']"),
        (site_dir / "submissions" / f"{made['xss'].stem}.html", "#submission-name"),
    ]
    for path, name in pages:
        page = watch.open(path)
        assert page.inner_text(name) == XSS_NAME
        assert page.locator("img").count() == 0
        assert page.locator("b", has_text="1").count() == 0
    assert watch.dialogs == []
    assert watch.errors == []


@pytest.fixture(scope="module")
def map_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The contradiction map page of a site built on the adjudicated gold (it has slots)."""
    board = tmp_path_factory.mktemp("map") / "leaderboard"
    (board / "submissions").mkdir(parents=True)
    return (
        build_leaderboard(board, DEFAULT_CORPUS, DEFAULT_GOLD, resamples=0).site_dir / "claims.html"
    )


def visible_slots(page: object) -> list[str]:
    """Ids of the slot sections shown, top to bottom."""
    return page.locator("section.slot:visible").evaluate_all("s => s.map(e => e.id.slice(5))")  # type: ignore[attr-defined]


def test_the_contradictions_filter_hides_the_other_slots_and_says_so(map_page, watch):
    contradiction_map = load_contradiction_map(DEFAULT_GOLD, DEFAULT_CORPUS)
    every = [row.slot for row in contradiction_map.rows]
    contradicting = [row.slot for row in contradiction_map.contradictions]
    page = watch.open(map_page)
    assert visible_slots(page) == every
    assert watch.errors == []
    assert watch.requests == [map_page.as_uri()]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "contradiction-map.png"), full_page=True)
    page.click("#slot-filter button[data-filter='contradictions']")
    assert visible_slots(page) == contradicting
    assert "mastung-raid-militants-killed" not in contradicting
    assert page.locator(".overview tbody tr:visible").count() == len(contradicting)
    state = page.inner_text("#slot-state")
    assert f"{len(contradicting)} of {len(every)}" in state and "contradictions only" in state
    pressed = page.get_attribute(
        "#slot-filter button[data-filter='contradictions']", "aria-pressed"
    )
    assert pressed == "true"
    marked = page.locator("section.slot:visible tr.contradicts .rel-contradicts")
    assert marked.count() == sum(
        p.relation.value == "contradicts" for row in contradiction_map.rows for p in row.pairs
    )
    page.reload()
    assert visible_slots(page) == contradicting  # the choice is kept in the page address
    page.click("#slot-filter button[data-filter='all']")
    assert visible_slots(page) == every
    assert f"all {len(every)}" in page.inner_text("#slot-state")
    assert watch.errors == []
