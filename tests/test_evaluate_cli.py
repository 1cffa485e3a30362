"""`claimbench evaluate` end to end with the real scorer: a faulty command plugin, every output
format, JUnit test cases per gate, a gate on every key, baseline regressions, the progress bar,
and what a plugin can see (never gold)."""

import json
import os
import pty
import select
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from claimbench.corpus.store import load_corpus
from claimbench.evaluation.pipeline import gold_extractions
from claimbench.models import Layer
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from claimbench.reporting.gates import headline_keys
from tests.plugins_support import EXAMPLES, PYTHON, faulty_plugin, write_gold, write_jsonl

CORPUS = load_corpus(DEFAULT_CORPUS)
DOCS = CORPUS.doc_ids
MISBEHAVIOUR = {DOCS[0]: "crash", DOCS[1]: "hang", DOCS[2]: "garbage", DOCS[3]: "offsets"}
EXAMPLE_COMMAND = f"{PYTHON} {EXAMPLES / 'command_plugin.py'}"
RESULTS_SCHEMA = json.loads((DEFAULT_GOLD / "schema" / "results.schema.json").read_text())


def test_faulty_plugin_run_finishes_records_each_failure_and_counts_their_gold_as_missed(
    run_cli, tmp_path
):
    gold = write_gold(tmp_path / "gold")
    command = faulty_plugin(tmp_path, MISBEHAVIOUR)
    output = tmp_path / "results.json"
    result = run_cli(
        "evaluate", "--command", command, "--timeout", "1", "--gold", tmp_path / "gold",
        "--output", output, "--resamples", "0",
    )  # fmt: skip
    assert result.exit_code == 0, result.output

    # Each failure is on stderr as it happens, naming the document and what went wrong.
    expected = {
        DOCS[0]: ("crash", "exited with code 7 before answering"),
        DOCS[1]: ("timeout", "no answer within 1 s"),
        DOCS[2]: ("invalid_json", "answer is not JSON"),
        DOCS[3]: ("offsets", "offset out of range"),
    }
    for doc_id, (cause, what) in expected.items():
        assert f"warning: document {doc_id!r}: {cause}: " in result.stderr
        assert what in result.stderr
    assert "Traceback: simulated crash" in result.stderr

    # ... and in the results, with cause and the plugin's stderr tail.
    results = json.loads(output.read_text())
    jsonschema.validate(results, RESULTS_SCHEMA)
    failures = {f["doc_id"]: f for f in results["failures"]}
    assert {doc: f["cause"] for doc, f in failures.items()} == {
        doc: cause for doc, (cause, _) in expected.items()
    }
    assert "<html>not json</html>" in failures[DOCS[2]]["message"]
    assert "numbers[0].end" in failures[DOCS[3]]["message"]
    assert f"working on {DOCS[1]}" in failures[DOCS[1]]["stderr_tail"]
    assert f"failed documents: 4 of 5\n  document {DOCS[0]!r}: crash" in result.stdout

    # The four failed documents' gold is missed; the one answered is perfect (the plugin finds
    # exactly the fixture gold's numbers), so the figures follow from the gold counts alone.
    answered = len(gold[DOCS[4]]["numbers"])
    total = sum(len(layers["numbers"]) for layers in gold.values())
    recall = answered / total
    f1 = 2 * recall / (1 + recall)
    headline = results["headline"]
    assert headline["numbers.precision"] == 1.0
    assert headline["numbers.recall"] == pytest.approx(recall)
    assert headline["numbers.f1"] == pytest.approx(f1)
    assert headline["overall"] == pytest.approx(f1 / 3)
    assert headline["entities.f1"] is None and headline["attributions.f1"] is None
    per_document = results["scores"]["layers"]["numbers"]["schemes"]["value"]["per_document"]
    for doc_id in MISBEHAVIOUR:
        figures = per_document[doc_id]
        assert (figures["cor"], figures["spu"]) == (0, 0)
        assert figures["mis"] == len(gold[doc_id]["numbers"]) > 0
    assert per_document[DOCS[4]]["cor"] == answered


