"""Parallel extraction: a process pool (`--jobs`) and a Dask cluster (`--dask`) give exactly the
serial run's outcomes, in document order, failures included; a JSON Lines corpus is streamed."""

import hashlib
import json
import sys
from pathlib import Path

import pytest

from claimbench.corpus.store import load_jsonl_corpus, open_corpus
from claimbench.errors import InputError, UsageError
from claimbench.extractors.execution import Execution, OutcomeStream
from claimbench.extractors.failures import FailureCause
from claimbench.extractors.spec import PluginSpec
from claimbench.paths import DEFAULT_CORPUS
from tests.checkout import PROJECT_ROOT
from tests.plugins_support import Run

DOCUMENTS = 24
MODULE = "cb_parallel_plugins"
PLUGIN_SOURCE = '''
import re
import time

from claimbench.models import Extraction, Layer

DIGITS = re.compile(r"\\d+")


class Digits:
    """Every run of digits as an exact CARDINAL; slower on early documents, so that parallel
    chunks finish out of order; fails on 'FAIL' and answers bad offsets on 'BADSPAN'."""

    name, version, layers = "digits-test", "1.0", [Layer.NUMBERS]

    def extract(self, document):
        index = int(document.id.split("-")[1])
        time.sleep(0.002 * max(0, 8 - index))
        if "FAIL" in document.text:
            raise RuntimeError(f"cannot read {document.id}")
        found = [
            {"start": m.start(), "end": m.end(), "label": "CARDINAL",
             "value": {"low": int(m.group()), "high": int(m.group())}, "form": "exact"}
            for m in DIGITS.finditer(document.text)
        ]
        if "BADSPAN" in document.text:
            found.append({"start": 0, "end": len(document.text) + 9, "label": "CARDINAL"})
        return Extraction(numbers=found)
'''


def document_text(index: int) -> str:
    """A short synthetic document; two of them make the plugin fail in different ways."""
    flaw = {5: " FAIL", 11: " BADSPAN"}.get(index, "")
    return f"Report {index}: {index * 3} people were moved and {index + 7} houses damaged.{flaw}\n"


@pytest.fixture
def corpus_file(tmp_path: Path) -> Path:
    """A JSON Lines corpus of `DOCUMENTS` documents."""
    path = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps({"id": f"doc-{i:03d}", "text": document_text(i), "metadata": {}})
        for i in range(DOCUMENTS)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def plugin_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The test plugin as `module:attr`, importable here and in spawned workers."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / f"{MODULE}.py").write_text(PLUGIN_SOURCE)
    monkeypatch.syspath_prepend(str(folder))
    yield f"{MODULE}:Digits"
    sys.modules.pop(MODULE, None)


def run(spec: PluginSpec, corpus_path: Path, how: Execution):
    """The run of `spec` over the corpus at `corpus_path`, executed as `how` says."""
    plugin = spec.open()
    try:
        with OutcomeStream(plugin, spec, open_corpus(corpus_path).documents(), how, None) as s:
            outcomes = list(s)  # the info as the workers last reported it
            result = Run(s.info, outcomes)
    finally:
        plugin.close()
    return result


def same_outcomes(serial, parallel) -> None:
    """Predictions, failures and document order are identical; only timings may differ."""
    assert [o.doc_id for o in parallel.outcomes] == [o.doc_id for o in serial.outcomes]
    assert parallel.predictions == serial.predictions
    assert parallel.failures == serial.failures
    assert parallel.info == serial.info


def test_process_pool_equals_serial_run_in_document_order(plugin_name, corpus_file):
    spec = PluginSpec(plugin=plugin_name)
    serial = run(spec, corpus_file, Execution())
    parallel = run(spec, corpus_file, Execution(jobs=2, chunk_size=1))
    same_outcomes(serial, parallel)
    causes = {failure.doc_id: failure.cause for failure in parallel.failures}
    assert causes == {"doc-005": FailureCause.EXCEPTION, "doc-011": FailureCause.OFFSETS}
    assert len(parallel.predictions) == DOCUMENTS - 2


def test_dask_local_cluster_equals_serial_run(plugin_name, corpus_file):
    distributed = pytest.importorskip("distributed")
    spec = PluginSpec(plugin=plugin_name)
    serial = run(spec, corpus_file, Execution())
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        on_dask = run(spec, corpus_file, Execution(dask=cluster.scheduler_address, chunk_size=3))
    same_outcomes(serial, on_dask)


def test_command_plugin_on_a_pool_reports_its_header_and_failures():
    command = f"{sys.executable} {PROJECT_ROOT / 'examples' / 'command_plugin.py'}"
    spec = PluginSpec(command=command)
    serial = run(spec, DEFAULT_CORPUS, Execution())
    parallel = run(spec, DEFAULT_CORPUS, Execution(jobs=2, chunk_size=2))
    same_outcomes(serial, parallel)
    assert (parallel.info.name, parallel.info.version) == ("digits", "0.1.0")


