"""Each prediction is parsed and checked once (issue 16): by `claimbench evaluate --record`
(a plugin's answer where the harness receives it, a file's line where it is read; nothing
after), and each submission file once by `claimbench leaderboard build`; and each corpus text
is read and SHA-256-hashed once by `claimbench evaluate --record`.

Validations are counted on the models' own validators (`__pydantic_validator__`, which both
`model_validate` and the constructor call) and on the compiled first check of a file's line
(`validate_record`, which calls pydantic's only for a line its Struct refuses), span checks
on `span_problems` wherever it is imported, so that no path can validate or check again
unseen. A line decoded straight into its record (`decode_record`, for a file that leaves its
nulls out, as `claimbench predict` writes it) is counted as its one check."""

import builtins
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from leaderboard_support import make_project, populate

from claimbench.corpus import store
from claimbench.extractors import runner
from claimbench.leaderboard.submissions import Submission
from claimbench.models import Extraction, PredictionRecord
from claimbench.paths import DEFAULT_CORPUS
from claimbench.reporting import provenance
from claimbench.validation import items, predictions

DOCS = json.loads((DEFAULT_CORPUS / "manifest.json").read_text())["documents"]


class CountingValidator:
    """A model's validator that counts its top-level validations, then validates."""

    def __init__(self, validator: Any, counts: Counter[str], name: str) -> None:
        self.validator, self.counts, self.name = validator, counts, name

    def validate_python(self, *args: Any, **kwargs: Any) -> Any:
        self.counts[self.name] += 1
        return self.validator.validate_python(*args, **kwargs)

    def validate_json(self, *args: Any, **kwargs: Any) -> Any:
        self.counts[self.name] += 1
        return self.validator.validate_json(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.validator, name)


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Validations by model, and span checks by document id."""
    found: Counter[str] = Counter()
    for model in (Extraction, PredictionRecord, Submission):
        # Contract models build their validator when first used (`defer_build`): built now,
        # so that a first use during the command does not replace the counting one.
        model.model_rebuild()
        counting = CountingValidator(model.__pydantic_validator__, found, model.__name__)
        monkeypatch.setattr(model, "__pydantic_validator__", counting)
    original_record = predictions.validate_record

    def record_spy(value: object) -> PredictionRecord:
        found["validate_record"] += 1
        return original_record(value)

    monkeypatch.setattr(predictions, "validate_record", record_spy)
    original_decode = predictions.decode_record

    def decode_spy(line: bytes) -> PredictionRecord | None:
        record = original_decode(line)
        found["decode_record"] += record is not None
        return record

    monkeypatch.setattr(predictions, "decode_record", decode_spy)
    original = items.span_problems

    def spy(extraction: Extraction, text: str, where: Any) -> list:
        found[f"checked {where.file} {where.doc_id}"] += 1
        return original(extraction, text, where)

    for module in (items, predictions, runner):
        monkeypatch.setattr(module, "span_problems", spy)
    return found


def _checked(counts: Counter[str], source: str) -> Counter[str]:
    """Span checks by document id of the items read from `source` (a file or a folder)."""
    prefix = f"checked {source}"
    checked: Counter[str] = Counter()
    for key, n in counts.items():
        if key.startswith(prefix):
            checked[key.rsplit(" ", 1)[1]] += n
    return checked


PLUGIN = '''
class FirstCharacter:
    """Calls every document's first character a place, in a plain dict (so that every
    validation counted is the harness's own)."""

    name, version, layers = "first-character", "1.0", ["entities", "numbers"]

    def extract(self, document):
        return {"entities": [{"start": 0, "end": 1, "label": "GPE"}], "numbers": []}
