"""`claimbench leaderboard build`: rescoring at build time, ranking with ties, outdated entries,
escaping, and a rebuild that changes nothing."""

import json
import re
import shutil
from pathlib import Path

import pytest
from leaderboard_support import (
    FALSE_POSITIVE_DOC,
    KNOWN_FALSE_POSITIVE,
    XSS_NAME,
    gold_as_predictions,
    make_project,
    only_layer,
    populate,
    rewrite,
)
from markupsafe import escape

from claimbench.corpus.store import load_corpus
from claimbench.leaderboard import (
    build,
    plot,
    pool,
    rescore,
    site,
)
from claimbench.leaderboard.build import build_leaderboard
from claimbench.leaderboard.submissions import add_submission
from claimbench.leaderboard.views import Entry
from claimbench.models import Extraction, GoldDocument, Layer
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from claimbench.reporting.contradictions import load_contradiction_map
from claimbench.scoring import Figure, compare, score
from claimbench.scoring.significance import p_values
from claimbench.validation.gold import load_gold


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path, Path, dict[str, Path]]:
    corpus_dir, gold_dir, board = make_project(tmp_path)
    return corpus_dir, gold_dir, board, populate(corpus_dir, gold_dir, board)


def row_cells(index_html: str, key: str) -> list[str]:
    """The `data-sort` values of the ranking row of submission `key`."""
    row = re.search(rf'<tr [^>]*data-key="{re.escape(key)}".*?</tr>', index_html, re.S)
    assert row is not None, key
    return re.findall(r'data-sort="([^"]*)"', row.group(0))


