"""`claimbench leaderboard build`: rescoring at build time, ranking with ties, outdated entries,
escaping, and a rebuild that changes nothing."""

import doctest
import json
import re
from pathlib import Path

import pytest
from leaderboard_support import (
    FALSE_POSITIVE_DOC,
    XSS_NAME,
    gold_as_predictions,
    make_project,
    only_layer,
    populate,
)

from claimbench.corpus.store import load_corpus
from claimbench.errors import InputError
from claimbench.leaderboard import build, highlight, plot, rescore, site, submissions, views
from claimbench.leaderboard.build import build_leaderboard
from claimbench.leaderboard.submissions import json_hash
from claimbench.leaderboard.views import Entry, Figure
from claimbench.models import Layer
from claimbench.scoring import compare, score


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path, Path, dict[str, Path]]:
    corpus_dir, gold_dir, board = make_project(tmp_path)
    return corpus_dir, gold_dir, board, populate(corpus_dir, gold_dir, board)


def row_cells(index_html: str, key: str) -> list[str]:
    """The `data-sort` values of the ranking row of submission `key`."""
    row = re.search(rf'<tr [^>]*data-key="{re.escape(key)}".*?</tr>', index_html, re.S)
    assert row is not None, key
    return re.findall(r'data-sort="([^"]*)"', row.group(0))


def test_rebuilding_changes_nothing(project, run_cli):
    corpus_dir, gold_dir, board, _ = project
    args = ["leaderboard", "build", "--leaderboard", board, "--corpus", corpus_dir]
    first = run_cli(*args, "--gold", gold_dir)
    assert first.exit_code == 0, first.output
    assert f"leaderboard: {(board / 'site' / 'index.html').resolve()}" in first.output
    snapshot = {p: p.read_bytes() for p in (board / "site").rglob("*.html")}
    second = run_cli(*args, "--gold", gold_dir)
    assert "0 file(s) written, 0 removed" in second.output
    assert {p: p.read_bytes() for p in (board / "site").rglob("*.html")} == snapshot
    assert len(snapshot) == 2 + 4


def test_a_gold_erratum_changes_the_affected_scores_on_rebuild(project):
    corpus_dir, gold_dir, board, made = project
    build_leaderboard(board, corpus_dir, gold_dir)
    index = board / "site" / "index.html"
    before = {name: row_cells(index.read_text(), path.stem) for name, path in made.items()}
    gold_file = gold_dir / "000-afp.json"
    gold = json.loads(gold_file.read_text())
    gold["entities"].pop()
    gold_file.write_text(json.dumps(gold))
    report = build_leaderboard(board, corpus_dir, gold_dir)
    after = {name: row_cells(index.read_text(), path.stem) for name, path in made.items()}
    assert index in report.written
    entities_f1 = 6  # rank, name, version, date, badges, overall, then entities F1
    assert float(after["perfect"][entities_f1]) < float(before["perfect"][entities_f1])
    assert float(after["perfect"][5]) < float(before["perfect"][5])
    assert after["numbers"] == before["numbers"]  # attempted no entities: unaffected


def test_a_submission_on_another_corpus_text_is_outdated_and_not_ranked(project):
    corpus_dir, gold_dir, board, made = project
    data = json.loads(made["numbers"].read_text())
    data["corpus"]["texts"]["000-afp"] = "0" * 64
    made["numbers"].write_text(json.dumps(data))
    build_leaderboard(board, corpus_dir, gold_dir)
    html = (board / "site" / "index.html").read_text()
    cells = row_cells(html, made["numbers"].stem)
    assert cells[0] == ""  # no rank
    assert "outdated" in cells[4]
    page = (board / "site" / "submissions" / f"{made['numbers'].stem}.html").read_text()
    assert "whose text differs from the current one in: 000-afp" in page


def test_user_strings_are_escaped_everywhere(project):
    corpus_dir, gold_dir, board, _ = project
    build_leaderboard(board, corpus_dir, gold_dir)
    for page in (board / "site").rglob("*.html"):
        html = page.read_text()
        assert "<img" not in html, page
        assert "<b>1</b>" not in html, page
        assert "<script>alert" not in html, page
        assert 'href="javascript:' not in html, page
    index = (board / "site" / "index.html").read_text()
    assert "&lt;img src=x onerror=alert(1)&gt;" in index
    assert XSS_NAME not in index


def test_removed_submission_pages_are_removed(project):
    corpus_dir, gold_dir, board, made = project
    build_leaderboard(board, corpus_dir, gold_dir)
    made["noisy"].unlink()
    report = build_leaderboard(board, corpus_dir, gold_dir)
    assert report.removed == [board / "site" / "submissions" / f"{made['noisy'].stem}.html"]


def _entry(key: str, overall: float) -> Entry:
    return Entry(key, key, "1", "2026-11-22", [], [], "0" * 64, "c 1", [], overall=Figure(overall))


