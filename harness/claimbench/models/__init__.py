"""The data contract: pydantic models for corpus, gold, predictions and results.

This package imports nothing else of claimbench, so every other part may depend on it.
"""

from claimbench.models.annotations import (
    Attribution,
    EntityMention,
    NumberMention,
    NumericValue,
    PredictedAttribution,
    PredictedEntity,
    PredictedNumber,
    Span,
    Timex,
)
from claimbench.models.claims import (
    Claim,
    ClaimRef,
    PredictedClaim,
    Slot,
    SlotPair,
    SlotsFile,
    claim_doc,
)
from claimbench.models.corpus import CorpusManifest, Document, DocumentMetadata, ManifestEntry
from claimbench.models.edits import DocumentEdits, Edit, EditKind
from claimbench.models.gold import EntityCatalog, EntityRecord, GoldDocument, GoldManifest
from claimbench.models.labels import (
    ENTITY_LABELS,
    NUMBER_LABELS,
    TEMPORAL_LABELS,
    ClaimEvent,
    CountedClass,
    EntityLabel,
    Layer,
    NumberForm,
    NumberLabel,
    QuoteType,
    SlotRelation,
    TimexMod,
    TimexType,
)
from claimbench.models.predictions import Extraction, LayerPresence, PredictionRecord

__all__ = [
    "ENTITY_LABELS",
    "NUMBER_LABELS",
    "TEMPORAL_LABELS",
    "Attribution",
    "Claim",
    "ClaimEvent",
    "ClaimRef",
    "CorpusManifest",
    "CountedClass",
    "Document",
    "DocumentEdits",
    "DocumentMetadata",
    "Edit",
    "EditKind",
    "EntityCatalog",
    "EntityLabel",
    "EntityMention",
    "EntityRecord",
    "Extraction",
    "GoldDocument",
    "GoldManifest",
    "Layer",
    "LayerPresence",
    "ManifestEntry",
    "NumberForm",
    "NumberLabel",
    "NumberMention",
    "NumericValue",
    "PredictedAttribution",
    "PredictedClaim",
    "PredictedEntity",
    "PredictedNumber",
    "PredictionRecord",
    "QuoteType",
    "Slot",
    "SlotPair",
    "SlotRelation",
    "SlotsFile",
    "Span",
    "Timex",
    "TimexMod",
    "TimexType",
    "claim_doc",
]
