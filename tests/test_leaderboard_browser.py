"""The leaderboard site in a real browser: Playwright driving Debian's Chromium.

Without /usr/bin/chromium (run `scripts/install-browser.sh` as root) these tests skip on a
workstation, but fail in CI (CI=true), so a CI machine without a browser never passes silently.
"""

import csv
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from leaderboard_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FALSE_ATTRIBUTION,
    FALSE_POSITIVE_DOC,
    KNOWN_FALSE_POSITIVE,
    XSS_NAME,
    make_project,
    populate,
)

from claimbench.corpus.store import load_corpus
from claimbench.evaluation.pipeline import gold_extractions
from claimbench.leaderboard import rescore
from claimbench.leaderboard.build import build_leaderboard, new_entry
from claimbench.leaderboard.submissions import load_submission, submission_paths
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from claimbench.reporting.contradictions import load_contradiction_map
from claimbench.scoring.significance import p_values
from claimbench.validation.gold import read_gold_manifest
from tests.checkout import DEFAULT_LEADERBOARD, PROJECT_ROOT

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
    cells = page.locator("#board tbody tr:visible td:nth-child(2) a")  # type: ignore[attr-defined]
    return [" ".join(text.split()) for text in cells.all_text_contents()]


def test_main_page_loads_cleanly_and_requests_nothing(site, watch):
    site_dir, _ = site
    page = watch.open(site_dir / "index.html")
    assert page.locator("#board tbody tr").count() == 4
    assert watch.errors == []
    assert watch.requests == [(site_dir / "index.html").as_uri()]
    shoot(page, "leaderboard.png")
    # Every ranked entry is named beside its dot; no name is drawn on top of another.
    for plot in page.locator("figure.pr").all():
        assert plot.locator("text.point-label").count() == plot.locator("circle").count()
        boxes = plot.locator("text.point-label").evaluate_all(
            "ls => ls.map(l => { const b = l.getBBox(); return [b.x, b.y, b.width, b.height]; })"
        )
        assert not any(overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :]), boxes


def overlap(a: list[float], b: list[float]) -> bool:
    """Whether two boxes (x, y, width, height) overlap."""
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def shoot(page: object, name: str) -> None:
    """Save a full-page screenshot of `page` to test-artifacts/NAME."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)  # type: ignore[attr-defined]
    assert (ARTIFACTS / name).stat().st_size > 10_000


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
    scores = page.locator("#board tbody tr td:nth-child(7)").evaluate_all(
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
    assert sorted(names(page)) == sorted(["Oracle", XSS_NAME])


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
    shoot(page, "contradiction-map.png")
    page.click("#slot-filter button[data-filter='contradictions']")
    assert visible_slots(page) == contradicting
    # Gold 1.1.0: the militants killed contradict (decision C2); the kidnapping counts do not.
    assert "mastung-raid-militants-killed" in contradicting
    assert "quetta-kidnapping-chinese_nationals-kidnapped" not in contradicting
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


def linked_file(page: object, selector: str) -> Path:
    """The local file a link of `page` points to."""
    href = page.locator(selector).evaluate("link => link.href")  # type: ignore[attr-defined]
    assert href.startswith("file://"), href
    return Path(unquote(urlparse(href).path))


def test_the_ranking_downloads_link_to_files_that_exist_and_parse(site, watch):
    site_dir, made = site
    page = watch.open(site_dir / "index.html")
    csv_file = linked_file(page, "#download-csv")
    json_file = linked_file(page, "#download-json")
    rows = list(csv.DictReader(csv_file.read_text(encoding="utf-8").splitlines()))
    ranking = json.loads(json_file.read_text(encoding="utf-8"))
    expected = {path.stem for path in made.values()}
    assert {row["submission"] for row in rows} == expected == {row["submission"] for row in ranking}
    oracle = next(row for row in ranking if row["name"] == "Oracle")
    assert (oracle["rank"], oracle["badges"], oracle["overall_f1"]) == (1, "verified", 1.0)
    assert next(row for row in rows if row["name"] == XSS_NAME)["badges"] == "baseline verified"
    assert watch.requests == [(site_dir / "index.html").as_uri()]


def test_the_claims_columns_are_optional_and_kept_in_the_address(site, watch):
    page = watch.open(site[0] / "index.html")
    header = page.locator("#board thead th.claims-col").first
    assert not header.is_visible()
    page.check("#show-claims")
    assert header.is_visible()
    assert "claims=1" in page.url
    page.reload()
    assert page.locator("#board thead th.claims-col").first.is_visible()
    assert watch.errors == []


def test_the_attributions_view_steps_through_one_attribution_at_a_time(site, watch):
    site_dir, made = site
    page = watch.open(site_dir / "submissions" / f"{made['noisy'].stem}.html")
    page.click(".layer-tabs button[data-layer='attributions']")
    view = page.locator(f"#doc-{FALSE_POSITIVE_DOC} .layer-view.attributions")
    items = view.locator(".attr-list button")
    assert items.count() == 2  # the gold's attribution, matched, and the false one
    position = view.locator(".attr-pos")
    first = position.inner_text()
    view.locator(".attr-next").click()
    assert position.inner_text() != first
    view.locator(".attr-prev").click()
    assert position.inner_text() == first
    source, cue, content = FALSE_ATTRIBUTION
    false_one = view.locator(".attr-list button.fp")
    assert false_one.inner_text() == f"false positive: '{cue}' \u2014 {source}"
    false_one.click()
    gold_side, predicted_side = view.locator(".attr-side").all()
    assert "no gold attribution here" in gold_side.inner_text()
    assert predicted_side.locator("mark.a-cue").all_inner_texts() == [cue]
    assert predicted_side.locator("mark.a-source").all_inner_texts() == [source]
    assert predicted_side.locator("mark.a-content").all_inner_texts() == [content]
    assert view.locator(".attr-pair").get_attribute("data-kind") == "fp"
    view.locator(".attr-list button.tp").click()  # a match: gold beside prediction
    assert view.locator(".attr-side mark.a-cue").count() == 2
    assert watch.errors == []
    view.scroll_into_view_if_needed()
    shoot(page, "submission.png")


@pytest.fixture(scope="module")
def baselines_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the committed submissions (the two baselines) on the current gold."""
    site_dir = tmp_path_factory.mktemp("baselines") / "site"
    build_leaderboard(DEFAULT_LEADERBOARD, DEFAULT_CORPUS, DEFAULT_GOLD, site_dir)
    return site_dir


