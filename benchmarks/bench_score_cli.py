"""`claimbench score` as a whole process against nervaluate 1.2.1 and seqeval as whole
processes, all reading the same JSON Lines files (issue 16).

Usage:
    .venv/bin/python benchmarks/bench_score_cli.py [--sizes 5000,20000] [--spans 50]
                                                   [--conll] [--runs 3]

Input (fixed seed): a JSON Lines corpus of synthetic documents whose text is words, its gold
and a prediction file in claimbench's predictions format (entities only). Each gold entity is
one to three words of six labels; its prediction is exact (80%), one word longer or shorter
(8%), of another label (5%) or missing (7%), and about 5% of the gaps hold a spurious entity.
A paragraph is about 40 words.

Each tool runs in a fresh child process that reads those files and writes its results:

- claimbench: `claimbench score --corpus c.jsonl --gold g.jsonl --predictions p.jsonl
  --format json --output r.json` (every figure, per-document figures, 1,000 bootstrap
  resamples: the defaults);
- nervaluate 1.2.1: `peers.py nervaluate` reads gold and predictions (JSON Lines), scores them
  with `Evaluator(..., loader="dict").evaluate()` and writes its overall and per-type results;
- seqeval (CoNLL-sized run only; it needs tokens): `peers.py seqeval` also reads the corpus,
  splits each text into words, tags gold and predictions BIO and writes
  `classification_report(..., output_dict=True)`;
- floor: `contract_floor.py` imports the libraries every `claimbench score` process loads and
  reads the three files with the command's own readers (`load_jsonl_corpus`,
  `read_predictions`), scoring nothing: the command on these files is not faster than this.
  Its share of a peer's time says how much the reading alone takes.

claimbench's bytecode is compiled before the runs (`compiled_claimbench`), as pip compiles an
installed package's and the peers' in site-packages: with an editable install and
`PYTHONDONTWRITEBYTECODE` set, each run would otherwise compile about 60 of claimbench's modules
again (0.12 to 0.19 s per process on the machine of RESULTS.md).

Wall time: median of `--runs`, the tools interleaved (in the same order in every run:
claimbench, the peers, the floor). Memory: peak resident memory of each child
(`ru_maxrss` from `os.wait4`). Strict micro COR/INC/PAR/MIS/SPU of claimbench and nervaluate are
checked equal after every run (each predicted entity overlaps at most one gold entity, so they
must agree).

Targets: at 5,000 and 20,000 documents x 50 entities, claimbench at least 5x faster than
nervaluate with at most a third of its peak memory, growing linearly; on a CoNLL-2003-test-sized
input (`--conll`: 231 documents, 5,648 entities), no slower than nervaluate and seqeval.
"""

import argparse
import compileall
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import describe_machine

HERE = Path(__file__).resolve().parent
LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT")
WORDS_PER_PARAGRAPH = 40
CONLL_DOCUMENTS, CONLL_ENTITIES = 231, 5648


def document(rng: random.Random, entities: int) -> tuple[str, list[dict], list[dict]]:
    """A synthetic document: its text, gold and predicted entities (claimbench's items)."""
    words: list[str] = []
    gold: list[dict] = []
    pred: list[dict] = []

    def add_words(count: int, stem: str) -> tuple[int, int]:
        first = len(words)
        words.extend(f"{stem}{rng.randint(0, 99)}" for _ in range(count))
        return first, len(words)

    for _ in range(entities):
        filler = add_words(rng.randint(1, 4), "w")
        if rng.random() < 0.05:
            pred.append({"span": (filler[1] - 1, filler[1]), "label": rng.choice(LABELS)})
        first, last = add_words(rng.randint(1, 3), "E")
        label = rng.choice(LABELS)
        gold.append({"span": (first, last), "label": label})
        roll = rng.random()
        if roll < 0.80:
            pred.append({"span": (first, last), "label": label})
        elif roll < 0.88:
            shorter = last - first > 1 and rng.random() < 0.5
            pred.append({"span": (first, last - 1 if shorter else last + 1), "label": label})
            add_words(1, "w")  # the longer prediction's extra word is filler
        elif roll < 0.93:
            other = [x for x in LABELS if x != label]
            pred.append({"span": (first, last), "label": rng.choice(other)})
    add_words(2, "w")
    text, offsets = "", []
    for index, word in enumerate(words):
        if index:
            text += "\n" if index % WORDS_PER_PARAGRAPH == 0 else " "
        offsets.append(len(text))
        text += word
    text += "\n"

    def item(entity: dict) -> dict:
        first, last = entity["span"]
        start, end = offsets[first], offsets[last - 1] + len(words[last - 1])
        return {"start": start, "end": end, "label": entity["label"]}

    return text, [item(e) for e in gold], [item(e) for e in pred]


