"""`--command` plugins: the JSON Lines protocol, failures per document, restarts, limits, and
isolation (scratch directory, scrubbed environment, nothing about gold)."""

import json
import sys
from pathlib import Path

import pytest

from claimbench.corpus.store import load_corpus
from claimbench.errors import UsageError
from claimbench.extractors import command as command_module
from claimbench.extractors.command import CommandPlugin
from claimbench.extractors.failures import FailureCause, PluginError
from claimbench.extractors.isolation import Limits
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from tests.plugins_support import PYTHON, faulty_plugin, run_plugin

DOCS = load_corpus(DEFAULT_CORPUS).doc_ids
MISBEHAVIOUR = {DOCS[0]: "crash", DOCS[1]: "hang", DOCS[2]: "garbage", DOCS[3]: "offsets"}


def run_command(command: str, limits: Limits | None = None, **kwargs):
    plugin = CommandPlugin(command, limits or Limits(timeout=5), **kwargs)
    try:
        return run_plugin(plugin, load_corpus(DEFAULT_CORPUS).documents())
    finally:
        plugin.close()


def script(folder: Path, body: str) -> str:
    path = folder / "plugin.py"
    path.write_text(body)
    return f"{PYTHON} {path}"


def test_crash_hang_garbage_and_bad_offsets_fail_one_document_each(tmp_path):
    run = run_command(faulty_plugin(tmp_path, MISBEHAVIOUR), Limits(timeout=1))
    failures = {failure.doc_id: failure for failure in run.failures}
    assert {doc: f.cause for doc, f in failures.items()} == {
        DOCS[0]: FailureCause.CRASH,
        DOCS[1]: FailureCause.TIMEOUT,
        DOCS[2]: FailureCause.INVALID_JSON,
        DOCS[3]: FailureCause.OFFSETS,
    }
    assert list(run.predictions) == [DOCS[4]]
    assert "exited with code 7" in failures[DOCS[0]].message
    assert "Traceback: simulated crash" in failures[DOCS[0]].stderr_tail
    assert "no answer within 1 s" in failures[DOCS[1]].message
    assert f"working on {DOCS[1]}" in failures[DOCS[1]].stderr_tail
    assert "<html>not json</html>" in failures[DOCS[2]].message
    assert "numbers[0].end" in failures[DOCS[3]].message
    assert "offset out of range" in failures[DOCS[3]].message
    for doc_id, failure in failures.items():
        assert str(failure).startswith(f"document {doc_id!r}: {failure.cause.value}: ")


def test_the_process_is_restarted_after_a_crash_or_a_hang(tmp_path):
    run = run_command(faulty_plugin(tmp_path, MISBEHAVIOUR), Limits(timeout=1))
    tails = [f.stderr_tail for f in run.failures[:3]]
    pids = {line.split()[1] for tail in tails for line in tail.splitlines() if "pid" in line}
    assert len(pids) >= 3


def test_the_plugin_receives_only_text_and_metadata_and_no_path_to_gold(tmp_path, monkeypatch):
    report = tmp_path / "seen.jsonl"
    spy = script(
        tmp_path,
        "import json, os, sys\n"
        "for line in sys.stdin:\n"
        "    doc = json.loads(line)\n"
        "    seen = {'input': doc, 'env': dict(os.environ), 'cwd': os.getcwd()}\n"
        "    with open(os.environ['REPORT'], 'a') as out:\n"
        "        out.write(json.dumps(seen) + '\\n')\n"
        "    print(json.dumps({'doc_id': doc['id']}), flush=True)\n",
    )
    gold_bin = DEFAULT_GOLD / "bin"
    monkeypatch.setenv("PATH", f"{gold_bin}:/usr/bin:/bin")
    monkeypatch.setenv("CLAIMBENCH_GOLD", str(DEFAULT_GOLD))
    run = run_command(spy, env={"REPORT": str(report)}, forbidden=[DEFAULT_GOLD])
    assert not run.failures
    seen = [json.loads(line) for line in report.read_text().splitlines()]
    assert len(seen) == len(DOCS)
    gold = str(DEFAULT_GOLD.resolve())
    for record in seen:
        assert set(record["input"]) == {"id", "text", "metadata"}
        assert set(record["input"]["metadata"]) == {"outlet", "date"}
        assert set(record["env"]) - {"LC_CTYPE"} == {"PATH", "HOME", "LANG", "REPORT"}
        assert record["env"]["HOME"] == record["cwd"]
        assert record["cwd"].startswith(str(Path(record["cwd"]).parent))
        assert not any(gold in value for value in record["env"].values())
        assert gold not in json.dumps(record["input"])
        assert "/usr/bin" in record["env"]["PATH"]
    scratch = Path(seen[0]["cwd"])
    assert "claimbench-plugin-" in scratch.name
    assert not scratch.exists(), "the scratch directory is removed after the run"


def test_passing_a_gold_path_to_the_plugin_is_refused():
    with pytest.raises(UsageError, match="points into the gold folder"):
        CommandPlugin(
            "true", Limits(), env={"DATA": str(DEFAULT_GOLD / "x")}, forbidden=[DEFAULT_GOLD]
        )


def test_header_announces_name_version_and_layers(tmp_path):
    plugin = script(
        tmp_path,
        "import json, sys\n"
        "print(json.dumps({'claimbench_plugin': {'name': 'spy', 'version': '2.1',"
        " 'layers': ['numbers']}}), flush=True)\n"
        "for line in sys.stdin:\n"
        "    print(json.dumps({'doc_id': json.loads(line)['id'], 'numbers': []}), flush=True)\n",
    )
    run = run_command(plugin)
    assert (run.info.name, run.info.version) == ("spy", "2.1")
    assert [layer.value for layer in run.info.layers or []] == ["numbers"]
    assert len(run.predictions) == len(DOCS)


