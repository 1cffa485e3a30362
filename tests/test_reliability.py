"""Issue 17: a plugin's or a file's fault costs its own document and nothing more.

One regression test per finding of the hostile test pass (each failed before its fix)."""

import contextlib
import io
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from claimbench.corpus.store import load_corpus
from claimbench.errors import InputError
from claimbench.extractors import plugin as plugin_module
from claimbench.extractors.command import CommandPlugin
from claimbench.extractors.isolation import Limits
from claimbench.extractors.plugin import prints_to_stderr
from claimbench.fileio import iter_jsonl_lines
from claimbench.models import SlotsFile
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from tests.checkout import CLAIMBENCH, PROJECT_ROOT
from tests.plugins_support import faulty_plugin, run_plugin

DOCS = load_corpus(DEFAULT_CORPUS).doc_ids


def run_command(command: str, limits: Limits | None = None):
    plugin = CommandPlugin(command, limits or Limits(timeout=5))
    try:
        return run_plugin(plugin, load_corpus(DEFAULT_CORPUS).documents())
    finally:
        plugin.close()


# Finding 1: a restarted plugin's header line was read as the next document's answer.


@pytest.mark.parametrize("fault", ["crash", "garbage", "wrong_id"])
def test_a_header_sending_plugin_fails_only_the_faulty_document(tmp_path, fault):
    run = run_command(faulty_plugin(tmp_path, {DOCS[0]: fault}, header=True))
    assert [failure.doc_id for failure in run.failures] == [DOCS[0]]
    assert list(run.predictions) == DOCS[1:]
    assert run.info.name == "faulty"


# Findings 2 and 8: numbers that are not finite, and values of the wrong JSON type, passed
# `validate predictions` and crashed `score` (or were read as something else).

NUMBER = {"start": 0, "end": 6, "label": "CARDINAL", "value": {"low": 1, "high": 1}}
ENTITY = {"start": 0, "end": 6, "label": "GPE"}


def predictions_text(first: str) -> str:
    """A predictions file for every corpus document whose first line is `first` (raw JSON)."""
    rest = "".join(f'{{"doc_id": "{doc}", "numbers": [], "entities": []}}\n' for doc in DOCS[1:])
    return first + "\n" + rest


def number_line(low: str) -> str:
    number = f'{{"start": 0, "end": 6, "label": "CARDINAL", "value": {{"low": {low}, "high": 9}}}}'
    return f'{{"doc_id": "{DOCS[0]}", "numbers": [{number}], "entities": []}}'


def entity_line(start: str) -> str:
    entity = f'{{"start": {start}, "end": 6, "label": "GPE"}}'
    return f'{{"doc_id": "{DOCS[0]}", "numbers": [], "entities": [{entity}]}}'


def assert_rejected_by_both(run_cli, path: Path, *fragments: str) -> None:
    for args in (("validate", "predictions", path), ("score", "--predictions", path)):
        result = run_cli(*args)
        assert result.exit_code == 2, (args, result.output)
        for fragment in fragments:
            assert fragment in result.output, (args, fragment, result.output)
        assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("low", "fragments"),
    [
        ("NaN", ["p.jsonl:1", "malformed JSON"]),
        ("Infinity", ["p.jsonl:1", "malformed JSON"]),
        ("-Infinity", ["p.jsonl:1", "malformed JSON"]),
        ("1e999", ["p.jsonl:1", "malformed JSON", "infinity"]),
        ("-1e999", ["p.jsonl:1", "malformed JSON", "infinity"]),
        ("1" + "0" * 400, ["p.jsonl:1", "malformed JSON"]),
        ("true", ["p.jsonl:1", "numbers[0].value.low = True", "must be a number"]),
        ('"12"', ["p.jsonl:1", "numbers[0].value.low = '12'", "must be a number"]),
    ],
)
def test_values_must_be_finite_json_numbers(run_cli, tmp_path, low, fragments):
    path = tmp_path / "p.jsonl"
    path.write_text(predictions_text(number_line(low)))
    assert_rejected_by_both(run_cli, path, *fragments)


