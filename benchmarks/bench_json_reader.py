"""The strict JSON reader against the reader it replaced, on a large predictions file (issue 17).

Usage:
    .venv/bin/python benchmarks/bench_json_reader.py [--documents 50000] [--runs 5]

A predictions file of `--documents` synthetic documents (`bench_stream_score.write_predictions`,
about 700 bytes a line) is read line by line by `claimbench.fileio.iter_jsonl_lines`, the reader
of predictions, gold, corpus and submission files, and by the same function as it was before
this change (`git show 0a0da8a:harness/claimbench/fileio.py`: the standard library's `json`,
which accepted NaN, Infinity, duplicate keys and any depth). The two run alternately in this
process, `--runs` times each; the best and the median of each are reported, and the values
read must be equal. Target: the strict reader is not slower.
"""

import argparse
import statistics
import subprocess
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path

from bench_stream_score import write_predictions
from machine import describe_machine

from claimbench import fileio

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PEER_COMMIT = "0a0da8a"


def peer_reader() -> Callable[[Path], object]:
    """`iter_jsonl_lines` as it was at the peer commit."""
    source = subprocess.run(
        ["git", "show", f"{PEER_COMMIT}:harness/claimbench/fileio.py"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    module = types.ModuleType("peer_fileio")
    exec(compile(source, "peer_fileio.py", "exec"), module.__dict__)
    return module.iter_jsonl_lines


def read_all(reader: Callable[[Path], object], path: Path) -> tuple[float, list]:
    start = time.perf_counter()
    values = [line.value for line in reader(path)]  # type: ignore[attr-defined]
    return time.perf_counter() - start, values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    readers = {"json (before)": peer_reader(), "strict (orjson)": fileio.iter_jsonl_lines}
    times: dict[str, list[float]] = {name: [] for name in readers}
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "p.jsonl"
        write_predictions(path, args.documents)
        size = path.stat().st_size / 1e6
        for _ in range(args.runs):
            values = []
            for name, reader in readers.items():
                seconds, read = read_all(reader, path)
                times[name].append(seconds)
                values.append(read)
            if values[0] != values[1]:
                raise SystemExit("the two readers read different values")
    print(describe_machine())
    print(f"{args.documents:,} lines, {size:.1f} MB, {args.runs} runs each, alternating")
    print("| reader | best | median | MB/s (best) |")
    print("| --- | ---: | ---: | ---: |")
    for name, measured in times.items():
        best, median = min(measured), statistics.median(measured)
        print(f"| {name} | {best:.2f} s | {median:.2f} s | {size / best:.0f} |")
    ratio = min(times["json (before)"]) / min(times["strict (orjson)"])
    print(f"strict reader speed relative to before: {ratio:.2f}x (best of runs)")


if __name__ == "__main__":
    main()