def test_entries_the_paired_test_cannot_separate_share_a_rank(monkeypatch):
    # Separable only when more than 0.1 apart: a and b tie, c starts a group, d ties with c.
    monkeypatch.setattr(rescore, "separable", lambda a, b, settings: abs(a - b) > 0.1)
    entries = [_entry("d", 0.5), _entry("a", 0.9), _entry("c", 0.6), _entry("b", 0.85)]
    settings = rescore.Settings(gold={}, texts={})
    ranked = rescore.rank(entries, {"a": 0.9, "b": 0.85, "c": 0.6, "d": 0.5}, settings)
    assert [(e.key, e.rank, e.tie_size) for e in ranked] == [
        ("a", 1, 2),
        ("b", 1, 2),
        ("c", 3, 2),
        ("d", 3, 2),
    ]


def test_the_paired_test_ties_the_oracle_with_a_near_copy_and_separates_weaker_entries(project):
    corpus_dir, gold_dir, board, made = project
    build_leaderboard(board, corpus_dir, gold_dir)
    html = (board / "site" / "index.html").read_text()
    ranks = {name: row_cells(html, path.stem)[0] for name, path in made.items()}
    # One false positive among ~30 entities: not a difference the test can see.
    assert ranks["perfect"] == ranks["noisy"] == "1"
    assert ranks["numbers"] == ranks["xss"] == "3"


def test_submission_page_shows_per_label_figures_and_the_false_positive(project):
    corpus_dir, gold_dir, board, made = project
    build_leaderboard(board, corpus_dir, gold_dir)
    page = (board / "site" / "submissions" / f"{made['noisy'].stem}.html").read_text()
    table = re.search(
        r'<table class="small per-label" data-layer="entities">.*?</table>', page, re.S
    )
    assert table is not None
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", re.search(r"<tr><td>PERSON</td>.*?</tr>",
                       table.group(0), re.S).group(0))  # fmt: skip
    assert cells[:6] == ["PERSON", "0", "1", "0", "1", "0"]  # label, gold, predicted, TP, FP, FN
    document = page[page.index(f'id="doc-{FALSE_POSITIVE_DOC}"') :]
    assert '<mark class="fp" title="false positive: PERSON &#x27;Balochistan&#x27;">' in document


def test_a_pool_of_workers_builds_the_same_site(project, tmp_path, monkeypatch):
    corpus_dir, gold_dir, board, _ = project
    serial = build_leaderboard(board, corpus_dir, gold_dir, tmp_path / "serial", jobs=1)
    monkeypatch.setattr(build, "PARALLEL_FROM", 1)
    pooled = build_leaderboard(board, corpus_dir, gold_dir, tmp_path / "pooled", jobs=2)

    def pages(report: build.BuildReport) -> dict[str, bytes]:
        return {
            str(p.relative_to(report.site_dir)): p.read_bytes()
            for p in report.site_dir.rglob("*.html")
        }

    assert pages(serial) == pages(pooled)


def test_a_bad_or_duplicated_submission_stops_the_build_and_names_the_file(project):
    corpus_dir, gold_dir, board, made = project
    copy = made["noisy"].with_name("copy.json")
    copy.write_bytes(made["noisy"].read_bytes())
    broken = made["noisy"].with_name("broken.json")
    broken.write_text("{")
    # Out of range, with a recomputed hash: passes the file checks, not the corpus check.
    data = json.loads(made["numbers"].read_text())
    data["predictions"][0]["numbers"][0]["end"] = 10**6
    del data["predictions"][0]["numbers"][0]["text"]
    data["predictions_sha256"] = json_hash(data["predictions"])
    made["numbers"].write_text(json.dumps(data))
    with pytest.raises(InputError) as caught:
        build_leaderboard(board, corpus_dir, gold_dir)
    messages = [str(problem) for problem in caught.value.problems]
    assert any("broken.json" in message for message in messages)
    assert any("numbers[0].end = 1000000: offset out of range" in m for m in messages), messages
    assert any(message.endswith("the same predictions as copy.json") for message in messages)
    assert not (board / "site").exists()


@pytest.mark.parametrize("module", [build, highlight, plot, rescore, site, submissions, views])
def test_leaderboard_docstring_examples(module):
    assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0, module.__name__


def test_entries_attempting_different_layers_can_be_separated(tmp_path):
    """The paired test counts a layer only one system attempted as attempted and found nothing
    by the other, so the swap test can separate entries that attempt different layers."""
    corpus_dir, gold_dir, _ = make_project(tmp_path)
    corpus = load_corpus(corpus_dir)
    gold = gold_as_predictions(gold_dir, corpus)
    texts = {document.id: document.text for document in corpus.documents()}
    settings = rescore.Settings(gold=gold, texts=texts)
    entities = score(gold, only_layer(gold, "entities"), texts, attempted=[Layer.ENTITIES])
    numbers = score(gold, only_layer(gold, "numbers", 0.0), texts, attempted=[Layer.NUMBERS])
    assert (entities.overall.value, numbers.overall.value) == (pytest.approx(1 / 3), 0.0)
    assert compare(entities, numbers, resamples=999).significant
    paired = [rescore.for_paired_test(s) for s in (entities, numbers)]
    assert paired[0].overall == entities.overall
    assert rescore.separable(paired[0], paired[1], settings)
