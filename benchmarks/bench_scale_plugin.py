"""The plugin and synthetic corpus of `bench_scale.py`: a slow extractor (a stand-in for a large
model) that sleeps $CB_BENCH_SLEEP_MS milliseconds per document (10 by default), then finds
numbers and capitalised names with regular expressions."""

import os
import re
import time

from claimbench.models import Extraction, Layer

DIGITS = re.compile(r"\b\d+\b")
NAMES = re.compile(r"\b(?:Valdivia|Osorno|Santiago|ONEMI|Ana Rojas)\b")
LABELS = {"Valdivia": "GPE", "Osorno": "GPE", "Santiago": "GPE", "ONEMI": "ORG"}
TEMPLATE = (
    "Report {i}: flood waters rose in {place} on day {day}.\n"
    "Ana Rojas said {families} families had been moved and {homes} homes were damaged.\n"
    "ONEMI sent {tents} tents to {other}.\n"
)
PLACES = ("Valdivia", "Osorno", "Santiago")


def document_text(index: int) -> str:
    """The text of synthetic document `index` (about 170 characters, three paragraphs).

    Examples
    --------
    >>> document_text(1).splitlines()[0]
    'Report 1: flood waters rose in Osorno on day 2.'
    """
    return TEMPLATE.format(
        i=index,
        place=PLACES[index % 3],
        day=index % 28 + 1,
        families=index % 90 + 10,
        homes=index % 400 + 3,
        tents=index % 50 + 1,
        other=PLACES[(index + 1) % 3],
    )


def answers(text: str) -> dict[str, list[dict[str, object]]]:
    """Numbers (exact CARDINALs) and names (GPE, ORG, PERSON) of a synthetic text.

    Examples
    --------
    >>> [n["start"] for n in answers("Day 12, ONEMI.")["numbers"]]
    [4]
    """
    numbers = [
        {"start": m.start(), "end": m.end(), "label": "CARDINAL",
         "value": {"low": int(m.group()), "high": int(m.group())}, "form": "exact"}
        for m in DIGITS.finditer(text)
    ]  # fmt: skip
    entities = [
        {"start": m.start(), "end": m.end(), "label": LABELS.get(m.group(), "PERSON")}
        for m in NAMES.finditer(text)
    ]
    return {"entities": entities, "numbers": numbers}


class Sleepy:
    """Sleeps, then answers; misses the last number of every seventh document."""

    name, version, layers = "sleepy", "1.0", [Layer.ENTITIES, Layer.NUMBERS]

    def __init__(self) -> None:
        self.seconds = float(os.environ.get("CB_BENCH_SLEEP_MS", "10")) / 1000

    def extract(self, document: object) -> Extraction:
        """The answers of `document`, after the sleep."""
        time.sleep(self.seconds)
        found = answers(document.text)  # type: ignore[attr-defined]
        if int(document.id.rsplit("-", 1)[1]) % 7 == 0:  # type: ignore[attr-defined]
            found["numbers"] = found["numbers"][:-1]
        return Extraction.model_validate(found)
