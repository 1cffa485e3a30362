"""Claims scoring as the claims of one slot grow (issue 17, finding 7).

Usage:
    .venv/bin/python benchmarks/bench_claims_scoring.py [--sizes 2500,5000,20000]
                                                       [--peer-sizes 2500,5000]

For each size N, a predictions file for the five corpus documents is written: the gold's
number mentions (values included) and N claims spread evenly over the documents, all with the
same slot key, each on one of the document's numeric gold mentions (cycling) with its gold
counted class and event; the value of each document's first claimed number is set to 1,000, so
that the slot holds agreements and contradictions. Then

    claimbench score --predictions p.jsonl --resamples 0

runs in a fresh child process (the gold folder has claims and slots, so the claims layer is
scored), and its wall time and peak memory are measured. The peer is the same command with the
package, corpus and gold of before this change (`git archive 0a0da8a`; its claims scorer judged
every pair of a slot's claims), at the `--peer-sizes` (it is quadratic: the largest sizes would
take many minutes); both must print the same claims figures. Target: 20,000 claims in one slot
in seconds.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_scale import claimbench, run_measured
from machine import describe_machine

from claimbench.corpus.store import load_corpus
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from claimbench.validation.gold import load_gold

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PEER_COMMIT = "0a0da8a"


def write_predictions(path: Path, claims: int) -> None:
    """The gold numbers, and `claims` claims in one slot over the five documents."""
    gold = load_gold(DEFAULT_GOLD, load_corpus(DEFAULT_CORPUS))
    documents = list(gold.documents.values())
    per_document = claims // len(documents)
    with path.open("w") as handle:
        for document in documents:
            numbers = [number.model_dump(mode="json") for number in document.numbers]
            claimed = {claim.number: claim for claim in document.claims or []}
            numeric = [
                number
                for number in document.numbers
                if number.value is not None and number.id in claimed
            ]
            found = []
            for index in range(per_document):
                number = numeric[index % len(numeric)]
                claim = claimed[number.id]
                found.append(
                    {
                        "number": {"start": number.start, "end": number.end},
                        "counted": claim.counted.value,
                        "event": claim.event.value,
                        "slot": "one-slot",
                    }
                )
            if numeric:
                shifted = numbers[document.numbers.index(numeric[0])]
                shifted["value"] = {"low": 1000, "high": 1000}  # contradicts the others
            record = {"doc_id": document.doc_id, "numbers": numbers, "claims": found}
            handle.write(json.dumps(record) + "\n")


def peer_checkout(folder: Path) -> Path:
    """The package, corpus and gold as they were before this change (`PEER_COMMIT`)."""
    command = ["git", "archive", PEER_COMMIT, "harness", "corpus", "gold"]
    archive = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def run(predictions: Path, checkout: Path | None) -> tuple[float, float, str]:
    """Wall seconds, peak MiB and stdout of one `claimbench score` child process: of this
    package, or of the package, corpus and gold in `checkout`."""
    env = dict(os.environ)
    corpus, gold = DEFAULT_CORPUS, DEFAULT_GOLD
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout / "harness")
        corpus, gold = checkout / "corpus", checkout / "gold"
    sources = ["--corpus", str(corpus), "--gold", str(gold), "--predictions", str(predictions)]
    seconds, peak, stdout = run_measured([claimbench(), "score", *sources, "--resamples", "0"], env)
    return seconds, peak / 1024, stdout


def claims_rows(table: str) -> list[str]:
    """The claims lines of a results table (the figures both scorers must agree on)."""
    return [line for line in table.splitlines() if line.startswith(("claims", "slots"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2500,5000,20000")
    parser.add_argument("--peer-sizes", default="2500,5000")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    peer_sizes = {int(size) for size in args.peer_sizes.split(",") if size}
    print(describe_machine())
    print("| claims in one slot | file | this scorer | peak memory | before (peer) | ratio |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        peer = peer_checkout(folder) if peer_sizes else None
        for size in sizes:
            predictions = folder / f"p{size}.jsonl"
            write_predictions(predictions, size)
            seconds, memory, table = run(predictions, None)
            peer_cell, ratio = "not run", ""
            if size in peer_sizes:
                peer_seconds, _, peer_table = run(predictions, peer)
                if claims_rows(peer_table) != claims_rows(table):
                    raise SystemExit(f"the figures differ:\n{table}\n{peer_table}")
                peer_cell, ratio = f"{peer_seconds:.1f} s", f"{peer_seconds / seconds:.1f}x"
            megabytes = predictions.stat().st_size / 1e6
            print(
                f"| {size:,} | {megabytes:.1f} MB | {seconds:.1f} s | {memory:.0f} MiB | "
                f"{peer_cell} | {ratio} |"
            )
            print("  claims figures:", *claims_rows(table), sep="\n    ", file=sys.stderr)


if __name__ == "__main__":
    main()
