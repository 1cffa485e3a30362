"""Fault injection: every class of fault of the hostile test pass of issue 17, against the real
command line, tallied as the reliability table of benchmarks/RESULTS.md.

Usage (from the project root):
    .venv/bin/python benchmarks/fault_injection.py [--fuzzed 300] [--seed 0]

Each case runs `claimbench` (a child process, except the fuzzed files, which run in-process
through click's test runner to keep the run short) and is judged on three counts:

- handled as documented: the exit code the README gives (0 ok, 2 invalid input or an output
  that cannot be written, 3 the plugin failed), a message naming the file (and line, document,
  field) for bad input, a failure of only the faulty document for a faulty plugin;
- traceback: a traceback of claimbench on stderr (or, in-process, an exception other than the
  exit; a plugin's own traceback, shown indented in a failure's stderr tail, does not count);
- data lost: an existing output file changed by a failed run, a healthy document's prediction
  missing, a temporary file or folder, or a process, left behind.

Prints one line per failed case and the table. Takes about ten minutes on two cores.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from machine import describe_machine

from claimbench.corpus.store import load_corpus
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from claimbench.validation.gold import load_gold

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))  # tests.fuzz_support: the fuzz tests' hostile JSON
CLAIMBENCH = str(Path(sys.executable).with_name("claimbench"))
PYTHON = sys.executable
DOCS = load_corpus(DEFAULT_CORPUS).doc_ids
GOLD = load_gold(DEFAULT_GOLD, load_corpus(DEFAULT_CORPUS)).extractions()
MARK = "CB_FAULT_INJECTION"


@dataclass
class Outcome:
    """How one case went."""

    fault_class: str
    name: str
    handled: bool
    traceback: bool
    lost: bool


@dataclass
class Run:
    """A finished child process."""

    code: int
    stdout: str
    stderr: str


def claimbench(*args: object, env: dict[str, str] | None = None, **popen: object) -> Run:
    result = subprocess.run(
        [CLAIMBENCH, *(str(arg) for arg in args)],
        capture_output=True,
        text=True,
        errors="replace",
        env=env,
        check=False,
        timeout=600,
        **popen,  # type: ignore[arg-type]
    )
    return Run(result.returncode, result.stdout, result.stderr)


def gold_line(doc_id: str, layers: tuple[str, ...] = ("entities", "numbers")) -> dict:
    found = GOLD[doc_id].model_dump(mode="json")
    return {"doc_id": doc_id, **{layer: found[layer] for layer in layers}}


def predictions_file(folder: Path, first: str) -> Path:
    """Every corpus document's gold entities and numbers; the first line replaced by `first`."""
    rest = [json.dumps(gold_line(doc)) for doc in DOCS[1:]]
    path = folder / f"p-{uuid.uuid4().hex[:8]}.jsonl"
    path.write_text("\n".join([first, *rest]) + "\n", errors="surrogatepass")
    return path


def crashed(stderr: str) -> bool:
    """Whether claimbench itself printed a traceback: one at the start of a line. A failed
    document's stderr tail (a plugin's own traceback, which is recorded on purpose) is
    printed indented, `    | Traceback ...`."""
    return any(line.startswith("Traceback") for line in stderr.splitlines())


def located(run: Run, path: Path) -> bool:
    problems = [line for line in run.stderr.splitlines() if line.startswith("  ")]
    return bool(problems) and all(
        line.startswith(f"  {path}") or line.startswith("  ... and") for line in problems
    )


# 1. Hand-made bad predictions files: `validate predictions` and `score` must agree.

NUMBER = '{"start": 0, "end": 6, "label": "CARDINAL", "value": {"low": LOW, "high": 9}}'
ENTITY = '{"start": START, "end": 6, "label": "GPE"}'
SPAN = ENTITY.replace("START", "0")
WITH_ID = SPAN[:-1] + ', "id": "e1"}'


def first_line(numbers: str = "[]", entities: str = "[]", extra: str = "") -> str:
    return f'{{"doc_id": "{DOCS[0]}", "entities": {entities}, "numbers": {numbers}{extra}}}'