def baseline_difference() -> tuple[str, str, str, str, float]:
    """A gold item `rules` matches and `spacy` misses (document, layer, label, text), and the
    paired test's p-value of the two, computed here with the scorer."""
    corpus = load_corpus(DEFAULT_CORPUS)
    gold = gold_extractions(DEFAULT_GOLD, corpus).hold()
    texts = {document.id: document.text for document in corpus.documents()}
    settings = rescore.Settings(resamples=0)
    matched, paired = {}, {}
    for path in submission_paths(DEFAULT_LEADERBOARD):
        submission = load_submission(path)
        entry = new_entry(path.stem, submission, None)
        scores = rescore.score_entry(entry, submission, gold, settings, str(path))
        matched[submission.name] = {
            (doc_id, layer, g) for (doc_id, layer), pairs in rescore.match_index(scores).items()
            for g, _, outcome in pairs if outcome == "COR"
        }  # fmt: skip
        paired[submission.name] = rescore.for_paired_test(scores)
    doc_id, layer, index = sorted(matched["rules"] - matched["spacy"])[0]
    item = getattr(gold.held[doc_id], layer)[index]
    span = item.cue if layer == "attributions" else item
    label = getattr(item, "label", "attribution")
    (p,) = p_values(paired["rules"], [paired["spacy"]], resamples=rescore.TEST_RESAMPLES,
                    seed=rescore.SEED)  # fmt: skip
    return doc_id, layer, str(label), texts[doc_id][span.start : span.end], p


def test_the_comparison_page_lists_a_known_difference_between_the_baselines(baselines_site, watch):
    doc_id, layer, label, text, p = baseline_difference()
    page = watch.open(baselines_site / "compare.html")
    assert page.input_value("#compare-a").startswith("rules")
    assert page.input_value("#compare-b").startswith("spacy")
    rows = page.locator("#only-a tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells, c => c.textContent))"
    )
    assert any(row[:3] == [doc_id, layer, label] and text in row[3] for row in rows), rows
    assert page.inner_text("#compare-p") == f"{p:.4f}"
    assert f"p = {p:.4f}" in page.inner_text("#compare-verdict")
    assert page.locator("#compare-layers tbody tr").count() == 3
    assert page.locator("#compare-labels tbody tr.differs").count() > 0
    assert page.locator("#compare-documents tbody tr").count() == 15
    assert watch.requests == [(baselines_site / "compare.html").as_uri()]
    assert watch.errors == []
    shoot(page, "compare.png")
    page.click("#compare-swap")
    assert page.input_value("#compare-a").startswith("spacy")
    assert "a=spacy" in page.url


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("index.html", "#build-line"),
        ("submit.html", "#submit-steps"),
        ("corpus.html", ".document"),
        ("claims.html", "#build-line"),
        ("compare.html", "#comparison"),
    ],
)
def test_every_page_shows_the_build_date_and_gold_version_and_is_captured(
    baselines_site, watch, name, check
):
    page = watch.open(baselines_site / name)
    assert page.locator(check).first.is_visible()
    line = page.inner_text("#build-line")
    manifest = read_gold_manifest(DEFAULT_GOLD)
    assert manifest is not None and f"gold {manifest.version}" in line
    assert re.search(r"Built \d{4}-\d{2}-\d{2}", line)
    assert watch.requests == [(baselines_site / name).as_uri()]
    assert watch.errors == []
    shoot(page, f"baselines-{name.removesuffix('.html')}.png")
    for link in page.locator("a[href^='http']").all():
        assert link.get_attribute("rel") == "noopener noreferrer"


def test_a_baseline_page_shows_how_its_badges_were_earned(baselines_site, watch):
    pages = sorted((baselines_site / "submissions").glob("*.html"))
    assert len(pages) == 2
    for path in pages:
        page = watch.open(path)
        assert page.inner_text("#verification").startswith("Verified: `claimbench leaderboard")
        assert "Scores are against the current gold" in page.inner_text("p.lead")
        shoot(page, f"baselines-{path.stem}.png")
    assert watch.errors == []
