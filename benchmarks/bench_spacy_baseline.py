"""Time the baselines over the corpus, model load included, each run in a fresh process.

Usage: .venv/bin/python benchmarks/bench_spacy_baseline.py [--runs 5]

Target (issue 6): the `spacy` baseline processes the five corpus documents in under 5 s,
including importing spaCy and loading the model. Each run is a new interpreter, so nothing is
cached between runs; the wall time of the whole child process (interpreter start-up included)
is what is compared with the target. The `rules` baseline runs the same way, as its peer.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time

# The script's own folder is on sys.path when it runs as `python benchmarks/...`.
from machine import describe_machine

TARGET_SECONDS = 5.0

CHILD = """
import json, sys, time
start = time.perf_counter()
from claimbench.corpus.store import load_corpus
from claimbench.paths import DEFAULT_CORPUS
from importlib.metadata import entry_points
point = next(p for p in entry_points(group="claimbench.extractors") if p.name == sys.argv[1])
plugin = point.load()()
documents = list(load_corpus(DEFAULT_CORPUS).documents())
plugin.extract(documents[0].model_copy(update={"text": "Warm-up."}))
loaded = time.perf_counter()
counts = [0, 0, 0]
for document in documents:
    out = plugin.extract(document)
    layers = (out.entities, out.numbers, out.attributions)
    counts = [count + len(layer) for count, layer in zip(counts, layers)]
done = time.perf_counter()
print(json.dumps({"load": loaded - start, "extract": done - loaded, "documents": len(documents),
                  "characters": sum(len(d.text) for d in documents), "counts": counts}))
"""


def run_once(name: str) -> dict:
    """One fresh process: its wall time and the child's own load/extract split."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", CHILD, name], check=True, capture_output=True, text=True
    )
    report = json.loads(result.stdout)
    report["wall"] = time.perf_counter() - start
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {describe_machine()}")
    print(f"runs: {args.runs} fresh processes each, medians (worst)")
    for name in ("rules", "spacy"):
        runs = [run_once(name) for _ in range(args.runs)]
        wall = [r["wall"] for r in runs]
        load = statistics.median(r["load"] for r in runs)
        extract = statistics.median(r["extract"] for r in runs)
        first = runs[0]
        print(
            f"{name:6s} total {statistics.median(wall):5.2f} s ({max(wall):.2f} s)  "
            f"import+load {load:5.2f} s  extract {extract:5.3f} s for {first['documents']} "
            f"documents, {first['characters']} characters; "
            f"found entities/numbers/attributions {first['counts']}"
        )
        if name == "spacy":
            verdict = "PASS" if max(wall) < TARGET_SECONDS else "FAIL"
            print(f"target: worst run < {TARGET_SECONDS:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