def bad_lines() -> dict[str, str]:
    value = {
        f"value {token}": first_line(numbers="[" + NUMBER.replace("LOW", token) + "]")
        for token in ["NaN", "Infinity", "-Infinity", "1e999", "1" + "0" * 5000, "true", '"12"']
    }
    offset = {
        f"offset {token}": first_line(entities="[" + ENTITY.replace("START", token) + "]")
        for token in ["true", '"0"', "0.0", "1e30", "-1", "99999999999999999999", "null"]
    }
    structure = {
        "truncated": first_line()[:40],
        "deep nesting": first_line(extra=', "x": ' + "[" * 100_000 + "]" * 100_000),
        "nesting 70": first_line(extra=', "x": ' + "[" * 70 + "]" * 70),
        "duplicate key": first_line(extra=', "numbers": []'),
        "duplicate doc_id": first_line(extra=f', "doc_id": "{DOCS[1]}"'),
        "lone surrogate": first_line(extra=', "x": "\\ud800"'),
        "not an object": "[1, 2, 3]",
        "unknown field": first_line(extra=', "scores": 1'),
        "unknown label": first_line(entities='[{"start": 0, "end": 6, "label": "X"}]'),
        "offset beyond text": first_line(entities='[{"start": 0, "end": 99999, "label": "GPE"}]'),
        "text mismatch": first_line(entities=f'[{SPAN[:-1]}, "text": "nope!!"}}]'),
        "1 MB text value": first_line(entities=f'[{SPAN[:-1]}, "text": "{"x" * 1_000_000}"}}]'),
        "unknown document": first_line().replace(DOCS[0], "999-nowhere"),
        "document twice": json.dumps(gold_line(DOCS[1])),
        "layer missing": f'{{"doc_id": "{DOCS[0]}", "entities": []}}',
        "end before start": first_line(entities='[{"start": 6, "end": 2, "label": "GPE"}]'),
        "duplicate item id": first_line(entities="[" + ", ".join([WITH_ID] * 2) + "]"),
    }  # fmt: skip
    return {**value, **offset, **structure}


def bad_files(folder: Path) -> list[tuple[str, Path]]:
    files = [(name, predictions_file(folder, line)) for name, line in bad_lines().items()]
    raw = {
        "not UTF-8": b"\xff\xfe" + first_line().encode() + b"\n",
        "byte-order mark": b"\xef\xbb\xbf" + first_line().encode() + b"\n",
        "empty": b"",
        "blank lines only": b"\n \n\t\n",
        "NUL bytes": b"\x00" * 100,
    }
    for name, data in raw.items():
        path = folder / f"raw-{len(files)}.jsonl"
        path.write_bytes(data)
        files.append((name, path))
    return files


def check_bad_file(name: str, path: Path, fault_class: str) -> Outcome:
    before = path.read_bytes()
    validated = claimbench("validate", "predictions", path)
    scored = claimbench("score", "--predictions", path, "--resamples", "0")
    both = (validated, scored)
    handled = (
        validated.code == scored.code == 2
        and all(located(run, path) for run in both)
        and all(len(run.stderr) < 20_000 for run in both)
    )
    traceback = any(crashed(run.stderr) for run in both)
    return Outcome(fault_class, name, handled, traceback, path.read_bytes() != before)


def valid_but_odd_files(folder: Path) -> list[tuple[str, Path]]:
    """Inputs that must be accepted: 10,000 leading blank lines, CRLF line endings."""
    blank = folder / "blank-lines.jsonl"
    blank.write_text("\n" * 10_000 + predictions_file(folder, first_line()).read_text())
    crlf = folder / "crlf.jsonl"
    crlf.write_bytes(predictions_file(folder, first_line()).read_bytes().replace(b"\n", b"\r\n"))
    return [("10,000 leading blank lines", blank), ("CRLF line endings", crlf)]


