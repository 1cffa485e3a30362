"""Inter-annotator agreement of the two gold passes, computed with claimbench's own scorer.

Pass `a` is scored as gold and pass `b` as predictions, one layer at a time, on the canonical
texts of the corpus. The script prints Markdown tables: span agreement per layer, value
agreement of the numbers, per-role agreement of the attributions, and Cohen's kappa of the
labels on aligned pairs (entity labels, number labels, attribution quote types); then the claims
and slots (`claims.jsonl`, `slots.json`), scored with `claimbench.scoring.claims.score_claims`:
claim value and value + source F1, slot link F1 and contradiction F1, attributes and Cohen's
kappa of counted class, event and pair relation on aligned pairs, and the slots whose free-text
`question` differs (not scored). No bootstrap is drawn, so the output is deterministic.

Usage: `.venv/bin/python scripts/agreement.py [--passes gold/passes] [--corpus corpus]`
"""

import argparse
import hashlib
import json
import math
from pathlib import Path
from typing import Any

from sklearn.metrics import cohen_kappa_score

from claimbench.corpus.store import load_corpus
from claimbench.errors import Problems, Where
from claimbench.fileio import read_json
from claimbench.models import (
    Extraction,
    GoldDocument,
    Layer,
    PredictedClaim,
    SlotsFile,
    Span,
)
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from claimbench.scoring import Scores, score
from claimbench.scoring.claims import ClaimFigures, ClaimScores, score_claims
from claimbench.validation.gold import claim_problems, slot_problems

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
        lines.append(f"| {layer.value} | {LABEL_FIELD[layer]} | {label_agreement(pairs)} |")
    return lines


def label_agreement(pairs: list[tuple[str, str]]) -> str:
    """Table cells for labels on aligned pairs: pairs, same label, observed agreement, kappa."""
    same = sum(a == b for a, b in pairs)
    observed = same / len(pairs) if pairs else None
    return f"{len(pairs)} | {same} | {fmt(observed)} | {fmt(kappa(pairs))}"


