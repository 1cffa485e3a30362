"""`claimbench evaluate` start to finish, and the `--command` protocol's cost per document.

Usage: .venv/bin/python benchmarks/bench_evaluate.py [--runs 20] [--documents 2000]

Targets (issue 5):

1. `claimbench evaluate` with a plugin that returns nothing, on the five-document corpus and the
   project's gold, under 1 s of wall time including interpreter start-up. Measured as the wall
   time of the whole `claimbench evaluate` process (default 1,000 bootstrap resamples, results
   written with `--output`), for a `--command` plugin and for a Python plugin
   (`package.module:attr`); peer: a bare `python -c pass` start, run in the same loop.
2. The subprocess protocol's overhead per document under 5 ms. Measured in this process over
   --documents documents (the corpus's five, cycled), the plugin already started: claimbench's
   whole per-document path (`extract_document` on a `CommandPlugin`: document to JSON, CPU limit
   moved, exchange under the timeout, JSON parsed, prediction validated, spans checked); peer: a
   plain subprocess echo loop (write the same document line to the same plugin, read its answer
   line, nothing else). The target is judged on claimbench's whole per-document time, which
   includes the plugin's own (tiny) work, so it bounds the overhead from above; the difference
   from the peer is claimbench's own share.

3. Where the time of one `evaluate` goes: the steps of `claimbench evaluate --command`, timed
   one by one in a fresh interpreter (`--steps`), fastest of three. The predictions are held
   in memory here (read from `predictions_from_plugin`, every one kept), so the run and the
   scoring are timed apart; `evaluate` itself scores each document as it finishes.

Every run alternates the measured command and its peer, so load on a shared machine hits both.
"""

import argparse
import itertools
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

# The script's own folder is on sys.path when it runs as `python benchmarks/bench_evaluate.py`.
# claimbench itself is imported inside the functions, so that `--steps` times its imports.
from machine import describe_machine

if TYPE_CHECKING:
    from claimbench.models import Document

EVALUATE_TARGET_SECONDS = 1.0
PER_DOCUMENT_TARGET_MS = 5.0

NOTHING_COMMAND = """\
import json, sys
for line in sys.stdin:
    document = json.loads(line)
    answer = {"doc_id": document["id"], "entities": [], "numbers": [], "attributions": []}
    print(json.dumps(answer), flush=True)
"""

NOTHING_PYTHON = """\
class Nothing:
    name, version, layers = "nothing", "1.0", ["entities", "numbers", "attributions"]

    def extract(self, document):
        return {"entities": [], "numbers": [], "attributions": []}
"""


def wall_time(command: list[str], cwd: Path) -> float:
    """Wall seconds of one run of `command` (which must succeed)."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=cwd)
    return time.perf_counter() - start


def interleaved(commands: dict[str, list[str]], runs: int, cwd: Path) -> dict[str, list[float]]:
    """Wall times of each command, `runs` rounds after one warm-up round, alternating them."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_number in range(runs + 1):
        for name, command in commands.items():
            seconds = wall_time(command, cwd)
            if round_number:
                times[name].append(seconds)
    return times


def echo_loop_seconds(command: list[str], payloads: list[bytes]) -> float:
    """Seconds per document of the peer: write each line to the plugin, read one line back."""
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(payloads[0])
    process.stdin.flush()
    process.stdout.readline()
    start = time.perf_counter()
    for payload in payloads:
        process.stdin.write(payload)
        process.stdin.flush()
        process.stdout.readline()
    seconds = (time.perf_counter() - start) / len(payloads)
    process.stdin.close()
    process.wait()
    return seconds


def claimbench_seconds(command: str, documents: list["Document"]) -> float:
    """Seconds per document of `extract_document` on a started `CommandPlugin`."""
    from claimbench.extractors.command import CommandPlugin
    from claimbench.extractors.isolation import Limits
    from claimbench.extractors.runner import extract_document

    plugin = CommandPlugin(command, Limits())
    try:
        extract_document(plugin, documents[0])
        start = time.perf_counter()
        for document in documents:
            outcome = extract_document(plugin, document)
            assert outcome.failure is None, outcome.failure
        return (time.perf_counter() - start) / len(documents)
    finally:
        plugin.close()


def steps(command: str) -> list[tuple[str, float]]:
    """Seconds of each step of `claimbench evaluate --command COMMAND`, imports included, with
    the predictions held in memory (run in a fresh interpreter; see `main`)."""
    marks = [("start", time.perf_counter())]
    import claimbench.cli  # noqa: F401  (what `claimbench` imports to parse the command line)

    marks.append(("import the command line", time.perf_counter()))
    from claimbench.corpus.store import load_corpus

    marks.append(("import the data models (pydantic)", time.perf_counter()))
    from claimbench.evaluation.pipeline import gold_extractions, score_predictions

    marks.append(("import the scorer (NumPy)", time.perf_counter()))
    from claimbench.errors import Problems
    from claimbench.evaluation.plugin_runs import predictions_from_plugin
    from claimbench.evaluation.sources import Predicted, Started
    from claimbench.extractors.execution import Execution
    from claimbench.extractors.runner import Tally
    from claimbench.extractors.spec import PluginSpec
    from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
    from claimbench.reporting.formats import render
    from claimbench.scoring import ScoringSettings

    started = Started.now()
    corpus = load_corpus(DEFAULT_CORPUS)
    gold = gold_extractions(DEFAULT_GOLD, corpus)
    marks.append(("load corpus and gold", time.perf_counter()))
    spec = PluginSpec(command=command, forbidden=[DEFAULT_GOLD])
    plugin = spec.open()
    marks.append(("open the plugin", time.perf_counter()))
    tally = Tally()
    with predictions_from_plugin(
        spec, corpus, started, tally=tally, how=Execution(), cache_dir=None, opened=plugin
    ) as run:
        found = {each.doc_id: each.extraction for each in run.read(Problems())}
    marks.append(("run it on the documents (its start included)", time.perf_counter()))
    plugin.close()
    marks.append(("close it", time.perf_counter()))
    predicted = Predicted(run.info, found, started, tally.failures)
    results = score_predictions(predicted, gold, settings=ScoringSettings()).results
    marks.append(("score (1,000 resamples) and provenance", time.perf_counter()))
    render(results, "table")
    render(results, "json")
    marks.append(("render table and JSON", time.perf_counter()))
    return [(name, end - begin) for (_, begin), (name, end) in itertools.pairwise(marks)]


