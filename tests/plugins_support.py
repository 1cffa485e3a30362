"""Fixtures for the plugin and evaluate tests: a tiny hand-made gold on the real corpus,
Python plugins written to a temporary module, fake installed distributions, and a faulty
command plugin.

The fixture gold is written here rather than read from gold/, so that expected figures follow
from it alone and a gold erratum never changes them: "Mastung", "Pakistan" and "Quetta" as
entities, every number written in digits as an exact CARDINAL (exactly what
`examples/command_plugin.py` finds), no attributions. Tests that need the project's gold
(`tests/test_evaluate_cli.py`) derive their expected figures from it.
"""

import json
import re
import sys
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from claimbench.corpus.store import load_corpus
from claimbench.extractors.execution import Execution, OutcomeStream
from claimbench.extractors.failures import DocumentFailure
from claimbench.extractors.plugin import Plugin, PluginInfo
from claimbench.extractors.runner import DocumentOutcome
from claimbench.models import Document, PredictionRecord
from claimbench.paths import DEFAULT_CORPUS
from tests.checkout import PROJECT_ROOT

ENTITY_NAMES = {"Mastung": "mastung", "Pakistan": "pakistan", "Quetta": "quetta"}
DIGITS = re.compile(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?(?![\w.]\d)")
EXAMPLES = PROJECT_ROOT / "examples"
PYTHON = sys.executable


@dataclass
class Run:
    """Every outcome of a run, in document order (what the tests look at)."""

    info: PluginInfo
    outcomes: list[DocumentOutcome]

    @property
    def predictions(self) -> dict[str, PredictionRecord]:
        return {o.doc_id: o.prediction for o in self.outcomes if o.prediction is not None}

    @property
    def failures(self) -> list[DocumentFailure]:
        return [o.failure for o in self.outcomes if o.failure is not None]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    """`records` written to `path` as JSON Lines (UTF-8); the path."""
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def run_plugin(plugin: Plugin, documents: Iterable[Document]) -> Run:
    """`plugin` (open; not closed here) over `documents`, serially, every outcome kept."""
    with OutcomeStream(plugin, None, documents, Execution(), None) as stream:
        outcomes = list(stream)
        return Run(stream.info, outcomes)


def gold_layers(text: str) -> dict[str, list]:
    """The fixture gold of one text, as JSON-able layers."""
    entities = [
        {"start": m.start(), "end": m.end(), "text": m.group(), "label": "GPE",
         "entity": ENTITY_NAMES[m.group()]}
        for m in re.finditer("|".join(ENTITY_NAMES), text)
    ]  # fmt: skip
    numbers = []
    for m in DIGITS.finditer(text):
        value = float(m.group().replace(",", ""))
        value = int(value) if value.is_integer() else value
        numbers.append(
            {"start": m.start(), "end": m.end(), "text": m.group(), "label": "CARDINAL",
             "value": {"low": value, "high": value}, "form": "exact"}
        )  # fmt: skip
    for prefix, items in (("e", entities), ("n", numbers)):
        for index, item in enumerate(items):
            item["id"] = f"{prefix}{index + 1}"
    return {"entities": entities, "numbers": numbers, "attributions": []}


def write_gold(gold_dir: Path, corpus_dir: Path = DEFAULT_CORPUS) -> dict[str, dict]:
    """Write the fixture gold for every corpus document; return it by document id."""
    corpus = load_corpus(corpus_dir)
    gold_dir.mkdir(parents=True, exist_ok=True)
    catalog = [
        {"id": entity, "name": name, "label": "GPE", "aliases": []}
        for name, entity in ENTITY_NAMES.items()
    ]
    (gold_dir / "entities.json").write_text(json.dumps({"entities": catalog}))
    gold = {}
    for document in corpus.documents():
        layers = gold_layers(document.text)
        record = {
            "doc_id": document.id,
            "text_sha256": corpus.entry(document.id).text_sha256,
            **layers,
        }
        (gold_dir / f"{document.id}.json").write_text(json.dumps(record))
        gold[document.id] = layers
    return gold


PLUGINS_MODULE = '''
import json
from pathlib import Path

from claimbench.models import Extraction, Layer

GOLD = json.loads(Path(__file__).with_name("gold.json").read_text())


class Perfect:
    """Returns the gold entities (read from a copy beside this module: a test oracle)."""

    name, version, layers = "perfect | oracle", "1.0", [Layer.ENTITIES]
    config = {"source": "oracle"}

    def extract(self, document):
        return Extraction(entities=GOLD[document.id]["entities"])


class Nothing:
    name, version, layers = "nothing", "1.0", [Layer.ENTITIES, Layer.NUMBERS]

    def extract(self, document):
        return Extraction(entities=[], numbers=[])


class Raises:
    name, version, layers = "raises", "1.0", [Layer.ENTITIES]

    def extract(self, document):
        raise RuntimeError(f"cannot read {document.id}")


class Counter:
    """Not deterministic: the second run differs."""

    name, version, layers = "counter", "1.0", [Layer.ENTITIES]
    calls = 0

    def extract(self, document):
        self.calls += 1
        return Extraction(entities=[] if self.calls <= 5 else [
            {"start": 0, "end": 1, "label": "ORG"}])


def make_nothing():
    return Nothing()


NOTHING = Nothing()
'''


def write_plugins_module(folder: Path, gold: dict[str, dict]) -> str:
    """Write the `cb_test_plugins` module into `folder` (put it on sys.path); return its name."""
    (folder / "cb_test_plugins.py").write_text(PLUGINS_MODULE)
    (folder / "gold.json").write_text(json.dumps(gold))
    return "cb_test_plugins"


def fake_distribution(
    site: Path, name: str, entry_points: dict[str, str], requires: tuple[str, ...] = ()
) -> None:
    """Metadata of an installed distribution `name` with `claimbench.extractors` entry points
    (and `Requires-Dist` lines), so that `importlib.metadata` finds them when `site` is on
    sys.path."""
    info = site / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    requirements = "".join(f"Requires-Dist: {line}\n" for line in requires)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n{requirements}"
    )
    lines = "".join(f"{key} = {value}\n" for key, value in entry_points.items())
    (info / "entry_points.txt").write_text(f"[claimbench.extractors]\n{lines}")