def read_records(folder: Path, name: str) -> dict[str, dict[str, Any]]:
    """The records of `<folder>/<name>.jsonl` (one JSON object per document), by doc id."""
    records: dict[str, dict[str, Any]] = {}
    with (folder / f"{name}.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                records[record["doc_id"]] = record
    return records


class ClaimPass:
    """One annotator's claims with the numbers and attributions they refer to, and slots."""

    def __init__(self, folder: Path, texts: dict[str, str]) -> None:
        layers = {name: read_records(folder, name) for name in (*map(str, Layer), "claims")}
        self.documents = {
            doc_id: GoldDocument(
                doc_id=doc_id,
                text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                **{name: layers[name][doc_id][name] for name in layers},
            )
            for doc_id, text in texts.items()
        }
        self.slots = SlotsFile.model_validate(read_json(folder / "slots.json"))
        # Checked here, as `load_gold` checks a gold folder: the scorer trusts what it is given.
        problems = Problems()
        for doc_id, document in self.documents.items():
            problems.extend(claim_problems(document, Where(f"{folder}/claims.jsonl", doc_id)))
        problems.extend(slot_problems(self.slots, self.documents, folder))
        problems.check()
        self.slot_of = {member: slot.id for slot in self.slots.slots for member in slot.members}

    def number_span(self, ref: str) -> tuple[str, int, int]:
        """`(doc_id, start, end)` of the number of the claim `"<doc_id>:<claim_id>"`."""
        doc_id, claim_id = ref.split(":", 1)
        document = self.documents[doc_id]
        claim = next(c for c in document.claims or [] if c.id == claim_id)
        number = next(n for n in document.numbers if n.id == claim.number)
        return doc_id, number.start, number.end

    def claims_by_span(self) -> dict[tuple[str, int, int], str]:
        """Each claim reference keyed on its number span."""
        return {
            self.number_span(f"{doc_id}:{claim.id}"): f"{doc_id}:{claim.id}"
            for doc_id, document in self.documents.items()
            for claim in document.claims or []
        }

    def predictions(self) -> dict[str, Extraction]:
        """The pass as a plugin would answer: claims by span, cue spans from its attributions,
        its slot ids as slot keys, and its numbers layer (so that values resolve)."""
        found = {}
        for doc_id, document in self.documents.items():
            numbers = {n.id: n for n in document.numbers}
            cues = {a.id: a.cue for a in document.attributions}
            claims = [
                PredictedClaim(
                    number=Span(
                        start=numbers[c.number].start,
                        end=numbers[c.number].end,
                        text=numbers[c.number].text,
                    ),
                    cue=None if c.attribution is None else cues[c.attribution],
                    counted=c.counted,
                    event=c.event,
                    slot=self.slot_of.get(f"{doc_id}:{c.id}"),
                )
                for c in document.claims or []
            ]
            found[doc_id] = Extraction(
                numbers=[n.model_dump(exclude={"id"}) for n in document.numbers], claims=claims
            )
        return found


def claim_label_pairs(a: ClaimPass, b: ClaimPass) -> dict[str, list[tuple[str, str]]]:
    """Counted class, event and pair relation of aligned items: claims on the same number span
    (the scorer aligns claims on their number spans), and slot pairs whose two ends align."""
    b_by_span = b.claims_by_span()
    a_to_b = {ref: b_by_span[span] for span, ref in a.claims_by_span().items() if span in b_by_span}
    claims_a = {f"{d}:{c.id}": c for d, doc in a.documents.items() for c in doc.claims or []}
    claims_b = {f"{d}:{c.id}": c for d, doc in b.documents.items() for c in doc.claims or []}
    relations_b = {
        frozenset((pair.a, pair.b)): str(pair.relation)
        for slot in b.slots.slots
        for pair in slot.pairs
    }
    labels: dict[str, list[tuple[str, str]]] = {"counted": [], "event": [], "relation": []}
    for ref, other in sorted(a_to_b.items()):
        labels["counted"].append((str(claims_a[ref].counted), str(claims_b[other].counted)))
        labels["event"].append((str(claims_a[ref].event), str(claims_b[other].event)))
    for slot in a.slots.slots:
        for pair in slot.pairs:
            ends = frozenset((a_to_b.get(pair.a, ""), a_to_b.get(pair.b, "")))
            if ends in relations_b:
                labels["relation"].append((str(pair.relation), relations_b[ends]))
    return labels


def claims_table(scores: ClaimScores) -> list[str]:
    """The four claims figures: matches, items per pass, precision, recall, F1."""
    lines = [
        "| figure | matches | items a | items b | precision | recall | F1 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    figures: dict[str, ClaimFigures] = {
        "claim value": scores.value,
        "claim value + source": scores.source,
        "slot links (cross-document pairs)": scores.links,
        "contradictions": scores.contradictions,
    }
    for name, f in figures.items():
        lines.append(
            f"| {name} | {f.tp} | {f.gold} | {f.predicted} | {fmt(f.precision)} "
            f"| {fmt(f.recall)} | {fmt(f.f1.value)} |"
        )
    return lines


def claim_accuracy_table(scores: ClaimScores) -> list[str]:
    """The scorer's agreement on aligned claims: counted class, event, value and cue."""
    lines = ["| attribute | correct / total | accuracy |", "|---|---:|---:|"]
    for name, tally in scores.accuracy.items():
        lines.append(f"| {name} | {tally.correct} / {tally.total} | {fmt(tally.accuracy)} |")
    return lines


def claim_kappa_table(labels: dict[str, list[tuple[str, str]]]) -> list[str]:
    """Cohen's kappa of counted class, event and pair relation on aligned items."""
    lines = [
        "| labels | aligned items | same label | observed agreement | Cohen's kappa |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, pairs in labels.items():
        lines.append(f"| {name} | {label_agreement(pairs)} |")
    return lines


def slot_table(a: ClaimPass, b: ClaimPass) -> list[str]:
    """Slots per pass, those with the same id and members, and those whose free-text question
    or note differs (neither is scored)."""
    slots_b = {slot.id: slot for slot in b.slots.slots}
    same = [s for s in a.slots.slots if s.id in slots_b]
    members = sum(
        {a.number_span(m) for m in s.members} == {b.number_span(m) for m in slots_b[s.id].members}
        for s in same
    )
    questions = sum(s.question != slots_b[s.id].question for s in same)
    notes = sum(s.note != slots_b[s.id].note for s in same)
    return [
        "| slots a | slots b | same id | same id and members | question differs | note differs |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {len(a.slots.slots)} | {len(slots_b)} | {len(same)} | {members} | {questions} "
        f"| {notes} |",
    ]


def claims_report(passes: Path, texts: dict[str, str]) -> str:
    """The Markdown report of the claims and slots of the two passes."""
    a, b = ClaimPass(passes / "a", texts), ClaimPass(passes / "b", texts)
    scores = score_claims(a.documents, a.slots, b.predictions(), texts, resamples=0)
    sections = [
        [
            "### Claims and slots (pass a as gold, pass b as predictions)",
            "",
            *claims_table(scores),
        ],
        ["### Claim attributes on aligned claims", "", *claim_accuracy_table(scores)],
        ["### Claim labels on aligned items", "", *claim_kappa_table(claim_label_pairs(a, b))],
        ["### Slots", "", *slot_table(a, b)],
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"


def agreement_report(passes: Path, corpus_dir: Path) -> tuple[str, str]:
    """The Markdown report for the passes under `passes` (folders `a` and `b`): the three span
    layers, then the claims and slots."""
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
    layers = "\n\n".join("\n".join(section) for section in sections) + "\n"
    return layers, claims_report(passes, texts)


def main() -> None:
    """Parse the command line and print the report: the layers, a blank line, the claims."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=Path, default=DEFAULT_GOLD / "passes")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    layers, claims = agreement_report(args.passes, args.corpus)
    print(layers, claims, sep="\n", end="")


if __name__ == "__main__":
    main()