def fastest_steps(command: str, runs: int) -> list[tuple[str, float]]:
    """`steps` in `runs` fresh interpreters; the run with the smallest total."""
    outputs = [
        json.loads(
            subprocess.run(
                [sys.executable, __file__, "--steps", command],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for _ in range(runs)
    ]
    return [tuple(step) for step in min(outputs, key=lambda out: sum(s for _, s in out))]


def repeated(runs: int, measure: Callable[[], float]) -> list[float]:
    """`runs` measurements of `measure` (the best is reported: the least disturbed by load)."""
    return [measure() for _ in range(runs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--steps", metavar="COMMAND", help="(internal) time the steps, as JSON")
    args = parser.parse_args()
    if args.steps:
        print(json.dumps(steps(args.steps)))
        return

    # Imported here, not at the top: bench_scale imports claimbench's models, which the
    # `--steps` run above must time itself.
    from bench_scale import claimbench

    from claimbench.corpus.store import load_corpus
    from claimbench.paths import DEFAULT_CORPUS

    corpus = load_corpus(DEFAULT_CORPUS)
    base = list(corpus.documents())
    documents = [base[i % len(base)] for i in range(args.documents)]
    with tempfile.TemporaryDirectory(prefix="bench-evaluate-") as scratch:
        folder = Path(scratch)
        (folder / "nothing_command.py").write_text(NOTHING_COMMAND)
        (folder / "bench_nothing.py").write_text(NOTHING_PYTHON)
        plugin_command = f"{sys.executable} {folder / 'nothing_command.py'}"
        output = str(folder / "results.json")
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "evaluate --command": [claimbench(), "evaluate", "--command", plugin_command],
            "evaluate PYTHON-PLUGIN": [claimbench(), "evaluate", "bench_nothing:Nothing"],
        }
        for name in ("evaluate --command", "evaluate PYTHON-PLUGIN"):
            commands[name] += ["--output", output]
        times = interleaved(commands, args.runs, folder)
        check = json.loads(Path(output).read_text())
        assert check["documents"] == len(base) and not check["failures"], check["failures"]

        payloads = [document.model_dump_json().encode("utf-8") + b"\n" for document in documents]
        argv = [sys.executable, str(folder / "nothing_command.py")]
        rounds = 3
        echo = repeated(rounds, lambda: echo_loop_seconds(argv, payloads))
        ours = repeated(rounds, lambda: claimbench_seconds(plugin_command, documents))
        breakdown = fastest_steps(plugin_command, rounds)

    print(f"machine: {describe_machine()}")
    print(f"evaluate on {len(base)} documents, {args.runs} runs each (medians, worst):")
    bare = statistics.median(times["python -c pass"])
    for name, values in times.items():
        median = statistics.median(values)
        ratio = "" if name == "python -c pass" else f"  ratio to bare start {median / bare:.1f}x"
        print(f"  {name:24} {median * 1000:7.1f} ms  (worst {max(values) * 1000:.1f} ms){ratio}")
    for name in ("evaluate --command", "evaluate PYTHON-PLUGIN"):
        median = statistics.median(times[name])
        verdict = "PASS" if median < EVALUATE_TARGET_SECONDS else "FAIL"
        slow = sum(seconds >= EVALUATE_TARGET_SECONDS for seconds in times[name])
        print(
            f"  target < {EVALUATE_TARGET_SECONDS:g} s, {name} (median): {verdict}; "
            f"{slow} of {len(times[name])} runs at or above it"
        )

    echo_ms, ours_ms = min(echo) * 1000, min(ours) * 1000
    print(f"--command protocol, {args.documents} documents, best of {rounds}:")
    print(f"  plain subprocess echo loop (peer)  {echo_ms:6.3f} ms per document")
    print(f"  claimbench extract_document        {ours_ms:6.3f} ms per document")
    print(f"  claimbench's own share             {ours_ms - echo_ms:6.3f} ms per document")
    print(f"  ratio to the echo loop             {ours_ms / echo_ms:6.2f}x")
    verdict = "PASS" if ours_ms < PER_DOCUMENT_TARGET_MS else "FAIL"
    print(f"  target < {PER_DOCUMENT_TARGET_MS:g} ms per document: {verdict}")

    print(f"where one evaluate --command goes (fresh interpreter, fastest of {rounds}):")
    for name, seconds in breakdown:
        print(f"  {seconds * 1000:7.1f} ms  {name}")
    print(f"  {sum(s for _, s in breakdown) * 1000:7.1f} ms  in all, after the interpreter start")


if __name__ == "__main__":
    main()
