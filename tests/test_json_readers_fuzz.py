"""Property-based fuzzing of every JSON reader (issue 17): predictions, gold, submissions, the
prediction cache and command-plugin answers.

Whatever the bytes, a reader either accepts them or refuses them with exit code 2 and a message
that names the file (and line); it never raises anything else, and `validate predictions`
accepts exactly what `score` accepts.
"""

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimbench.cli import main
from claimbench.corpus.store import load_corpus
from claimbench.errors import InputError
from claimbench.extractors.cache import PredictionCache
from claimbench.extractors.command import CommandPlugin
from claimbench.extractors.failures import DocumentError
from claimbench.extractors.isolation import Limits
from claimbench.extractors.plugin import PluginInfo, PluginKind
from claimbench.extractors.runner import DocumentOutcome
from claimbench.leaderboard.submissions import load_submission, submission_paths
from claimbench.models import Extraction, PredictionRecord
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from claimbench.validation.gold import load_gold
from tests.checkout import PROJECT_ROOT
from tests.fuzz_support import hostile_text

CORPUS = load_corpus(DEFAULT_CORPUS)
DOCS = CORPUS.doc_ids
GOLD = load_gold(DEFAULT_GOLD, CORPUS).extractions()
FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def gold_as_predictions(doc_id: str, items: int = 2) -> dict:
    """A few of the gold items of `doc_id`, as a prediction record (a valid base to damage)."""
    layers = GOLD[doc_id].model_dump(mode="json", exclude_none=True)
    return {"doc_id": doc_id, **{name: found[:items] for name, found in layers.items()}}


def invoke(*args: object):
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def assert_located(result, path: Path) -> None:
    """Exit 2, no traceback, and every problem line names `path`."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    problems = [line for line in result.output.splitlines() if line.startswith("  ")]
    assert problems, result.output
    for line in problems:
        assert line.startswith(f"  {path}") or line.startswith("  ... and"), line


@FUZZ
@given(first=hostile_text(gold_as_predictions(DOCS[0])))
def test_predictions_validate_accepts_exactly_what_score_accepts(tmp_path_factory, first):
    path = tmp_path_factory.mktemp("fuzz") / "p.jsonl"
    rest = b"".join(json.dumps(gold_as_predictions(doc)).encode() + b"\n" for doc in DOCS[1:])
    path.write_bytes(first + b"\n" + rest)
    validated = invoke("validate", "predictions", path)
    scored = invoke("score", "--predictions", path, "--resamples", "0")
    assert validated.exit_code in (0, 2)
    assert scored.exit_code == validated.exit_code, (validated.output, scored.output)
    if validated.exit_code == 2:
        assert_located(validated, path)
        assert_located(scored, path)


@pytest.fixture(scope="module")
def gold_copy(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("gold") / "gold"
    shutil.copytree(DEFAULT_GOLD, folder)
    return folder


GOLD_DOCUMENT = json.loads((DEFAULT_GOLD / f"{DOCS[1]}.json").read_text())


@FUZZ
@given(data=hostile_text(GOLD_DOCUMENT))
def test_a_gold_file_is_accepted_or_refused_with_its_name(gold_copy, data):
    path = gold_copy / f"{DOCS[1]}.json"
    path.write_bytes(data)
    try:
        result = invoke("validate", "--gold", gold_copy, "gold")
        assert result.exit_code in (0, 2), result.output
        if result.exit_code == 2:
            assert_located(result, path)
    finally:
        shutil.copy(DEFAULT_GOLD / path.name, path)


SUBMISSION_FILE = submission_paths(PROJECT_ROOT / "leaderboard")[0]
SUBMISSION = json.loads(SUBMISSION_FILE.read_text())


@FUZZ
@given(data=hostile_text(SUBMISSION))
def test_a_submission_is_loaded_or_refused_with_its_name(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("submission") / SUBMISSION_FILE.name
    path.write_bytes(data)
    try:
        load_submission(path)
    except InputError as err:
        assert all(problem.file == str(path) for problem in err.problems)


INFO = PluginInfo(kind=PluginKind.PYTHON, name="fuzz", version="1", target="m:f")
DOCUMENT = CORPUS.document(DOCS[0])
CACHE_ENTRY = {"doc_id": DOCS[0], "extraction": gold_as_predictions(DOCS[0])}
del CACHE_ENTRY["extraction"]["doc_id"]


@FUZZ
@given(data=hostile_text(CACHE_ENTRY))
def test_a_cache_entry_is_used_or_recomputed(tmp_path_factory, data):
    cache = PredictionCache(tmp_path_factory.mktemp("cache"), INFO)
    record = PredictionRecord(doc_id=DOCS[0], **Extraction(numbers=[]).model_dump())
    cache.store(DOCUMENT, DocumentOutcome(DOCS[0], 0.0, prediction=record))
    (entry,) = cache.folder.glob("*/*.json")
    entry.write_bytes(data)
    outcome = cache.lookup(DOCUMENT)
    assert outcome is None or outcome.prediction is not None


ECHO_PLUGIN = """
import json, sys
for line in sys.stdin:
    with open(sys.argv[1], "rb") as answer:
        sys.stdout.buffer.write(answer.read() + b"\\n")
    sys.stdout.flush()