@pytest.mark.parametrize(
    ("start", "shown", "given"),
    [
        ("true", "True", "a boolean"),
        ('"0"', "'0'", "a string"),
        ("0.0", "0.0", "a number with a fraction or exponent"),
        ("1e30", "1e+30", "a number with a fraction or exponent"),
        # orjson reads an integer beyond 64 bits as a float: the message says so
        (
            "18446744073709551616",
            "1.8446744073709552e+19",
            "a number with a fraction or exponent (or an integer beyond 64 bits)",
        ),
        ("null", "None", "null"),
        ("[]", "[]", "an array"),
    ],
)
def test_offsets_must_be_json_integers(run_cli, tmp_path, start, shown, given):
    path = tmp_path / "p.jsonl"
    path.write_text(predictions_text(entity_line(start)))
    assert_rejected_by_both(
        run_cli,
        path,
        "p.jsonl:1",
        f"entities[0].start = {shown}",
        f"must be an integer, not {given}",
    )


def test_a_python_plugins_offset_of_the_wrong_type_names_the_type_given():
    from claimbench.extractors.failures import DocumentError
    from claimbench.extractors.plugin import coerce_extraction

    with pytest.raises(
        DocumentError, match=r"entities\.0\.start: must be an integer, not a boolean"
    ):
        coerce_extraction({"entities": [{"start": True, "end": 3, "label": "GPE"}]})


def test_nan_from_a_python_plugin_fails_its_document_not_an_open_bound():
    from claimbench.extractors.failures import DocumentError
    from claimbench.extractors.plugin import coerce_extraction

    for bad in (float("nan"), float("inf"), 10**400, True):
        number = {**NUMBER, "value": {"low": bad, "high": None}}
        with pytest.raises(DocumentError, match=r"value\.low"):
            coerce_extraction({"numbers": [number]})


def test_duplicate_keys_are_refused(run_cli, tmp_path):
    path = tmp_path / "p.jsonl"
    line = f'{{"doc_id": "{DOCS[0]}", "numbers": [], "numbers": [{json.dumps(NUMBER)}]}}'
    path.write_text(predictions_text(line))
    assert_rejected_by_both(run_cli, path, "p.jsonl:1", "duplicate key 'numbers'")