def write_input(folder: Path, documents: int, entities: int, seed: int = 16) -> None:
    """corpus.jsonl, gold.jsonl and predictions.jsonl of `documents` synthetic documents."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    with (
        (folder / "corpus.jsonl").open("w") as corpus,
        (folder / "gold.jsonl").open("w") as gold_file,
        (folder / "predictions.jsonl").open("w") as pred_file,
    ):
        for index in range(documents):
            doc_id = f"doc-{index:06d}"
            text, gold, pred = document(rng, entities)
            corpus.write(json.dumps({"id": doc_id, "text": text, "metadata": {}}) + "\n")
            gold_file.write(json.dumps({"doc_id": doc_id, "entities": gold}) + "\n")
            pred_file.write(json.dumps({"doc_id": doc_id, "entities": pred}) + "\n")


def commands(folder: Path, peers: list[str]) -> dict[str, list[str]]:
    """The command line of each tool over the files in `folder`."""
    claimbench = str(Path(sys.executable).parent / "claimbench")
    files = [str(folder / name) for name in ("corpus.jsonl", "gold.jsonl", "predictions.jsonl")]
    tools = {
        "claimbench": [
            claimbench,
            "score",
            "--corpus",
            files[0],
            "--gold",
            files[1],
            "--predictions",
            files[2],
            "--format",
            "json",
            "--output",
            str(folder / "r.json"),
        ],
    }
    for peer in peers:
        out = str(folder / f"{peer}.json")
        tools[peer] = [sys.executable, str(HERE / "peers.py"), peer, *files, out]
    tools["floor"] = [sys.executable, str(HERE / "contract_floor.py"), *files, str(folder / "f")]
    return tools


def run(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident memory (MiB) of `command` in a fresh child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{process.stderr.read().decode()}")
    process.stderr.close()
    return seconds, usage.ru_maxrss // 1024


def strict_counts(folder: Path) -> tuple[list[int], list[int]]:
    """Strict micro COR/INC/PAR/MIS/SPU of claimbench's and nervaluate's results."""
    ours = json.loads((folder / "r.json").read_text())
    micro = ours["scores"]["layers"]["entities"]["schemes"]["strict"]["micro"]
    theirs = json.loads((folder / "nervaluate.json").read_text())["overall"]["strict"]
    names = ("cor", "inc", "par", "mis", "spu")
    long_names = ("correct", "incorrect", "partial", "missed", "spurious")
    return [micro[n] for n in names], [theirs[n] for n in long_names]


def measure(folder: Path, peers: list[str], runs: int) -> dict[str, tuple[float, int]]:
    """Median wall seconds and largest peak memory of each tool, runs interleaved; the strict
    counts of claimbench and nervaluate checked equal after every run."""
    tools = commands(folder, peers)
    seconds: dict[str, list[float]] = {tool: [] for tool in tools}
    peaks: dict[str, list[int]] = {tool: [] for tool in tools}
    for _ in range(runs):
        for tool, command in tools.items():
            wall, peak = run(command)
            seconds[tool].append(wall)
            peaks[tool].append(peak)
        ours, theirs = strict_counts(folder)
        if ours != theirs:
            raise SystemExit(f"the strict counts differ: claimbench {ours}, nervaluate {theirs}")
    return {tool: (statistics.median(seconds[tool]), max(peaks[tool])) for tool in tools}


def report(label: str, figures: dict[str, tuple[float, int]]) -> None:
    """Print one size's figures and the ratios to claimbench."""
    ours_s, ours_mb = figures["claimbench"]
    print(f"\n{label}")
    print(f"  {'tool':<12} {'median s':>9} {'peak MiB':>9} {'time ratio':>11} {'memory ratio':>13}")
    for tool, (wall, peak) in figures.items():
        speed = f"{wall / ours_s:.2f}x" if tool != "claimbench" else ""
        memory = f"{ours_mb / peak:.2f}" if tool not in ("claimbench", "floor") else ""
        print(f"  {tool:<12} {wall:9.2f} {peak:9d} {speed:>11} {memory:>13}")
    floor = figures["floor"][0]
    for peer in (tool for tool in figures if tool not in ("claimbench", "floor")):
        share = floor / figures[peer][0]
        print(f"  the contract alone (floor) takes {share:.2f} of {peer}'s time")


def compiled_claimbench() -> None:
    """Write the bytecode of the claimbench package that `claimbench` imports (a no-op when it
    is up to date), so that no run pays for compiling it."""
    import claimbench

    compileall.compile_dir(Path(claimbench.__file__).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="5000,20000", help="documents per run, or ''")
    parser.add_argument("--spans", type=int, default=50)
    parser.add_argument("--conll", action="store_true", help="also the CoNLL-sized run")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    compiled_claimbench()
    print(f"machine: {describe_machine()}")
    print(f"runs: {args.runs} per tool, interleaved; time: median; memory: largest peak RSS")
    with tempfile.TemporaryDirectory(prefix="bench-score-cli-") as scratch:
        runs = []
        if args.conll:
            per_doc = round(CONLL_ENTITIES / CONLL_DOCUMENTS)
            runs.append((CONLL_DOCUMENTS, per_doc, ["nervaluate", "seqeval"]))
        sizes = [int(size) for size in args.sizes.split(",") if size]
        runs += [(size, args.spans, ["nervaluate"]) for size in sizes]
        for documents, entities, peers in runs:
            folder = Path(scratch) / f"{documents}x{entities}"
            write_input(folder, documents, entities)
            figures = measure(folder, peers, args.runs)
            label = f"{documents} documents x {entities} entities"
            report(label, figures)
            ours, _ = strict_counts(folder)
            print(f"  strict COR/INC/PAR/MIS/SPU equal in every run: {ours}")


if __name__ == "__main__":
    main()