def check_valid_file(name: str, path: Path, fault_class: str) -> Outcome:
    validated = claimbench("validate", "predictions", path)
    scored = claimbench("score", "--predictions", path, "--resamples", "0")
    both = (validated, scored)
    return Outcome(
        fault_class,
        name,
        validated.code == scored.code == 0,
        any(crashed(run.stderr) for run in both),
        False,
    )


# 2. Fuzzed predictions files, in-process.


def fuzzed_cases(folder: Path, count: int, seed: int) -> list[Outcome]:
    from click.testing import CliRunner
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hypothesis_seed

    from claimbench.cli import main
    from tests.fuzz_support import hostile_text

    outcomes = []
    runner = CliRunner()
    rest = b"".join(json.dumps(gold_line(doc)).encode() + b"\n" for doc in DOCS[1:])

    @hypothesis_seed(seed)
    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(hostile_text(gold_line(DOCS[0])))
    def case(first: bytes) -> None:
        path = folder / f"fuzz-{len(outcomes)}.jsonl"
        path.write_bytes(first + b"\n" + rest)
        results = [
            runner.invoke(main, ["validate", "predictions", str(path)]),
            runner.invoke(main, ["score", "--predictions", str(path), "--resamples", "0"]),
        ]
        crashed = [r for r in results if r.exception and not isinstance(r.exception, SystemExit)]
        codes = {r.exit_code for r in results}
        agree = len(codes) == 1 and codes <= {0, 2}
        handled = agree and not crashed
        if handled and codes == {2}:
            handled = all(
                line.startswith(f"  {path}") or line.startswith("  ... and")
                for r in results
                for line in r.output.splitlines()
                if line.startswith("  ")
            )
        outcomes.append(
            Outcome("fuzzed predictions files", path.name, handled, bool(crashed), False)
        )
        path.unlink()

    case()
    return outcomes


# 3. Faulty command plugins: the faulty document fails, the others are predicted.

PLUGIN = """
import json, os, subprocess, sys, time
FAULT, VICTIM = sys.argv[1], sys.argv[2]
if FAULT.startswith("header"):
    header = {"name": "faulty", "version": "1", "layers": ["numbers"]}
    print(json.dumps({"claimbench_plugin": header}), flush=True)
for line in sys.stdin:
    doc = json.loads(line)
    answer = {"doc_id": doc["id"], "numbers": []}
    if doc["id"] != VICTIM:
        print(json.dumps(answer), flush=True)
        continue
    fault = FAULT.removeprefix("header-")
    if fault == "crash":
        sys.exit(7)
    if fault == "signal":
        os.kill(os.getpid(), 9)
    if fault == "hang":
        time.sleep(600)
    if fault == "garbage":
        print("<html>", flush=True); continue
    if fault == "wrong-id":
        answer["doc_id"] = "someone-else"
    if fault == "nan":
        value = {"low": float("nan"), "high": None}
        number = {"start": 0, "end": 1, "label": "CARDINAL", "value": value}
        print(json.dumps({**answer, "numbers": [number]}), flush=True); continue
    if fault == "deep":
        deep = "[" * 100000 + "]" * 100000
        print(json.dumps(answer)[:-1] + ', "x": ' + deep + "}", flush=True); continue
    if fault == "huge-int":
        print(json.dumps(answer)[:-1] + ', "x": 1' + "0" * 5000 + "}", flush=True); continue
    if fault == "other-layer":
        answer["entities"] = []
    if fault == "no-layer":
        del answer["numbers"]
    if fault == "bool-offset":
        answer["numbers"] = [{"start": True, "end": 2, "label": "CARDINAL"}]
    if fault == "memory":
        hog = bytearray(3 * 1024 ** 3)
    if fault == "cpu":
        while True:
            pass
    if fault == "oversize":
        sys.stdout.write("x" * (20 * 1024 * 1024)); sys.stdout.flush(); time.sleep(600)
    if fault == "close-stdout":
        os.close(1); time.sleep(600)
    if fault == "child-then-crash":
        subprocess.Popen(["sleep", "600"]); sys.exit(3)
    if fault == "exit-0":
        sys.exit(0)
    if fault == "not-utf8":
        sys.stdout.buffer.write(b'{"doc_id": "\\xff"}\\n'); sys.stdout.flush(); continue
    if fault == "half-line":
        sys.stdout.write('{"doc_id": '); sys.stdout.flush(); time.sleep(600)
    if fault == "dup-key":
        print(json.dumps(answer)[:-1] + ', "numbers": []}', flush=True); continue
    print(json.dumps(answer), flush=True)
"""