FAULTY_PLUGIN = """
import json, os, sys, time

sys.path.insert(0, {examples!r})
from command_plugin import numbers

BEHAVIOUR = {behaviour!r}
if {header!r}:
    print(json.dumps({{"claimbench_plugin": {{"name": "faulty", "version": "1"}}}}), flush=True)

for line in sys.stdin:
    document = json.loads(line)
    doc_id = document["id"]
    what = BEHAVIOUR.get(doc_id, "ok")
    print(f"pid {{os.getpid()}} working on {{doc_id}}", file=sys.stderr, flush=True)
    if what == "crash":
        print("Traceback: simulated crash", file=sys.stderr, flush=True)
        sys.exit(7)
    if what == "hang":
        time.sleep(600)
    if what == "garbage":
        print("<html>not json</html>", flush=True)
        continue
    if what == "wrong_id":
        print(json.dumps({{"doc_id": "someone-else", "numbers": []}}), flush=True)
        continue
    found = numbers(document["text"])
    if what == "offsets":
        found[0]["end"] = len(document["text"]) + 50
        found[0]["text"] = None
    print(json.dumps({{"doc_id": doc_id, "numbers": found}}), flush=True)
"""


def faulty_plugin(folder: Path, behaviour: dict[str, str], *, header: bool = False) -> str:
    """Write a command plugin that misbehaves per document as `behaviour` says and otherwise
    answers like examples/command_plugin.py (the fixture gold's numbers); return its command.
    With `header`, every process it starts first sends the protocol's header line."""
    script = folder / "faulty_plugin.py"
    source = FAULTY_PLUGIN.format(behaviour=behaviour, examples=str(EXAMPLES), header=header)
    script.write_text(textwrap.dedent(source))
    return f"{PYTHON} {script}"
