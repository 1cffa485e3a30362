"""Scale: parallel extraction on a synthetic corpus, and peak memory as the corpus doubles.

Usage:
    .venv/bin/python benchmarks/bench_scale.py [--documents 100000] [--sleep-ms 10] [--jobs 2]
                                               [--memory-sizes 20000,40000] [--skip-timing]

Timing (issue 9): `claimbench predict` with a plugin that sleeps 10 ms per document
(`bench_scale_plugin.Sleepy`, a stand-in for a large model) over a JSON Lines corpus of
--documents synthetic documents, run serially, with `--jobs 2` and on a Dask LocalCluster of two
worker processes (one thread each). The three prediction files must be byte-identical. Target:
`--jobs 2` and Dask near half the serial wall time.

Memory: for each size of --memory-sizes (each double the previous), the peak resident memory of
(a) `claimbench predict` streaming the corpus (plugin without sleep), and (b) scoring streamed
one document at a time through `claimbench.scoring.Scorer` (entities and numbers, 1,000
bootstrap resamples, `detail=False` as `--summary` scores: corpus-level figures only), each in
its own process; for (b) also the peak after every document was added (alignment and counts)
and before `Scorer.result()` builds the `Scores`. Target: flat as the corpus doubles.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

# The script's own folder is on sys.path when it runs as `python benchmarks/bench_scale.py`.
from bench_scale_plugin import answers, document_text
from machine import describe_machine

PLUGIN = "bench_scale_plugin:Sleepy"
HERE = Path(__file__).resolve().parent


def claimbench() -> str:
    """The `claimbench` script of this environment."""
    return str(Path(sys.executable).parent / "claimbench")


def write_corpus(folder: Path, documents: int) -> tuple[Path, Path]:
    """A JSON Lines corpus of `documents` synthetic documents and its gold (same format as
    predictions: the exact answers); returns both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus, gold = folder / "corpus.jsonl", folder / "gold.jsonl"
    with corpus.open("w") as texts, gold.open("w") as answers_file:
        for index in range(documents):
            doc_id, text = f"doc-{index:06d}", document_text(index)
            texts.write(json.dumps({"id": doc_id, "text": text, "metadata": {}}) + "\n")
            answers_file.write(json.dumps({"doc_id": doc_id, **answers(text)}) + "\n")
    return corpus, gold


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall seconds, peak resident memory (KiB) and stdout of `command`, run from this folder."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, cwd=HERE, env=env, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        stdout.seek(0)
        stderr.seek(0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{stderr.read().decode()}")
        return seconds, usage.ru_maxrss, stdout.read().decode()


def predict(corpus: Path, out: Path, extra: list[str], sleep_ms: float) -> tuple[float, int]:
    """Run `claimbench predict` with the sleepy plugin; wall seconds and peak memory."""
    env = {**os.environ, "CB_BENCH_SLEEP_MS": str(sleep_ms)}
    command = [claimbench(), "predict", PLUGIN, "--corpus", str(corpus), "-o", str(out), *extra]
    seconds, peak, _ = run_measured(command, env)
    return seconds, peak


def timing(work: Path, documents: int, sleep_ms: float, jobs: int) -> None:
    """Serial, `--jobs N` and Dask wall times over the same corpus; outputs must be identical."""
    from distributed import LocalCluster

    corpus, _ = write_corpus(work / "timing", documents)
    runs = {"serial": [], f"--jobs {jobs}": ["--jobs", str(jobs)]}
    results = {
        name: predict(corpus, work / f"{index}.jsonl", extra, sleep_ms)
        for index, (name, extra) in enumerate(runs.items())
    }
    with LocalCluster(
        n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        extra = ["--dask", cluster.scheduler_address]
        results[f"--dask ({jobs} workers)"] = predict(corpus, work / "dask.jsonl", extra, sleep_ms)
    outputs = [work / "0.jsonl", work / "1.jsonl", work / "dask.jsonl"]
    identical = len({path.read_bytes() for path in outputs}) == 1
    serial = results["serial"][0]
    print(f"documents: {documents}, plugin sleep {sleep_ms:g} ms per document")
    print(f"ideal serial time (sleep only): {documents * sleep_ms / 1000:.1f} s")
    for name, (seconds, _) in results.items():
        print(f"  {name:22} {seconds:8.1f} s   {serial / seconds:5.2f}x of serial speed")
    print(f"  prediction files byte-identical: {identical}")


def memory(work: Path, sizes: list[int]) -> None:
    """Peak memory of streamed prediction and streamed scoring at each corpus size."""
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("peak resident memory (MiB), each step in its own process:")
    print(f"  (a child's peak includes this script's {floor:.1f} MiB, copied at fork)")
    for size in sizes:
        corpus, gold = write_corpus(work / f"memory-{size}", size)
        predictions = corpus.with_name("predictions.jsonl")
        _, predict_kib = predict(corpus, predictions, [], 0)
        command = [sys.executable, __file__, "--score-stream", str(corpus), str(gold),
                   str(predictions)]  # fmt: skip
        seconds, score_kib, report = run_measured(command, dict(os.environ))
        child = json.loads(report)
        print(
            f"  {size:7d} documents: predict {predict_kib / 1024:6.1f}   score: after adding "
            f"every document {child['added_mib']:6.1f}, peak {score_kib / 1024:6.1f} "
            f"({seconds:.1f} s; F1 {child['f1']})"
        )


def records(path: Path) -> Iterator[dict]:
    """The JSON objects of a JSON Lines file, one at a time."""
    with path.open() as handle:
        for line in handle:
            yield json.loads(line)


def score_stream(corpus: Path, gold: Path, predictions: Path) -> None:
    """Score the three files in lockstep, one document at a time; print (JSON) the peak memory
    after every document was added, and the headline F1s."""
    from claimbench.models import Extraction, Layer
    from claimbench.scoring import Scorer, ScoringSettings

    layers = [Layer.ENTITIES, Layer.NUMBERS]
    scorer = Scorer(layers, ScoringSettings(resamples=1000, seed=0, detail=False))
    for document, expected, predicted in zip(
        records(corpus), records(gold), records(predictions), strict=True
    ):
        if not document["id"] == expected["doc_id"] == predicted["doc_id"]:
            raise SystemExit(f"files out of step at {document['id']}")
        scorer.add(
            document["id"],
            document["text"],
            Extraction.model_validate({k: v for k, v in expected.items() if k != "doc_id"}),
            Extraction.model_validate({k: v for k, v in predicted.items() if k != "doc_id"}),
        )
    added = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    scores = scorer.result()
    f1 = {layer.value: round(scores.layers[layer].f1.value, 4) for layer in layers}
    print(json.dumps({"added_mib": round(added, 1), "f1": f1}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--sleep-ms", type=float, default=10.0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--memory-sizes", default="20000,40000")
    parser.add_argument("--skip-timing", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--score-stream", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.score_stream:
        score_stream(*args.score_stream)
        return
    print(f"machine: {describe_machine()}")
    # Memory first: a child's peak includes this process's memory at fork, which grows once
    # the timing phase has run a Dask cluster here.
    with tempfile.TemporaryDirectory(prefix="claimbench-scale-") as tmp:
        work = Path(tmp)
        if not args.skip_memory:
            memory(work, [int(size) for size in args.memory_sizes.split(",")])
        if not args.skip_timing:
            timing(work, args.documents, args.sleep_ms, args.jobs)


if __name__ == "__main__":
    main()
