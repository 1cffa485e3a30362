"""gold/CHANGELOG.md against the data: every field changed since gold 1.0.0 is listed, with its
value before and after, and every listed change is in the files.

Gold 1.0.0 is kept as files in gold/history/1.0.0/ (CI may check out without history);
tests/test_gold.py ties that copy to the annotation passes, as gold/AGREEMENT.md describes it.
"""

import json
import re
import shutil
from pathlib import Path
from typing import Any

from claimbench.paths import DEFAULT_GOLD
from claimbench.validation.gold import read_gold_manifest

HISTORY = DEFAULT_GOLD / "history"
V1_0 = HISTORY / "1.0.0"
CHANGELOG = DEFAULT_GOLD / "CHANGELOG.md"
DOC_IDS = (
    "000-afp",
    "001-dawn",
    "002-voa",
    "003-pakistan-forward",
    "004-quetta-security-forces",
)
DATA_FILES = (*(f"{doc_id}.json" for doc_id in DOC_IDS), "entities.json", "slots.json")
FILES = (*DATA_FILES, "manifest.json")
ABSENT = "(absent)"
ROW = re.compile(
    r"^\| (?P<file>\S+) \| `(?P<path>[^`]+)` \| (?P<before>.+?) \| (?P<after>.+?) "
    r"\| (?P<reason>.*) \|$"
)

Change = tuple[str, str, Any, Any]
"""(file, field path, value before, value after); ABSENT for a field that is not there."""


def _key(item: Any) -> str | None:
    """How a list item is named in a path: its id, a slot pair by its members, else None."""
    if isinstance(item, dict) and "id" in item:
        return str(item["id"])
    if isinstance(item, dict) and {"a", "b"} <= item.keys():
        return f"{item['a']}+{item['b']}"
    return None


def flatten(value: Any, path: str = "") -> dict[str, Any]:
    """Every leaf of a JSON value by its path (`claims[c4].within`, `content[0].end`)."""
    if isinstance(value, dict):
        leaves: dict[str, Any] = {}
        for name, inner in value.items():
            leaves |= flatten(inner, f"{path}.{name}" if path else name)
        return leaves
    if isinstance(value, list) and value and all(_key(item) is not None for item in value):
        return {k: v for item in value for k, v in flatten(item, f"{path}[{_key(item)}]").items()}
    if isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        return {
            k: v for i, item in enumerate(value) for k, v in flatten(item, f"{path}[{i}]").items()
        }
    return {path: value}


def changes(old_dir: Path, new_dir: Path) -> set[Change]:
    """Every field whose value differs between two gold folders."""
    found: set[Change] = set()
    for name in FILES:
        old = flatten(json.loads((old_dir / name).read_text(encoding="utf-8")))
        new = flatten(json.loads((new_dir / name).read_text(encoding="utf-8")))
        for path in set(old) | set(new):
            before, after = old.get(path, ABSENT), new.get(path, ABSENT)
            if before != after:
                found.add((name, path, _hashable(before), _hashable(after)))
    return found


def _hashable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True) if isinstance(value, list | dict) else value


def _cell(text: str) -> Any:
    if text == ABSENT:
        return ABSENT
    assert text.startswith("`") and text.endswith("`"), text
    return _hashable(json.loads(text[1:-1]))


def listed(changelog: str) -> tuple[set[Change], list[str]]:
    """The changes the changelog's table lists, and the reasons given."""
    table = changelog.split("<!-- changes:start -->", 1)[1].split("<!-- changes:end -->", 1)[0]
    rows = table.strip().splitlines()[2:]  # after the header and its rule
    found: set[Change] = set()
    reasons = []
    for line in rows:
        match = ROW.match(line)
        assert match, f"not a changelog row: {line!r}"
        change = (
            match["file"],
            match["path"],
            _cell(match["before"]),
            _cell(match["after"]),
        )
        assert change not in found, f"listed twice: {line!r}"
        found.add(change)
        reasons.append(match["reason"].strip())
    return found, reasons


