"""A Python plugin that kills its worker process under `--jobs N` fails that document only
(DESIGN section 9): the pool is made anew, the document is recorded as a `crash`, and every
other document's outcome is that of a run in which the document raised an exception instead.
A plugin whose workers die on everything ends the run with exit code 3 (no endless retries).
"""

import json
import sys
from pathlib import Path

import pytest

from claimbench.corpus.store import open_corpus
from claimbench.extractors.execution import Execution, OutcomeStream
from claimbench.extractors.spec import PluginSpec
from tests.plugins_support import Run, write_jsonl

MODULE = "cb_crashing_plugin"
CRASHING = "002-voa"
PLUGIN_SOURCE = '''
import ctypes
import multiprocessing
import os
import re
import signal

from claimbench.models import Extraction, Layer

HOW, WHERE = {how!r}, {where!r}
DIGITS = re.compile(r"\\d+")


def fail():
    if HOW == "raise":
        raise RuntimeError("cannot read this one")
    if HOW == "exit":
        os._exit(1)
    if HOW == "abort":
        os.abort()
    if HOW == "sigkill":
        os.kill(os.getpid(), signal.SIGKILL)
    if HOW == "segfault":
        ctypes.string_at(0)


class Crashing:
    """Every run of digits as an exact CARDINAL; fails as HOW says on the documents WHERE (ids),
    on every document when WHERE is "*", or while a pool worker loads it when WHERE is "load" (the
    harness loads it in its own process too, where a crash would end the run as it would a
    serial one)."""

    name, version, layers = "crashing-test", "1.0", [Layer.NUMBERS]

    def __init__(self):
        if "load" in WHERE and multiprocessing.parent_process() is not None:
            fail()

    def extract(self, document):
        if "*" in WHERE or document.id in WHERE:
            fail()
        if "RAISE" in document.text:
            raise ValueError("this one always raises")
        found = [
            {{"start": m.start(), "end": m.end(), "label": "CARDINAL",
             "value": {{"low": int(m.group()), "high": int(m.group())}}, "form": "exact"}}
            for m in DIGITS.finditer(document.text)
        ]
        return Extraction(numbers=found)
'''


@pytest.fixture
def crashing_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Writes the plugin failing `how` at `where` (a document id, "*" or "load"), importable
    here and in spawned workers; returns its target."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))

    def write(how: str, where: str | tuple[str, ...] = CRASHING) -> str:
        where = (where,) if isinstance(where, str) else where
        name = f"{MODULE}_{how}_{len(list(folder.iterdir()))}"
        (folder / f"{name}.py").write_text(PLUGIN_SOURCE.format(how=how, where=where))
        return f"{name}:Crashing"

    yield write
    for name in [name for name in sys.modules if name.startswith(MODULE)]:
        del sys.modules[name]


def evaluate(run_cli, target: str, output: Path, *options: object):
    """`claimbench evaluate TARGET` (no bootstrap) writing its results to `output`."""
    return run_cli("evaluate", target, "--resamples", 0, "--output", output, *options)


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("exit", "exited with code 1 before answering"),
        ("abort", "killed by signal SIGABRT"),
        ("segfault", "killed by signal SIGSEGV"),
    ],
)
def test_a_worker_killed_by_one_document_fails_that_document_only(
    run_cli, crashing_plugin, tmp_path, how, message
):
    raised, crashed = tmp_path / "raised.json", tmp_path / "crashed.json"
    expected = evaluate(run_cli, crashing_plugin("raise"), raised)
    result = evaluate(run_cli, crashing_plugin(how), crashed, "--jobs", 2)
    assert result.exit_code == expected.exit_code == 0, result.output
    assert f"document {CRASHING!r}: crash: {message}" in result.stderr
    one, two = json.loads(raised.read_text()), json.loads(crashed.read_text())
    assert two["headline"] == one["headline"]
    assert two["scores"] == one["scores"]
    [failure] = two["failures"]
    assert (failure["doc_id"], failure["cause"], failure["message"]) == (CRASHING, "crash", message)
    assert [f["doc_id"] for f in one["failures"]] == [CRASHING]


def test_predict_writes_every_other_document_as_if_it_had_raised(
    run_cli, crashing_plugin, tmp_path
):
    raised, crashed = tmp_path / "raised.jsonl", tmp_path / "crashed.jsonl"
    first = run_cli("predict", crashing_plugin("raise"), "-o", raised)
    second = run_cli("predict", crashing_plugin("sigkill"), "--jobs", 2, "-o", crashed)
    assert first.exit_code == second.exit_code == 0, second.output
    assert crashed.read_bytes() == raised.read_bytes()
    assert "wrote 4 of 5 documents" in second.stderr
    assert f"document {CRASHING!r}: crash: killed by signal SIGKILL" in second.stderr


def outcomes(target: str, corpus: Path, how: Execution) -> Run:
    """Every outcome of `target` over `corpus`, run as `how` says."""
    spec = PluginSpec(plugin=target)
    plugin = spec.open()
    try:
        with OutcomeStream(plugin, spec, open_corpus(corpus).documents(), how, None) as stream:
            return Run(stream.info, list(stream))
    finally:
        plugin.close()


def test_outcomes_are_those_of_a_run_where_the_crashing_documents_raised(crashing_plugin, tmp_path):
    # Several chunks in flight, some finished before a break, two documents that crash (each
    # breaks a pool of its own) and one that raises: only the crashed ones change, to `crash`.
    texts = [
        f"Report {i}: {i * 3} people, {i + 7} houses.{' RAISE' if i == 4 else ''}\n"
        for i in range(14)
    ]
    corpus = write_jsonl(
        tmp_path / "corpus.jsonl", [{"id": f"doc-{i:02d}", "text": t} for i, t in enumerate(texts)]
    )
    crashing = ("doc-06", "doc-11")
    raised = outcomes(crashing_plugin("raise", crashing), corpus, Execution())
    crashed = outcomes(crashing_plugin("abort", crashing), corpus, Execution(jobs=2, chunk_size=3))
    assert [o.doc_id for o in crashed.outcomes] == [o.doc_id for o in raised.outcomes]
    assert crashed.predictions == raised.predictions
    assert len(crashed.predictions) == len(texts) - 3
    assert crashed.info.name == raised.info.name == "crashing-test"
    expected = {f.doc_id: (f.cause.value, f.message) for f in raised.failures}
    for doc_id in crashing:
        expected[doc_id] = ("crash", "killed by signal SIGABRT")
    assert {f.doc_id: (f.cause.value, f.message) for f in crashed.failures} == expected


@pytest.mark.parametrize("where", ["*", "load"])
def test_workers_dying_on_everything_end_the_run_with_exit_3(
    run_cli, crashing_plugin, tmp_path, where
):
    output = tmp_path / "p.jsonl"
    result = run_cli("predict", crashing_plugin("exit", where), "--jobs", 2, "-o", output)
    assert result.exit_code == 3
    # stopped by the bound on crashes in a row (3), not after trying every document
    assert "died on each of 3 documents in a row" in result.stderr
    assert "000-afp, 001-dawn, 002-voa" in result.stderr
    assert "Traceback" not in result.stderr
    assert not output.exists()


def test_fail_fast_stops_at_the_crashed_document(run_cli, crashing_plugin, tmp_path):
    output = tmp_path / "p.jsonl"
    result = run_cli("predict", crashing_plugin("exit"), "--jobs", 2, "--fail-fast", "-o", output)
    assert result.exit_code == 3
    assert (
        f"--fail-fast: document {CRASHING!r}: crash: exited with code 1 before answering"
        in result.stderr
    )
    assert not output.exists()