COMMAND_FAULTS = [
    "crash", "signal", "hang", "garbage", "wrong-id", "nan", "deep", "huge-int", "other-layer",
    "no-layer", "bool-offset", "memory", "cpu", "oversize", "close-stdout", "child-then-crash",
    "exit-0", "not-utf8", "half-line", "dup-key", "header-crash", "header-garbage",
    "header-wrong-id", "header-other-layer", "header-hang",
]  # fmt: skip


def marked(token: str) -> list[int]:
    needle = f"{MARK}={token}".encode()
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def settle(token: str, seconds: float = 60.0) -> bool:
    """Whether every process marked with `token` is gone within `seconds`."""
    end = time.monotonic() + seconds
    while marked(token) and time.monotonic() < end:
        time.sleep(0.2)
    return not marked(token)


def check_command_fault(folder: Path, fault: str, jobs: int) -> Outcome:
    script = folder / "faulty_plugin.py"
    script.write_text(PLUGIN)
    victim = DOCS[2]
    output = folder / f"out-{fault}-{jobs}.jsonl"
    token = uuid.uuid4().hex
    tmp = folder / f"tmp-{token}"
    tmp.mkdir()
    env = {**os.environ, MARK: token, "TMPDIR": str(tmp)}
    run = claimbench(
        "predict", "--command", f"{PYTHON} {script} {fault} {victim}",
        "--timeout", "5", "--cpu-seconds", "2", "--memory-mb", "1024",
        "--env", f"{MARK}={token}", "--jobs", jobs, "--output", output, env=env,
    )  # fmt: skip
    predicted = [json.loads(line)["doc_id"] for line in output.read_text().splitlines()]
    handled = (
        run.code == 0
        and predicted == [doc for doc in DOCS if doc != victim]
        and f"warning: document {victim!r}" in run.stderr
        and run.stderr.count("warning: document") == 1
    )
    lost = not settle(token) or any(tmp.iterdir())
    name = f"{fault} (--jobs {jobs})"
    return Outcome("faulty command plugins", name, handled, crashed(run.stderr), lost)


# 4. Faulty Python plugins.

PYTHON_PLUGINS = """
import os, sys
VICTIM = os.environ["VICTIM"]
def number(value):
    return {"numbers": [{"start": 0, "end": 1, "label": "CARDINAL", "value": value}]}
class Base:
    name, version, layers = "faulty", "1", ["numbers"]
    def extract(self, document):
        if document.id == VICTIM:
            return self.fault()
        return {"numbers": []}
class Raises(Base):
    def fault(self): raise RuntimeError("boom")
class Exits(Base):
    def fault(self): sys.exit(0)
class NotANumber(Base):
    def fault(self):
        return number({"low": float("nan"), "high": None})
class Infinite(Base):
    def fault(self):
        return number({"low": 10 ** 400, "high": None})
class OtherLayer(Base):
    def fault(self): return {"numbers": [], "entities": []}
class NotAMapping(Base):
    def fault(self): return ["numbers"]
class BadOffsets(Base):
    def fault(self): return {"numbers": [{"start": 0, "end": 10 ** 6, "label": "CARDINAL"}]}
class StringOffsets(Base):
    def fault(self): return {"numbers": [{"start": "0", "end": 2, "label": "CARDINAL"}]}
"""

PYTHON_FAULTS = [
    "Raises", "Exits", "NotANumber", "Infinite", "OtherLayer", "NotAMapping", "BadOffsets",
    "StringOffsets",
]  # fmt: skip


