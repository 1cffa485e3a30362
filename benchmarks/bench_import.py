"""How long `claimbench import conll` takes on a CoNLL-2003-train-sized file, as whole processes.

Usage: .venv/bin/python benchmarks/bench_import.py [--runs 3] [--peer PATH/TO/claimbench]

The file is generated here (seeded; no text of the real release): about 950 documents of
`-DOCSTART-`-separated IOB1 sentences holding about 23,000 entities (CoNLL-2003 `eng.train`:
946 documents, 23,499 entities, 203,621 tokens). Each run imports it into a new folder on the
disk the script runs from (not `/tmp`, which may be memory), timing wall clock and the CPU of
the child process. Issue 19: the import wrote each of its ~3,800 files with its own fsync
(1.3-12.8 s wall for 1-2 s of CPU on the 231-document test set); it now syncs once per import.
`--peer` runs another claimbench executable (e.g. a checkout before the change) on the same
file in the same run, alternating with this one, and prints the ratio.
"""

import argparse
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The script's own folder is on sys.path when it runs as `python benchmarks/bench_import.py`.
from machine import describe_machine

DOCUMENTS = 950
SENTENCES_PER_DOCUMENT = 15
TOKENS_PER_SENTENCE = 14
ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")
ENTITY_RATE = 0.128  # a new entity starts at about one token in eight
SYLLABLES = ("ka", "lo", "mi", "ran", "te", "vo", "su", "ne", "dar", "pel", "gi", "tor")


def word(rng: random.Random, capital: bool) -> str:
    """A made-up word of two or three syllables."""
    made = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
    return made.capitalize() if capital else made


def sentence_lines(rng: random.Random) -> tuple[list[str], int]:
    """One IOB1 sentence (`token POS CHUNK TAG` lines) and its number of entities."""
    lines, entities, previous = [], 0, "O"
    position = 0
    while position < TOKENS_PER_SENTENCE:
        if rng.random() < ENTITY_RATE:
            kind = rng.choice(ENTITY_TYPES)
            # IOB1: I- throughout, B- only where an entity follows one of the same type.
            first = f"B-{kind}" if previous.endswith(kind) else f"I-{kind}"
            for index in range(rng.randint(1, 3)):
                lines.append(f"{word(rng, True)} NNP I-NP {first if index == 0 else f'I-{kind}'}")
                position += 1
            previous, entities = f"I-{kind}", entities + 1
        else:
            lines.append(f"{word(rng, False)} NN I-NP O")
            previous, position = "O", position + 1
    lines.append(". . O O")
    return lines, entities


def write_conll(path: Path, seed: int = 0) -> tuple[int, int]:
    """Write the generated file; return its documents and entities."""
    rng = random.Random(seed)
    lines, entities = ["-DOCSTART- -X- O O", ""], 0
    for document in range(DOCUMENTS):
        if document:
            lines += ["-DOCSTART- -X- O O", ""]
        for _ in range(SENTENCES_PER_DOCUMENT):
            sentence, found = sentence_lines(rng)
            lines += [*sentence, ""]
            entities += found
    path.write_text("\n".join(lines) + "\n")
    return DOCUMENTS, entities


def timed_import(claimbench: str, conll: Path, out: Path) -> tuple[float, float]:
    """Wall and child CPU seconds of one `claimbench import conll` into `out` (removed after)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [claimbench, "import", "conll", str(conll), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    shutil.rmtree(out)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peer", help="Another claimbench executable to time on the same file.")
    args = parser.parse_args()
    claimbench = shutil.which("claimbench", path=str(Path(sys.executable).parent))
    if claimbench is None:
        raise SystemExit("claimbench is not installed in this environment: run `make setup`")
    systems = {"this checkout": claimbench, **({"peer": args.peer} if args.peer else {})}
    work = Path(tempfile.mkdtemp(prefix=".bench-import-", dir=Path.cwd()))
    try:
        conll = work / "train.conll"
        documents, entities = write_conll(conll)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in systems}
        for run in range(args.runs):
            for name, executable in systems.items():
                times[name].append(timed_import(executable, conll, work / f"out-{run}"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {describe_machine()}")
    print(f"input: {documents} documents, {entities} entities (generated CoNLL-2003 IOB1)")
    print(f"runs: {args.runs} each, whole processes, medians (all runs in brackets)")
    for name, runs in times.items():
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        listed = ", ".join(f"{w:.2f}" for w in walls)
        print(
            f"{name:14s} wall {statistics.median(walls):6.2f} s [{listed}]  "
            f"cpu {statistics.median(cpus):6.2f} s"
        )
    if args.peer:
        ratio = statistics.median(w for w, _ in times["peer"]) / statistics.median(
            w for w, _ in times["this checkout"]
        )
        print(f"peer / this checkout (wall): {ratio:.2f}x")


if __name__ == "__main__":
    main()
