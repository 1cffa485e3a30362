"""Gold claims and slots: validation against §13, and the contradiction map (`claimbench claims`).

The fixture gold is the project's gold with its claims replaced by a few written here (real
number and attribution ids of gold/<doc>.json):

    001-dawn  c1 n10 "At least seven" null  security_personnel injured
              c2 n11 "three"          null  officers injured
    002-voa   c1 n3  "two days"       a2    operation duration
              c2 n4  "five"           a2    security_personnel injured
              c3 n5  "two"            a2    officers injured
    003-pakistan-forward
              c1 n2  "three-day-long" a1    operation duration
              c2 n14 "10"             a11   security_personnel injured
    000-afp   c1 n7  "six"            a6    weapons seized
    004-quetta-security-forces: no claims
"""

import json
import shutil
from pathlib import Path

import pytest

from claimbench.corpus.store import load_corpus
from claimbench.errors import InputError
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from claimbench.reporting.contradictions import load_contradiction_map
from claimbench.validation.gold import load_gold

CLAIMS = {
    "000-afp": [("n7", "a6", "weapons", "seized")],
    "001-dawn": [
        ("n10", None, "security_personnel", "injured"),
        ("n11", None, "officers", "injured"),
    ],
    "002-voa": [
        ("n3", "a2", "operation", "duration"),
        ("n4", "a2", "security_personnel", "injured"),
        ("n5", "a2", "officers", "injured"),
    ],
    "003-pakistan-forward": [
        ("n2", "a1", "operation", "duration"),
        ("n14", "a11", "security_personnel", "injured"),
    ],
    "004-quetta-security-forces": [],
}


def slot(episode: str, counted: str, event: str, question: str, pairs: list) -> dict:
    members = sorted({ref for pair in pairs for ref in pair[:2]})
    return {
        "id": f"{episode}-{counted}-{event}",
        "episode": episode,
        "counted": counted,
        "event": event,
        "question": question,
        "members": members,
        "pairs": [
            {"a": a, "b": b, "relation": relation, "note": note}
            for a, b, relation, note in (p if len(p) == 4 else (*p, None) for p in pairs)
        ],
        "note": None,
    }


SLOTS = {
    "schema_version": 1,
    "slots": [
        slot("mastung-raid", "security_personnel", "injured",
             "How many security personnel were injured in the Mastung raid?",
             [("001-dawn:c1", "002-voa:c2", "contradicts"),
              ("001-dawn:c1", "003-pakistan-forward:c2", "contains"),
              ("002-voa:c2", "003-pakistan-forward:c2", "contradicts")]),
        slot("mastung-raid", "officers", "injured",
             "How many officers were injured in the Mastung raid?",
             [("001-dawn:c2", "002-voa:c3", "contradicts")]),
        slot("mastung-raid", "operation", "duration",
             "How long did the Mastung raid operation last?",
             [("002-voa:c1", "003-pakistan-forward:c1", "contradicts")]),
        {**slot("mastung-raid", "weapons", "seized",
                "How many weapons were seized in the Mastung raid?", []),
         "members": ["000-afp:c1"]},
    ],
}  # fmt: skip


def write_gold(target: Path, claims: dict | None, slots: dict | None) -> Path:
    """A copy of the project's gold with `claims` per document (None: no claims key) and
    `slots` as slots.json (None: no file)."""
    target.mkdir()
    shutil.copy(DEFAULT_GOLD / "entities.json", target / "entities.json")
    for path in sorted(DEFAULT_GOLD.glob("0*.json")):
        data = json.loads(path.read_text())
        data.pop("claims", None)
        if claims is not None:
            data["claims"] = [
                {"id": f"c{i}", "number": n, "attribution": a, "counted": c, "event": e,
                 "note": None}
                for i, (n, a, c, e) in enumerate(claims[path.stem], start=1)
            ]  # fmt: skip
        (target / path.name).write_text(json.dumps(data, ensure_ascii=False, indent=2))
    if slots is not None:
        (target / "slots.json").write_text(json.dumps(slots, ensure_ascii=False, indent=2))
    return target


@pytest.fixture
def fixture_gold(tmp_path: Path) -> Path:
    return write_gold(tmp_path / "gold", CLAIMS, SLOTS)


