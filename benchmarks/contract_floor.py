"""What every `claimbench score` process does before it scores, as a whole process: the floor
under the command's time in `bench_score_cli.py` (issue 16).

Usage: python benchmarks/contract_floor.py CORPUS GOLD PREDICTIONS OUTPUT

It imports the libraries every `claimbench score` process loads before it can score (click
for the command line, NumPy for the scorer, pydantic, msgspec and orjson for the data
contract), and reads the three files through the contract's door with the command's own
readers: the corpus by `load_jsonl_corpus` (each line a checked `Document`, the file hashed),
the gold and the predictions by `read_predictions` (each line decoded straight into its
compiled record where that is exact, `decode_record`, else read by the strict JSON reader and
checked by `validate_record`; every document id looked up in the corpus). Records are counted
and let go (the command streams too), with the cycle collector as the `claimbench` script
sets it. Nothing is checked against the texts, nothing is scored, and OUTPUT gets only the
number of items read.

`claimbench score` reads the files this way, so it is not faster than this floor; its time
above it is what the scoring, the bootstrap, the results and the provenance cost.
"""

import gc
import sys
from pathlib import Path

import click  # noqa: F401  (loaded by every command: part of the floor)
import numpy  # noqa: F401  (loaded by the scorer: part of the floor)
import orjson

from claimbench.corpus.store import JsonlCorpus, load_jsonl_corpus
from claimbench.errors import Problems
from claimbench.processes import SCORING_THRESHOLDS
from claimbench.validation.predictions import read_predictions


def items(path: str, corpus: JsonlCorpus, problems: Problems) -> int:
    """How many entities the records of a gold or predictions file hold."""
    found = read_predictions(Path(path), corpus, problems)
    return sum(len(each.extraction.entities or ()) for each in found)


def main() -> None:
    corpus_path, gold, predictions, output = sys.argv[1:]
    gc.set_threshold(*SCORING_THRESHOLDS)
    corpus = load_jsonl_corpus(Path(corpus_path))
    problems = Problems()
    counts = {
        "documents": len(corpus),
        "gold": items(gold, corpus, problems),
        "predicted": items(predictions, corpus, problems),
    }
    problems.check()
    Path(output).write_bytes(orjson.dumps(counts))
    gc.freeze()  # as `claimbench.cli.run` does at exit


if __name__ == "__main__":
    main()