@pytest.fixture(scope="module")
def real_gold_predictions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The project's gold as predictions for the first three documents and nothing found on the
    last two, with the headline figures that must follow: precision 1, recall = share of gold
    items in the first three documents, per layer."""
    gold = gold_extractions(DEFAULT_GOLD, CORPUS).hold().held
    kept = DOCS[:3]
    records = []
    for doc_id in DOCS:
        dumped = gold[doc_id].model_dump(mode="json")
        layers = {layer.value: dumped[layer.value] if doc_id in kept else [] for layer in Layer}
        records.append({"doc_id": doc_id, **layers})
    path = write_jsonl(tmp_path_factory.mktemp("real-gold") / "half.jsonl", records)
    expected: dict[str, float] = {}
    for layer in Layer:
        items = [len(getattr(gold[doc_id], layer.value)) for doc_id in DOCS]
        recall = sum(items[: len(kept)]) / sum(items)
        expected |= {
            f"{layer.value}.precision": 1.0,
            f"{layer.value}.recall": recall,
            f"{layer.value}.f1": 2 * recall / (1 + recall),
        }
    expected["overall"] = sum(expected[f"{layer.value}.f1"] for layer in Layer) / len(Layer)
    return path, expected


def test_headline_figures_on_the_real_gold(run_cli, real_gold_predictions):
    path, expected = real_gold_predictions
    result = run_cli("evaluate", "--predictions", path, "--format", "json", "--resamples", "0")
    assert result.exit_code == 0, result.output
    headline = json.loads(result.stdout)["headline"]
    assert {key: headline[key] for key in expected} == pytest.approx(expected)


@pytest.mark.parametrize("key", headline_keys())
def test_fail_under_on_every_key(run_cli, real_gold_predictions, key):
    path, expected = real_gold_predictions
    value = expected[key]
    passing = run_cli(
        "evaluate", "--predictions", path, "--resamples", "0",
        "--fail-under", f"{key}={value - 0.001:.4f}",
    )  # fmt: skip
    assert passing.exit_code == 0, passing.output
    assert f"PASS  {key} >= " in passing.stdout
    if value == 1.0:
        return
    failing = run_cli(
        "evaluate", "--predictions", path, "--resamples", "0",
        "--fail-under", f"{key}={value + 0.001:.4f}",
    )  # fmt: skip
    assert failing.exit_code == 1, failing.output
    assert f"gate failed: {key} >= {value + 0.001:.4f}".rstrip("0") in failing.stderr
    assert f"{key} = {value:.4f} is below the threshold" in failing.stderr


def test_fail_under_on_a_layer_not_attempted_fails(run_cli, tmp_path):
    write_gold(tmp_path / "gold")
    result = run_cli(
        "evaluate", "--command", EXAMPLE_COMMAND, "--gold", tmp_path / "gold",
        "--resamples", "0", "--fail-under", "entities.f1=0.1",
    )  # fmt: skip
    assert result.exit_code == 1
    assert (
        "entities.f1 is N/A (layer not attempted, or not annotated in the gold), required >= 0.1"
        in result.stderr
    )


@pytest.fixture
def scored(tmp_path: Path, run_cli) -> dict[str, Path]:
    """Fixture gold, perfect predictions with their results as a baseline, and predictions
    that lost the numbers of one document."""
    gold = write_gold(tmp_path / "gold")
    perfect = [{"doc_id": doc, **layers} for doc, layers in gold.items()]
    worse = [
        {**record, "numbers": []} if record["doc_id"] == DOCS[2] else record for record in perfect
    ]
    paths = {
        "gold": tmp_path / "gold",
        "perfect": write_jsonl(tmp_path / "perfect.jsonl", perfect),
        "worse": write_jsonl(tmp_path / "worse.jsonl", worse),
        "baseline": tmp_path / "baseline.json",
    }
    result = run_cli(
        "evaluate", "--predictions", paths["perfect"], "--gold", paths["gold"],
        "--resamples", "0", "--output", paths["baseline"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return paths


def test_baseline_max_drop_gate(run_cli, scored):
    args = ["evaluate", "--predictions", scored["worse"], "--gold", scored["gold"]]
    args += ["--resamples", "0", "--baseline", scored["baseline"], "--format", "json"]
    strict = run_cli(*args, "--max-drop", "0.02")
    assert strict.exit_code == 1
    gates = {gate["key"]: gate for gate in json.loads(strict.stdout)["gates"]}
    drop = gates["numbers.recall"]["baseline"] - gates["numbers.recall"]["value"]
    assert drop > 0.02
    assert not gates["numbers.recall"]["passed"]
    assert gates["entities.f1"]["passed"]
    assert "exceeds the allowed drop 0.02" in gates["numbers.recall"]["message"]
    assert "gate failed: numbers.recall drop <= 0.02" in strict.stderr
    relaxed = run_cli(*args, "--max-drop", f"{drop + 0.01:.4f}")
    assert relaxed.exit_code == 0, relaxed.output
    same = run_cli(*args[:2], scored["perfect"], *args[3:])
    assert same.exit_code == 0, "no drop at all passes with the default --max-drop 0"


@pytest.mark.parametrize("output_format", ["table", "json", "markdown", "junit"])
def test_every_output_format_on_stdout_and_as_a_report(run_cli, scored, tmp_path, output_format):
    report = tmp_path / f"report.{output_format}"
    result = run_cli(
        "evaluate", "--predictions", scored["worse"], "--gold", scored["gold"], "--resamples",
        "50", "--format", output_format, "--report", f"{output_format}={report}",
        "--fail-under", "overall=0.5", "--fail-under", "numbers.recall=0.99",
    )  # fmt: skip
    assert result.exit_code == 1
    assert report.read_text() == result.stdout
    text = result.stdout
    if output_format == "table":
        assert text.startswith("claimbench results: worse unknown (predictions)")
        assert "layer             F1  precision  recall   F1 95% interval" in text
        assert "FAIL  numbers.recall >= 0.99" in text
    elif output_format == "json":
        jsonschema.validate(json.loads(text), RESULTS_SCHEMA)
    elif output_format == "markdown":
        assert text.startswith("## claimbench: worse unknown (predictions)")
        assert "| layer | F1 | precision | recall | F1 95% interval |" in text
        assert "| ✅ | overall \\>= 0.5 |" in text
        assert "| ❌ | numbers.recall \\>= 0.99 |" in text
    else:
        suite = ET.fromstring(text).find("testsuite")
        assert [case.get("name") for case in suite.iter("testcase")] == [
            "overall >= 0.5",
            "numbers.recall >= 0.99",
        ]


def test_junit_has_one_test_case_per_gate(run_cli, scored, tmp_path):
    junit = tmp_path / "gates.xml"
    result = run_cli(
        "evaluate", "--predictions", scored["worse"], "--gold", scored["gold"],
        "--resamples", "0", "--baseline", scored["baseline"], "--max-drop", "0.02",
        "--fail-under", "overall=0.5", "--fail-under", "attributions.recall=0.5",
        "--report", f"junit={junit}",
    )  # fmt: skip
    assert result.exit_code == 1
    results = json.loads(scored["baseline"].read_text())
    baseline_keys = [key for key, value in results["headline"].items() if value is not None]
    suite = ET.parse(junit).getroot().find("testsuite")
    cases = suite.findall("testcase")
    names = [case.get("name") for case in cases]
    assert names == [
        "overall >= 0.5",
        "attributions.recall >= 0.5",
        *(f"{key} drop <= 0.02" for key in baseline_keys),
    ]
    failed = [case.get("name") for case in cases if case.find("failure") is not None]
    assert failed == ["numbers.f1 drop <= 0.02", "numbers.recall drop <= 0.02"]
    assert suite.get("tests") == str(len(cases)) and suite.get("failures") == str(len(failed))
    no_gates = run_cli(
        "evaluate", "--predictions", scored["perfect"], "--gold", scored["gold"],
        "--resamples", "0", "--format", "junit",
    )  # fmt: skip
    assert ET.fromstring(no_gates.stdout).find("testsuite").get("tests") == "0"


def _stderr_on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run `claimbench ARGS` with stderr on a pseudo-terminal; return what it drew there."""
    main, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", "from claimbench.cli import main; main()", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=secondary,
        env=env,
    )
    os.close(secondary)
    drawn = bytearray()
    while True:
        ready, _, _ = select.select([main], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    os.close(main)
    assert process.wait(timeout=60) == 0, drawn.decode(errors="replace")
    return drawn.decode("utf-8", errors="replace")


@pytest.mark.parametrize("command", ["predict", "evaluate"])
@pytest.mark.parametrize(
    ("ci", "drawn"), [(None, True), ("true", False), ("1", False)], ids=["terminal", "CI", "CI=1"]
)
def test_progress_bar_on_an_interactive_stderr_only(tmp_path, command, ci, drawn):
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env |= {"CI": ci} if ci is not None else {}
    output = tmp_path / "out"
    args = [command, "--command", EXAMPLE_COMMAND, "--output", str(output)]
    shown = _stderr_on_a_terminal(
        args + (["--resamples", "0"] if command == "evaluate" else []), env
    )
    assert ("extracting" in shown) is drawn
    assert ("100%" in shown) is drawn
    assert output.exists()


def test_no_progress_bar_when_stderr_is_not_a_terminal(run_cli, tmp_path):
    result = run_cli("predict", "--command", EXAMPLE_COMMAND, "--output", tmp_path / "p.jsonl")
    assert result.exit_code == 0
    assert result.stderr == f"wrote 5 of 5 documents to {tmp_path / 'p.jsonl'}\n"


SPY = """
import json, os, sys
for line in sys.stdin:
    document = json.loads(line)
    seen = {"input": document, "env": dict(os.environ), "cwd": os.getcwd(),
            "argv": sys.argv, "files": sorted(os.listdir("."))}
    with open(os.environ["REPORT"], "a") as out:
        out.write(json.dumps(seen) + "\\n")
    print(json.dumps({"doc_id": document["id"], "numbers": []}), flush=True)
"""


def test_evaluate_never_hands_the_command_plugin_gold(run_cli, tmp_path, monkeypatch):
    gold_dir = tmp_path / "gold"
    write_gold(gold_dir)
    report = tmp_path / "seen.jsonl"
    (tmp_path / "spy.py").write_text(SPY)
    monkeypatch.setenv("CLAIMBENCH_GOLD", str(gold_dir))
    monkeypatch.setenv("PATH", f"{gold_dir}:{DEFAULT_GOLD}:{os.environ['PATH']}")
    result = run_cli(
        "evaluate", "--command", f"{PYTHON} {tmp_path / 'spy.py'}", "--gold", gold_dir,
        "--env", f"REPORT={report}", "--resamples", "0",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    seen = [json.loads(line) for line in report.read_text().splitlines()]
    assert [record["input"]["id"] for record in seen] == DOCS
    forbidden = [str(gold_dir.resolve()), str(DEFAULT_GOLD.resolve())]
    for record, document in zip(seen, CORPUS.documents(), strict=True):
        assert record["input"] == json.loads(document.model_dump_json())
        assert set(record["input"]) == {"id", "text", "metadata"}
        assert set(record["env"]) - {"LC_CTYPE"} == {"PATH", "HOME", "LANG", "REPORT"}
        assert record["files"] == []
        for value in [*record["env"].values(), *record["argv"], record["cwd"]]:
            assert not any(root in value for root in forbidden), value


def test_a_python_plugin_receives_a_document_and_nothing_else(run_cli, tmp_path, monkeypatch):
    (tmp_path / "cb_spy_plugin.py").write_text(
        "SEEN = []\n"
        "class Spy:\n"
        "    name, version, layers = 'spy', '1', ['numbers']\n"
        "    def extract(self, document, *rest, **options):\n"
        "        SEEN.append((document, rest, options))\n"
        "        return {'numbers': []}\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    result = run_cli("evaluate", "cb_spy_plugin:Spy", "--resamples", "0")
    assert result.exit_code == 0, result.output
    from cb_spy_plugin import SEEN

    assert [document for document, _, _ in SEEN] == list(CORPUS.documents())
    assert all(rest == () and options == {} for _, rest, options in SEEN)
    assert set(type(SEEN[0][0]).model_fields) == {"id", "text", "metadata"}
    sys.modules.pop("cb_spy_plugin", None)


def test_fail_under_precision_of_every_layer_with_a_baseline_plugin(run_cli):
    pytest.importorskip("spacy")
    args = ["evaluate", "rules", "--resamples", "0", "--format", "json"]
    for layer in Layer:
        args += ["--fail-under", f"{layer.value}.precision=0.99"]
    result = run_cli(*args)
    assert result.exit_code == 1, result.output
    gates = json.loads(result.stdout)["gates"]
    assert [(gate["key"], gate["passed"]) for gate in gates] == [
        (f"{layer.value}.precision", False) for layer in Layer
    ]
    for gate in gates:
        assert f"gate failed: {gate['key']} >= 0.99: {gate['key']} = " in result.stderr
        assert gate["value"] < 0.99