"""


@pytest.fixture(scope="module")
def echo_plugin(tmp_path_factory):
    """A command plugin that answers every document with the bytes of a file."""
    folder = tmp_path_factory.mktemp("echo")
    (folder / "echo.py").write_text(ECHO_PLUGIN)
    answer = folder / "answer.json"
    plugin = CommandPlugin(f"{sys.executable} {folder / 'echo.py'} {answer}", Limits(timeout=10))
    yield plugin, answer
    plugin.close()


@FUZZ
@given(data=hostile_text(gold_as_predictions(DOCS[0])))
def test_a_command_answer_is_a_prediction_or_a_failure_of_its_document(echo_plugin, data):
    plugin, answer = echo_plugin
    answer.write_bytes(data.replace(b"\n", b" "))  # one answer line per document
    try:
        plugin.extract(DOCUMENT)
    except DocumentError as err:
        assert err.message


KEYS = st.text(alphabet='a":\\ \t\u00e9', max_size=4)
JSON_TREES = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(-5, 5), st.text(alphabet='x":\\ \n', max_size=5)
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.lists(st.tuples(KEYS, children), max_size=3),  # members, keys maybe repeated
    ),
    max_leaves=12,
)


def written(tree, ascii_only: bool, separators: tuple[str, str]) -> str:
    """`tree` as JSON, a list of (key, value) pairs written as an object with every pair."""
    if isinstance(tree, list) and tree and all(isinstance(m, tuple) for m in tree):
        members = (
            json.dumps(key, ensure_ascii=ascii_only) + separators[1]
            + written(value, ascii_only, separators)
            for key, value in tree
        )  # fmt: skip
        return "{" + separators[0].join(members) + "}"
    if isinstance(tree, list):
        return "[" + separators[0].join(written(v, ascii_only, separators) for v in tree) + "]"
    return json.dumps(tree, ensure_ascii=ascii_only)


@settings(max_examples=500, deadline=None)
@given(
    tree=JSON_TREES,
    ascii_only=st.booleans(),
    separators=st.sampled_from([(",", ":"), (", ", ": "), (",\n  ", " :\t"), (" , ", "\r\n:")]),
)
def test_duplicate_keys_are_found_exactly_as_a_pair_by_pair_reader_finds_them(
    tree, ascii_only, separators
):
    from claimbench.fileio import JsonSyntaxError, decode_json

    text = written(tree, ascii_only, separators)
    repeated = []

    def pairs(members):
        keys = [key for key, _ in members]
        repeated.extend(key for key in keys if keys.count(key) > 1)
        return dict(members)

    json.loads(text, object_pairs_hook=pairs)
    try:
        decode_json(text)
    except JsonSyntaxError as err:
        assert repeated and "duplicate key" in err.message
    else:
        assert not repeated


@pytest.mark.parametrize(
    ("text", "key", "line", "column"),
    [
        ('{"a": 1, "a": 2}', "a", 1, 10),
        # the key's first spelling is in a nested object, or is a value: not the repeat
        ('{"a": {"b": 1}, "b": 2, "b": 3}', "b", 1, 25),
        ('{"x": "a", "a": 1, "a": 2}', "a", 1, 20),
        ('[{"k": 1},\n {"k": {"k": 1, "z": [1, {"q": 1, "q": 2}]}}]', "q", 2, 35),
        ('{"a" : 1 ,"b":{}, "c":[] ,\r\n "a" :2}', "a", 2, 2),
        ('{"a\\u003a": 1, "a:": 2}', "a:", 1, 16),  # one key, spelt two ways
        ('{"\u00e9t\u00e9": [], "\\u00e9t\\u00e9": 0}', "\u00e9t\u00e9", 1, 13),
    ],
)
def test_a_duplicate_key_is_reported_where_it_repeats_in_its_object(text, key, line, column):
    from claimbench.fileio import JsonSyntaxError, decode_json

    with pytest.raises(JsonSyntaxError) as raised:
        decode_json(text)
    assert (raised.value.message, raised.value.line, raised.value.column) == (
        f"duplicate key {key!r} in an object",
        line,
        column,
    )
