"""`claimbench leaderboard build`: rescoring at build time, ranking with ties, outdated entries,
escaping, and a rebuild that changes nothing."""

import doctest
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
)
from markupsafe import escape

from claimbench.corpus.store import load_corpus
from claimbench.errors import InputError
from claimbench.leaderboard import (
    build,
    claims,
    documents,
    plot,
    rescore,
    site,
    submissions,
    views,
)
from claimbench.leaderboard.build import build_leaderboard
from claimbench.leaderboard.submissions import add_submission, json_hash
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
    assert len(snapshot) == 3 + 4


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


@pytest.mark.parametrize(
    "module", [build, claims, documents, plot, rescore, site, submissions, views]
)
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
    ranked = rescore.rank(entries, scores, rescore.Settings(gold={}, texts={}))
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
    numbers_f1 = float(cells[9])
    assert float(cells[5]) == pytest.approx(numbers_f1 / 3)  # numbers only: claims count nothing
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