def problems_of(gold_dir: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_gold(gold_dir, load_corpus(DEFAULT_CORPUS))
    return [str(problem) for problem in caught.value.problems]


def test_the_fixture_gold_is_valid(run_cli, fixture_gold):
    result = run_cli("validate", "--gold", fixture_gold, "gold")
    assert result.exit_code == 0, result.output


def test_gold_without_claims_is_valid_and_has_no_map(run_cli, tmp_path):
    gold = write_gold(tmp_path / "gold", None, None)
    assert run_cli("validate", "--gold", gold, "gold").exit_code == 0
    result = run_cli("claims", "--gold", gold)
    assert result.exit_code == 2
    assert "slots.json: the gold has no claims yet: no slots.json (0 of 5 documents" in (
        result.stderr
    )


def test_claims_without_slots_are_valid_but_not_yet_a_map(run_cli, tmp_path):
    gold = write_gold(tmp_path / "gold", CLAIMS, None)
    assert run_cli("validate", "--gold", gold, "gold").exit_code == 0
    result = run_cli("claims", "--gold", gold)
    assert result.exit_code == 2 and "(5 of 5 documents have `claims`)" in result.stderr


def test_the_map_in_the_terminal(run_cli, fixture_gold):
    result = run_cli("claims", "--gold", fixture_gold)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("contradiction map: 4 slots, 3 with a contradiction\n")
    assert "mastung-raid-security_personnel-injured  !! CONTRADICTION\n" in out
    assert "  How many security personnel were injured in the Mastung raid?\n" in out
    lines = [" ".join(line.split()) for line in out.splitlines()]
    # One line per member: outlet, value as written, normalised value, source chain.
    assert 'Dawn "At least seven" >= 7 outlet\'s own voice [001-dawn:c1]' in lines
    assert 'VOA "five" 5 A military statement (VOA) [002-voa:c2]' in lines
    assert (
        'Pakistan Forward "10" 10 Inter-Services Public Relations (Pakistan Forward) '
        "[003-pakistan-forward:c2]"
    ) in lines
    assert 'VOA "two days" 2 days A military statement (VOA) [002-voa:c1]' in lines
    # Relations, contradictions marked.
    assert '!! Dawn "At least seven" vs VOA "five": contradicts' in lines
    assert 'Dawn "At least seven" vs Pakistan Forward "10": contains' in lines
    assert '!! VOA "two days" vs Pakistan Forward "three-day-long": contradicts' in lines
    # A slot with one member has no relations and no flag.
    assert "mastung-raid-weapons-seized" in lines
    assert 'AFP "six" 6 a second security official (AFP) [000-afp:c1]' in lines


def test_only_contradictions_and_the_other_formats(run_cli, fixture_gold):
    result = run_cli("claims", "--gold", fixture_gold, "--only-contradictions")
    assert result.stdout.startswith("contradiction map: 3 slots, 3 with a contradiction\n")
    assert "weapons" not in result.stdout
    data = json.loads(run_cli("claims", "--gold", fixture_gold, "--format", "json").stdout)
    rows = {row["slot"]: row for row in data["rows"]}
    assert list(rows) == [s["id"] for s in SLOTS["slots"]]
    injured = rows["mastung-raid-security_personnel-injured"]
    assert (injured["contradiction"], injured["disagreement"]) == (True, True)
    member = injured["members"][1]
    assert (member["outlet"], member["number"]["text"], member["normalised"]) == (
        "VOA",
        "five",
        "5",
    )
    assert member["chain"][0]["attribution"] == "a2" and member["chain"][0]["cue"]["text"] == "said"
    assert rows["mastung-raid-weapons-seized"]["contradiction"] is False
    markdown = run_cli("claims", "--gold", fixture_gold, "--format", "markdown").stdout
    assert "| VOA | five | 5 | A military statement (VOA) |" in markdown
    assert '- Dawn "three" vs VOA "two": **contradicts**' in markdown


def test_an_attribution_that_is_not_the_innermost_is_a_located_error(tmp_path):
    claims = {**CLAIMS, "002-voa": [*CLAIMS["002-voa"]]}
    claims["002-voa"][1] = ("n4", "a1", "security_personnel", "injured")
    claims["001-dawn"] = [("n10", "a5", "security_personnel", "injured"), CLAIMS["001-dawn"][1]]
    found = problems_of(write_gold(tmp_path / "gold", claims, SLOTS))
    assert any(
        p.endswith(
            "002-voa.json: document '002-voa': claims[1].attribution = 'a1': the innermost "
            "attribution whose content contains number n4 'five' [376, 380) is a2 ('said'), "
            "not a1 (§13.2)"
        )
        for p in found
    ), found
    assert any(
        "document '001-dawn': claims[0].attribution = 'a5': the innermost attribution whose "
        "content contains number n10 'At least seven' [1453, 1467) is none (null: the "
        "outlet's own voice), not a5" in p
        for p in found
    ), found


def test_claims_name_existing_numbers_that_can_be_claims(tmp_path):
    claims = {**CLAIMS, "002-voa": [("n2", None, "operation", "duration"),
                                    ("n99", "a2", "security_personnel", "injured"),
                                    ("n5", "a77", "officers", "injured")]}  # fmt: skip
    found = problems_of(write_gold(tmp_path / "gold", claims, None))
    text = "\n".join(found)
    assert "claims[0].number = 'n2': number 'Sunday' (DATE) is not a claim" in text
    assert "claims[1].number = 'n99': not a number mention of this document" in text
    assert "claims[2].attribution = 'a77': not an attribution of this document" in text


def test_a_pair_label_that_the_values_refute_names_slot_pair_and_values(tmp_path):
    slots = json.loads(json.dumps(SLOTS))
    slots["slots"][0]["pairs"][2]["relation"] = "equal"
    found = problems_of(write_gold(tmp_path / "gold", CLAIMS, slots))
    assert found == [
        f"{tmp_path / 'gold' / 'slots.json'}: slots[0].pairs[2].relation = 'equal': slot "
        "mastung-raid-security_personnel-injured, pair 002-voa:c2 'five' (5) and "
        "003-pakistan-forward:c2 '10' (10): the values say contradicts (§13.8), not equal"
    ]
    # scope_mismatch is a human judgement: never checked against the values.
    slots["slots"][0]["pairs"][2] |= {"relation": "scope_mismatch", "note": "other scope"}
    load_gold(write_gold(tmp_path / "again", CLAIMS, slots), load_corpus(DEFAULT_CORPUS))


def test_slot_members_exist_match_the_slot_and_cover_every_claim(tmp_path):
    slots = json.loads(json.dumps(SLOTS))
    slots["slots"][1]["counted"] = "security_personnel"
    slots["slots"][1]["id"] = "mastung-raid-security_personnel-critically_injured"
    slots["slots"][1]["event"] = "critically_injured"
    slots["slots"][3]["members"] = ["000-afp:c9"]
    found = "\n".join(problems_of(write_gold(tmp_path / "gold", CLAIMS, slots)))
    assert (
        "slots[1].members[0] = '001-dawn:c2': the claim is officers injured, the slot "
        "security_personnel critically_injured"
    ) in found
    assert "slots[3].members[0] = '000-afp:c9': not a claim of a gold document" in found
    assert "claim 000-afp:c1 is in no slot" in found


def test_slots_need_every_document_annotated(tmp_path):
    gold = write_gold(tmp_path / "gold", CLAIMS, SLOTS)
    path = gold / "004-quetta-security-forces.json"
    data = json.loads(path.read_text())
    del data["claims"]
    path.write_text(json.dumps(data))
    found = problems_of(gold)
    assert any("document '004-quetta-security-forces': slots.json exists but" in p for p in found)


REAL_SLOTS = DEFAULT_GOLD / "slots.json"
needs_real_claims = pytest.mark.skipif(
    not REAL_SLOTS.exists(),
    reason="gold/slots.json is absent: the adjudicated gold claims are not in gold/ yet",
)


@needs_real_claims
def test_the_real_map_shows_every_disagreement_with_its_sources(run_cli):
    found = load_contradiction_map(DEFAULT_GOLD, DEFAULT_CORPUS)
    rows = {row.slot: row for row in found.rows}

    def values(slot_id: str) -> dict[str, set[str]]:
        by_outlet: dict[str, set[str]] = {}
        for member in rows[slot_id].members:
            by_outlet.setdefault(member.label, set()).add(member.normalised)
        return by_outlet

    # Militants killed: the outlets disagree (approximate, ranges, bounds, another scope).
    killed = rows["mastung-raid-militants-killed"]
    assert killed.disagreement and len({m.normalised for m in killed.members}) >= 4
    assert len({m.doc_id for m in killed.members}) == 5
    # Soldiers injured: 7+ (Dawn) vs 5 (VOA, 004) vs 10 (Pakistan Forward).
    injured = rows["mastung-raid-security_personnel-injured"]
    assert injured.contradiction
    assert values(injured.slot) == {
        "Dawn": {">= 7"}, "VOA": {"5"}, "Pakistan Forward": {"10"},
        "004-quetta-security-forces": {"5"},
    }  # fmt: skip
    # Officers injured: three (Dawn) vs two (VOA, 004).
    assert rows["mastung-raid-officers-injured"].contradiction
    # Length of the operation: three days vs two days.
    duration = rows["mastung-raid-operation-duration"]
    assert duration.contradiction
    assert {m.normalised for m in duration.members} == {"3 days", "2 days"}
    # The convoy attack earlier that spring: about 28 vs 25 killed.
    convoy = rows["convoy-attack-people-killed"]
    assert convoy.contradiction and values(convoy.slot) == {
        "AFP": {"~28"}, "Dawn": {"~28"}, "VOA": {"25"}
    }  # fmt: skip
    # Every value comes with its source chain.
    for row in (killed, injured, duration, convoy):
        for member in row.members:
            assert member.source and (member.chain or member.source == "outlet's own voice")
    voa = next(m for m in injured.members if m.outlet == "VOA")
    assert voa.source == "A military statement (VOA)"
    out = run_cli("claims", "--only-contradictions").stdout
    for slot_id in (injured.slot, duration.slot, convoy.slot):
        assert f"{slot_id}  !! CONTRADICTION" in out
    assert '!!  AFP "about 28" vs VOA "25": contradicts' in out


# The contradiction map of gold 1.1.0, pinned: every slot with a contradiction and every
# `contradicts` pair (GUIDELINES §13.8; the militants-killed pairs are decision C2).
DAWN_KILLED = "001-dawn:c4"
CONTRADICTING_PAIRS = {
    "mastung-raid-militants-killed": {
        ("000-afp:c4", DAWN_KILLED),
        (DAWN_KILLED, "003-pakistan-forward:c1"),
        (DAWN_KILLED, "003-pakistan-forward:c3"),
        (DAWN_KILLED, "003-pakistan-forward:c4"),
        (DAWN_KILLED, "004-quetta-security-forces:c9"),
    },
    "mastung-raid-officers-injured": {
        ("001-dawn:c6", "002-voa:c4"),
        ("001-dawn:c6", "004-quetta-security-forces:c6"),
    },
    "mastung-raid-operation-duration": {
        ("000-afp:c2", "002-voa:c2"),
        ("000-afp:c2", "004-quetta-security-forces:c3"),
        ("002-voa:c2", "003-pakistan-forward:c2"),
        ("002-voa:c2", "003-pakistan-forward:c6"),
        ("003-pakistan-forward:c2", "004-quetta-security-forces:c3"),
        ("003-pakistan-forward:c6", "004-quetta-security-forces:c3"),
    },
    "mastung-raid-security_personnel-injured": {
        ("001-dawn:c5", "002-voa:c3"),
        ("001-dawn:c5", "004-quetta-security-forces:c5"),
        ("002-voa:c3", "003-pakistan-forward:c8"),
        ("003-pakistan-forward:c8", "004-quetta-security-forces:c5"),
    },
    "convoy-attack-people-killed": {
        ("000-afp:c9", "002-voa:c6"),
        ("001-dawn:c2", "002-voa:c6"),
    },
}


@needs_real_claims
def test_the_real_contradiction_map_pins_slots_and_relations(run_cli):
    data = json.loads(run_cli("claims", "--only-contradictions", "--format", "json").stdout)
    found = {
        row["slot"]: {(p["a"], p["b"]) for p in row["pairs"] if p["relation"] == "contradicts"}
        for row in data["rows"]
    }
    assert found == CONTRADICTING_PAIRS
    killed = next(row for row in data["rows"] if row["slot"] == "mastung-raid-militants-killed")
    # Dawn's partitive count is capped at the ten commanders present: 8-10, not ">= 8".
    dawn = next(m for m in killed["members"] if m["ref"] == DAWN_KILLED)
    assert (dawn["number"]["text"], dawn["normalised"]) == ("at least eight or nine", "8-10")
    relations = {
        (p["b"] if p["a"] == DAWN_KILLED else p["a"]): p["relation"]
        for p in killed["pairs"]
        if DAWN_KILLED in (p["a"], p["b"])
    }
    commanders = {b for _, b in CONTRADICTING_PAIRS[killed["slot"]]} | {"000-afp:c4"}
    commanders.discard(DAWN_KILLED)
    # Against the counts of commanders killed: contradicts; of militants in general: scope.
    assert relations == {
        ref: "contradicts" if ref in commanders else "scope_mismatch" for ref in relations
    }
    assert len(relations) == 10 and sum(r == "scope_mismatch" for r in relations.values()) == 5
    table = run_cli("claims", "--only-contradictions").stdout
    assert table.startswith("contradiction map: 5 slots, 5 with a contradiction\n")
    assert "mastung-raid-militants-killed  !! CONTRADICTION" in table
    assert '!!  AFP "Some 12-13" (c4) vs Dawn "at least eight or nine": contradicts' in table


def test_a_partitive_bound_must_name_a_fitting_number(tmp_path):
    gold_dir = tmp_path / "gold"
    shutil.copytree(DEFAULT_GOLD, gold_dir, ignore=shutil.ignore_patterns("passes", "history"))
    path = gold_dir / "001-dawn.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    claim = next(c for c in data["claims"] if c["id"] == "c4")
    for within, message in (
        ("n99", "`within` must name another number mention of this document"),
        ("n4", "`within` must name another number mention of this document"),  # "May 24"
        ("n11", "the claim counts at least 8, more than the 3 of the set"),  # "three"
    ):
        claim["within"] = within
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        with pytest.raises(InputError) as caught:
            load_gold(gold_dir, load_corpus(DEFAULT_CORPUS))
        assert f"claims[3].within = '{within}': {message}" in str(caught.value)
