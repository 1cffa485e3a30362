"""A gazetteer extractor: every occurrence of a known name is an entity mention.

It shows the whole plugin protocol: `name`, `version`, `layers`, an optional `config` (recorded
as a hash with the results), an optional `leaderboard_metadata` (what its leaderboard entry
shows) and `extract(document) -> Extraction`.
"""

import re
from typing import ClassVar

from claimbench.models import Document, Extraction, Layer, PredictedEntity

NAMES = {
    "Pakistan": "GPE",
    "Balochistan": "GPE",
    "Mastung": "GPE",
    "Quetta": "GPE",
    "China": "GPE",
    "Islamic State": "ORG",
    "ISIS": "ORG",
    "Chinese": "NORP",
    "Pakistani": "NORP",
}


class Gazetteer:
    """Finds the names of `NAMES` as whole words, longest first."""

    name = "gazetteer"
    version = "0.1.0"
    layers = (Layer.ENTITIES,)
    # Optional: what a leaderboard entry recorded from this plugin shows.
    leaderboard_metadata: ClassVar[dict[str, object]] = {
        "authors": ["claimbench example"],
        "description": "A list of known names, matched as whole words.",
        "model_licence": "MIT",
    }

    def __init__(self, names: dict[str, str] | None = None) -> None:
        self.names = dict(names or NAMES)
        self.config = {"names": self.names}
        alternatives = sorted(self.names, key=len, reverse=True)
        self._pattern = re.compile(r"\b(" + "|".join(map(re.escape, alternatives)) + r")\b")

    def extract(self, document: Document) -> Extraction:
        """Every whole-word match of a known name in `document.text`."""
        entities = [
            PredictedEntity(
                start=match.start(),
                end=match.end(),
                text=match.group(),
                label=self.names[match.group()],
            )
            for match in self._pattern.finditer(document.text)
        ]
        return Extraction(entities=entities)
