"""Every change from a seed to its canonical text, as reviewable data (DESIGN §2)."""

from enum import StrEnum

from pydantic import NonNegativeInt

from claimbench.models.base import ContractModel


class EditKind(StrEnum):
    """Why a stretch of seed text differs in the canonical text."""

    BYTE_ORDER_MARK = "byte_order_mark"
    METADATA = "metadata"
    BOILERPLATE = "boilerplate"
    WORD_SPLIT = "word_split"
    LINE_WRAP = "line_wrap"
    PARAGRAPH_BREAK = "paragraph_break"
    WHITESPACE = "whitespace"
    UNICODE_NFC = "unicode_nfc"
    FINAL_NEWLINE = "final_newline"


class Edit(ContractModel):
    """Seed `[seed_start, seed_end)` became canonical `[text_start, text_end)`."""

    seed_start: NonNegativeInt
    seed_end: NonNegativeInt
    text_start: NonNegativeInt
    text_end: NonNegativeInt
    seed_text: str
    text: str
    kind: EditKind
    reason: str


class DocumentEdits(ContractModel):
    """All edits of one document, sorted by seed position and non-overlapping."""

    doc_id: str
    seed: str
    edits: list[Edit]
