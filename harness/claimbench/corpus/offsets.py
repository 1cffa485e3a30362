"""The offset map between a seed and its canonical text, derived from the list of edits."""

from bisect import bisect_right
from dataclasses import dataclass

from claimbench.models import Edit


@dataclass(frozen=True)
class _Piece:
    """A stretch that is copied unchanged (`copied`) or replaced by an edit."""

    seed_start: int
    seed_end: int
    text_start: int
    text_end: int
    copied: bool


class OffsetMap:
    """Projects half-open spans between seed and canonical coordinates, both ways.

    A position inside a copied stretch maps one to one; a span edge inside an edited stretch maps
    to the outer edge of that edit, so a projected span always covers what the original covered.

    Parameters
    ----------
    edits : list[Edit]
        The document's edits, sorted by seed position and non-overlapping.
    seed_length, text_length : int
        Lengths (code points) of the seed and canonical texts.

    Examples
    --------
    >>> from claimbench.models import Edit
    >>> edit = Edit(seed_start=2, seed_end=3, text_start=2, text_end=2, seed_text="\\n", text="",
    ...             kind="word_split", reason="example")
    >>> omap = OffsetMap([edit], seed_length=9, text_length=8)   # "ki\\ndnapp" -> "kidnapp"
    >>> omap.to_seed(0, 4)
    (0, 5)
    >>> omap.to_text(0, 5)
    (0, 4)
    """

    def __init__(self, edits: list[Edit], seed_length: int, text_length: int) -> None:
        self._pieces = _pieces(edits, seed_length, text_length)
        self._seed_starts = [piece.seed_start for piece in self._pieces]
        self._text_starts = [piece.text_start for piece in self._pieces]

    def to_seed(self, start: int, end: int) -> tuple[int, int]:
        """The seed span that the canonical span `[start, end)` came from."""
        return (
            self._project(start, from_seed=False, is_end=False),
            self._project(end, from_seed=False, is_end=True),
        )

    def to_text(self, start: int, end: int) -> tuple[int, int]:
        """The canonical span that the seed span `[start, end)` became (possibly empty)."""
        return (
            self._project(start, from_seed=True, is_end=False),
            self._project(end, from_seed=True, is_end=True),
        )

    def _project(self, position: int, *, from_seed: bool, is_end: bool) -> int:
        starts = self._seed_starts if from_seed else self._text_starts
        # For an end position, the piece that ends at `position` owns it.
        index = bisect_right(starts, position - 1 if is_end else position) - 1
        index = max(index, 0)
        piece = self._pieces[index]
        src_start = piece.seed_start if from_seed else piece.text_start
        src_end = piece.seed_end if from_seed else piece.text_end
        dst_start = piece.text_start if from_seed else piece.seed_start
        dst_end = piece.text_end if from_seed else piece.seed_end
        if not src_start <= position <= src_end:
            raise ValueError(f"position {position} is outside the text")
        if piece.copied:
            return dst_start + (position - src_start)
        if position == src_start and not is_end:
            return dst_start
        if position == src_end and is_end:
            return dst_end
        return dst_end if is_end else dst_start


def _pieces(edits: list[Edit], seed_length: int, text_length: int) -> list[_Piece]:
    pieces: list[_Piece] = []
    seed_pos = text_pos = 0
    for edit in edits:
        gap = edit.seed_start - seed_pos
        if gap < 0 or edit.text_start - text_pos != gap:
            raise ValueError(f"edits overlap or are out of order at seed offset {edit.seed_start}")
        if gap:
            pieces.append(_Piece(seed_pos, edit.seed_start, text_pos, edit.text_start, True))
        if edit.seed_end > edit.seed_start or edit.text_end > edit.text_start:
            pieces.append(
                _Piece(edit.seed_start, edit.seed_end, edit.text_start, edit.text_end, False)
            )
        seed_pos, text_pos = edit.seed_end, edit.text_end
    if seed_length - seed_pos != text_length - text_pos:
        raise ValueError("edits do not account for the difference in length")
    if seed_length > seed_pos or not pieces:
        pieces.append(_Piece(seed_pos, seed_length, text_pos, text_length, True))
    return pieces