def changelog_problems(old_dir: Path, new_dir: Path, changelog: str) -> list[str]:
    """Changes in the files but not in the changelog, and listed changes not in the files."""
    real = changes(old_dir, new_dir)
    claimed, reasons = listed(changelog)
    problems = [f"not in the changelog: {c}" for c in sorted(real - claimed, key=str)]
    problems += [f"listed but not in the files: {c}" for c in sorted(claimed - real, key=str)]
    problems += [f"row {i} gives no reason" for i, reason in enumerate(reasons) if not reason]
    return problems


def test_the_changelog_lists_every_change_since_1_0_and_nothing_else() -> None:
    text = CHANGELOG.read_text(encoding="utf-8")
    assert changelog_problems(V1_0, DEFAULT_GOLD, text) == []
    # The reasons name the decisions of GUIDELINES.md §12.1 that changed the gold.
    _, reasons = listed(text)
    guidelines = (DEFAULT_GOLD / "GUIDELINES.md").read_text(encoding="utf-8")
    for reason in reasons:
        decision = reason.split(":", 1)[0]
        assert decision.startswith("gold ") or f"| {decision} |" in guidelines, reason


def test_the_changelog_check_finds_an_unlisted_and_an_invented_change(tmp_path: Path) -> None:
    new = tmp_path / "gold"
    new.mkdir()
    for name in FILES:
        shutil.copy(DEFAULT_GOLD / name, new / name)
    slots = json.loads((new / "slots.json").read_text(encoding="utf-8"))
    slots["slots"][-1]["note"] = "an unlisted edit"
    (new / "slots.json").write_text(json.dumps(slots, indent=2), encoding="utf-8")
    text = CHANGELOG.read_text(encoding="utf-8").replace('`"1.1.0"`', '`"1.2.0"`')
    problems = changelog_problems(V1_0, new, text)
    assert len(problems) == 3, problems
    assert any("not in the changelog" in p and "an unlisted edit" in p for p in problems)
    assert any("not in the changelog" in p and "'1.1.0'" in p for p in problems)
    assert any("listed but not in the files" in p and "'1.2.0'" in p for p in problems)


def test_versions_the_changelog_and_the_frozen_copy_agree() -> None:
    current = read_gold_manifest(DEFAULT_GOLD)
    frozen = read_gold_manifest(V1_0)
    assert current is not None and frozen is not None
    assert (frozen.version, current.version) == ("1.0.0", "1.1.0")
    headings = re.findall(r"^## (\d+\.\d+\.\d+)$", CHANGELOG.read_text(encoding="utf-8"), re.M)
    assert headings == [current.version, frozen.version]
    assert sorted(p.name for p in V1_0.iterdir()) == sorted(FILES)


def test_the_frozen_1_0_copy_is_valid_gold(run_cli) -> None:
    result = run_cli("validate", "--gold", str(V1_0), "gold")
    assert result.exit_code == 0, result.output


def test_a_malformed_or_invalid_gold_manifest_is_named_with_its_field(tmp_path: Path) -> None:
    import pytest

    from claimbench.corpus.store import load_corpus
    from claimbench.errors import InputError
    from claimbench.paths import DEFAULT_CORPUS
    from claimbench.validation.gold import load_gold

    for text, expected in (("{", "manifest.json"), ('{"schema_version": 1}', "name")):
        gold = tmp_path / f"gold-{len(text)}"
        shutil.copytree(DEFAULT_GOLD, gold, ignore=shutil.ignore_patterns("history", "schema"))
        (gold / "manifest.json").write_text(text)
        for load in (read_gold_manifest, lambda g: load_gold(g, load_corpus(DEFAULT_CORPUS))):
            with pytest.raises(InputError) as raised:
                load(gold)
            message = str(raised.value)
            assert "manifest.json" in message and expected in message, message
