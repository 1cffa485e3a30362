"""A small, hand-made gold on the real corpus and submissions on it, for the leaderboard tests.

The gold is tiny and written here (not read from gold/, which is still being annotated): place
names and the Islamic State as entities, "12-13" and small whole numbers as numbers, and one
attribution per document where a "told" report is found.
"""

import json
import re
import shutil
from pathlib import Path

from claimbench.corpus.store import Corpus, load_corpus
from claimbench.leaderboard.submissions import (
    EntryMetadata,
    add_submission,
    json_hash,
    load_submission,
    submission_hash,
)
from claimbench.leaderboard.verification import (
    Outcome,
    RerunPlugin,
    VerificationRecord,
    write_record,
)
from claimbench.models import Extraction, PredictedAttribution, PredictedEntity, PredictedNumber
from claimbench.paths import DEFAULT_CORPUS

CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium, headless, with every background request off (the network is closed).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ENTITY_NAMES = {"Mastung": ("GPE", "mastung"), "Quetta": ("GPE", "quetta"),
                "Islamic State": ("ORG", "islamic-state")}  # fmt: skip
KNOWN_FALSE_POSITIVE = "Balochistan"
FALSE_POSITIVE_DOC = "000-afp"
FALSE_ATTRIBUTION = (
    "Security forces",
    "said",
    "they had killed around a dozen Islamic State militants",
)
"""Source, cue and content of an attribution the noisy submission adds to FALSE_POSITIVE_DOC
(the fixture gold has only "a senior security official told AFP" there)."""
XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_PROVENANCE = {"note": "<script>alert(2)</script>", "url": "javascript:alert(3)"}
XSS_METADATA = EntryMetadata(
    authors=["<b>Mallory</b>", "Eve <script>alert(4)</script>"],
    description='<img src=x onerror="alert(5)"> a description',
    code_url="https://example.org/code?<x>",
    paper_url="https://example.org/paper",
    model_licence="<i>MIT</i>",
)


def plugin_provenance(name: str, version: str = "1.0") -> dict:
    """The provenance of a clean recording of a Python plugin: one that can be verified."""
    return {
        "plugin": {"kind": "python", "name": name, "version": version, "target": f"m:{name}"},
        "git": {"commit": "0" * 40, "dirty": False},
        "failed_documents": [],
    }


def mark_reproduced(board: Path, path: Path, distribution: str | None = None) -> None:
    """Write the record `claimbench leaderboard verify` writes when the plugin reproduced the
    submission `path` (without running one: the fixtures' plugins do not exist)."""
    submission = load_submission(path)
    plugin = submission.provenance["plugin"]
    rerun = RerunPlugin(kind=plugin["kind"], name=plugin["name"], version=plugin["version"],
                        target=plugin["target"], distribution=distribution)  # fmt: skip
    record = VerificationRecord(submission=path.name, submission_sha256=submission.sha256,
                                outcome=Outcome.REPRODUCED, reason="reproduced (fixture)",
                                plugin=rerun, predictions_sha256=submission.predictions_sha256,
                                claimbench_version="test")  # fmt: skip
    write_record(board, path.stem, record)


def occurrences(text: str, needle: str) -> list[int]:
    """Start offsets of every occurrence of `needle` in `text`."""
    starts, at = [], text.find(needle)
    while at >= 0:
        starts.append(at)
        at = text.find(needle, at + 1)
    return starts


def gold_entities(text: str) -> list[dict]:
    """Every occurrence of the fixture's entity names, as gold mentions."""
    mentions = []
    for name, (label, entity) in ENTITY_NAMES.items():
        for start in occurrences(text, name):
            mentions.append(
                {"id": f"e{len(mentions) + 1}", "start": start, "end": start + len(name),
                 "text": name, "label": label, "entity": entity}
            )  # fmt: skip
    return sorted(mentions, key=lambda m: m["start"])


def gold_numbers(text: str) -> list[dict]:
    """ "12-13" as a range, and every other number of one to three digits as an exact
    CARDINAL, where the text has them."""
    found = [(s, s + 5, "12-13", {"low": 12, "high": 13}, "range")
             for s in occurrences(text, "12-13")]  # fmt: skip
    for match in re.finditer(r"(?<![\w.,-])\d{1,3}(?![\w.,-])", text):
        value = int(match.group())
        found.append((match.start(), match.end(), match.group(), {"low": value, "high": value},
                      "exact"))  # fmt: skip
    return [
        {"id": f"n{i + 1}", "start": start, "end": end, "text": surface, "label": "CARDINAL",
         "value": value, "form": form}
        for i, (start, end, surface, value, form) in enumerate(sorted(found))
    ]  # fmt: skip


def gold_attributions(text: str) -> list[dict]:
    """The first "told AFP"/"told Dawn" report: its source and the sentence before it."""
    attributions = []
    for cue_text, source_text in (("told", "a senior security official"),
                                  ("told", "security officials")):  # fmt: skip
        cue = text.find(f"{source_text} {cue_text}")
        if cue < 0:
            continue
        line_start = text.rfind("\n", 0, cue) + 1
        cue_start = cue + len(source_text) + 1
        content_end = cue - 2
        attributions.append(
            {"id": "a1", "cue": span(text, cue_start, cue_start + len(cue_text)),
             "source": span(text, cue, cue + len(source_text)), "source_entity": None,
             "content": [span(text, line_start, content_end)], "quote": "indirect", "parent": None}
        )  # fmt: skip
        break
    return attributions


