"""A headline that is zero for want of a field gets a word: `evaluate` warns on stderr and
`plugins check` fails its "headline fields" check with the same message."""

import json
from pathlib import Path

from claimbench.corpus.store import load_corpus
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD

VALUELESS_PLUGIN = '''
import re
from claimbench.models import Extraction, PredictedNumber


class Valueless:
    """Finds digit runs as CARDINAL numbers, with the right spans and no value."""

    name = "valueless"
    version = "1"
    layers = ("numbers",)

    def extract(self, document):
        found = [
            PredictedNumber(start=m.start(), end=m.end(), label="CARDINAL")
            for m in re.finditer(r"[0-9]+", document.text)
        ]
        return Extraction(numbers=found)
'''


def _gold_without_values(path: Path) -> int:
    """The gold numbers of every document as predictions, values and timex removed."""
    lines, count = [], 0
    for document in load_corpus(DEFAULT_CORPUS).documents():
        gold = json.loads((DEFAULT_GOLD / f"{document.id}.json").read_text())
        numbers = [
            {"start": n["start"], "end": n["end"], "label": n["label"]} for n in gold["numbers"]
        ]
        count += len(numbers)
        lines.append(json.dumps({"doc_id": document.id, "numbers": numbers}))
    path.write_text("\n".join(lines) + "\n")
    return count


def test_evaluate_warns_when_no_number_has_a_value(run_cli, tmp_path):
    predictions = tmp_path / "p.jsonl"
    count = _gold_without_values(predictions)
    result = run_cli(
        "evaluate", "--predictions", predictions, "--resamples", "0", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["headline"]["numbers.f1"] == 0.0
    expected = f"warning: none of the {count} predicted numbers has a `value`"
    assert result.stderr.count(expected) == 1
    assert "claimbench.normalise gives values" in result.stderr


def test_evaluate_says_nothing_when_numbers_carry_values(run_cli, tmp_path):
    predictions = tmp_path / "p.jsonl"
    lines = [
        json.dumps({"doc_id": doc_id, "numbers": gold["numbers"]})
        for doc_id, gold in (
            (path.stem, json.loads(path.read_text()))
            for path in sorted(DEFAULT_GOLD.glob("0*.json"))
        )
    ]
    predictions.write_text("\n".join(lines) + "\n")
    result = run_cli("evaluate", "--predictions", predictions, "--resamples", "0")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr


def test_plugins_check_fails_numbers_without_values(run_cli, tmp_path, monkeypatch):
    (tmp_path / "cb_valueless.py").write_text(VALUELESS_PLUGIN)
    monkeypatch.syspath_prepend(str(tmp_path))
    result = run_cli("plugins", "check", "cb_valueless:Valueless")
    assert result.exit_code == 3, result.output
    assert "FAIL  headline fields: none of the" in result.output
    assert "predicted numbers has a `value`" in result.output
    assert "PASS  offsets" in result.output


def test_evaluate_warns_when_no_attribution_has_a_source(run_cli, tmp_path):
    predictions = tmp_path / "p.jsonl"
    lines, count = [], 0
    for path in sorted(DEFAULT_GOLD.glob("0*.json")):
        attributions = json.loads(path.read_text())["attributions"]
        for attribution in attributions:
            attribution["source"] = None
        count += len(attributions)
        lines.append(json.dumps({"doc_id": path.stem, "attributions": attributions}))
    predictions.write_text("\n".join(lines) + "\n")
    result = run_cli("evaluate", "--predictions", predictions, "--resamples", "0")
    assert result.exit_code == 0, result.output
    assert f"warning: none of the {count} predicted attributions has a `source`" in result.stderr
