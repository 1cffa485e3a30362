"""The prediction cache: an interrupted run resumes without recomputing finished documents, on
one process or on a pool; entries are keyed on plugin name, version, config and what the plugin
saw of the document."""

import json
import sys
from pathlib import Path

import pytest

from claimbench.corpus.store import open_corpus
from claimbench.extractors.cache import PredictionCache, document_key, open_cache
from claimbench.extractors.execution import Execution, OutcomeStream
from claimbench.extractors.spec import PluginSpec
from claimbench.models import Document, DocumentMetadata
from tests.plugins_support import Run

DOCUMENTS = 12
INTERRUPT_AT = 7
SERIAL = Execution()
MODULE = "cb_cache_plugins"
PLUGIN_SOURCE = '''
import os
import re

from claimbench.models import Extraction, Layer

DIGITS = re.compile(r"\\d+")


class Logged:
    """Every run of digits as a CARDINAL; appends each document id it extracts to the file
    named by $CB_CACHE_LOG; interrupted (as by Ctrl-C) on the document $CB_INTERRUPT names;
    fails on documents containing 'FAIL'."""

    name, version, layers = "logged", os.environ.get("CB_VERSION", "1.0"), [Layer.NUMBERS]

    def extract(self, document):
        if document.id == os.environ.get("CB_INTERRUPT"):
            raise KeyboardInterrupt
        with open(os.environ["CB_CACHE_LOG"], "a") as log:
            log.write(document.id + "\\n")
        if "FAIL" in document.text:
            raise RuntimeError("failing on purpose")
        return Extraction(numbers=[
            {"start": m.start(), "end": m.end(), "label": "CARDINAL"}
            for m in DIGITS.finditer(document.text)
        ])
'''


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The plugin (importable here and in spawned workers), its log, and a JSON Lines corpus."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / f"{MODULE}.py").write_text(PLUGIN_SOURCE)
    monkeypatch.syspath_prepend(str(folder))
    log = tmp_path / "extracted.log"
    monkeypatch.setenv("CB_CACHE_LOG", str(log))
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(
            json.dumps({"id": f"doc-{i:02d}", "text": f"Item {i}: {i * 11} units.\n"}) + "\n"
            for i in range(DOCUMENTS)
        )
    )
    yield PluginSpec(plugin=f"{MODULE}:Logged"), corpus, log, tmp_path / "cache"
    sys.modules.pop(MODULE, None)


def run(spec: PluginSpec, corpus: Path, cache_dir: Path | None, how: Execution = SERIAL):
    """One run over the corpus, with the cache under `cache_dir` (None: no cache)."""
    plugin = spec.open()
    try:
        cache = open_cache(cache_dir, plugin.info) if cache_dir is not None else None
        documents = open_corpus(corpus).documents()
        with OutcomeStream(plugin, spec, documents, how, cache) as stream:
            outcomes = list(stream)
            return Run(stream.info, outcomes)
    finally:
        plugin.close()


def extracted(log: Path) -> list[str]:
    """The document ids the plugin extracted, in order, and empty the log."""
    ids = log.read_text().split() if log.exists() else []
    log.unlink(missing_ok=True)
    return ids


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_resumed_run_recomputes_nothing_already_done(setup, monkeypatch, jobs):
    spec, corpus, log, cache_dir = setup
    fresh = run(spec, corpus, None)
    extracted(log)
    monkeypatch.setenv("CB_INTERRUPT", f"doc-{INTERRUPT_AT:02d}")
    with pytest.raises(KeyboardInterrupt):
        run(spec, corpus, cache_dir)
    assert extracted(log) == [f"doc-{i:02d}" for i in range(INTERRUPT_AT)]
    monkeypatch.delenv("CB_INTERRUPT")
    resumed = run(spec, corpus, cache_dir, Execution(jobs=jobs, chunk_size=2))
    assert sorted(extracted(log)) == [f"doc-{i:02d}" for i in range(INTERRUPT_AT, DOCUMENTS)]
    assert [o.cached for o in resumed.outcomes] == [i < INTERRUPT_AT for i in range(DOCUMENTS)]
    assert resumed.predictions == fresh.predictions
    again = run(spec, corpus, cache_dir, Execution(jobs=jobs))
    assert extracted(log) == []
    assert again.predictions == fresh.predictions


def test_another_version_or_config_is_another_cache(setup, monkeypatch):
    spec, corpus, log, cache_dir = setup
    run(spec, corpus, cache_dir)
    extracted(log)
    monkeypatch.setenv("CB_VERSION", "2.0")
    sys.modules.pop(MODULE, None)
    run(spec, corpus, cache_dir)
    assert len(extracted(log)) == DOCUMENTS
    assert len(list(cache_dir.iterdir())) == 2
    info = json.loads(next(cache_dir.glob("*/plugin.json")).read_text())
    assert info["name"] == "logged"


def test_failures_are_not_cached_and_broken_entries_are_recomputed(setup):
    spec, corpus, log, cache_dir = setup
    lines = corpus.read_text().splitlines()
    lines[3] = json.dumps({"id": "doc-03", "text": "FAIL 3\n"})
    corpus.write_text("\n".join(lines) + "\n")
    first = run(spec, corpus, cache_dir)
    assert [f.doc_id for f in first.failures] == ["doc-03"]
    extracted(log)
    broken = next(path for path in cache_dir.glob("*/*/*.json"))
    broken.write_text("{not json")
    second = run(spec, corpus, cache_dir)
    assert [f.doc_id for f in second.failures] == ["doc-03"]
    assert len(extracted(log)) == 2
    assert second.predictions == first.predictions


def test_key_is_text_and_metadata_not_the_id():
    text = "On Sunday 12 died.\n"
    same = document_key(Document(id="a", text=text)) == document_key(Document(id="b", text=text))
    dated = Document(id="a", text=text, metadata=DocumentMetadata(date="2017-06-04"))
    assert same
    assert document_key(dated) != document_key(Document(id="a", text=text))


def test_cache_reuses_a_text_under_another_id(setup):
    spec, _, log, cache_dir = setup
    plugin = spec.open()
    cache = PredictionCache(cache_dir, plugin.info)
    first, second = Document(id="x", text="7 up.\n"), Document(id="y", text="7 up.\n")
    with OutcomeStream(plugin, spec, [first], Execution(), cache) as stream:
        list(stream)
    hit = cache.lookup(second)
    assert hit is not None and hit.cached and hit.prediction.doc_id == "y"
    assert extracted(log) == ["x"]


def test_cache_that_is_a_file_exits_2(setup, run_cli):
    spec, corpus, _, cache_dir = setup
    cache_dir.write_text("not a folder")
    result = run_cli("predict", spec.plugin, "--corpus", corpus, "--cache", cache_dir)
    assert result.exit_code == 2


def test_predict_reports_documents_from_the_cache(setup, run_cli, tmp_path):
    spec, corpus, log, cache_dir = setup
    out = tmp_path / "p.jsonl"
    first = run_cli("predict", spec.plugin, "--corpus", corpus, "--cache", cache_dir, "-o", out)
    content = out.read_bytes()
    second = run_cli("predict", spec.plugin, "--corpus", corpus, "--cache", cache_dir, "-o", out)
    assert first.exit_code == second.exit_code == 0
    assert f"{DOCUMENTS} of {DOCUMENTS} documents from the cache" in second.stderr
    assert out.read_bytes() == content
    assert len(extracted(log)) == DOCUMENTS
