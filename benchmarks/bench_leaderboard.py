"""Building the leaderboard with 1,000 synthetic submissions, and sorting its 1,000 rows in the
browser.

Usage: .venv/bin/python benchmarks/bench_leaderboard.py [--submissions 1000] [--repeats 3]

Targets (issue 7): the build (rescoring every submission with bootstrap intervals, the paired
tests for the tie groups, and rendering every page) under 10 s; sorting 1,000 rows in the
browser under 200 ms, timed in the page with performance.now() around the sort.

Each synthetic submission is the fixture gold of the tests (tests/leaderboard_support.py) with
items dropped, shifted by a few characters or relabelled at random (fixed seed), on a random
subset of the layers.
"""

import argparse
import datetime as dt
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

# The script's own folder is on sys.path when it runs as `python benchmarks/bench_leaderboard.py`.
from machine import describe_machine

from claimbench.corpus.store import load_corpus
from claimbench.fileio import dump_json, write_atomic
from claimbench.leaderboard.build import build_leaderboard
from claimbench.leaderboard.submissions import Submission, corpus_fingerprint, predictions_hash
from claimbench.models import Extraction, PredictedEntity, PredictionRecord
from claimbench.paths import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "tests"))
from leaderboard_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    gold_as_predictions,
    make_project,
)

BUILD_TARGET_S = 10.0
SORT_TARGET_MS = 200.0
LAYERS = ("entities", "numbers", "attributions")
LABELS = ("PERSON", "ORG", "GPE", "NORP")


def perturb(items: list, rng: random.Random, text_length: int) -> list:
    """Keep each item with a random probability; shift some entity/number spans."""
    keep = rng.uniform(0.3, 1.0)
    kept = []
    for item in items:
        if rng.random() > keep:
            continue
        if hasattr(item, "label") and rng.random() < 0.15:
            shift = rng.choice((-2, -1, 1, 2))
            start, end = item.start + shift, item.end + shift
            if start >= 0 and end <= text_length:
                item = item.model_copy(update={"start": start, "end": end, "text": None})
        kept.append(item)
    return kept


def false_positives(text: str, rng: random.Random) -> list[PredictedEntity]:
    """Up to five words of `text` tagged as entities at random."""
    words = [match.span() for match in re.finditer(r"[A-Z][a-z]+", text)]
    picked = rng.sample(words, k=min(len(words), rng.randint(0, 5)))
    return [PredictedEntity(start=s, end=e, label=rng.choice(LABELS)) for s, e in sorted(picked)]


def synthetic(perfect: dict[str, Extraction], texts: dict[str, str], seed: int) -> list:
    """One synthetic submission's prediction records."""
    rng = random.Random(seed)
    layers = [layer for layer in LAYERS if rng.random() < 0.8] or ["entities"]
    records = []
    for doc_id, extraction in perfect.items():
        text = texts[doc_id]
        fields = {
            layer: perturb(getattr(extraction, layer) or [], rng, len(text)) for layer in layers
        }
        if "entities" in fields:
            fields["entities"] += false_positives(text, rng)
        records.append(PredictionRecord(doc_id=doc_id, **fields))
    return records


def write_submissions(board: Path, corpus_dir: Path, gold_dir: Path, count: int) -> None:
    """`count` synthetic submission files (written directly: this is set-up, not timed)."""
    corpus = load_corpus(corpus_dir)
    perfect = gold_as_predictions(gold_dir, corpus)
    texts = {document.id: document.text for document in corpus.documents()}
    fingerprint = corpus_fingerprint(corpus)
    seen: set[str] = set()
    for number in range(count):
        seed = number
        records = synthetic(perfect, texts, seed)
        while (digest := predictions_hash(records)) in seen:
            seed += count
            records = synthetic(perfect, texts, seed)
        seen.add(digest)
        submission = Submission(
            name=f"synthetic system {number:04d}",
            version=f"0.{number % 7}",
            date=dt.date(2026, 1, 1) + dt.timedelta(days=number % 300),
            badges=["baseline"] if number % 100 == 0 else [],
            corpus=fingerprint,
            predictions_sha256=digest,
            predictions=records,
        )
        path = board / "submissions" / f"synthetic-{number:04d}-{digest[:8]}.json"
        write_atomic(path, dump_json(submission.model_dump(mode="json")))


def sort_times(index: Path, repeats: int) -> list[float]:
    """Milliseconds per sort of the ranking, measured inside the page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(index.as_uri(), wait_until="load")
        rows = page.locator("#board tbody tr").count()
        columns = page.locator("#board thead tr:nth-child(2) th").count()
        times = []
        for _ in range(repeats):
            for column in range(columns):
                for direction in (1, -1):
                    times.append(
                        page.evaluate(f"window.claimbenchBoard.sortBy({column}, {direction})")
                    )
        browser.close()
    print(f"sorted {rows} rows: {columns} columns x 2 directions x {repeats} repeats")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        corpus_dir, gold_dir, board = make_project(Path(scratch))
        write_submissions(board, corpus_dir, gold_dir, args.submissions)
        started = time.perf_counter()
        report = build_leaderboard(board, corpus_dir, gold_dir)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        again = build_leaderboard(board, corpus_dir, gold_dir)
        warm = time.perf_counter() - started
        size = sum(p.stat().st_size for p in report.site_dir.rglob("*.html")) / 1e6
        print(f"machine: {describe_machine()}")
        print(f"build: {report.entries} entries, {len(report.written)} files, {size:.1f} MB")
        print(f"build, fresh site folder  {cold:6.2f} s")
        print(f"rebuild, nothing changed  {warm:6.2f} s ({len(again.written)} files written)")
        verdict = "PASS" if cold < BUILD_TARGET_S else "FAIL"
        print(f"target build < {BUILD_TARGET_S:.0f} s: {verdict}")
        times = sort_times(report.index, args.repeats)
    print(f"sort: median {statistics.median(times):.1f} ms, worst {max(times):.1f} ms")
    verdict = "PASS" if max(times) < SORT_TARGET_MS else "FAIL"
    print(f"target sort < {SORT_TARGET_MS:.0f} ms (worst case): {verdict}")


if __name__ == "__main__":
    main()