def test_a_layer_missing_from_one_document_is_refused_by_validate_as_by_score(run_cli, tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(predictions_text(f'{{"doc_id": "{DOCS[0]}", "entities": []}}'))
    assert_rejected_by_both(run_cli, path, "p.jsonl:1", f"document '{DOCS[0]}'", "numbers")


def test_leading_blank_lines_are_not_an_empty_file(run_cli, tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text("\n" * 10_000 + predictions_text(entity_line("0")))
    result = run_cli("validate", "predictions", path)
    assert result.exit_code == 0, result.output


def test_long_values_are_shortened_in_messages(run_cli, tmp_path):
    path = tmp_path / "p.jsonl"
    huge = "x" * 1_000_000
    entity = {"start": 0, "end": 6, "label": "GPE", "text": huge}
    line = json.dumps({"doc_id": DOCS[0], "numbers": [], "entities": [entity]})
    path.write_text(predictions_text(line))
    result = run_cli("validate", "predictions", path)
    assert result.exit_code == 2
    assert len(result.output) < 2_000, len(result.output)


def test_gold_may_not_annotate_the_same_span_twice(run_cli, tmp_path):
    gold = tmp_path / "gold"
    shutil.copytree(DEFAULT_GOLD, gold)
    path = gold / f"{DOCS[0]}.json"
    document = json.loads(path.read_text())
    twin = {**document["entities"][0], "id": "twin-of-first"}
    document["entities"].append(twin)
    path.write_text(json.dumps(document, indent=2))
    result = run_cli("validate", "--gold", gold, "gold")
    assert result.exit_code == 2, result.output
    assert f"document '{DOCS[0]}'" in result.output
    assert f"entities[{len(document['entities']) - 1}]" in result.output
    assert "annotated twice" in result.output
    assert document["entities"][0]["id"] in result.output


# Finding 4: a single document's problem ended the whole run (or made it exit 0 with nothing).

ODD_PLUGIN = """
import json, sys
HEADER = {header}
if HEADER:
    print(json.dumps(HEADER), flush=True)
for line in sys.stdin:
    doc_id = json.loads(line)["id"]
    answer = {{"doc_id": doc_id, "numbers": []}}
    if doc_id == {odd!r}:
        answer.update({odd_answer})
    print(json.dumps(answer), flush=True)
"""


HEADER = {"claimbench_plugin": {"name": "odd", "version": "1", "layers": ["numbers"]}}


def odd_command(folder: Path, odd_answer: str, header: dict | None) -> str:
    script = folder / "odd_plugin.py"
    script.write_text(ODD_PLUGIN.format(header=header, odd=DOCS[2], odd_answer=odd_answer))
    return f"{sys.executable} {script}"


def evaluate_fails_only_the_odd_document(run_cli, tmp_path, *args: str, cause: str) -> dict:
    output = tmp_path / "results.json"
    result = run_cli("evaluate", *args, "--output", output, "--resamples", "0")
    assert result.exit_code == 0, result.output
    results = json.loads(output.read_text())
    assert [(f["doc_id"], f["cause"]) for f in results["failures"]] == [(DOCS[2], cause)]
    return results


@pytest.mark.parametrize(
    ("odd_answer", "header", "cause"),
    [
        ('{"entities": []}', HEADER, "invalid_prediction"),
        ('{"entities": []}', None, "invalid_prediction"),
        ('{"numbers": None}', None, "invalid_prediction"),
    ],
)  # fmt: skip
def test_a_command_answer_with_other_layers_fails_its_document(
    run_cli, tmp_path, odd_answer, header, cause
):
    command = odd_command(tmp_path, odd_answer, header)
    results = evaluate_fails_only_the_odd_document(
        run_cli, tmp_path, "--command", command, cause=cause
    )
    assert "layers" in results["failures"][0]["message"]


def test_infinity_in_a_command_answer_fails_its_document(run_cli, tmp_path):
    number = '{"start": 0, "end": 6, "label": "CARDINAL", "value": {"low": Infinity, "high": null}}'
    command = odd_command(tmp_path, f'{{"numbers": [json.loads({number!r})]}}', None)
    # the plugin's own json.dumps writes Infinity, which is not JSON
    evaluate_fails_only_the_odd_document(
        run_cli, tmp_path, "--command", command, cause="invalid_json"
    )


PYTHON_PLUGINS = f"""
import sys
class OtherLayer:
    name, version, layers = "other-layer", "1", ["numbers"]
    def extract(self, document):
        if document.id == {DOCS[2]!r}:
            return {{"numbers": [], "entities": []}}
        return {{"numbers": []}}
class Exits:
    name, version, layers = "exits", "1", ["numbers"]
    def extract(self, document):
        if document.id == {DOCS[2]!r}:
            sys.exit(0)
        return {{"numbers": []}}
class UnreadableAnswer:
    name, version, layers = "unreadable", "1", ["numbers"]
    def extract(self, document):
        if document.id != {DOCS[2]!r}:
            return {{"numbers": []}}
        class Answer(dict):
            def keys(self):
                raise RuntimeError("not today")
            def __iter__(self):
                raise RuntimeError("not today")
        return Answer(numbers=[])
class Sleeps:
    name, version, layers = "sleeps", "1", ["numbers"]
    def extract(self, document):
        if document.id == {DOCS[2]!r}:
            import time
            time.sleep(30)  # finite: without a timeout the test fails rather than hangs
        return {{"numbers": []}}
class Spins:
    name, version, layers = "spins", "1", ["numbers"]
    def extract(self, document):
        import time
        end = time.monotonic() + (30 if document.id == {DOCS[2]!r} else 0)
        while time.monotonic() < end:  # pure Python: no call that a signal would cut short
            pass
        return {{"numbers": []}}
class AnswersLate:
    name, version, layers = "answers-late", "1", ["numbers"]
    def extract(self, document):
        import time
        end = time.monotonic() + (2 if document.id == {DOCS[2]!r} else 0)
        while time.monotonic() < end:
            try:
                time.sleep(0.05)
            except BaseException:  # swallows the interruption, answers after its time
                pass
        return {{"numbers": []}}
class NotANumber:
    name, version, layers = "nan", "1", ["numbers"]
    def extract(self, document):
        value = {{"low": float("nan") if document.id == {DOCS[2]!r} else 1, "high": None}}
        number = {{"start": 0, "end": 1, "label": "CARDINAL", "value": value}}
        return {{"numbers": [number]}}
"""


@pytest.mark.parametrize(
    ("plugin", "cause"),
    [
        ("OtherLayer", "invalid_prediction"),
        ("Exits", "exception"),
        ("NotANumber", "invalid_prediction"),
        ("UnreadableAnswer", "exception"),  # a traceback before, ending the whole run
    ],
)
def test_a_python_plugin_fault_on_one_document_fails_that_document(
    run_cli, tmp_path, monkeypatch, plugin, cause
):
    (tmp_path / "cb_odd_plugins.py").write_text(PYTHON_PLUGINS)
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        evaluate_fails_only_the_odd_document(
            run_cli, tmp_path, f"cb_odd_plugins:{plugin}", cause=cause
        )
    finally:
        sys.modules.pop("cb_odd_plugins", None)


# Hostile pass 3: a Python plugin that hung on a document hung the whole run (--timeout was
# for --command plugins only), against DESIGN §9.


@pytest.mark.parametrize("plugin", ["Sleeps", "Spins", "AnswersLate"])
def test_a_python_plugin_past_its_timeout_fails_that_document(
    run_cli, tmp_path, monkeypatch, plugin
):
    (tmp_path / "cb_odd_plugins.py").write_text(PYTHON_PLUGINS)
    monkeypatch.syspath_prepend(str(tmp_path))
    handler = signal.getsignal(signal.SIGALRM)
    try:
        results = evaluate_fails_only_the_odd_document(
            run_cli, tmp_path, f"cb_odd_plugins:{plugin}", "--timeout", "0.5", cause="timeout"
        )
    finally:
        sys.modules.pop("cb_odd_plugins", None)
    assert results["failures"][0]["message"] == "no answer within 0.5 s"
    assert signal.getsignal(signal.SIGALRM) == handler  # put back as it was


def test_a_python_plugin_past_its_timeout_in_a_worker_fails_that_document(tmp_path):
    (tmp_path / "cb_odd_plugins.py").write_text(PYTHON_PLUGINS)
    output = tmp_path / "results.json"
    command = [
        CLAIMBENCH, "evaluate", "cb_odd_plugins:Sleeps",
        "--jobs", "2", "--timeout", "1", "--resamples", "0", "--output", str(output),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    failures = json.loads(output.read_text())["failures"]
    assert [(f["doc_id"], f["cause"]) for f in failures] == [(DOCS[2], "timeout")]


# Finding 9: the --env gold-folder guard was a string check.


@pytest.mark.parametrize(
    "spelling", ["gold", "./gold", "gold/.", ".//gold/", "harness/../gold", "//{gold}", "link"]
)
def test_env_values_pointing_into_gold_are_refused_however_spelled(tmp_path, monkeypatch, spelling):
    from claimbench.errors import UsageError
    from claimbench.extractors.isolation import scrubbed_environment

    monkeypatch.chdir(PROJECT_ROOT)
    (tmp_path / "link").symlink_to(DEFAULT_GOLD)
    value = spelling.format(gold=DEFAULT_GOLD)
    if spelling == "link":
        value = str(tmp_path / "link" / f"{DOCS[0]}.json")
    with pytest.raises(UsageError, match="gold folder"):
        scrubbed_environment(tmp_path, {"DATA": value}, [DEFAULT_GOLD])
    with pytest.raises(UsageError, match="gold folder"):
        scrubbed_environment(tmp_path, {"DATA": f"--input={value}"}, [DEFAULT_GOLD])


def test_env_values_elsewhere_are_passed(tmp_path):
    from claimbench.extractors.isolation import scrubbed_environment

    env = scrubbed_environment(tmp_path, {"MODEL": "small", "DIR": str(tmp_path)}, [DEFAULT_GOLD])
    assert env["MODEL"] == "small" and env["DIR"] == str(tmp_path)


# Finding 7: claims scoring compared every pair of predicted claims of a slot (quadratic).


def quantities_side(values: list[tuple[int, object]]):
    from claimbench.scoring.claims import _Side

    docs = [doc for doc, _ in values]
    quantities = [quantity for _, quantity in values]
    empty = [None] * len(values)
    return _Side(docs, empty, empty, empty, empty, empty, quantities)  # type: ignore[arg-type]


def quantity_strategy():
    from hypothesis import strategies as st

    from claimbench.claims.relations import Quantity

    bound = st.one_of(st.none(), st.integers(-30, 30), st.floats(-30, 30, allow_nan=False))

    def make(low, high, form, unit):
        if low is None and high is None:
            low = 0
        if low is not None and high is not None and low > high:
            low, high = high, low
        return Quantity(low=low, high=high, form=form, unit=unit)

    forms = st.sampled_from(["exact", "approximate", "range", "lower_bound", "alternatives"])
    quantity = st.builds(make, bound, bound, forms, st.sampled_from([None, "km"]))
    return st.lists(st.tuples(st.integers(0, 3), st.one_of(st.none(), quantity)), max_size=30)


def test_contradictions_are_counted_as_relation_judges_every_pair():
    from hypothesis import given, settings

    from claimbench.claims.relations import relation
    from claimbench.models import SlotRelation
    from claimbench.scoring.claims import _count_contradictions

    @settings(max_examples=300, deadline=None)
    @given(quantity_strategy())
    def check(values):
        side = quantities_side(values)
        counted = np.zeros((4, 4))
        _count_contradictions(side, range(len(values)), counted)
        expected = np.zeros((4, 4))
        for (a, qa), (b, qb) in itertools.combinations(values, 2):
            if a == b or qa is None or qb is None:
                continue
            if relation(qa, qb) is SlotRelation.CONTRADICTS:
                expected[min(a, b), max(a, b)] += 1
        assert (counted == expected).all()

    check()


def test_claims_of_one_slot_are_not_compared_pair_by_pair(monkeypatch):
    """2,000 predicted claims in one slot: the old scorer judged 2 million pairs."""
    from claimbench.claims.relations import Quantity
    from claimbench.scoring import claims as claims_module

    calls = []
    original = claims_module.relation
    monkeypatch.setattr(claims_module, "relation", lambda a, b: calls.append(1) or original(a, b))
    values = [(n % 5, Quantity(low=n, high=n, form="exact")) for n in range(2000)]
    side = quantities_side(values)
    counts = np.zeros((5, 5))
    matrices = claims_module._pair_matrices(
        side, side, ["one-slot"] * len(values), {}, SlotsFile(slots=[]), {}, list("abcde")
    )
    claims_module._count_contradictions(side, range(len(values)), counts)
    assert len(calls) == 0
    assert matrices[2].sum() == 2000 * 2000 * 4 / 5 / 2  # links: pairs in different documents
    assert counts.sum() == matrices[5].sum() == matrices[2].sum()  # distinct exact values


@pytest.mark.parametrize(
    ("name", "message"),
    [("x" * 300, "300 characters, expected 1 to 200"), ("bad\udcffname", "not valid UTF-8")],
)
def test_an_over_long_or_non_utf8_name_is_a_usage_error(run_cli, tmp_path, name, message):
    """Finding 8: `leaderboard add --name` ended in a traceback."""
    path = tmp_path / "p.jsonl"
    path.write_text(predictions_text(entity_line("0")))
    result = run_cli(
        "leaderboard", "add", path, "--name", name, "--version", "1",
        "--leaderboard", tmp_path / "board",
    )  # fmt: skip
    assert result.exit_code == 2
    assert f"--name {name[:10]!r}"[:12] in result.output and message in result.output
    assert not (tmp_path / "board").exists()


def test_knock_ons_of_a_restarted_header_plugin_are_gone(run_cli, tmp_path):
    """Finding 1's knock-ons: `plugins check` saw runs that differ, and `--jobs 2` reported
    other failures than a serial run."""
    command = faulty_plugin(tmp_path, {DOCS[0]: "crash", DOCS[3]: "garbage"}, header=True)
    checked = run_cli("plugins", "check", "--command", command)
    assert "PASS  determinism" in checked.output, checked.output
    failed = {}
    for jobs in ("1", "2"):
        output = tmp_path / f"p{jobs}.jsonl"
        result = run_cli("predict", "--command", command, "--jobs", jobs, "--output", output)
        assert result.exit_code == 0, result.output
        failed[jobs] = [line for line in result.stderr.splitlines() if "warning" in line]
        predicted = [json.loads(line)["doc_id"] for line in output.read_text().splitlines()]
        assert predicted == [DOCS[1], DOCS[2], DOCS[4]]
    assert failed["1"] == failed["2"] and len(failed["1"]) == 2


# Hostile pass 2: a Python plugin's print() went into the command's own stdout (the
# predictions of `predict`, the results JSON of `evaluate --format json`).

CHATTY_PLUGIN = """
import os, sys
print("chatty: imported")
class Chatty:
    name, version, layers = "chatty", "1", ["numbers"]
    def __init__(self):
        print("chatty: loaded")
    def extract(self, document):
        print("chatty: extracting", document.id)
        os.write(1, f"chatty: raw {document.id}\\n".encode())  # as a C library would
        sys.__stdout__.write(f"chatty: dunder {document.id}\\n")
        sys.__stdout__.flush()
        return {"numbers": []}
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_python_plugins_prints_go_to_stderr_not_into_the_output(tmp_path, jobs):
    """Also what it writes past `print()`, to file descriptor 1 or `sys.__stdout__` (hostile
    pass 3: it went into the predictions and the results JSON)."""
    (tmp_path / "cb_chatty.py").write_text(CHATTY_PLUGIN)

    def run(*args: str) -> subprocess.CompletedProcess:
        command = [CLAIMBENCH, *args, "cb_chatty:Chatty", "--jobs", jobs]
        return subprocess.run(command, cwd=tmp_path, capture_output=True, check=False, text=True)

    predicted = run("predict")
    assert predicted.returncode == 0, predicted.stderr
    lines = predicted.stdout.splitlines()
    assert [json.loads(line)["doc_id"] for line in lines] == list(DOCS)
    said = {"chatty: imported", "chatty: loaded"} | {
        f"chatty: {what} {doc}" for what in ("extracting", "raw", "dunder") for doc in DOCS
    }
    assert set(predicted.stderr.splitlines()) == said  # workers' lines are whole, not mixed
    evaluated = run("evaluate", "--format", "json", "--resamples", "0")
    assert evaluated.returncode == 0, evaluated.stderr
    assert json.loads(evaluated.stdout)["documents"] == len(DOCS)


CRASHING_PLUGIN = """
import os
os.abort()  # the interpreter dies as the plugin is imported
"""


def test_a_plugin_that_crashes_the_interpreter_is_named_by_file_and_line(tmp_path):
    """A Python plugin runs in claimbench's process: when it takes the interpreter down, the
    fault handler of the `claimbench` script still says where."""
    (tmp_path / "cb_crash.py").write_text(CRASHING_PLUGIN)
    run = subprocess.run(
        [CLAIMBENCH, "predict", "cb_crash:Gone", "--jobs", "2"],
        cwd=tmp_path, capture_output=True, check=False, text=True,
    )  # fmt: skip
    assert run.returncode == -signal.SIGABRT and not run.stdout
    assert "Fatal Python error: Aborted" in run.stderr
    assert f'File "{tmp_path / "cb_crash.py"}", line 3 in <module>' in run.stderr


class _Writes(io.StringIO):
    """A stderr that keeps each write apart."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return len(text)


def test_a_plugins_printed_line_reaches_stderr_in_one_write():
    """CI saw `--jobs 2` workers cut into each other's lines: print() writes its parts one by
    one, and stderr is unbuffered, so each part was its own write to the shared stderr."""
    stderr = _Writes()
    with contextlib.redirect_stderr(stderr), prints_to_stderr():
        print("chatty: extracting", DOCS[0])
        print("two", "lines\nin one print", end=" ")
        print("and more", end="")
        sys.stdout.flush()
        print(" unfinished", end="")
    assert stderr.writes == [
        f"chatty: extracting {DOCS[0]}\n",
        "two lines\n",
        "in one print and more",
        " unfinished",
    ]


# Hostile pass 3 (sixth session).

ODD_PLUGINS = """
import os, pathlib, sys, time

class _Plugin:
    version, layers = "0.1", ["entities"]
    def extract(self, document):
        if document.id == "001-dawn":
            self.act()
        return {"entities": []}

class Slow(_Plugin):
    name = "slow"
    def act(self):
        pathlib.Path("started").touch()
        time.sleep(60)

class Skips(_Plugin):
    name = "skips"
    def act(self):
        class Skipped(BaseException):  # as pytest.skip's outcome is
            pass
        raise Skipped("not today")

class Interrupts(_Plugin):
    name = "interrupts"
    def act(self):
        raise KeyboardInterrupt

class Moves(_Plugin):
    name = "moves"
    def act(self):
        os.chdir("/")
"""


def _odd(tmp_path: Path, target: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
    (tmp_path / "cb_odd.py").write_text(ODD_PLUGINS)
    command = [CLAIMBENCH, args[0], f"cb_odd:{target}", *args[1:]]
    return subprocess.run(command, cwd=tmp_path, capture_output=True, check=False, text=True,
                          **kwargs)  # fmt: skip


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stopping_a_serial_python_plugin_run_stops_it(tmp_path, stop):
    """SIGTERM or Ctrl-C while a Python plugin ran in claimbench's own process was taken for
    the plugin's failure on that document: the run went on, exited 0 and wrote its output."""
    (tmp_path / "cb_odd.py").write_text(ODD_PLUGINS)
    kept = tmp_path / "kept.jsonl"
    kept.write_text("what the user had\n")
    run = subprocess.Popen(
        [CLAIMBENCH, "predict", "cb_odd:Slow", "--output", kept],
        cwd=tmp_path, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not (tmp_path / "started").exists():
        assert time.monotonic() < deadline and run.poll() is None, "the plugin never started"
        time.sleep(0.05)
    run.send_signal(stop)
    assert run.wait(timeout=60) == 128 + stop
    assert kept.read_text() == "what the user had\n"


def test_any_exception_of_a_python_plugin_fails_its_document_only(tmp_path):
    """A `BaseException` that is neither `Exception` nor `SystemExit` (pytest's skip) ended
    the command with a traceback and exit 1."""
    skipped = _odd(tmp_path, "Skips", "predict")
    assert skipped.returncode == 0, skipped.stderr
    assert "warning: document '001-dawn': exception: Skipped: not today" in skipped.stderr
    assert [json.loads(line)["doc_id"] for line in skipped.stdout.splitlines()] == [
        doc for doc in DOCS if doc != "001-dawn"
    ]
    interrupted = _odd(tmp_path, "Interrupts", "predict")  # click printed "Aborted!", exit 1
    assert interrupted.returncode == 130 and "interrupted" in interrupted.stderr


def test_a_plugin_that_changes_folder_does_not_move_the_output(tmp_path):
    moved = _odd(tmp_path, "Moves", "predict", "--output", "out.jsonl")
    assert moved.returncode == 0, moved.stderr
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == len(DOCS)


def test_inputs_that_cannot_be_opened_are_named_with_exit_code_2(run_cli, tmp_path):
    """A symlink loop, a path through a file, a name too long: a traceback and exit 1."""
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    (tmp_path / "file").write_text("x")
    for path, reason in (
        (tmp_path / "a", "Too many levels of symbolic links"),
        (tmp_path / "file" / "p.jsonl", "Not a directory"),
        (tmp_path / ("p" * 300 + ".jsonl"), "File name too long"),
    ):
        result = run_cli("score", "--predictions", path, "--resamples", "0")
        assert result.exit_code == 2, result.output
        assert f"{path}: {reason}" in result.stderr


def test_a_folder_given_as_a_json_lines_file_is_named(tmp_path):
    with pytest.raises(InputError, match="is a directory, expected a file"):
        list(iter_jsonl_lines(tmp_path))


def test_a_named_pipe_without_a_writer_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "p.jsonl"
    os.mkfifo(fifo)
    result = subprocess.run([CLAIMBENCH, "validate", "predictions", fifo], capture_output=True,
                            check=False, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 2 and "is not a regular file" in result.stderr


def test_standard_output_closed_or_gone(tmp_path):
    closed = subprocess.run([CLAIMBENCH, "predict", "rules"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, check=False,
                            preexec_fn=lambda: os.close(1))  # fmt: skip
    assert closed.returncode == 2, closed.stderr
    assert "standard output is closed: give --output FILE" in closed.stderr
    output = tmp_path / "p.jsonl"  # with nowhere for a plugin's prints to be kept from
    written = subprocess.run([CLAIMBENCH, "predict", "rules", "--output", output],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             check=False, preexec_fn=lambda: os.close(1))  # fmt: skip
    assert written.returncode == 0, written.stderr
    assert len(output.read_text().splitlines()) == len(DOCS)
    reader = subprocess.Popen([CLAIMBENCH, "predict", "rules"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)  # fmt: skip
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.read(10)
    reader.stdout.close()  # as `| head -c 10` does
    assert reader.wait(timeout=120) == 141  # as if killed by SIGPIPE, not "a gate failed"
    assert b"Traceback" not in reader.stderr.read()


def test_an_output_never_replaces_the_label_map_file(run_cli, tmp_path):
    mapping = tmp_path / "map.json"
    mapping.write_text('{"ORG": "ORG"}')
    predictions = tmp_path / "p.jsonl"
    assert run_cli("predict", "rules", "--output", predictions).exit_code == 0
    for option in ("--output", "--match-log"):
        result = run_cli("score", "--predictions", predictions, "--label-map", mapping, option,
                         mapping, "--resamples", "0")  # fmt: skip
        assert result.exit_code == 2
        assert f"{option} {mapping}: is the --label-map {mapping} file" in result.stderr
    assert mapping.read_text() == '{"ORG": "ORG"}'


def test_a_predictions_file_name_that_is_not_utf8_is_scored(run_cli, tmp_path):
    source = tmp_path / "p.jsonl"
    assert run_cli("predict", "rules", "--output", source).exit_code == 0
    odd = tmp_path / os.fsdecode(b"odd\xff.jsonl")
    source.rename(odd)
    result = run_cli("score", "--predictions", odd, "--resamples", "0", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["provenance"]["plugin"]["name"] == "odd\ufffd"


class _Quick:
    name, version, layers = "quick", "1", ["entities"]

    def extract(self, document):
        return {"entities": []}


def test_reading_a_python_plugins_answer_is_not_timed_as_the_plugin(monkeypatch):
    """The deadline also covered claimbench's checks of the answer: an interruption that fell
    there (they call back from C) printed "Exception ignored" with a traceback, in about one
    run of ten of a plugin answering near its `--timeout`."""
    checked = plugin_module.coerce_extraction

    def slow_check(answer):
        time.sleep(0.3)  # checks that outlast the timeout: the plugin itself answered at once
        return checked(answer)

    monkeypatch.setattr(plugin_module, "coerce_extraction", slow_check)
    quick = plugin_module.PythonPlugin(_Quick(), "quick", None, timeout=0.1)
    document = load_corpus(DEFAULT_CORPUS).document(DOCS[0])
    assert quick.extract(document).entities == []
