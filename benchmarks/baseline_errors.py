"""Error classes of one system, per layer, read from a claimbench match log.

Usage: .venv/bin/python benchmarks/baseline_errors.py MATCH_LOG [--examples 3]

MATCH_LOG is the JSON Lines file written by `claimbench evaluate ... --match-log FILE` (or
`claimbench score --match-log FILE`): one line per aligned pair, miss or false positive, each
with its gold and predicted item. Nothing else is read, so the script works for any plugin.

Classes printed:

- entities: type confusions (gold label -> predicted label), boundary errors of aligned pairs
  (predicted longer, shorter or shifted, and the words added or left out, e.g. a title or
  "district"), misses by gold label, false positives by predicted label;
- numbers: label confusions, boundary errors, value mismatches of aligned pairs by kind
  (numeric value, timex value, timex modifier only, label family), form and unit disagreements,
  misses and false positives by label and kind (duration, ordinal, set, ...);
- attributions: aligned cues whose source or content is wrong (and which), missed cues by cue
  word, false positives by cue word.

Content token F1 is recomputed from the spans' own text (word tokens, `\\w+`), which equals the
scorer's figure unless a span cuts a word in two.

The output is deterministic: classes are sorted by count, then by name; examples keep the
log's order (document, then position).
"""

import argparse
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

Item = dict[str, Any]
Record = dict[str, Any]
_WORD = re.compile(r"\w+")
CONTENT_F1 = 0.5
_TEMPORAL = frozenset({"DATE", "TIME"})


