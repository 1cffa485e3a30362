"""Peak memory of `claimbench score` from the command line as the corpus doubles (issue 9).

Usage:
    .venv/bin/python benchmarks/bench_stream_score.py [--sizes 25000,50000,100000]
                                                      [--resamples 1000]

For each size, a synthetic JSON Lines corpus (`bench_scale_plugin.document_text`), its gold
(the exact answers, predictions format) and predictions (the gold minus the last number of
every seventh document, as `bench_scale_plugin.Sleepy` answers) are written, then

    claimbench score --corpus corpus.jsonl --gold gold.jsonl --predictions p.jsonl [--summary]

runs in a fresh child process, with and without `--summary` (per-document figures kept: the
peer; results written with `--output`, the table on stdout). The peak resident memory is
the child's `ru_maxrss` from `os.wait4`. Target: with
`--summary`, flat as the corpus doubles.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The script's own folder is on sys.path when it runs as `python benchmarks/...`.
from bench_scale import claimbench, write_corpus
from bench_scale_plugin import answers, document_text
from machine import describe_machine


def write_predictions(path: Path, documents: int) -> None:
    """What `bench_scale_plugin.Sleepy` predicts, written directly (no plugin run)."""
    with path.open("w") as handle:
        for index in range(documents):
            found = answers(document_text(index))
            if index % 7 == 0:
                found["numbers"] = found["numbers"][:-1]
            handle.write(json.dumps({"doc_id": f"doc-{index:06d}", **found}) + "\n")


def run(command: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak resident memory (KiB) and stdout (the small results table) of
    `command`. Nothing large is read back here: a child's peak includes this process's memory
    at fork."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        stdout.seek(0)
        stderr.seek(0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{stderr.read().decode()}")
        return seconds, usage.ru_maxrss, stdout.read().decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="25000,50000,100000")
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args()
    print(f"machine: {describe_machine()}")
    print("claimbench score, peak resident memory (MiB) of the child process, wall time:")
    with tempfile.TemporaryDirectory(prefix="claimbench-stream-") as tmp:
        for size in [int(size) for size in args.sizes.split(",")]:
            folder = Path(tmp) / str(size)
            corpus, gold = write_corpus(folder, size)
            predictions = folder / "predictions.jsonl"
            write_predictions(predictions, size)
            base = [claimbench(), "score", "--corpus", str(corpus), "--gold", str(gold),
                    "--predictions", str(predictions), "--resamples", str(args.resamples),
                    "--output", str(folder / "results.json")]  # fmt: skip
            figures = {}
            for name, extra in (("--summary", ["--summary"]), ("per-document", [])):
                seconds, kib, table = run(base + extra)
                figures[name] = (seconds, kib / 1024, table)
            (s_sec, s_mib, s_table), (d_sec, d_mib, d_table) = figures.values()
            assert s_table == d_table, "summary and per-document figures differ"
            numbers = next(line for line in s_table.splitlines() if line.startswith("numbers"))
            print(
                f"  {size:7d} documents: --summary {s_mib:7.1f} MiB ({s_sec:5.1f} s)   "
                f"per-document {d_mib:7.1f} MiB ({d_sec:5.1f} s)   ratio {d_mib / s_mib:4.2f}   "
                f"numbers F1 {numbers.split()[1]}"
            )
            for path in (corpus, gold, predictions):
                path.unlink()
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this script's own peak: {floor:.1f} MiB; python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
