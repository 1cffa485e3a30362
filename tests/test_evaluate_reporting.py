"""Results, provenance, output formats and gates, on hand-made figures (no scorer needed)."""

import datetime as dt
import json
import subprocess
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from claimbench.corpus.store import load_corpus
from claimbench.errors import UsageError
from claimbench.extractors.failures import DocumentFailure, FailureCause
from claimbench.extractors.plugin import PluginInfo, PluginKind
from claimbench.models import Extraction, Layer
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from claimbench.reporting import formats
from claimbench.reporting.formats import render
from claimbench.reporting.gates import GateSpec, evaluate_gates, headline_keys, parse_fail_under
from claimbench.reporting.provenance import (
    GitState,
    build_provenance,
    data_provenance,
    git_state,
    plugin_provenance,
)
from claimbench.reporting.results import Results
from claimbench.scoring import score
from tests.plugins_support import write_gold

HEADLINE = dict.fromkeys(headline_keys()) | {
    "overall": 0.5,
    "entities.f1": 0.8,
    "entities.precision": 0.9,
    "entities.recall": 0.72,
    "numbers.f1": 0.7,
    "numbers.precision": 0.7,
    "numbers.recall": 0.7,
}


@pytest.fixture
def results(tmp_path) -> Results:
    corpus = load_corpus(DEFAULT_CORPUS)
    write_gold(tmp_path / "gold")
    info = PluginInfo(
        kind=PluginKind.COMMAND, name="evil | <b>name</b>", version="1.0", target="x.py"
    )
    failure = DocumentFailure(
        doc_id="001-dawn",
        cause=FailureCause.CRASH,
        message="exited with code 7 before answering",
        stderr_tail="Traceback\x00 | boom",
    )
    spec = GateSpec(fail_under={"overall": 0.6, "entities.f1": 0.5})
    return Results(
        provenance=build_provenance(
            data=data_provenance(corpus, tmp_path / "gold"),
            plugin=plugin_provenance(info, ["entities", "numbers"]),
            started_at=dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC),
            duration=1.25,
        ),
        headline=HEADLINE,
        scores=score(
            {"001-dawn": Extraction(entities=[], numbers=[], attributions=[])},
            {"001-dawn": Extraction(entities=[], numbers=[])},
            {"001-dawn": "Text.\n"},
            attempted=[Layer.ENTITIES, Layer.NUMBERS],
            resamples=0,
        ),
        documents=5,
        failures=[failure],
        gates=evaluate_gates(HEADLINE, spec),
    )


def test_output_formats_are_named_by_value():
    assert formats.OutputFormat("junit") is formats.OutputFormat.JUNIT


def test_provenance_records_versions_commit_data_and_plugin(results):
    p = results.provenance
    assert p.git.commit is not None and len(p.git.commit) == 40
    assert p.git.dirty in (True, False)
    assert p.data.corpus_version and len(p.data.corpus_sha256) == 64
    assert len(p.data.gold_sha256) == 64
    assert p.packages["pydantic"] and p.python
    assert len(p.plugin.config_hash) == 64
    assert git_state(DEFAULT_GOLD / "schema").commit is None


