"""Peak memory of `claimbench score` and `claimbench evaluate` from the command line as the
corpus doubles (issue 9).

Usage:
    .venv/bin/python benchmarks/bench_stream_score.py [--sizes 25000,50000,100000]
                                                      [--peer-sizes 25000] [--resamples 1000]
                                                      [--evaluate-sizes 25000,50000]

For each size, a synthetic JSON Lines corpus (`bench_scale_plugin.document_text`), its gold
(the exact answers, predictions format) and predictions (the gold minus the last number of
every seventh document, as `bench_scale_plugin.Sleepy` answers) are written, then

    claimbench score --corpus corpus.jsonl --gold gold.jsonl --predictions p.jsonl [--summary]

runs in a fresh child process with `--summary` and, at the `--peer-sizes` only (it takes
gigabytes and twice the time), without it (per-document figures kept: the peer); results are
written with `--output`, the table is read from stdout, and the two modes' point estimates are
checked equal (their intervals come from different bootstraps). At the `--evaluate-sizes`,

    claimbench evaluate bench_scale_plugin:Sleepy --corpus corpus.jsonl --gold gold.jsonl --summary

runs too (the plugin without its sleep, `CB_BENCH_SLEEP_MS=0`: it answers exactly the
predictions file above, so its table must equal `score --summary`'s, intervals included). The
peak resident memory is the child's `ru_maxrss` from `os.wait4`. Target: with `--summary`, flat
as the corpus doubles. The default run takes about four minutes on two cores.
"""

import argparse
import json
import os
import resource
import sys
import tempfile
from pathlib import Path

# The script's own folder is on sys.path when it runs as `python benchmarks/...`.
from bench_scale import PLUGIN, claimbench, run_measured, write_corpus
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


def point_estimates(table: str) -> list[list[str]]:
    """Each layer's F1, precision and recall in a results table, without the intervals (the
    two modes' bootstraps differ: paragraph bootstrap, Poisson bootstrap)."""
    rows = (row.split() for row in table.splitlines())
    return [[cell for cell in row if "[" not in cell and "]" not in cell] for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="25000,50000,100000")
    parser.add_argument("--peer-sizes", default="25000")
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--evaluate-sizes", default="25000,50000")
    args = parser.parse_args()
    peer_sizes = {int(size) for size in args.peer_sizes.split(",") if size}
    evaluate_sizes = {int(size) for size in args.evaluate_sizes.split(",") if size}
    print(f"machine: {describe_machine()}")
    print("claimbench score and evaluate, peak resident memory (MiB) of the child process, wall "
          "time:")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="claimbench-stream-") as tmp:
        for size in [int(size) for size in args.sizes.split(",")]:
            folder = Path(tmp) / str(size)
            corpus, gold = write_corpus(folder, size)
            predictions = folder / "predictions.jsonl"
            write_predictions(predictions, size)
            base = [claimbench(), "score", "--corpus", str(corpus), "--gold", str(gold),
                    "--predictions", str(predictions), "--resamples", str(args.resamples),
                    "--output", str(folder / "results.json")]  # fmt: skip
            seconds, kib, table = run_measured([*base, "--summary"], dict(os.environ))
            numbers = next(line for line in table.splitlines() if line.startswith("numbers"))
            line = f"  {size:7d} documents: --summary {kib / 1024:7.1f} MiB ({seconds:5.1f} s)"
            if size in peer_sizes:
                peer_seconds, peer_kib, peer_table = run_measured(base, dict(os.environ))
                assert point_estimates(table) == point_estimates(peer_table), "figures differ"
                peer = next(row for row in peer_table.splitlines() if row.startswith("numbers"))
                line += (
                    f"   per-document {peer_kib / 1024:7.1f} MiB ({peer_seconds:5.1f} s)   "
                    f"ratio {peer_kib / kib:4.2f}   numbers interval, paragraph bootstrap: "
                    f"{' '.join(peer.split()[4:])}"
                )
            print(f"{line}   numbers F1 {numbers.split()[1]} {' '.join(numbers.split()[4:])}")
            if size in evaluate_sizes:
                evaluate = [claimbench(), "evaluate", PLUGIN, "--corpus", str(corpus), "--gold",
                            str(gold), "--resamples", str(args.resamples), "--summary",
                            "--output", str(folder / "evaluated.json")]  # fmt: skip
                env = {**os.environ, "CB_BENCH_SLEEP_MS": "0"}
                seconds, kib, evaluated = run_measured(evaluate, env)
                rows = table.splitlines()[1:]  # the first line names the plugin
                assert evaluated.splitlines()[1:] == rows, "evaluate and score figures differ"
                print(f"  {size:7d} documents: evaluate {PLUGIN} --summary {kib / 1024:7.1f} MiB "
                      f"({seconds:5.1f} s; table equal to score --summary's)")  # fmt: skip
            for path in (corpus, gold, predictions):
                path.unlink()
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this script's own peak: {floor:.1f} MiB; python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