def check_python_fault(folder: Path, fault: str, jobs: int) -> Outcome:
    (folder / "cb_faulty_plugins.py").write_text(PYTHON_PLUGINS)
    victim = DOCS[2]
    output = folder / f"out-{fault}-{jobs}.json"
    env = {**os.environ, "PYTHONPATH": str(folder), "VICTIM": victim}
    run = claimbench(
        "evaluate", f"cb_faulty_plugins:{fault}", "--jobs", jobs, "--output", output,
        "--resamples", "0", env=env,
    )  # fmt: skip
    failures = json.loads(output.read_text())["failures"] if output.exists() else []
    handled = run.code == 0 and [f["doc_id"] for f in failures] == [victim]
    name = f"{fault} (--jobs {jobs})"
    return Outcome("faulty Python plugins", name, handled, crashed(run.stderr), False)


# 5. Gold, cache and submission tampering.


def tampered_gold(folder: Path) -> list[tuple[str, Path, Path]]:
    cases = []

    def edit(name: str, change: Callable[[dict], object] | None = None, raw: bytes | None = None):
        gold = folder / f"gold-{len(cases)}"
        shutil.copytree(DEFAULT_GOLD, gold)
        path = gold / f"{DOCS[1]}.json"
        if raw is not None:
            path.write_bytes(raw)
        else:
            document = json.loads(path.read_text())
            change(document)  # type: ignore[misc]
            path.write_text(json.dumps(document, indent=2))
        cases.append((name, gold, path))

    edit("truncated file", raw=(DEFAULT_GOLD / f"{DOCS[1]}.json").read_bytes()[:500])
    edit("another text version", lambda d: d.update(text_sha256="0" * 64))
    edit("span annotated twice", lambda d: d["entities"].append({**d["entities"][0], "id": "twin"}))
    edit(
        "value true",
        lambda d: next(n for n in d["numbers"] if n["value"])["value"].update(low=True),
    )
    edit(
        "offset as a string",
        lambda d: d["entities"][0].update(start=str(d["entities"][0]["start"])),
    )
    edit("unknown entity id", lambda d: d["entities"][0].update(entity="no-such-entity"))
    edit("duplicate key", raw=b'{"doc_id": "x", "doc_id": "y"}')
    return cases


def check_tampered_gold(name: str, gold: Path, path: Path) -> Outcome:
    run = claimbench("validate", "--gold", gold, "gold")
    handled = run.code == 2 and str(path) in run.stderr
    return Outcome("gold tampering", name, handled, crashed(run.stderr), False)


def check_cache_tampering(folder: Path) -> list[Outcome]:
    cache = folder / "cache"
    first = claimbench("predict", "rules", "--cache", cache, "--output", folder / "first.jsonl")
    entries = sorted(cache.glob("*/*/*.json"))
    outcomes = []
    damages = {
        "truncated entry": lambda data: data[: len(data) // 2],
        "NaN in an entry": lambda data: data.replace(b'"low": ', b'"low": NaN, "x": ', 1),
        "deep entry": lambda _: b"[" * 100_000 + b"]" * 100_000,
        "duplicate keys": lambda data: data.replace(b"{", b'{"doc_id": 1, ', 1),
        "not UTF-8": lambda data: b"\xff" + data,
    }
    for (name, damage), entry in zip(damages.items(), entries, strict=False):
        entry.write_bytes(damage(entry.read_bytes()))
        again = claimbench("predict", "rules", "--cache", cache, "--output", folder / "again.jsonl")
        same = (folder / "again.jsonl").read_text() == (folder / "first.jsonl").read_text()
        outcomes.append(
            Outcome(
                "cache tampering",
                name,
                first.code == again.code == 0 and same,
                crashed(again.stderr),
                not same,
            )
        )
    return outcomes


# 6. Outputs that cannot be written.


def limit_file_size() -> None:
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))


