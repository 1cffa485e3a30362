"""The peers of `bench_score_cli.py` as whole processes: each reads the same JSON Lines files
as `claimbench score` and writes its results as JSON.

Usage: python benchmarks/peers.py nervaluate|seqeval CORPUS GOLD PREDICTIONS OUTPUT

- nervaluate 1.2.1: gold and predictions to its dict input (its `end` is inclusive), then
  `Evaluator(..., loader="dict").evaluate()`; overall and per-type figures of its four schemes.
- seqeval: each text split into words, gold and predictions tagged BIO over the words, then
  `classification_report(..., output_dict=True)` (the words are in the corpus file, so seqeval
  also reads it).
"""

import json
import re
import sys
from pathlib import Path

import orjson


def read_jsonl(path: str) -> list[dict]:
    """Every line's value, read with orjson: the fast reader claimbench itself uses, so that
    the peers are not timed with a slower parser than ours."""
    with Path(path).open("rb") as handle:
        return [orjson.loads(line) for line in handle if line.strip()]


def nervaluate_results(gold: list[dict], predictions: list[dict]) -> dict:
    from nervaluate import Evaluator

    def spans(record: dict) -> list[dict]:
        return [
            {"label": e["label"], "start": e["start"], "end": e["end"] - 1}
            for e in record.get("entities", [])
        ]

    by_id = {record["doc_id"]: record for record in predictions}
    true = [spans(record) for record in gold]
    pred = [spans(by_id.get(record["doc_id"], {})) for record in gold]
    labels = sorted({e["label"] for doc in true + pred for e in doc})
    results = Evaluator(true, pred, tags=labels, loader="dict").evaluate()

    def plain(result: object) -> dict:
        return {k: v for k, v in vars(result).items() if isinstance(v, int | float)}

    return {
        "overall": {scheme: plain(r) for scheme, r in results["overall"].items()},
        "entities": {
            label: {scheme: plain(r) for scheme, r in schemes.items()}
            for label, schemes in results["entities"].items()
        },
    }


def bio(text: str, entities: list[dict]) -> list[str]:
    words = [m.span() for m in re.finditer(r"\S+", text)]
    index = {start: i for i, (start, _) in enumerate(words)}
    tags = ["O"] * len(words)
    for entity in entities:  # entities are whole words
        i = index[entity["start"]]
        tags[i] = "B-" + entity["label"]
        while words[i][1] < entity["end"]:
            i += 1
            tags[i] = "I-" + entity["label"]
    return tags


def seqeval_results(corpus: list[dict], gold: list[dict], predictions: list[dict]) -> dict:
    from seqeval.metrics import classification_report

    texts = {doc["id"]: doc["text"] for doc in corpus}
    by_id = {record["doc_id"]: record for record in predictions}
    true = [bio(texts[r["doc_id"]], r.get("entities", [])) for r in gold]
    pred = [bio(texts[r["doc_id"]], by_id.get(r["doc_id"], {}).get("entities", [])) for r in gold]
    return classification_report(true, pred, output_dict=True)


def main() -> None:
    tool, corpus, gold, predictions, output = sys.argv[1:]
    if tool == "nervaluate":
        results = nervaluate_results(read_jsonl(gold), read_jsonl(predictions))
    elif tool == "seqeval":
        results = seqeval_results(read_jsonl(corpus), read_jsonl(gold), read_jsonl(predictions))
    else:
        raise SystemExit(f"unknown peer {tool}")
    Path(output).write_text(json.dumps(results, default=float, indent=2))


if __name__ == "__main__":
    main()
