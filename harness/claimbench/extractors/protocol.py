"""The Python plugin protocol (DESIGN §6).

A plugin is any object with `name`, `version`, `layers` and `extract(document)`. It receives a
`Document` (id, canonical text, metadata) and never gold. `config` is optional: a JSON-able dict
whose hash is recorded with the results, so runs with different settings are told apart.
"""

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from claimbench.models import Document, Extraction, Layer


@runtime_checkable
class Extractor(Protocol):
    """What `claimbench evaluate` runs.

    Examples
    --------
    >>> from claimbench.models import Document, Extraction, Layer
    >>> class Nothing:
    ...     name, version, layers = "nothing", "1.0", (Layer.ENTITIES,)
    ...     def extract(self, document: Document) -> Extraction:
    ...         return Extraction(entities=[])
    >>> isinstance(Nothing(), Extractor)
    True
    """

    name: str
    version: str
    layers: Sequence[Layer]

    def extract(self, document: Document) -> Extraction:
        """The layers in `layers`, extracted from `document`."""
        ...


def extractor_config(extractor: Extractor) -> Mapping[str, Any]:
    """The plugin's `config` attribute, or an empty mapping when it has none."""
    return getattr(extractor, "config", None) or {}


def extractor_metadata(extractor: Extractor) -> Mapping[str, Any]:
    """The plugin's optional `leaderboard_metadata` attribute (authors, description, code_url,
    paper_url, model_licence: what its leaderboard entry shows), or an empty mapping.

    Examples
    --------
    >>> class Described:
    ...     leaderboard_metadata = {"authors": ["A. Author"]}
    >>> extractor_metadata(Described())
    {'authors': ['A. Author']}
    """
    found = getattr(extractor, "leaderboard_metadata", None)
    return dict(found) if isinstance(found, Mapping) else {}
