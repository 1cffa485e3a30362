"""Scoring speed and memory against nervaluate 1.2.1, and the bootstrap's speed (issue 4).

Usage: .venv/bin/python benchmarks/bench_scoring.py [--documents 10000] [--spans 50] [--runs 3]

A synthetic corpus with a fixed seed: each document holds `--spans` flat gold spans of six
labels, and a prediction for each that is exact (80%), boundary-shifted (8%), of another label
(5%) or missing (7%), plus about 5% spurious predictions. Every prediction overlaps at most one
gold span, the case where maximum-overlap alignment and nervaluate's greedy reading must give
the same counts (they are compared).

Time: each tool scores the same in-memory corpus (claimbench: pydantic `Extraction`s through
`Scorer`, all schemes, no bootstrap; nervaluate: lists of dicts through `Evaluator.evaluate()`,
its four schemes and per-type figures); the input is built before the clock starts; best of
`--runs`. Memory: each tool in a fresh child process; peak resident memory of the whole process
(imports, input and scoring) minus its resident memory after imports. nervaluate's API needs the
whole corpus in memory; claimbench streams it, one document at a time, as its CLI does.
Bootstrap: 1,000 paragraph resamples of the headline counts of the whole corpus.

Targets: identical counts; claimbench at least 10x faster; at most a third of nervaluate's
peak memory; 1,000 resamples under 2 s.
"""

import argparse
import json
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from machine import describe_machine

LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT")
SCHEMES = {"strict": "strict", "exact": "exact", "type": "ent_type", "partial": "partial"}
PARAGRAPH = 200


def document(seed: int, index: int, spans: int) -> tuple[str, list, list]:
    """Text length, gold and predicted (start, end, label) triples of one document."""
    rng = random.Random(seed * 1_000_003 + index)
    gold, pred, position = [], [], 0
    for _ in range(spans):
        start, length = position + rng.randint(2, 6), rng.randint(3, 12)
        label = rng.choice(LABELS)
        gold.append((start, start + length, label))
        roll = rng.random()
        if roll < 0.80:
            pred.append((start, start + length, label))
        elif roll < 0.88:
            pred.append((start + 1, start + length + rng.choice((-1, 1)), label))
        elif roll < 0.93:
            pred.append((start, start + length, rng.choice([x for x in LABELS if x != label])))
        position = start + length + 8
        if rng.random() < 0.05:
            pred.append((start + length + 3, start + length + 6, rng.choice(LABELS)))
    text = "".join("\n" if (i + 1) % PARAGRAPH == 0 else "x" for i in range(position + 10))
    return text, gold, pred


def corpus(seed: int, documents: int, spans: int) -> Iterator[tuple[str, str, list, list]]:
    """Every document of the synthetic corpus, generated on demand."""
    for index in range(documents):
        text, gold, pred = document(seed, index, spans)
        yield f"doc{index:06d}", text, gold, pred


def claimbench_scorer(resamples: int = 0):
    from claimbench.models import Layer
    from claimbench.scoring import Scorer, ScoringSettings

    return Scorer([Layer.ENTITIES], ScoringSettings(resamples=resamples))


def extraction(triples: list):
    from claimbench.models import Extraction, PredictedEntity

    return Extraction(
        entities=[PredictedEntity(start=s, end=e, label=lab) for s, e, lab in triples]
    )


def run_claimbench(documents: list, resamples: int = 0) -> dict:
    """Score with claimbench; the micro counts of each scheme and the seconds it took."""
    from claimbench.models import Layer

    start = time.perf_counter()
    scorer = claimbench_scorer(resamples)
    for doc_id, text, gold, pred in documents:
        scorer.add(doc_id, text, gold, pred)
    scores = scorer.result()
    seconds = time.perf_counter() - start
    layer = scores.layers[Layer.ENTITIES]
    counts = {
        name: [getattr(layer.schemes[name].micro, c) for c in ("cor", "inc", "par", "mis", "spu")]
        for name in SCHEMES
    }
    return {"seconds": seconds, "counts": counts, "f1": layer.schemes["strict"].micro.f1}


def nervaluate_input(documents: list) -> tuple[list, list]:
    """nervaluate's dict input (its `end` is inclusive)."""
    as_dicts = lambda items: [{"label": lab, "start": s, "end": e - 1} for s, e, lab in items]  # noqa: E731
    return [as_dicts(g) for _, _, g, _ in documents], [as_dicts(p) for _, _, _, p in documents]


