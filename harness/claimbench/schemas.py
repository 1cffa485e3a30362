"""JSON Schemas generated from the data-contract models, committed under `gold/schema/`."""

import json

from pydantic import BaseModel

from claimbench.models import (
    CorpusManifest,
    DocumentEdits,
    EntityCatalog,
    GoldDocument,
    GoldManifest,
    PredictionRecord,
    SlotsFile,
)

SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"

CONTRACT_MODELS: dict[str, type[BaseModel]] = {
    "corpus-manifest": CorpusManifest,
    "document-edits": DocumentEdits,
    "entity-catalog": EntityCatalog,
    "gold-document": GoldDocument,
    "gold-manifest": GoldManifest,
    "prediction-record": PredictionRecord,
    "slots": SlotsFile,
}


def register_schema(name: str, model: type[BaseModel]) -> None:
    """Add a contract model whose schema is committed (used by later layers, e.g. results)."""
    CONTRACT_MODELS[name] = model


def schema_of(model: type[BaseModel]) -> dict:
    """The JSON Schema (draft 2020-12) of `model`, as validated input."""
    schema = model.model_json_schema(mode="validation")
    return {"$schema": SCHEMA_DRAFT, **schema}


def render_schemas() -> dict[str, str]:
    """File name -> schema text, for every contract model.

    Examples
    --------
    >>> "gold-document.schema.json" in render_schemas()
    True
    """
    return {
        f"{name}.schema.json": json.dumps(schema_of(model), indent=2, ensure_ascii=False) + "\n"
        for name, model in sorted(CONTRACT_MODELS.items())
    }