def span(text: str, start: int, end: int) -> dict:
    """A gold span with its text."""
    return {"start": start, "end": end, "text": text[start:end]}


def write_gold(gold_dir: Path, corpus: Corpus) -> None:
    """Write the fixture gold for every document of `corpus`, and the entity catalogue."""
    gold_dir.mkdir(parents=True, exist_ok=True)
    catalog = [{"id": entity, "name": name, "label": label, "aliases": []}
               for name, (label, entity) in ENTITY_NAMES.items()]  # fmt: skip
    (gold_dir / "entities.json").write_text(json.dumps({"entities": catalog}, indent=1))
    for entry in corpus.manifest.documents:
        text = corpus.document(entry.id).text
        document = {
            "doc_id": entry.id,
            "text_sha256": entry.text_sha256,
            "entities": gold_entities(text),
            "numbers": gold_numbers(text),
            "attributions": gold_attributions(text),
        }
        (gold_dir / f"{entry.id}.json").write_text(json.dumps(document, indent=1))


def make_project(root: Path) -> tuple[Path, Path, Path]:
    """A corpus copy, fixture gold and an empty leaderboard under `root`."""
    corpus_dir, gold_dir, board = root / "corpus", root / "gold", root / "leaderboard"
    shutil.copytree(DEFAULT_CORPUS, corpus_dir)
    write_gold(gold_dir, load_corpus(corpus_dir))
    (board / "submissions").mkdir(parents=True)
    return corpus_dir, gold_dir, board


def gold_as_predictions(gold_dir: Path, corpus: Corpus) -> dict[str, Extraction]:
    """The fixture gold, read back as predictions (a perfect system)."""
    predictions = {}
    for doc_id in corpus.doc_ids:
        gold = json.loads((gold_dir / f"{doc_id}.json").read_text())
        predictions[doc_id] = Extraction(
            entities=[PredictedEntity.model_validate(e) for e in gold["entities"]],
            numbers=[PredictedNumber.model_validate(n) for n in gold["numbers"]],
            attributions=[PredictedAttribution.model_validate(a) for a in gold["attributions"]],
        )
    return predictions


def with_false_positive(predictions: dict[str, Extraction], corpus: Corpus) -> dict:
    """`predictions` plus, in the first document, "Balochistan" tagged PERSON and the
    attribution `FALSE_ATTRIBUTION` (two false positives)."""
    text = corpus.document(FALSE_POSITIVE_DOC).text
    start = text.index(KNOWN_FALSE_POSITIVE)
    wrong = PredictedEntity(start=start, end=start + len(KNOWN_FALSE_POSITIVE), label="PERSON")
    spans = {}
    for role, words in zip(("source", "cue", "content"), FALSE_ATTRIBUTION, strict=True):
        at = text.index(words)
        spans[role] = {"start": at, "end": at + len(words)}
    said = PredictedAttribution(cue=spans["cue"], source=spans["source"],
                                content=[spans["content"]], quote="indirect")  # fmt: skip
    extraction = predictions[FALSE_POSITIVE_DOC]
    update = {"entities": [*(extraction.entities or []), wrong],
              "attributions": [*(extraction.attributions or []), said]}  # fmt: skip
    return {**predictions, FALSE_POSITIVE_DOC: extraction.model_copy(update=update)}


def only_layer(predictions: dict[str, Extraction], layer: str, keep: float = 1.0) -> dict:
    """Only `layer` of `predictions`, keeping the first `keep` share of its items per document."""
    kept = {}
    for doc_id, extraction in predictions.items():
        items = getattr(extraction, layer) or []
        kept[doc_id] = Extraction.model_validate({layer: items[: round(len(items) * keep)]})
    return kept


def populate(corpus_dir: Path, gold_dir: Path, board: Path) -> dict[str, Path]:
    """Four submissions: perfect (verified), perfect plus a false positive, half the numbers,
    and the XSS-named one (entities only, hostile metadata, a verified baseline)."""
    corpus = load_corpus(corpus_dir)
    perfect = gold_as_predictions(gold_dir, corpus)
    made = {
        "perfect": add_submission(perfect, plugin_provenance("oracle"), board, corpus=corpus,
                                  name="Oracle", version="1.0"),
        "noisy": add_submission(with_false_positive(perfect, corpus), {}, board, corpus=corpus,
                                name="Noisy tagger", version="0.2"),
        "numbers": add_submission(only_layer(perfect, "numbers", 0.5), {}, board, corpus=corpus,
                                  name="Half numbers", version="0.1"),
        "xss": add_submission(only_layer(perfect, "entities", 0.5),
                              {**XSS_PROVENANCE, **plugin_provenance("xss")}, board,
                              corpus=corpus, name=XSS_NAME, version="<b>1</b>",
                              metadata=XSS_METADATA),
    }  # fmt: skip
    mark_reproduced(board, made["perfect"])
    mark_reproduced(board, made["xss"], distribution="claimbench 0.1.0")
    return made


def rewrite(path: Path, data: dict) -> None:
    """Write an edited submission with both hashes recomputed, as a careful forger would: what
    is left to catch it are the checks of the content."""
    data["predictions_sha256"] = json_hash(data["predictions"])
    data["sha256"] = submission_hash(data)
    path.write_text(json.dumps(data))
