"""Digests of every figure claimbench reports on the corpus and on synthetic sets, with
provenance and timings left out, to check that a change of code leaves the figures
byte-identical (issue 16).

Usage: .venv/bin/python scripts/figures_digest.py [--keep FOLDER]

Runs, in a scratch folder, with this environment's `claimbench`:

- `evaluate rules` and `evaluate spacy` on the corpus: the results JSON (`--output`), the
  table, markdown and JUnit reports, and the match log;
- `compare` of the two results files;
- `score` of the synthetic sets of `benchmarks/bench_score_cli.py` (1,000 documents x 50
  entities) and `benchmarks/bench_stream_score.py` (2,000 documents, entities and numbers),
  with and without `--summary`;
- `leaderboard build` of the checkout's submissions into a scratch site.

Each output is read as bytes; provenance (versions, commit, hashes of the data, start time,
duration) is cut out (`stripped`); then it is hashed (SHA-256). Run it before and after a change,
on the same corpus and gold, and compare the two lists.
"""

import argparse
import hashlib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def claimbench(*args: str | Path, cwd: Path = ROOT) -> bytes:
    """Run `claimbench` with `args`; its stdout (a failure stops the script)."""
    command = [str(Path(sys.executable).parent / "claimbench"), *map(str, args)]
    done = subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
    return done.stdout


def stripped(data: bytes) -> bytes:
    """`data` without provenance: the results JSON's `"provenance"` block, Markdown's
    provenance details, JUnit's timings and `<property>` lines."""
    data = re.sub(rb'\n  "provenance": \{\n.*?\n  \},', b"", data, flags=re.DOTALL)
    data = re.sub(
        rb"<details><summary>Provenance</summary>.*?</details>", b"", data, flags=re.DOTALL
    )
    data = re.sub(rb"\n *<property [^\n]*/>", b"", data)
    return re.sub(rb' (time|timestamp)="[^"]*"', b"", data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, help="keep the outputs in this folder")
    args = parser.parse_args()
    from bench_scale import write_corpus
    from bench_score_cli import write_input
    from bench_stream_score import write_predictions

    with tempfile.TemporaryDirectory(prefix="figures-digest-") as scratch:
        out = args.keep or Path(scratch)
        out.mkdir(parents=True, exist_ok=True)
        for plugin in ("rules", "spacy"):
            (out / f"{plugin}.table").write_bytes(
                claimbench(
                    "evaluate",
                    plugin,
                    "--output",
                    out / f"{plugin}.json",
                    "--report",
                    f"markdown={out / f'{plugin}.md'}",
                    "--report",
                    f"junit={out / f'{plugin}.xml'}",
                    "--match-log",
                    out / f"{plugin}.matches.jsonl",
                )
            )
        (out / "compare.txt").write_bytes(
            claimbench("compare", out / "rules.json", out / "spacy.json")
        )
        write_input(out / "cli", 1000, 50)
        write_corpus(out / "stream", 2000)
        write_predictions(out / "stream" / "predictions.jsonl", 2000)
        for name in ("cli", "stream"):
            files = [out / name / f for f in ("corpus.jsonl", "gold.jsonl", "predictions.jsonl")]
            for mode in ("detail", "summary"):
                extra = ["--summary"] if mode == "summary" else []
                (out / f"{name}-{mode}.table").write_bytes(
                    claimbench(
                        "score",
                        "--corpus",
                        files[0],
                        "--gold",
                        files[1],
                        "--predictions",
                        files[2],
                        "--output",
                        out / f"{name}-{mode}.json",
                        *extra,
                    )
                )
        claimbench("leaderboard", "build", "--site", out / "site")
        inputs = {out / "cli", out / "stream"}
        outputs = sorted(p for p in out.rglob("*") if p.is_file() and p.parent not in inputs)
        for path in outputs:
            digest = hashlib.sha256(stripped(path.read_bytes())).hexdigest()
            print(f"{digest[:16]}  {path.relative_to(out)}")


if __name__ == "__main__":
    main()
