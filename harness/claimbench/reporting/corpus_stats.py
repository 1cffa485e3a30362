"""`claimbench corpus stats`: the size of the corpus and of each gold layer."""

import json
from collections import Counter
from pathlib import Path
from typing import Any

from claimbench.corpus.store import load_corpus
from claimbench.validation.gold import CATALOG_FILE, load_gold
from claimbench.validation.predictions import annotated_layers


def corpus_stats(corpus_dir: Path, gold_dir: Path | None) -> dict[str, Any]:
    """Documents, paragraphs and characters; gold counts per layer and label if gold exists
    (None for a layer the gold does not annotate).

    Examples
    --------
    >>> from claimbench.paths import DEFAULT_CORPUS
    >>> corpus_stats(DEFAULT_CORPUS, None)["documents"]
    5
    """
    corpus = load_corpus(corpus_dir)
    entries = corpus.manifest.documents
    figures: dict[str, Any] = {
        "corpus": f"{corpus.manifest.name} {corpus.manifest.version}",
        "documents": len(entries),
        "paragraphs": sum(entry.paragraphs for entry in entries),
        "characters": sum(entry.characters for entry in entries),
        "per_document": {
            entry.id: {"paragraphs": entry.paragraphs, "characters": entry.characters}
            for entry in entries
        },
        "gold": None,
    }
    if gold_dir is not None and (gold_dir / CATALOG_FILE).exists():
        gold = load_gold(gold_dir, corpus)
        layers: dict[str, Counter[str]] = {
            "entities": Counter(),
            "numbers": Counter(),
            "attributions": Counter(),
        }
        for doc in gold.documents.values():
            layers["entities"].update(mention.label.value for mention in doc.entities or [])
            layers["numbers"].update(mention.label.value for mention in doc.numbers or [])
            layers["attributions"].update(item.quote.value for item in doc.attributions or [])
        annotated = {layer.value for layer in annotated_layers(gold.extractions())}
        figures["gold"] = {
            "canonical_entities": len(gold.catalog.entities),
            **{
                layer: {"total": sum(counts.values()), "by_label": dict(sorted(counts.items()))}
                if layer in annotated
                else None
                for layer, counts in layers.items()
            },
        }
    return figures


def render_stats(figures: dict[str, Any], *, as_json: bool) -> str:
    """The figures as JSON or as an aligned text table."""
    if as_json:
        return json.dumps(figures, indent=2)
    lines = [
        f"{figures['corpus']}: {figures['documents']} documents, "
        f"{figures['paragraphs']} paragraphs, {figures['characters']} characters",
    ]
    lines += [
        f"  {doc_id:<32} {doc['paragraphs']:>4} paragraphs {doc['characters']:>7} characters"
        for doc_id, doc in figures["per_document"].items()
    ]
    gold = figures["gold"]
    if gold is None:
        lines.append("gold: none yet")
        return "\n".join(lines)
    lines.append(f"gold: {gold['canonical_entities']} canonical entities")
    for layer in ("entities", "numbers", "attributions"):
        if gold[layer] is None:
            lines.append(f"  {layer:<13} not annotated")
            continue
        by_label = ", ".join(f"{label} {count}" for label, count in gold[layer]["by_label"].items())
        lines.append(f"  {layer:<13} {gold[layer]['total']:>5}  ({by_label})")
    return "\n".join(lines)