'''


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The test plugin, importable; its target."""
    (tmp_path / "cb_count_plugin.py").write_text(PLUGIN)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "cb_count_plugin", raising=False)
    return "cb_count_plugin:FirstCharacter"


def _with_nulls(path: Path) -> None:
    """Rewrite a predictions file as a writer that gives every member, nulls included, does."""
    records = [json.loads(line) for line in path.read_text().splitlines()]
    full = [PredictionRecord.model_validate(r).model_dump(mode="json") for r in records]
    path.write_text("".join(json.dumps(r) + "\n" for r in full))


@pytest.mark.parametrize("source", ["plugin", "file", "file with nulls"])
def test_evaluate_record_parses_and_checks_each_prediction_once(
    run_cli, tmp_path: Path, counts: Counter[str], plugin: str, source: str
) -> None:
    board = tmp_path / "board"
    if source.startswith("file"):
        path = tmp_path / "p.jsonl"
        assert run_cli("predict", plugin, "-o", path).exit_code == 0
        if source == "file with nulls":
            _with_nulls(path)
        counts.clear()
        args = ["--predictions", path]
    else:
        args = [plugin]
    result = run_cli("evaluate", *args, "--record", "--leaderboard", board, "--resamples", "0")
    assert result.exit_code == 0, result.output
    assert len(list((board / "submissions").glob("*.json"))) == 1
    # One validation per document: the plugin's answer (`coerce_extraction`) or the file's
    # line (`read_predictions`: decoded straight into its record, or its Struct accepting
    # it); none when it is scored or recorded.
    validations = sum(counts[name] for name in (
        "Extraction", "PredictionRecord", "validate_record", "decode_record"))  # fmt: skip
    assert validations == len(DOCS)
    assert counts["validate_record"] == (len(DOCS) if source == "file with nulls" else 0)
    assert counts["decode_record"] == (len(DOCS) if source == "file" else 0)
    source = str(path) if source.startswith("file") else "plugin first-character"
    assert _checked(counts, source) == {doc["id"]: 1 for doc in DOCS}


def test_leaderboard_build_parses_and_checks_each_submission_once(
    run_cli, tmp_path: Path, counts: Counter[str]
) -> None:
    corpus_dir, gold_dir, board = make_project(tmp_path)
    populate(corpus_dir, gold_dir, board)
    files = sorted((board / "submissions").glob("*.json"))
    records = Counter(
        record["doc_id"] for path in files for record in json.loads(path.read_text())["predictions"]
    )
    counts.clear()
    result = run_cli("leaderboard", "build", "--leaderboard", board, "--corpus", corpus_dir,
                     "--gold", gold_dir, "--resamples", "0", "--test-resamples", "1")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert counts["Submission"] == len(files)
    validations = sum(counts[name] for name in (
        "Extraction", "PredictionRecord", "validate_record", "decode_record"))  # fmt: skip
    assert validations == 0  # inside the submission's
    # Each record's spans once (the gold's are checked by `load_gold`, not counted here).
    checked = _checked(counts, str(board / "submissions"))
    assert checked == records


@pytest.fixture
def text_uses(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Reads of the corpus's text files (any opening of one) and SHA-256 hashes of them (the
    manifest check, or the provenance's file digest), by file name."""
    found: Counter[str] = Counter()
    texts = (DEFAULT_CORPUS / "texts").resolve()

    def counted(name: str, original: Any) -> Any:
        def spy(path: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(path, str | os.PathLike) and Path(path).resolve().parent == texts:
                found[f"{name} {Path(path).name}"] += 1
            return original(path, *args, **kwargs)

        return spy

    monkeypatch.setattr(Path, "open", counted("read", Path.open))  # read_bytes, read_text too
    monkeypatch.setattr(builtins, "open", counted("read", builtins.open))  # not through Path
    check = store.check_canonical_text
    monkeypatch.setattr(
        store,
        "check_canonical_text",
        lambda p, e, t: counted("hashed", lambda *_: check(p, e, t))(p),
    )
    monkeypatch.setattr(provenance, "file_sha256", counted("hashed", provenance.file_sha256))
    return found


@pytest.mark.parametrize("source", ["plugin", "file"])
def test_evaluate_record_reads_and_hashes_each_text_once(
    run_cli, tmp_path: Path, text_uses: Counter[str], plugin: str, source: str
) -> None:
    """The gold's check, the plugin, the scorer, the claims and the provenance's corpus hash
    all take a text from one read (`Corpus.document`), checked against the manifest's
    SHA-256 there (`Corpus.text_sha256`)."""
    board = tmp_path / "board"
    args = [plugin]
    if source == "file":
        path = tmp_path / "p.jsonl"
        assert run_cli("predict", plugin, "-o", path).exit_code == 0
        text_uses.clear()
        args = ["--predictions", path]
    result = run_cli("evaluate", *args, "--record", "--leaderboard", board, "--resamples", "0")
    assert result.exit_code == 0, result.output
    names = [Path(doc["text_path"]).name for doc in DOCS]
    assert text_uses == Counter(
        {f"{use} {name}": 1 for name in names for use in ("read", "hashed")}
    )