def check_outputs(folder: Path, predictions: Path) -> list[Outcome]:
    outcomes = []
    blocker = folder / "a-file"
    blocker.write_text("x\n")
    read_only = Path("/proc/sys") if os.geteuid() == 0 else folder / "read-only"
    if os.geteuid() != 0:
        read_only.mkdir(exist_ok=True)
        read_only.chmod(0o555)
    cases: list[tuple[str, list[object], dict]] = []
    for option in ("--output", "--match-log", "--report"):
        for place, where in (("read-only folder", read_only), ("parent is a file", blocker)):
            target = where / "results.json"
            value = f"markdown={target}" if option == "--report" else target
            cases.append((f"{option} in a {place}", [option, value], {}))
    for option in ("--output", "--match-log"):
        cases.append(
            (
                f"{option} on a full disk",
                [option, folder / "kept.json"],
                {"preexec_fn": limit_file_size},
            )
        )
    cases.append(("--output to /dev/full", ["--output", "/dev/full"], {}))
    for name, args, popen in cases:
        kept = folder / "kept.json"
        kept.write_text("previous\n")
        run = claimbench("score", "--predictions", predictions, "--resamples", "0", *args, **popen)
        handled = run.code == 2 and "cannot write" in run.stderr
        lost = kept.read_text() != "previous\n" or any(folder.glob(".kept.json.*.tmp"))
        outcomes.append(
            Outcome("outputs that cannot be written", name, handled, crashed(run.stderr), lost)
        )
    predict = claimbench(
        "predict", "rules", "--output", folder / "kept.json", preexec_fn=limit_file_size
    )
    outcomes.append(
        Outcome(
            "outputs that cannot be written",
            "predict on a full disk",
            predict.code == 2 and "cannot write" in predict.stderr,
            crashed(predict.stderr),
            (folder / "kept.json").read_text() != "previous\n",
        )
    )
    return outcomes


# 7. Kills.


SLOW = """
import os, subprocess, sys, time
subprocess.Popen(["sleep", "600"])
open(os.path.join(os.environ["STATE"], str(os.getpid())), "w").close()
for line in sys.stdin:
    time.sleep(600)
"""
QUICK = """
import json, sys
for line in sys.stdin:
    print(json.dumps({"doc_id": json.loads(line)["id"], "numbers": []}), flush=True)
"""