def run_nervaluate(true: list, pred: list) -> dict:
    """Score with nervaluate; the counts of each scheme and the seconds it took."""
    from nervaluate import Evaluator

    start = time.perf_counter()
    results = Evaluator(true, pred, tags=list(LABELS), loader="dict").evaluate()
    seconds = time.perf_counter() - start
    counts = {
        ours: [
            getattr(results["overall"][theirs], c)
            for c in ("correct", "incorrect", "partial", "missed", "spurious")
        ]
        for ours, theirs in SCHEMES.items()
    }
    return {"seconds": seconds, "counts": counts, "f1": results["overall"]["strict"].f1}


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MB: VmHWM, which (unlike ru_maxrss)
    does not inherit the high-water mark of the parent that spawned this process."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def memory_child(tool: str, documents: int, spans: int, seed: int) -> None:
    """Run in a child process: score with `tool` and print the memory figures as JSON."""
    if tool == "claimbench":
        import claimbench.scoring  # noqa: F401
        from claimbench.models import Extraction  # noqa: F401
    else:
        import nervaluate  # noqa: F401
    base = rss_mb()
    if tool == "claimbench":
        scorer = claimbench_scorer()
        for doc_id, text, gold, pred in corpus(seed, documents, spans):
            scorer.add(doc_id, text, extraction(gold), extraction(pred))
        scorer.result()
    else:
        true, pred = nervaluate_input(list(corpus(seed, documents, spans)))
        run_nervaluate(true, pred)
    print(json.dumps({"base_mb": base, "peak_mb": rss_mb()}))


def measure_memory(tool: str, args: argparse.Namespace) -> dict:
    command = [
        sys.executable,
        str(Path(__file__)),
        "--child",
        tool,
        "--documents",
        str(args.documents),
        "--spans",
        str(args.spans),
        "--seed",
        str(args.seed),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def bootstrap_seconds(documents: list, resamples: int) -> float:
    """Time of the paragraph bootstrap alone on the corpus's headline counts."""
    from claimbench.scoring.bootstrap import bootstrap_f1

    scorer = claimbench_scorer()
    for doc_id, text, gold, pred in documents:
        scorer.add(doc_id, text, gold, pred)
    units = scorer.result().paragraph_arrays()
    start = time.perf_counter()
    bootstrap_f1(units, resamples, seed=0)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--spans", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--child", choices=("claimbench", "nervaluate"))
    args = parser.parse_args()
    if args.child:
        memory_child(args.child, args.documents, args.spans, args.seed)
        return
    raw = list(corpus(args.seed, args.documents, args.spans))
    ours_input = [(d, t, extraction(g), extraction(p)) for d, t, g, p in raw]
    true, pred = nervaluate_input(raw)
    n_gold, n_pred = sum(len(g) for *_, g, _ in raw), sum(len(p) for *_, p in raw)
    ours = min((run_claimbench(ours_input) for _ in range(args.runs)), key=lambda r: r["seconds"])
    theirs = min((run_nervaluate(true, pred) for _ in range(args.runs)), key=lambda r: r["seconds"])
    memory = {tool: measure_memory(tool, args) for tool in ("claimbench", "nervaluate")}
    boot = min(bootstrap_seconds(ours_input, 1000) for _ in range(args.runs))
    used = {tool: m["peak_mb"] - m["base_mb"] for tool, m in memory.items()}
    print(f"machine: {describe_machine()}")
    print(
        f"corpus: {args.documents} documents, {n_gold} gold and {n_pred} predicted spans, "
        f"{sum(t.count(chr(10)) for _, t, _, _ in raw)} paragraphs"
    )
    print(f"counts identical (all four schemes): {ours['counts'] == theirs['counts']}")
    print(f"strict micro F1: claimbench {ours['f1']:.6f}, nervaluate {theirs['f1']:.6f}")
    print(
        f"time (best of {args.runs}): claimbench {ours['seconds']:.2f} s, nervaluate "
        f"{theirs['seconds']:.2f} s, speed-up {theirs['seconds'] / ours['seconds']:.1f}x"
    )
    print(
        f"peak memory above imports: claimbench {used['claimbench']:.0f} MB, nervaluate "
        f"{used['nervaluate']:.0f} MB, ratio {used['claimbench'] / used['nervaluate']:.2f}"
    )
    print(f"bootstrap, 1,000 paragraph resamples: {boot:.2f} s")


if __name__ == "__main__":
    main()
