"""What every `claimbench score` process does before it scores, as a whole process: the floor
under the command's time in `bench_score_cli.py` (issue 16).

Usage: python benchmarks/contract_floor.py CORPUS GOLD PREDICTIONS OUTPUT

It imports the libraries every `claimbench score` process loads before it can score (click
for the command line, NumPy for the scorer, pydantic, msgspec and orjson for the data
contract), and reads the three files through the contract's door as the command does: each
corpus line as a `Document`, each gold and prediction line through claimbench's strict JSON
reader (`decode_json`: no NaN, no repeated key) and checked as a `PredictionRecord` by
`validate_record` (its compiled Struct, which the model judges only if it refuses). Records are
counted and let go (the command streams too) with the cycle collector off (the command only
makes it run rarely). Nothing is checked against the texts, nothing is scored, and OUTPUT gets
only the number of items read.

`claimbench score` reads the files this way, so it is not faster than this floor; its time
above it is what the scoring, the bootstrap, the results and the provenance cost. (Another
reading of the same contract could be somewhat faster: msgspec's own JSON decoder saves the
separate parse, but not the strict reader's repeated-key check.)
"""

import gc
import sys
from pathlib import Path

import click  # noqa: F401  (loaded by every command: part of the floor)
import numpy  # noqa: F401  (loaded by the scorer: part of the floor)
import orjson

from claimbench.fileio import decode_json
from claimbench.models import Document
from claimbench.models.compiled import validate_record


def items(path: str) -> int:
    """How many entities the records of a gold or predictions file hold, each line read
    strictly and validated."""
    with Path(path).open("rb") as handle:
        return sum(len(validate_record(decode_json(line)).entities or ()) for line in handle)


def main() -> None:
    corpus, gold, predictions, output = sys.argv[1:]
    gc.disable()
    with Path(corpus).open("rb") as handle:
        documents = sum(1 for line in handle if Document.model_validate(orjson.loads(line)))
    counts = {"documents": documents, "gold": items(gold), "predicted": items(predictions)}
    Path(output).write_bytes(orjson.dumps(counts))


if __name__ == "__main__":
    main()