def test_git_state_reads_head_and_changes_to_tracked_files(tmp_path):
    def git(*args):
        return subprocess.run(
            ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t", *args],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip

    git("init", "-q")
    assert git_state(tmp_path) == GitState(commit=None, dirty=None)  # no commit yet
    (tmp_path / "tracked.txt").write_text("a\n")
    git("add", "tracked.txt")
    git("commit", "-q", "-m", "first")
    head = git("rev-parse", "HEAD")
    (tmp_path / "untracked.txt").write_text("not part of the tree\n")
    assert git_state(tmp_path) == GitState(commit=head, dirty=False)
    (tmp_path / "tracked.txt").write_text("b\n")
    assert git_state(tmp_path) == GitState(commit=head, dirty=True)
    git("add", "tracked.txt")
    assert git_state(tmp_path) == GitState(commit=head, dirty=True)


def test_gold_digest_changes_with_the_gold(tmp_path):
    corpus = load_corpus(DEFAULT_CORPUS)
    write_gold(tmp_path / "gold")
    before = data_provenance(corpus, tmp_path / "gold").gold_sha256
    gold_file = next((tmp_path / "gold").glob("0*.json"))
    gold_file.write_text(gold_file.read_text().replace('"GPE"', '"LOC"', 1))
    assert data_provenance(corpus, tmp_path / "gold").gold_sha256 != before


def test_json_output_validates_against_the_committed_schema(results):
    value = json.loads(render(results, "json"))
    schema = json.loads((DEFAULT_GOLD / "schema" / "results.schema.json").read_text())
    jsonschema.validate(value, schema)
    assert value["schema_version"] == 1
    assert Results.model_validate(value) == results


def test_table_output(results):
    text = render(results, "table")
    assert "entities      0.8000     0.9000  0.7200" in text
    assert "attributions     n/a        n/a     n/a" in text
    assert "failed documents: 1 of 5" in text
    assert "document '001-dawn': crash: exited with code 7" in text
    assert "FAIL  overall >= 0.6: overall = 0.5000 is below the threshold 0.6" in text
    assert "PASS  entities.f1 >= 0.5" in text


def test_markdown_output_escapes_user_strings(results):
    text = render(results, "markdown")
    assert text.startswith("## claimbench: evil \\| \\<b\\>name\\</b\\> 1.0")
    assert "| entities | 0.8000 | 0.9000 | 0.7200 |" in text
    assert "### Gates: **failed**" in text
    assert "| ❌ | overall \\>= 0.6 |" in text
    assert "| 001-dawn | crash | exited with code 7 before answering |" in text
    assert "<details><summary>Provenance</summary>" in text
    assert "<b>" not in text


def test_junit_output_has_one_test_case_per_gate(results):
    root = ET.fromstring(render(results, "junit"))
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == ["overall >= 0.6", "entities.f1 >= 0.5"]
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
    assert cases[0].find("failure").get("message").startswith("overall = 0.5000 is below")
    assert cases[1].find("failure") is None
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["failed_documents"] == "1"


def test_fail_under_parsing():
    assert parse_fail_under(["overall=0.6", "attributions.recall=0.25"]) == {
        "overall": 0.6,
        "attributions.recall": 0.25,
    }
    with pytest.raises(UsageError, match=r"unknown key 'entities\.f2'; valid keys: overall"):
        parse_fail_under(["entities.f2=0.5"])
    with pytest.raises(UsageError, match="expected KEY=VALUE"):
        parse_fail_under(["overall"])
    with pytest.raises(UsageError, match="not a number"):
        parse_fail_under(["overall=high"])
    with pytest.raises(UsageError, match="outside"):
        parse_fail_under(["overall=60"])


def test_gate_on_a_layer_not_attempted_fails():
    (gate,) = evaluate_gates(HEADLINE, GateSpec(fail_under={"attributions.f1": 0.1}))
    assert not gate.passed and "N/A" in gate.message


def test_baseline_gates_allow_the_drop_and_no_more():
    baseline = HEADLINE | {"overall": 0.53, "entities.f1": 0.8}
    verdicts = evaluate_gates(HEADLINE, GateSpec(baseline=baseline, max_drop=0.02))
    by_key = {gate.key: gate for gate in verdicts}
    assert not by_key["overall"].passed and "exceeds the allowed drop" in by_key["overall"].message
    assert by_key["entities.f1"].passed
    assert "attributions.f1" not in by_key
    relaxed = evaluate_gates(HEADLINE, GateSpec(baseline=baseline, max_drop=0.05))
    assert all(gate.passed for gate in relaxed)
    gone = evaluate_gates(HEADLINE | {"numbers.f1": None}, GateSpec(baseline=baseline))
    assert not {g.key: g for g in gone}["numbers.f1"].passed