def test_rebuilding_changes_nothing(project, run_cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")  # 2025-12-02: the same day twice
    corpus_dir, gold_dir, board, _ = project
    args = ["leaderboard", "build", "--leaderboard", board, "--corpus", corpus_dir]
    first = run_cli(*args, "--gold", gold_dir)
    assert first.exit_code == 0, first.output
    assert f"leaderboard: {(board / 'site' / 'index.html').resolve()}" in first.output
    snapshot = {p: p.read_bytes() for p in (board / "site").rglob("*.html")}
    second = run_cli(*args, "--gold", gold_dir)
    assert "0 file(s) written, 0 removed" in second.output
    assert {p: p.read_bytes() for p in (board / "site").rglob("*.html")} == snapshot
    assert len(snapshot) == 5 + 4  # ranking, submit, corpus, map, compare; 4 submissions
    assert "Built 2025-12-02" in (board / "site" / "index.html").read_text()


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
    overall, entities_f1 = 6, 7  # rank, name, version, date, badges, gold, then the figures
    assert float(after["perfect"][entities_f1]) < float(before["perfect"][entities_f1])
    assert float(after["perfect"][overall]) < float(before["perfect"][overall])
    assert after["numbers"] == before["numbers"]  # attempted no entities: unaffected


def test_a_submission_on_another_corpus_text_is_outdated_and_not_ranked(project):
    corpus_dir, gold_dir, board, made = project
    data = json.loads(made["numbers"].read_text())
    data["corpus"]["texts"]["000-afp"] = "0" * 64
    rewrite(made["numbers"], data)
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
    return Entry(
        key, key, "1", "2026-11-22", [], [], "0" * 64, "c 1", [], overall=Figure(value=overall)
    )


def test_entries_the_paired_test_cannot_separate_share_a_rank(monkeypatch):
    # Separable only when more than 0.1 apart: a and b tie, c starts a group, d ties with c.
    monkeypatch.setattr(
        rescore,
        "p_values",
        lambda head, others, resamples, seed: [float(abs(head - o) <= 0.1) for o in others],
    )
    entries = [_entry("d", 0.5), _entry("a", 0.9), _entry("c", 0.6), _entry("b", 0.85)]
    settings = rescore.Settings()
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
    # Each page was rendered before ranking; its rank sentence is filled in after.
    pages = {name: (board / "site" / "submissions" / f"{path.stem}.html").read_text()
             for name, path in made.items()}  # fmt: skip
    tied = "Rank {} (shared by 2 entries the paired test cannot separate)."
    assert all(tied.format(1) in pages[name] for name in ("perfect", "noisy"))
    assert all(tied.format(3) in pages[name] for name in ("numbers", "xss"))
    assert not any(site.RANK_SLOT in page for page in pages.values())
    assert not any(site.CORPUS_SLOT in page for page in pages.values())


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
    corpus, shown = (
        json.loads(re.search(rf'<script type="application/json" id="{name}">(.*?)</script>',
                             page).group(1))
        for name in ("corpus-data", "documents-data")
    )  # fmt: skip
    text = next(d["text"] for d in corpus["documents"] if d["id"] == FALSE_POSITIVE_DOC)
    found = next(p for p in shown["predicted"] if p["doc_id"] == FALSE_POSITIVE_DOC)
    paired = {predicted for _, predicted, _ in shown["pairs"][FALSE_POSITIVE_DOC]["entities"]}
    unpaired = [
        (text[item["start"] : item["end"]], item["label"])
        for index, item in enumerate(found["entities"])
        if index not in paired
    ]
    assert unpaired == [(KNOWN_FALSE_POSITIVE, "PERSON")]  # what the page's script marks "fp"


def test_a_pool_of_workers_builds_the_same_site(project, tmp_path, monkeypatch):
    corpus_dir, gold_dir, board, _ = project
    serial = build_leaderboard(board, corpus_dir, gold_dir, tmp_path / "serial", jobs=1)
    monkeypatch.setattr(pool, "PARALLEL_FROM", 1)
    pooled = build_leaderboard(board, corpus_dir, gold_dir, tmp_path / "pooled", jobs=2)

    def pages(report: build.BuildReport) -> dict[str, bytes]:
        return {
            str(p.relative_to(report.site_dir)): p.read_bytes()
            for p in report.site_dir.rglob("*.html")
        }

    assert pages(serial) == pages(pooled)


def test_bad_or_duplicated_submissions_are_listed_as_rejected_and_the_rest_is_built(
    project, run_cli
):
    corpus_dir, gold_dir, board, made = project
    copy = made["noisy"].with_name("copy.json")
    copy.write_bytes(made["noisy"].read_bytes())
    broken = made["noisy"].with_name("broken.json")
    broken.write_text("{")
    # Out of range, with recomputed hashes: passes the file checks, not the corpus check.
    data = json.loads(made["numbers"].read_text())
    data["predictions"][0]["numbers"][0]["end"] = 10**6
    del data["predictions"][0]["numbers"][0]["text"]
    rewrite(made["numbers"], data)
    report = build_leaderboard(board, corpus_dir, gold_dir)
    reasons = {item.path.name: " ".join(item.reasons) for item in report.rejected}
    assert set(reasons) == {"broken.json", made["numbers"].name, made["noisy"].name}
    assert "malformed JSON" in reasons["broken.json"]
    assert "numbers[0].end = 1000000: offset out of range" in reasons[made["numbers"].name]
    assert reasons[made["noisy"].name].endswith("the same predictions as copy.json")
    assert report.entries == 3  # the oracle, the copy ("copy" sorts before "noisy"), xss
    index = (board / "site" / "index.html").read_text()
    assert 'id="rejected"' in index and "offset out of range" in index
    assert (board / "site" / "submissions" / "copy.html").exists()
    args = ["--leaderboard", board, "--corpus", corpus_dir, "--gold", gold_dir]
    result = run_cli("leaderboard", "build", *args)
    assert result.exit_code == 2
    assert f"{broken}:1: malformed JSON" in result.output
    assert "Traceback" not in result.output


def test_entries_attempting_different_layers_can_be_separated(tmp_path):
    """The paired test counts a layer only one system attempted as attempted and found nothing
    by the other, so the swap test can separate entries that attempt different layers."""
    corpus_dir, gold_dir, _ = make_project(tmp_path)
    corpus = load_corpus(corpus_dir)
    gold = gold_as_predictions(gold_dir, corpus)
    texts = {document.id: document.text for document in corpus.documents()}
    settings = rescore.Settings()
    entities = score(gold, only_layer(gold, "entities"), texts, attempted=[Layer.ENTITIES])
    numbers = score(gold, only_layer(gold, "numbers", 0.0), texts, attempted=[Layer.NUMBERS])
    assert (entities.overall.value, numbers.overall.value) == (pytest.approx(1 / 3), 0.0)
    assert compare(entities, numbers, resamples=999).significant
    paired = [rescore.for_paired_test(s) for s in (entities, numbers)]
    assert paired[0].overall == entities.overall
    tested = p_values(paired[0], paired, resamples=settings.test_resamples, seed=settings.seed)
    assert tested[1] < settings.alpha
    # Tested together, each p-value is the one the test of that pair alone gives.
    alone = [compare(paired[0], other, resamples=settings.test_resamples) for other in paired]
    assert tested == [comparison.p_value for comparison in alone]


def test_ranking_in_blocks_equals_walking_one_entry_at_a_time(monkeypatch):
    """Entries below a group's head are tested in growing blocks; the groups are those of the
    plain walk (each entry tested against the head until one is separated)."""
    overall = [0.95 - 0.013 * i for i in range(40)]
    monkeypatch.setattr(
        rescore,
        "p_values",
        lambda head, others, resamples, seed: [float(head - o <= 0.1) for o in others],
    )
    entries = [_entry(f"e{i:02}", value) for i, value in enumerate(overall)]
    scores = dict(zip([e.key for e in entries], overall, strict=True))
    ranked = rescore.rank(entries, scores, rescore.Settings())
    expected, head = [], None
    for position, value in enumerate(overall, start=1):
        if head is None or head[1] - value > 0.1:
            head = (position, value)
        expected.append(head[0])
    assert [e.rank for e in ranked] == expected
    assert len(set(expected)) > 3  # several groups, some longer than one block


@pytest.fixture(scope="module")
def real_gold_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built on the adjudicated gold (with its claims and slots) and no submission."""
    board = tmp_path_factory.mktemp("real-gold") / "leaderboard"
    (board / "submissions").mkdir(parents=True)
    return build_leaderboard(board, DEFAULT_CORPUS, DEFAULT_GOLD, resamples=0).site_dir


def slot_section(html: str, slot: str) -> str:
    """The `<section>` of one slot on the map page."""
    pattern = rf'<section class="slot[^"]*" id="slot-{re.escape(slot)}".*?</section>'
    found = re.search(pattern, html, re.S)
    assert found is not None, slot
    return found.group(0)


CONTRADICTING = {
    "mastung-raid-militants-killed": [("at least eight or nine", "8-10"), ("Some 12-13", "12-13"),
                                      ("At least 12", "&gt;= 12")],
    "mastung-raid-officers-injured": [("three", "3"), ("two", "2"), ("2", "2")],
    "mastung-raid-operation-duration": [("three-day", "3 days"), ("two days", "2 days")],
    "mastung-raid-security_personnel-injured": [("At least seven", "&gt;= 7"), ("five", "5"),
                                                ("10", "10")],
    "convoy-attack-people-killed": [("about 28", "~28"), ("25", "25")],
}  # fmt: skip


def test_the_contradiction_map_page_shows_every_slot_and_marks_contradictions(real_gold_site):
    html = (real_gold_site / "claims.html").read_text()
    contradiction_map = load_contradiction_map(DEFAULT_GOLD, DEFAULT_CORPUS)
    assert 'href="claims.html" aria-current="page">Contradiction map' in html
    sections = re.findall(r'<section class="slot[^"]*" id="slot-([^"]+)"', html)
    assert sections == [row.slot for row in contradiction_map.rows]
    marked = re.findall(r'<section class="slot contradiction" id="slot-([^"]+)"', html)
    assert set(marked) == {row.slot for row in contradiction_map.contradictions}
    assert set(CONTRADICTING) <= set(marked)
    for row in contradiction_map.rows:
        section = slot_section(html, row.slot)
        assert escape(row.question) in section
        contradicts = sum(p.relation.value == "contradicts" for p in row.pairs)
        assert section.count('<tr class="contradicts" data-relation="contradicts">') == contradicts
        for member in row.members:
            assert f"&ldquo;{escape(member.number.text or '')}&rdquo;" in section
            assert f"<code>{member.ref}</code>" in section
            for step in member.chain:
                assert f">{escape(step.speaker)}</span>" in section
            if not member.chain:
                assert "the outlet&rsquo;s own voice" in section
    for slot, values in CONTRADICTING.items():
        section = slot_section(html, slot)
        assert '<span class="flag flag-contradiction">contradiction</span>' in section
        for written, normalised in values:
            assert f"&ldquo;{written}&rdquo;" in section
            assert f'<td class="normalised">{normalised}</td>' in section


def test_militants_killed_contradict_on_commanders_and_differ_in_scope(real_gold_site):
    # Gold 1.1.0, decision C2: Dawn's "eight or nine of the [ten] commanders" contradicts the
    # counts of commanders killed and is a scope mismatch with the counts of militants.
    html = (real_gold_site / "claims.html").read_text()
    section = slot_section(html, "mastung-raid-militants-killed")
    assert 'class="slot contradiction"' in section
    assert section.count('<tr class="contradicts" data-relation="contradicts">') == 5
    for written in ("around a dozen", "Some 12-13", "at least eight or nine", "At least 12"):
        assert f"&ldquo;{written}&rdquo;" in section
    assert "Inter-Services Public Relations" in section
    assert "scope mismatch" in section  # against the militants counts: the note says why
    assert "partitive" in section


def test_the_map_page_explains_its_absence_without_slots(project):
    corpus_dir, gold_dir, board, _ = project
    build_leaderboard(board, corpus_dir, gold_dir)
    html = (board / "site" / "claims.html").read_text()
    assert 'id="no-slots"' in html
    assert "<section" not in html and "<script>" not in html
    assert 'href="claims.html">Contradiction map</a>' in (board / "site" / "index.html").read_text()


def test_gold_strings_on_the_map_page_are_escaped(tmp_path):
    corpus_dir = tmp_path / "corpus"
    gold_dir = tmp_path / "gold"
    shutil.copytree(DEFAULT_CORPUS, corpus_dir)
    shutil.copytree(DEFAULT_GOLD, gold_dir)
    slots_file = gold_dir / "slots.json"
    slots = json.loads(slots_file.read_text())
    slots["slots"][0]["question"] = "<script>alert(1)</script>?"
    slots["slots"][0]["note"] = '<img src=x onerror="alert(2)">'
    slots_file.write_text(json.dumps(slots))
    board = tmp_path / "leaderboard"
    (board / "submissions").mkdir(parents=True)
    build_leaderboard(board, corpus_dir, gold_dir, resamples=0)
    html = (board / "site" / "claims.html").read_text()
    assert "<script>alert" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;?" in html


def test_a_submission_with_claims_shows_its_claims_figures_and_keeps_its_overall(tmp_path):
    """The claims figures of an entry that attempted claims are shown on its page; the overall
    score stays the mean of the three layers."""
    corpus = load_corpus(DEFAULT_CORPUS)
    gold = load_gold(DEFAULT_GOLD, corpus)
    predictions = {
        doc_id: Extraction(numbers=document.numbers, claims=gold_claims(document))
        for doc_id, document in gold.documents.items()
    }
    board = tmp_path / "leaderboard"
    (board / "submissions").mkdir(parents=True)
    made = add_submission(predictions, {}, board, corpus=corpus, name="Claims", version="1")
    build_leaderboard(board, DEFAULT_CORPUS, DEFAULT_GOLD, resamples=0)
    page = (board / "site" / "submissions" / f"{made.stem}.html").read_text()
    card = re.search(r'<div class="card" id="claims-figures">.*?</table>', page, re.S)
    assert card is not None
    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"num\">([0-9.]+)", card.group(0))
    assert rows == [("claim value", "1.000"), ("claim value + source", "1.000"),
                    ("slot links", "0.000"), ("contradictions", "0.000")]  # fmt: skip
    cells = row_cells((board / "site" / "index.html").read_text(), made.stem)
    numbers_f1 = float(cells[10])  # after rank, name, version, date, badges, gold, overall
    assert float(cells[6]) == pytest.approx(numbers_f1 / 3)  # numbers only: claims count nothing
    layers_only = add_submission(
        {d: Extraction(numbers=p.numbers) for d, p in predictions.items()}, {}, board,
        corpus=corpus, name="Numbers", version="1",
    )  # fmt: skip
    build_leaderboard(board, DEFAULT_CORPUS, DEFAULT_GOLD, resamples=0)
    page = (board / "site" / "submissions" / f"{layers_only.stem}.html").read_text()
    assert 'id="claims-figures"' not in page


def gold_claims(document: GoldDocument) -> list[dict]:
    """A document's gold claims as predicted claims: number span, cue, class and event (no
    slot key, so no link)."""
    numbers = {number.id: number for number in document.numbers}
    cues = {attribution.id: attribution.cue for attribution in document.attributions}
    return [
        {"number": {"start": numbers[c.number].start, "end": numbers[c.number].end},
         "cue": cues[c.attribution].model_dump() if c.attribution else None,
         "counted": c.counted.value, "event": c.event.value}
        for c in document.claims or []
    ]  # fmt: skip


def test_layers_the_gold_does_not_annotate_show_as_not_annotated(tmp_path):
    """Gold with entities only (issue 19): the other layers are "not annotated" on every page,
    not N/A, and the overall score is the entities F1."""
    corpus_dir, gold_dir, board = make_project(tmp_path)
    corpus = load_corpus(corpus_dir)
    predictions = gold_as_predictions(gold_dir, corpus)
    for path in gold_dir.glob("0*.json"):
        document = json.loads(path.read_text())
        del document["numbers"], document["attributions"]
        path.write_text(json.dumps(document))
    made = add_submission(only_layer(predictions, "entities"), {}, board, corpus=corpus,
                          name="Entities", version="1")  # fmt: skip
    build_leaderboard(board, corpus_dir, gold_dir, resamples=0)
    index = (board / "site" / "index.html").read_text()
    assert 'numbers <span class="na">(not annotated)</span>' in index
    assert index.count(">not annotated</span>") == 2  # one row: numbers and attributions
    cells = row_cells(index, made.stem)
    assert float(cells[6]) == float(cells[7]) == 1.0  # overall = entities F1
    page = (board / "site" / "submissions" / f"{made.stem}.html").read_text()
    assert page.count(">not annotated</span>") == 2


def test_each_entry_says_its_scores_are_against_the_current_gold(tmp_path):
    """Issue 21: the build shows the gold version on every page, and for each entry that its
    scores are against it, saying so when the entry was recorded against another version."""
    corpus_dir, gold_dir, board = make_project(tmp_path)
    (gold_dir / "manifest.json").write_text(
        json.dumps({"schema_version": 1, "name": "fixture-gold", "version": "1.1.0"})
    )
    corpus = load_corpus(corpus_dir)
    predictions = gold_as_predictions(gold_dir, corpus)
    old = add_submission(only_layer(predictions, "numbers"), {"data": {"gold_version": "1.0.0"}},
                         board, corpus=corpus, name="Old", version="1")  # fmt: skip
    new = add_submission(only_layer(predictions, "entities"), {"data": {"gold_version": "1.1.0"}},
                         board, corpus=corpus, name="New", version="1")  # fmt: skip
    build_leaderboard(board, corpus_dir, gold_dir, resamples=0)
    site_dir = board / "site"
    for page in ("index.html", "corpus.html", "claims.html", "compare.html", "submit.html"):
        assert "gold <strong>1.1.0</strong>" in (site_dir / page).read_text(), page
    index = (site_dir / "index.html").read_text()
    old_row = re.search(rf'<tr [^>]*data-key="{old.stem}".*?</tr>', index, re.S)
    new_row = re.search(rf'<tr [^>]*data-key="{new.stem}".*?</tr>', index, re.S)
    assert old_row and "1.1.0" in old_row.group(0) and "recorded on 1.0.0" in old_row.group(0)
    assert new_row and "1.1.0" in new_row.group(0) and "recorded on" not in new_row.group(0)
    page = (site_dir / "submissions" / f"{old.stem}.html").read_text()
    assert "Scores are against the current gold, 1.1.0; the submission was recorded against " \
        "gold 1.0.0" in page  # fmt: skip
    rows = json.loads((site_dir / "ranking.json").read_text())
    by_name = {row["name"]: row for row in rows}
    assert by_name["Old"]["scored_against_gold"] == "1.1.0"
    assert by_name["Old"]["recorded_against_gold"] == "1.0.0"


@pytest.mark.parametrize("seed", range(20))
def test_twenty_plot_labels_never_overlap_and_stay_in_the_plot(seed):
    """Names beside the dots stay readable up to 20 entries (the browser test measures the
    drawn labels of a small site; this places 25 crowded points)."""
    import random

    rng = random.Random(seed)
    named = []
    for number in range(25):
        recall, precision = rng.uniform(0.5, 1.0), rng.uniform(0.6, 1.0)
        point = plot.Point(plot._x(recall), plot._y(precision), "entry", "")
        named.append((rng.random(), point, f"system number {number}"))
    labels = plot.place_labels(named)
    assert len(labels) == plot.LABEL_LIMIT
    boxes = []
    for label in labels:
        width = plot.CHAR_WIDTH * len(label.text)
        left = label.x if label.anchor == "start" else label.x - width
        boxes.append((left, left + width, label.y))
        assert plot._y(1) <= label.y <= plot._y(0)
    for i, (a0, a1, ay) in enumerate(boxes):
        for b0, b1, by in boxes[i + 1 :]:
            close = abs(ay - by) < plot.LABEL_GAP - 0.2  # positions are rounded to 0.1
            assert not (a0 < b1 and b0 < a1 and close), (i, boxes)