def check_kill(folder: Path, kind: str, signum: int, delay: float | None) -> Outcome:
    token = uuid.uuid4().hex
    place = folder / f"kill-{token}"
    tmp, state, out = place / "tmp", place / "state", place / "out"
    for made in (tmp, state, out):
        made.mkdir(parents=True)
    (place / "slow.py").write_text(SLOW)
    (place / "quick.py").write_text(QUICK)
    (out / "kept.jsonl").write_text("previous\n")
    env = {**os.environ, MARK: token, "TMPDIR": str(tmp)}
    common = ["--command", f"{PYTHON} {place / 'slow.py'}", "--timeout", "600",
              "--env", f"{MARK}={token}", "--env", f"STATE={state}"]  # fmt: skip
    if kind == "predict --jobs 2":
        args = ["predict", *common, "--jobs", "2", "--output", out / "kept.jsonl"]
        plugins = 2
    else:
        args = ["evaluate", *common, "--output", out / "kept.jsonl", "--resamples", "0"]
        plugins = 1
    child = subprocess.Popen(
        [CLAIMBENCH, *map(str, args)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    if delay is None:  # in the middle of a document
        end = time.monotonic() + 180
        while len(list(state.iterdir())) < plugins and time.monotonic() < end:
            time.sleep(0.1)
    else:  # at start-up, while workers and plugins are being started
        time.sleep(delay)
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=180)
    if signum == signal.SIGKILL:
        quick = f"{PYTHON} {place / 'quick.py'}"
        claimbench("predict", "--command", quick, "--output", out / "next.jsonl",
                   env={**os.environ, "TMPDIR": str(tmp)})  # fmt: skip
        (out / "next.jsonl").unlink(missing_ok=True)
    gone = settle(token)
    lost = (
        not gone
        or any(tmp.iterdir())
        or sorted(p.name for p in out.iterdir()) != ["kept.jsonl"]
        or (out / "kept.jsonl").read_text() != "previous\n"
    )
    expected = 128 + signal.SIGTERM if signum == signal.SIGTERM else -signal.SIGKILL
    name = f"{kind}, {signal.Signals(signum).name}, " + (
        "mid-document" if delay is None else f"after {delay:g} s"
    )
    traceback = crashed(stderr.decode(errors="replace"))
    return Outcome("kills (SIGTERM, SIGKILL)", name, child.returncode == expected, traceback, lost)


# 8. --env pointing at the gold.


def check_env(folder: Path) -> list[Outcome]:
    link = folder / "gold-link"
    link.symlink_to(DEFAULT_GOLD)
    relative = os.path.relpath(DEFAULT_GOLD, PROJECT_ROOT)
    spellings = {
        "absolute": str(DEFAULT_GOLD),
        "./relative": f"./{relative}",
        "trailing /.": f"{relative}/.",
        "double slash": "/" + str(DEFAULT_GOLD),
        "..": f"harness/../{relative}",
        "symlink": str(link),
        "inside a list": f"/tmp:{relative}",
        "as --opt=PATH": f"--data={relative}/{DOCS[0]}.json",
    }
    outcomes = []
    for name, value in spellings.items():
        run = claimbench("predict", "--command", "true", "--env", f"DATA={value}", cwd=PROJECT_ROOT)
        handled = run.code == 2 and "gold folder" in run.stderr
        outcomes.append(
            Outcome("--env into the gold folder", name, handled, crashed(run.stderr), False)
        )
    return outcomes


def table(outcomes: list[Outcome]) -> str:
    rows = defaultdict(Counter)
    for outcome in outcomes:
        row = rows[outcome.fault_class]
        row["cases"] += 1
        row["handled"] += outcome.handled
        row["tracebacks"] += outcome.traceback
        row["lost"] += outcome.lost
    lines = [
        "| class of fault | cases | handled as documented | tracebacks | data lost |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, row in rows.items():
        lines.append(
            f"| {name} | {row['cases']} | {row['handled']} | {row['tracebacks']} | {row['lost']} |"
        )
    total = Counter()
    for row in rows.values():
        total.update(row)
    lines.append(
        f"| **all** | {total['cases']} | {total['handled']} | {total['tracebacks']} "
        f"| {total['lost']} |"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fuzzed", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    started = time.perf_counter()
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for name, path in bad_files(folder):
            outcomes.append(check_bad_file(name, path, "hand-made bad predictions files"))
        for name, path in valid_but_odd_files(folder):
            outcomes.append(check_valid_file(name, path, "hand-made bad predictions files"))
        outcomes += fuzzed_cases(folder, args.fuzzed, args.seed)
        for fault in COMMAND_FAULTS:
            for jobs in (1, 2):
                outcomes.append(check_command_fault(folder, fault, jobs))
        for fault in PYTHON_FAULTS:
            for jobs in (1, 2):
                outcomes.append(check_python_fault(folder, fault, jobs))
        for name, gold, path in tampered_gold(folder):
            outcomes.append(check_tampered_gold(name, gold, path))
        outcomes += check_cache_tampering(folder)
        valid = predictions_file(folder, json.dumps(gold_line(DOCS[0])))
        outcomes += check_outputs(folder, valid)
        for kind in ("predict --jobs 2", "evaluate --command"):
            for signum in (signal.SIGTERM, signal.SIGKILL):
                for delay in (None, 0.5, 2.0):
                    outcomes.append(check_kill(folder, kind, signum, delay))
        outcomes += check_env(folder)
    for outcome in outcomes:
        if not outcome.handled or outcome.traceback or outcome.lost:
            print(f"NOT HANDLED: {outcome}", file=sys.stderr)
    print(describe_machine())
    print(f"{len(outcomes)} cases in {time.perf_counter() - started:.0f} s")
    print(table(outcomes))


if __name__ == "__main__":
    main()
