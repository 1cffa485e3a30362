"""claimbench.grounding: strings back to offsets, whatever an extractor did to their quotes,
spaces and Unicode form, with repeated strings resolved by the documented rule."""

import unicodedata
from itertools import pairwise

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from claimbench.grounding import (
    Grounder,
    Request,
    Resolution,
    clusters,
    fold,
    ground,
    ground_all,
)

# Texts of precomposed letters, digits, punctuation, every quote and dash style, and spaces
# and line breaks; all NFC, as canonical texts are.
ALPHABET = "abcéøAB12 ,.\n\t'\"‘’“”-–—"
texts = st.text(alphabet=ALPHABET, min_size=1, max_size=60)
RESTYLE = {"‘": "'", "’": "'", "'": "’", "“": '"', "”": '"', '"': "“", "–": "-", "—": "-", "-": "–"}


def mangle(text: str, spaces: str, restyle: bool) -> str:
    """What a model might do to a string: other quotes and dashes, other whitespace, NFD."""
    if restyle:
        text = "".join(RESTYLE.get(char, char) for char in text)
    text = "".join(spaces if char.isspace() else char for char in text)
    return unicodedata.normalize("NFD", text)


def stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@st.composite
def substrings(draw):
    text = draw(texts)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    start, end = stripped(text, start, end)
    assume(start < end)
    spaces = draw(st.sampled_from([" ", "  ", "\n", " \t ", "\u00a0"]))
    return text, start, end, mangle(text[start:end], spaces, draw(st.booleans()))


@settings(max_examples=300, deadline=None)
@given(substrings())
def test_any_substring_is_grounded_back_to_its_span_by_its_occurrence(case):
    text, start, end, query = case
    first = ground(text, query, occurrence=0)
    assert first.span is not None, first.describe()
    spans = [ground(text, query, occurrence=k).span for k in range(first.candidates)]
    assert (start, end) in spans
    assert len(set(spans)) == len(spans)
    assert all(fold(text[s:e]) == fold(query) for s, e in spans)


@settings(max_examples=300, deadline=None)
@given(substrings())
def test_a_substring_with_its_full_context_is_grounded_exactly(case):
    text, start, end, query = case
    result = ground(text, query, before=text[:start], after=text[end:])
    assert result.span == (start, end), result.describe()


@settings(deadline=None)
@given(substrings())
def test_a_substring_that_occurs_once_is_grounded_without_help(case):
    text, start, end, query = case
    result = ground(text, query)
    assume(result.candidates == 1)
    assert result.span == (start, end)
    assert result.resolution is Resolution.UNIQUE


@settings(deadline=None)
@given(
    st.lists(st.sampled_from(["the", "report", "of", "a", "raid", ",", "."]), max_size=8),
    st.integers(1, 5),
    st.integers(1, 7),
)
def test_a_repeated_name_lands_on_successive_occurrences_in_text_order(filler, times, asks):
    text = " ".join([*filler, "Mastung"] * times + ["Mastungi"])
    name_starts = [
        index
        for index in range(len(text))
        if text.startswith("Mastung", index) and not text[index + 7 : index + 8].isalnum()
    ]
    report = ground_all(text, ["Mastung"] * asks)
    expected = [(start, start + 7) for start in name_starts][:asks]
    assert [r.span for r in report.results[: len(expected)]] == expected
    assert all(r.resolution is Resolution.EXHAUSTED for r in report.results[times:])
    assert len(report.ungrounded) == max(0, asks - times)
    assert len(report.ambiguous) == (1 if times > 1 else 0)


def test_whole_words_win_over_pieces_of_words():
    text = "ISLAMABAD: IS claimed it. This IS-linked group"
    assert ground(text, "IS").span == (11, 13)
    assert Grounder(text).find("IS") == [(11, 13), (31, 33)]
    assert ground(text, "IS", occurrence=0).span == (0, 2)


def test_context_chooses_between_repeated_numbers():
    text = "Dawn said 12 were killed. AFP said 12 were hurt, 12 in all."
    assert ground(text, "12", before="AFP said").span == (35, 37)
    assert ground(text, "12", after="in all").span == (49, 51)
    assert ground(text, "12", before="AFP said").resolution is Resolution.CONTEXT


def test_near_prefers_the_closest_occurrence():
    text = "He said so. Then she said: “no”."
    content = ground(text, "“no”")
    cue = ground(text, "said", near=content.start)
    assert text[cue.start : cue.end] == "said" and cue.start == 21
    assert cue.resolution is Resolution.NEAR


def test_what_cannot_be_grounded_is_reported_with_its_reason():
    report = ground_all(
        "one two two",
        ["three", "   ", Request("two", occurrence=4), "two", "two", "two"],
    )
    assert [r.resolution for r in report.results] == [
        Resolution.NOT_FOUND,
        Resolution.EMPTY,
        Resolution.OUT_OF_RANGE,
        Resolution.FIRST,
        Resolution.REPEATED,
        Resolution.EXHAUSTED,
    ]
    lines = report.describe().splitlines()
    assert lines[0] == "'three': not grounded: not found in the text"
    assert lines[2] == "'two': not grounded: occurrence 4 asked for, 2 found"
    assert lines[-1] == "'two': not grounded: all 2 occurrences already taken by earlier requests"


def test_a_span_never_starts_or_ends_on_whitespace_and_covers_whole_clusters():
    text = "Cafe\u0301  “au   lait”\u00a0now"
    result = ground(text, '"au lait" now')
    assert result.span == (7, len(text))
    assert ground(text, "Café").span == (0, 5)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_folding_is_idempotent_and_never_leaves_edge_or_double_spaces(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert "  " not in folded and folded == folded.strip(" ")


def _joins(char: str) -> bool:
    """A mark, or a Hangul vowel or final consonant: what `clusters` keeps with the character
    before it."""
    hangul = "\u1160" <= char <= "\u11ff" or "\ud7b0" <= char <= "\ud7ff"
    return bool(unicodedata.combining(char)) or unicodedata.category(char) == "Mc" or hangul


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="ae\u0301\u0327\u0308 \u1100\u1161\u11a8\uac00\u0bc6\u0bbe", max_size=30),
    st.data(),
)
def test_clusters_cut_any_part_into_a_character_and_its_marks(text, data):
    # One definition for grounding's folding and the corpus's NFC edits (corpus.cleaning):
    # bringing each cluster to NFC brings the whole part to NFC (Hangul letters compose into
    # a syllable, a Tamil vowel sign with the sign before it).
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    spans = list(clusters(text, start, end))
    assert bool(spans) == (start < end)
    bounds = [start, *(last for _, last in spans)]
    assert spans == list(pairwise(bounds)) and bounds[-1] == end
    for first, last in spans:
        assert all(_joins(char) for char in text[first + 1 : last])
        assert last == end or not _joins(text[last])
    assert list(clusters(text)) == list(clusters(text, 0, len(text)))
    assert "".join(unicodedata.normalize("NFC", text[a:b]) for a, b in spans) == (
        unicodedata.normalize("NFC", text[start:end])
    )
