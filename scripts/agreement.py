"""Inter-annotator agreement of the two gold passes, computed with claimbench's own scorer.

Pass `a` is scored as gold and pass `b` as predictions, one layer at a time, on the canonical
texts of the corpus. The script prints Markdown tables: span agreement per layer, value
agreement of the numbers, per-role agreement of the attributions, and Cohen's kappa of the
labels on aligned pairs (entity labels, number labels, attribution quote types). No bootstrap
is drawn, so the output is deterministic.

Usage: `.venv/bin/python scripts/agreement.py [--passes gold/passes] [--corpus corpus]`
"""

import argparse
import json
import math
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from claimbench.corpus.store import load_corpus
from claimbench.models import Extraction, Layer
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from claimbench.scoring import Scores, score

SPAN_SCHEMES = ("strict", "exact", "type", "partial")
ROLES = ("cue", "source", "content")
VALUE_ATTRIBUTES = ("form", "unit", "timex")
LABEL_FIELD = {Layer.ENTITIES: "label", Layer.NUMBERS: "label", Layer.ATTRIBUTIONS: "quote"}


def read_pass(folder: Path, layer: Layer) -> dict[str, Extraction]:
    """One annotator's layer: `<folder>/<layer>.jsonl`, one line per document, by doc id."""
    extractions: dict[str, Extraction] = {}
    with (folder / f"{layer.value}.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                extractions[record["doc_id"]] = Extraction(**{layer.value: record[layer.value]})
    return extractions


def score_layer(
    passes: Path, texts: dict[str, str], layer: Layer
) -> tuple[Scores, list[tuple[str, str]]]:
    """Score pass b against pass a on one layer; also return the label pairs of aligned items.

    An aligned pair is a row of the scorer's match log with both a gold and a predicted index:
    overlapping spans for entities and numbers, overlapping cues for attributions.
    """
    gold = read_pass(passes / "a", layer)
    predicted = read_pass(passes / "b", layer)
    scores = score(gold, predicted, texts, attempted=[layer], resamples=0, keep_matches=True)
    field = LABEL_FIELD[layer]
    pairs = []
    for match in scores.matches():
        if match.gold is None or match.predicted is None:
            continue
        a = getattr(gold[match.doc_id], layer.value)[match.gold]
        b = getattr(predicted[match.doc_id], layer.value)[match.predicted]
        pairs.append((str(getattr(a, field)), str(getattr(b, field))))
    return scores, pairs


def kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa of the label pairs; None when it is undefined (no pairs, one label only)."""
    if not pairs:
        return None
    value = float(cohen_kappa_score([a for a, _ in pairs], [b for _, b in pairs]))
    return None if math.isnan(value) else value


def fmt(value: float | None) -> str:
    """A figure with three decimals, or an em dash when there is none."""
    return "—" if value is None else f"{value:.3f}"


def span_table(results: dict[Layer, Scores]) -> list[str]:
    """Items per pass, the four span schemes (micro F1) and the headline of each layer."""
    lines = [
        "| layer | items a | items b | strict F1 | exact F1 | type F1 | partial F1 "
        "| headline | headline F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for layer, scores in results.items():
        figures = scores.layers[layer]
        assert figures.f1 is not None
        micro = {name: scheme.micro for name, scheme in figures.schemes.items()}
        headline = micro[str(figures.headline_scheme)]
        spans = [fmt(micro[s].f1) if s in micro else "—" for s in SPAN_SCHEMES]
        gold_items = headline.cor + headline.inc + headline.par + headline.mis
        predicted_items = headline.cor + headline.inc + headline.par + headline.spu
        lines.append(
            f"| {layer.value} | {gold_items} | {predicted_items} | {' | '.join(spans)} "
            f"| {figures.headline_scheme} | {fmt(figures.f1.value)} |"
        )
    return lines


def accuracy_table(results: dict[Layer, Scores]) -> list[str]:
    """Attributes checked on matched pairs (numbers: value, form, unit, timex; attributions:
    quote type, speaker entity), as correct / total and accuracy."""
    lines = ["| layer | attribute | correct / total | accuracy |", "|---|---|---:|---:|"]
    for layer, scores in results.items():
        for name, tally in sorted(scores.layers[layer].accuracy.items()):
            lines.append(
                f"| {layer.value} | {name} | {tally.correct} / {tally.total} "
                f"| {fmt(tally.accuracy)} |"
            )
    return lines


def role_table(scores: Scores) -> list[str]:
    """Per-role agreement of the attributions: exact-span F1 and token F1."""
    roles = scores.layers[Layer.ATTRIBUTIONS].roles or {}
    lines = [
        "| role | exact (same spans / items a / items b) | exact F1 "
        "| token (shared / tokens a / tokens b) | token F1 |",
        "|---|---:|---:|---:|---:|",
    ]
    for role in ROLES:
        exact, token = roles[role]["exact"], roles[role]["token"]
        lines.append(
            f"| {role} | {exact.matched} / {exact.gold} / {exact.predicted} | {fmt(exact.f1)} "
            f"| {token.matched} / {token.gold} / {token.predicted} | {fmt(token.f1)} |"
        )
    return lines


def kappa_table(labels: dict[Layer, list[tuple[str, str]]]) -> list[str]:
    """Cohen's kappa of labels on aligned pairs, with the observed agreement."""
    lines = [
        "| layer | labels | aligned pairs | same label | observed agreement | Cohen's kappa |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for layer, pairs in labels.items():
        same = sum(a == b for a, b in pairs)
        observed = same / len(pairs) if pairs else None
        lines.append(
            f"| {layer.value} | {LABEL_FIELD[layer]} | {len(pairs)} | {same} "
            f"| {fmt(observed)} | {fmt(kappa(pairs))} |"
        )
    return lines


def agreement_report(passes: Path, corpus_dir: Path) -> str:
    """The whole Markdown report for the passes under `passes` (folders `a` and `b`)."""
    corpus = load_corpus(corpus_dir)
    texts = {document.id: document.text for document in corpus.documents()}
    results: dict[Layer, Scores] = {}
    labels: dict[Layer, list[tuple[str, str]]] = {}
    for layer in Layer:
        results[layer], labels[layer] = score_layer(passes, texts, layer)
    sections = [
        ["### Spans (pass a as gold, pass b as predictions; micro F1)", "", *span_table(results)],
        ["### Attributes on matched pairs", "", *accuracy_table(results)],
        ["### Attribution roles", "", *role_table(results[Layer.ATTRIBUTIONS])],
        ["### Labels on aligned pairs", "", *kappa_table(labels)],
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"


def main() -> None:
    """Parse the command line and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=Path, default=DEFAULT_GOLD / "passes")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    print(agreement_report(args.passes, args.corpus), end="")


if __name__ == "__main__":
    main()
