"""How long `claimbench --help` takes, against a bare Python start-up in the same run.

Usage: .venv/bin/python benchmarks/bench_startup.py [--runs 30]

Target (issue 2): under 0.3 s, i.e. nothing heavy (spaCy, scikit-learn, SciPy) is imported to
print the help.
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

# The script's own folder is on sys.path when it runs as `python benchmarks/bench_startup.py`.
from machine import describe_machine

TARGET_SECONDS = 0.3


def wall_times(command: list[str], runs: int) -> list[float]:
    """Wall time of each of `runs` runs of `command`, after one warm-up run."""
    subprocess.run(command, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    claimbench = shutil.which("claimbench", path=str(Path(sys.executable).parent))
    if claimbench is None:
        raise SystemExit("claimbench is not installed in this environment: run `make setup`")
    bare = wall_times([sys.executable, "-c", "pass"], args.runs)
    helped = wall_times([claimbench, "--help"], args.runs)
    median_bare, median_help = statistics.median(bare), statistics.median(helped)
    print(f"machine: {describe_machine()}")
    print(f"runs: {args.runs} each, medians")
    print(f"python -c pass      {median_bare * 1000:7.1f} ms")
    print(f"claimbench --help   {median_help * 1000:7.1f} ms  (max {max(helped) * 1000:.1f} ms)")
    print(f"ratio to bare python start-up: {median_help / median_bare:.2f}x")
    verdict = "PASS" if median_help < TARGET_SECONDS else "FAIL"
    print(f"target < {TARGET_SECONDS * 1000:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