def test_wrong_doc_id_and_non_object_answers_are_protocol_failures(tmp_path):
    plugin = script(
        tmp_path,
        "import json, sys\n"
        "for line in sys.stdin:\n"
        "    doc = json.loads(line)\n"
        "    first = doc['id'].endswith('afp')\n"
        "    print(json.dumps([1] if first else {'doc_id': 'other'}), flush=True)\n",
    )
    run = run_command(plugin)
    assert {f.cause for f in run.failures} == {FailureCause.PROTOCOL}
    assert "expected an object" in run.failures[0].message
    assert "doc_id 'other', expected" in run.failures[1].message


def test_schema_errors_are_invalid_predictions(tmp_path):
    plugin = script(
        tmp_path,
        "import json, sys\n"
        "for line in sys.stdin:\n"
        "    doc = json.loads(line)\n"
        "    bad = {'start': 0, 'end': 3, 'label': 'ALIEN'}\n"
        "    print(json.dumps({'doc_id': doc['id'], 'entities': [bad]}), flush=True)\n",
    )
    run = run_command(plugin)
    assert {f.cause for f in run.failures} == {FailureCause.INVALID_PREDICTION}
    assert "entities.0.label" in run.failures[0].message


def test_oversized_answer_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(command_module, "MAX_LINE_BYTES", 1000)
    plugin = script(
        tmp_path,
        "import sys\nfor line in sys.stdin:\n    print('x' * 5000, end='', flush=True)\n",
    )
    run = run_command(plugin)
    assert {f.cause for f in run.failures} == {FailureCause.OUTPUT_TOO_LARGE}


def test_memory_limit_fails_the_document(tmp_path):
    plugin = script(
        tmp_path,
        "import json, sys\n"
        "for line in sys.stdin:\n"
        "    hog = bytearray(512 * 1024 * 1024)\n"
        "    print(json.dumps({'doc_id': json.loads(line)['id']}), flush=True)\n",
    )
    run = run_command(plugin, Limits(timeout=10, memory_mb=256))
    assert {f.cause for f in run.failures} == {FailureCause.CRASH}
    assert "MemoryError" in run.failures[0].stderr_tail


def test_cpu_limit_fails_the_document(tmp_path):
    plugin = script(
        tmp_path,
        "import json, sys\n"
        "for line in sys.stdin:\n"
        "    doc = json.loads(line)\n"
        "    while doc['id'].endswith('afp'):\n"
        "        pass\n"
        "    print(json.dumps({'doc_id': doc['id']}), flush=True)\n",
    )
    run = run_command(plugin, Limits(timeout=20, cpu_seconds=1))
    assert [(f.doc_id, f.cause) for f in run.failures] == [(DOCS[0], FailureCause.CPU_LIMIT)]
    assert len(run.predictions) == len(DOCS) - 1


def test_a_command_that_cannot_start_is_a_plugin_failure():
    plugin = CommandPlugin("/no/such/program --flag", Limits())
    with pytest.raises(PluginError, match="cannot start command '/no/such/program'"):
        run_plugin(plugin, load_corpus(DEFAULT_CORPUS).documents())
    plugin.close()


def test_predict_fail_fast_exits_3_naming_the_document(run_cli, tmp_path):
    command = faulty_plugin(tmp_path, {DOCS[0]: "crash"})
    result = run_cli("predict", "--command", command, "--fail-fast")
    assert result.exit_code == 3
    assert f"--fail-fast: document {DOCS[0]!r}: crash: exited with code 7" in result.output


def test_predict_records_failures_and_writes_the_rest(run_cli, tmp_path):
    command = faulty_plugin(tmp_path, {DOCS[2]: "garbage"})
    output = tmp_path / "predictions.jsonl"
    result = run_cli("predict", "--command", command, "--output", output)
    assert result.exit_code == 0, result.output
    assert f"warning: document {DOCS[2]!r}: invalid_json" in result.output
    lines = [json.loads(line) for line in output.read_text().splitlines()]
    assert [line["doc_id"] for line in lines] == [d for d in DOCS if d != DOCS[2]]
    assert run_cli("validate", "predictions", output).exit_code == 0


def test_predict_exits_3_when_every_document_fails(run_cli, tmp_path):
    command = faulty_plugin(tmp_path, dict.fromkeys(DOCS, "crash"))
    result = run_cli("predict", "--command", command)
    assert result.exit_code == 3
    assert "the plugin failed on all 5 documents" in result.output


def test_relative_script_paths_are_resolved_before_entering_the_scratch_dir(run_cli, monkeypatch):
    monkeypatch.chdir(Path(__file__).parents[1])
    result = run_cli("predict", "--command", f"{sys.executable} examples/command_plugin.py")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == len(DOCS)


def test_both_or_neither_plugin_source_is_a_usage_error(run_cli):
    assert run_cli("predict").exit_code == 2
    assert run_cli("predict", "rules", "--command", "true").exit_code == 2


def test_an_invalid_header_names_the_field_and_value(tmp_path):
    # "invalid header line: Input should be a valid list" did not say which field.
    plugin = script(
        tmp_path,
        "import json, sys\n"
        "print(json.dumps({'claimbench_plugin': {'name': 'x', 'version': '1', 'layers': 5}}),"
        " flush=True)\n"
        "for line in sys.stdin:\n"
        "    print(json.dumps({'doc_id': json.loads(line)['id'], 'numbers': []}), flush=True)\n",
    )
    run = run_command(plugin)
    assert run.failures
    assert run.failures[0].message == (
        "invalid header line: claimbench_plugin.layers = 5: Input should be a valid list"
    )