def test_predict_jobs_writes_the_serial_file(run_cli, plugin_name, corpus_file, tmp_path):
    serial, parallel = tmp_path / "serial.jsonl", tmp_path / "parallel.jsonl"
    first = run_cli("predict", plugin_name, "--corpus", corpus_file, "-o", serial)
    second = run_cli("predict", plugin_name, "--corpus", corpus_file, "--jobs", 2, "-o", parallel)
    assert first.exit_code == second.exit_code == 0
    assert parallel.read_bytes() == serial.read_bytes()
    assert f"wrote {DOCUMENTS - 2} of {DOCUMENTS} documents" in second.stderr
    assert "document 'doc-005': exception: RuntimeError: cannot read doc-005" in second.stderr


def test_fail_fast_on_a_pool_exits_3(run_cli, plugin_name, corpus_file, tmp_path):
    out = tmp_path / "p.jsonl"
    result = run_cli(
        "predict", plugin_name, "--corpus", corpus_file, "--jobs", 2, "--fail-fast", "-o", out
    )
    assert result.exit_code == 3
    assert "--fail-fast: document 'doc-005'" in result.stderr
    assert not out.exists()


def test_jobs_and_dask_together_is_a_usage_error(run_cli, plugin_name, corpus_file):
    result = run_cli(
        "predict", plugin_name, "--corpus", corpus_file, "--jobs", 2, "--dask", "tcp://x:1"
    )
    assert result.exit_code == 2
    assert "not both" in result.stderr


def test_unreachable_dask_scheduler_is_a_usage_error(plugin_name, corpus_file):
    pytest.importorskip("distributed")
    how = Execution(dask="tcp://127.0.0.1:9", connect_seconds=1)
    with pytest.raises(UsageError, match="cannot reach the scheduler"):
        run(PluginSpec(plugin=plugin_name), corpus_file, how)


def test_jsonl_corpus_errors_name_line_document_field_and_value(tmp_path, run_cli):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": "a", "text": "One.\\n"}\n'
        '{"id": "a", "text": "Two.\\n"}\n'
        '{"id": "b", "text": 7}\n'
        "{not json\n"
    )
    result = run_cli("predict", "rules", "--corpus", path)
    assert result.exit_code == 2
    assert f"{path}:2: id = 'a': duplicate document id (first at line 1)" in result.stderr
    assert f"{path}:3: document 'b': text = 7" in result.stderr
    assert f"{path}:4: malformed JSON" in result.stderr


def test_jsonl_corpus_is_read_in_one_pass_holding_only_ids(corpus_file):
    corpus = load_jsonl_corpus(corpus_file)
    assert corpus.doc_ids == [f"doc-{i:03d}" for i in range(DOCUMENTS)]
    assert next(iter(corpus.documents())).text == document_text(0)


def test_evaluate_with_jobs_scores_like_a_serial_run(run_cli, tmp_path):
    command = f"{sys.executable} {PROJECT_ROOT / 'examples' / 'command_plugin.py'}"
    serial, parallel = tmp_path / "serial.json", tmp_path / "parallel.json"
    first = run_cli("evaluate", "--command", command, "--resamples", 50, "--output", serial)
    second = run_cli(
        "evaluate", "--command", command, "--resamples", 50, "--jobs", 2, "--output", parallel
    )
    assert first.exit_code == second.exit_code == 0, second.output
    one, two = json.loads(serial.read_text()), json.loads(parallel.read_text())
    assert two["headline"] == one["headline"]
    assert two["scores"] == one["scores"]
    assert two["provenance"]["plugin"] == one["provenance"]["plugin"]


def test_predict_streams_to_stdout_in_corpus_order(run_cli, plugin_name, corpus_file):
    result = run_cli("predict", plugin_name, "--corpus", corpus_file, "--jobs", 2)
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    expected = [f"doc-{i:03d}" for i in range(DOCUMENTS) if i not in (5, 11)]
    assert [line["doc_id"] for line in lines] == expected


@pytest.mark.parametrize("opening", [b'["x"', b'{"x'], ids=["not a document", "not JSON"])
def test_jsonl_corpus_digest_is_the_files_and_a_changed_file_is_refused(corpus_file, opening):
    corpus = load_jsonl_corpus(corpus_file)
    assert corpus.sha256 == hashlib.sha256(corpus_file.read_bytes()).hexdigest()
    lines = corpus_file.read_bytes().splitlines(keepends=True)
    # the same length at the same place, but no longer a document (or no longer JSON: a line
    # read again is only parsed): scoring trusts what was checked at load, so a file changed
    # since then is refused, not read as something else
    lines[1] = opening + b" " * (len(lines[1]) - 2 - len(opening)) + b"]\n"
    corpus_file.write_bytes(b"".join(lines))
    with pytest.raises(InputError, match="changed while it was being read"):
        corpus.text("doc-001")