def read_log(path: Path) -> list[Record]:
    """The records of a match log, in file order."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


class Tally:
    """Counts of error classes, each with the first few examples."""

    def __init__(self, examples: int) -> None:
        self.counts: Counter[str] = Counter()
        self.examples: dict[str, list[str]] = defaultdict(list)
        self.limit = examples

    def add(self, key: str, example: str) -> None:
        """Count one occurrence of class `key`, keeping `example` if there is room."""
        self.counts[key] += 1
        if len(self.examples[key]) < self.limit:
            self.examples[key].append(example)

    def lines(self, title: str, top: int | None = None) -> Iterator[str]:
        """The tally as indented text lines, most frequent class first."""
        total = sum(self.counts.values())
        yield f"  {title}: {total}"
        ordered = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        for key, count in ordered[:top]:
            yield f"    {count:4d}  {key}"
            for example in self.examples[key]:
                yield f"            e.g. {example}"
        if top is not None and len(ordered) > top:
            rest = sum(count for _, count in ordered[top:])
            yield f"    {rest:4d}  ({len(ordered) - top} other classes)"


def quoted(item: Item | None) -> str:
    """`"text" [start:end]` of a span-like item (`[start:end]` when the plugin gave no text, which
    predictions may leave out), or a dash."""
    if item is None:
        return "-"
    offsets = f"[{item['start']}:{item['end']}]"
    return f'"{item["text"]}" {offsets}' if item.get("text") is not None else offsets


def where(record: Record) -> str:
    """The document of a record, as a prefix for examples."""
    return f"{record['doc_id']}: "


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def boundary(gold: Item, pred: Item) -> tuple[str, str]:
    """How the predicted span's boundaries differ from the gold's, and the words that differ.

    Returns a class (`longer`, `shorter`, `shifted`) and the words added (`+word`) or left out
    (`-word`), left side before right side, e.g. ("longer", "+maulana |").
    """
    gs, ge, ps, pe = gold["start"], gold["end"], pred["start"], pred["end"]
    if ps <= gs and pe >= ge:
        shape = "longer"
    elif ps >= gs and pe <= ge:
        shape = "shorter"
    else:
        shape = "shifted"
    left = _edge_words(gold, pred, left=True)
    right = _edge_words(gold, pred, left=False)
    return shape, f"{left} | {right}".strip()


def _edge_words(gold: Item, pred: Item, *, left: bool) -> str:
    """Words on one edge that only one side covers: `+w` predicted only, `-w` gold only."""
    gs, ge, ps, pe = gold["start"], gold["end"], pred["start"], pred["end"]
    if left:
        if ps < gs:
            return " ".join("+" + w for w in _words(pred["text"][: gs - ps]))
        if ps > gs:
            return " ".join("-" + w for w in _words(gold["text"][: ps - gs]))
        return ""
    if pe > ge:
        return " ".join("+" + w for w in _words(pred["text"][len(pred["text"]) - (pe - ge) :]))
    if pe < ge:
        return " ".join("-" + w for w in _words(gold["text"][len(gold["text"]) - (ge - pe) :]))
    return ""


def entity_lines(records: Iterable[Record], examples: int) -> Iterator[str]:
    """Error classes of the entity layer."""
    confusions, bounds, edges = Tally(examples), Tally(examples), Tally(examples)
    misses, spurious, correct = Tally(examples), Tally(examples), 0
    for record in records:
        gold, pred = record["gold_item"], record["predicted_item"]
        prefix = where(record)
        if gold is None:
            spurious.add(pred["label"], prefix + quoted(pred))
        elif pred is None:
            misses.add(gold["label"], prefix + quoted(gold))
        else:
            same_bounds = (gold["start"], gold["end"]) == (pred["start"], pred["end"])
            if gold["label"] != pred["label"]:
                text = quoted(gold) if same_bounds else f"{quoted(gold)} -> {quoted(pred)}"
                confusions.add(f"{gold['label']} -> {pred['label']}", prefix + text)
            if not same_bounds:
                shape, words = boundary(gold, pred)
                example = f"{prefix}{quoted(gold)} -> {quoted(pred)}"
                bounds.add(f"{shape} ({gold['label']})", example)
                edges.add(words, example)
            correct += same_bounds and gold["label"] == pred["label"]
    yield "entities"
    yield f"  strict matches: {correct}"
    yield from confusions.lines("type confusions (gold -> predicted, any boundaries)")
    yield from bounds.lines("boundary errors of aligned pairs (predicted vs gold)")
    yield from edges.lines("words that differ at the edges (+ predicted only, - gold only)", 12)
    yield from misses.lines("missed (no overlapping prediction), by gold label")
    yield from spurious.lines("false positives (no overlapping gold), by predicted label")


def number_kind(item: Item) -> str:
    """Label and kind of a number item: `DATE duration`, `CARDINAL range`, ..."""
    label = item["label"]
    timex = item.get("timex")
    if timex:
        value = str(timex.get("value", ""))
        kind = (
            "duration"
            if value.startswith("P")
            else "set"
            if timex.get("type") == "SET"
            else "relative/underspecified"
            if "X" in value or value in {"PAST_REF", "PRESENT_REF", "FUTURE_REF"}
            else "anchored"
        )
        return f"{label} {kind}"
    form = item.get("form")
    return f"{label} {form}" if form else label


def _value_of(item: Item) -> tuple[Any, ...]:
    value = item.get("value") or {}
    return value.get("low"), value.get("high")


def value_mismatch(gold: Item, pred: Item) -> str:
    """Why two overlapping number items do not have the same normalised value."""
    gold_timex, pred_timex = gold.get("timex"), pred.get("timex")
    if gold_timex and not pred_timex and pred["label"] in _TEMPORAL:
        return f"temporal label but no timex predicted ({gold['label']} -> {pred['label']})"
    if bool(gold_timex) != bool(pred_timex):
        return f"temporal vs numeric ({gold['label']} -> {pred['label']})"
    if gold_timex and pred_timex:
        if gold_timex.get("value") != pred_timex.get("value"):
            return f"timex value ({number_kind(gold)})"
        if gold_timex.get("mod") != pred_timex.get("mod"):
            return "timex mod only"
        return "timex type only"
    if _value_of(gold) != _value_of(pred):
        return f"numeric value ({gold['label']})"
    if gold.get("unit") != pred.get("unit"):
        return "unit only"
    return "other (form or label)"


def _number_text(item: Item) -> str:
    timex = item.get("timex")
    if timex:
        mod = f" mod={timex['mod']}" if timex.get("mod") else ""
        return f"{item['label']} {timex.get('value')}{mod}"
    low, high = _value_of(item)
    unit = f" {item['unit']}" if item.get("unit") else ""
    return f"{item['label']} [{low}, {high}] {item.get('form')}{unit}"


def number_lines(records: Iterable[Record], examples: int) -> Iterator[str]:
    """Error classes of the number layer."""
    labels, bounds, values = Tally(examples), Tally(examples), Tally(examples)
    forms, units = Tally(examples), Tally(examples)
    misses, spurious, matched = Tally(examples), Tally(examples), 0
    for record in records:
        gold, pred = record["gold_item"], record["predicted_item"]
        prefix = where(record)
        if gold is None:
            spurious.add(number_kind(pred), prefix + quoted(pred))
            continue
        if pred is None:
            misses.add(number_kind(gold), prefix + quoted(gold))
            continue
        pair = f"{prefix}{quoted(gold)} {_number_text(gold)} -> {quoted(pred)} {_number_text(pred)}"
        if gold["label"] != pred["label"]:
            labels.add(f"{gold['label']} -> {pred['label']}", pair)
        if (gold["start"], gold["end"]) != (pred["start"], pred["end"]):
            shape, words = boundary(gold, pred)
            bounds.add(f"{shape}: {words}", pair)
        if record["outcomes"].get("value") == "COR":
            matched += 1
            if not gold.get("timex") and gold.get("form") != pred.get("form"):
                forms.add(f"{gold.get('form')} -> {pred.get('form')}", pair)
            if not gold.get("timex") and gold.get("unit") != pred.get("unit"):
                units.add(f"{gold.get('unit')} -> {pred.get('unit')}", pair)
        else:
            values.add(value_mismatch(gold, pred), pair)
    yield "numbers"
    yield f"  value matches: {matched}"
    yield from values.lines("value mismatches of overlapping spans, by kind")
    yield from labels.lines("label confusions of overlapping spans (gold -> predicted)")
    yield from bounds.lines("boundary errors of overlapping spans (+ predicted only, - gold only)")
    yield from forms.lines("form disagreements on value matches (gold -> predicted)")
    yield from units.lines("unit disagreements on value matches (gold -> predicted)")
    yield from misses.lines("missed (no overlapping prediction), by gold label and kind")
    yield from spurious.lines("false positives (no overlapping gold), by predicted label and kind")


def _char_words(spans: list[Item]) -> set[tuple[int, int]]:
    """Word tokens of `spans` as absolute (start, end) offsets."""
    return {
        (span["start"] + m.start(), span["start"] + m.end())
        for span in spans
        for m in _WORD.finditer(span["text"])
    }


def content_f1(gold: Item, pred: Item) -> float:
    """Token F1 of the two contents (word tokens of the spans' own text)."""
    a, b = _char_words(gold.get("content") or []), _char_words(pred.get("content") or [])
    if not a and not b:
        return 1.0
    shared = len(a & b)
    return 2 * shared / (len(a) + len(b)) if shared else 0.0


def _overlap(a: Item | None, b: Item | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return min(a["end"], b["end"]) > max(a["start"], b["start"])


def source_error(gold: Item, pred: Item) -> str | None:
    """Why the sources disagree, or None when they overlap (or both are absent)."""
    g, p = gold.get("source"), pred.get("source")
    if _overlap(g, p):
        return None
    if g is None:
        return "source given where gold has none"
    if p is None:
        return "source missing"
    return "source elsewhere"


def _content_text(item: Item) -> str:
    return " / ".join(f'"{c["text"]}"' for c in item.get("content") or [])


def attribution_lines(records: Iterable[Record], examples: int) -> Iterator[str]:
    """Error classes of the attribution layer."""
    wrong, misses, spurious, matched = Tally(examples), Tally(examples), Tally(examples), 0
    quote_types = Tally(examples)
    for record in records:
        gold, pred = record["gold_item"], record["predicted_item"]
        prefix = where(record)
        if gold is None:
            spurious.add(pred["cue"]["text"].lower(), prefix + _attribution_text(pred))
            continue
        if pred is None:
            misses.add(gold["cue"]["text"].lower(), prefix + _attribution_text(gold))
            continue
        if record["outcomes"].get("match") == "COR":
            matched += 1
            if gold.get("quote") != pred.get("quote"):
                quote_types.add(
                    f"{gold.get('quote')} -> {pred.get('quote')}", prefix + quoted(gold["cue"])
                )
            continue
        problems = []
        source = source_error(gold, pred)
        if source:
            problems.append(source)
        f1 = content_f1(gold, pred)
        if f1 < CONTENT_F1:
            problems.append("content token F1 < 0.5")
        example = f"{prefix}gold {_attribution_text(gold)}; predicted {_attribution_text(pred)}"
        wrong.add(" + ".join(problems) or "cue only (recomputed figures agree)", example)
    yield "attributions"
    yield f"  matches: {matched}"
    yield from wrong.lines("cue found, source or content wrong")
    yield from quote_types.lines("quote type disagreements on matches (gold -> predicted)")
    yield from misses.lines("missed cues (no overlapping predicted cue), by cue word")
    yield from spurious.lines("false positives (no overlapping gold cue), by cue word")


def _attribution_text(item: Item) -> str:
    source = quoted(item.get("source"))
    return f"cue {quoted(item['cue'])}, source {source}, content {_content_text(item)}"


def report(records: list[Record], examples: int) -> Iterator[str]:
    """All layers' error classes as text lines."""
    layers = {
        "entities": entity_lines,
        "numbers": number_lines,
        "attributions": attribution_lines,
    }
    for layer, lines in layers.items():
        chosen = [r for r in records if r["layer"] == layer]
        if chosen:
            yield from lines(chosen, examples)
            yield ""


def main() -> None:
    """Print the error classes of the match log named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("match_log", type=Path, help="JSON Lines match log of one system")
    parser.add_argument("--examples", type=int, default=3, help="examples kept per class")
    args = parser.parse_args()
    for line in report(read_log(args.match_log), args.examples):
        print(line)


if __name__ == "__main__":
    main()
