"""The corpus is derived from the seeds, reproducibly, with every repair recorded."""

import hashlib
import json
import re
import unicodedata
from pathlib import Path

import pytest

from claimbench.corpus.build import build_corpus
from claimbench.corpus.store import load_corpus
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_SEEDS
from tests.conftest import SHARED_SEEDS, manifest


def corpus_texts() -> dict[str, str]:
    corpus = load_corpus(DEFAULT_CORPUS)
    return {doc.id: doc.text for doc in corpus.documents()}


def test_seeds_are_byte_identical_to_the_shared_seeds_and_their_recorded_hashes():
    seeds = sorted(p for p in DEFAULT_SEEDS.glob("*.txt"))
    assert [p.name for p in seeds] == [
        "000_1c619ab1da3fa14e.txt",
        "001_bbff96d891f5cf94.txt",
        "002_d715ce97de461e3b.txt",
        "003_d46b858265c6e2fb.txt",
        "004_0258c55d1fbe6a80.txt",
    ]
    recorded = dict(
        reversed(line.split("  "))
        for line in (DEFAULT_SEEDS / "SHA256SUMS").read_text().splitlines()
    )
    for seed in seeds:
        assert hashlib.sha256(seed.read_bytes()).hexdigest() == recorded[seed.name]
        if SHARED_SEEDS.is_dir():
            assert seed.read_bytes() == (SHARED_SEEDS / seed.name).read_bytes()


def test_rebuild_reproduces_the_committed_corpus_byte_for_byte():
    assert build_corpus(DEFAULT_SEEDS).differences(DEFAULT_CORPUS) == []


def test_build_is_deterministic_across_runs(tmp_path: Path):
    build_corpus(DEFAULT_SEEDS).write(tmp_path / "a")
    build_corpus(DEFAULT_SEEDS).write(tmp_path / "b")
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*"))
    assert files_a == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*"))
    for relative in files_a:
        if (tmp_path / "a" / relative).is_file():
            assert (tmp_path / "a" / relative).read_bytes() == (
                tmp_path / "b" / relative
            ).read_bytes()


@pytest.mark.parametrize(
    "trace",
    [
        "Opinion",
        "Editorial",
        "Anti-women state",
        "IT sector concerns",
        "Exclusive politics",
        "Updated 25 Nov, 2024",
        "Do you like this article?",
        "Comment(s)",
        "Comment Policy",
        "Denotes required field",
        "1500 / 1500",
        "date 2017-06-05",
    ],
)
def test_no_trace_of_boilerplate_or_metadata_remains(trace: str):
    for doc_id, text in corpus_texts().items():
        assert trace not in text, f"{trace!r} left in {doc_id}"


def test_every_article_paragraph_remains_including_the_last_one():
    texts = corpus_texts()
    last_paragraphs = {
        "000-afp": "But a greater push towards peace and development by authorities has reduced "
        "overall levels of violence in recent years.",
        "001-dawn": "Published in Dawn, June 4th, 2017",
        "002-voa": "Celebrating [the holy Islamic month of] Ramadan by killing Baloch,” Bugti "
        "alleged in a statement posted on his Twitter account.",
        "003-pakistan-forward": "The state must promote the real face of Islam in the country "
        'and counter the violent strategy of anti-peace elements."',
        "004-quetta-security-forces": "The ISPR also released pictures of the recovered guns, "
        "rocket launchers, anti personal mines, detonators and communication equipment.",
    }
    for doc_id, ending in last_paragraphs.items():
        assert texts[doc_id].rstrip("\n").endswith(ending)
    # Every seed line outside the removed boilerplate and metadata survives, rejoined or not.
    for entry in manifest()["documents"]:
        seed = (DEFAULT_SEEDS / entry["seed"]).read_text()
        flat_text = re.sub(r"\s+", "", texts[entry["id"]])
        edits = json.loads((DEFAULT_CORPUS / entry["edits_path"]).read_text())["edits"]
        for edit in edits:
            if edit["kind"] in {"boilerplate", "metadata"}:
                removed = edit["seed_end"] - edit["seed_start"]
                seed = seed[: edit["seed_start"]] + " " * removed + seed[edit["seed_end"] :]
        for line in seed.splitlines():
            words = re.sub(r"\s+", "", line)
            assert words in flat_text, f"{entry['id']}: lost {line[:60]!r}"


def test_no_word_is_left_split_and_no_words_are_glued():
    text = corpus_texts()["000-afp"]
    for fragment in ("ki dnapped", "militar y", "Securit y", "securit y", "ofthe"):
        assert fragment not in text
    for word in ("kidnapped Chinese", "military source", "Security sources", "security source"):
        assert word in text
    for wrapped in (
        "southwest Balochistan",
        "presence of the vehicle",
        "capital of Balochistan",
        "Mineral-rich Balochistan",
        "since 2004",
    ):
        assert wrapped in text


def test_canonical_form_nfc_one_paragraph_per_line_newline_endings():
    for doc_id, text in corpus_texts().items():
        assert unicodedata.is_normalized("NFC", text), doc_id
        assert "\r" not in text and "\n\n" not in text and text.endswith("\n"), doc_id
        assert "\u00a0" not in text, doc_id
        assert all(line == line.strip() for line in text.splitlines()), doc_id


def test_manifest_metadata_only_where_the_text_supports_it():
    entries = {entry["id"]: entry for entry in manifest()["documents"]}
    assert {doc_id: (e["outlet"], e["date"]) for doc_id, e in entries.items()} == {
        "000-afp": ("AFP", None),
        "001-dawn": ("Dawn", "2017-06-04"),
        "002-voa": ("VOA", None),
        "003-pakistan-forward": ("Pakistan Forward", None),
        "004-quetta-security-forces": (None, "2017-06-05"),
    }
    for entry in entries.values():
        seed = (DEFAULT_SEEDS / entry["seed"]).read_text()
        for key in ("outlet_evidence", "date_evidence"):
            evidence = entry[key]
            if evidence is not None:
                assert seed[evidence["seed_start"] : evidence["seed_end"]] == evidence["text"]
        text = (DEFAULT_CORPUS / entry["text_path"]).read_bytes()
        assert hashlib.sha256(text).hexdigest() == entry["text_sha256"]
        assert entry["paragraphs"] == text.decode().count("\n")


def test_every_edit_is_data_with_a_reason_and_reproduces_the_text():
    for entry in manifest()["documents"]:
        seed = (DEFAULT_SEEDS / entry["seed"]).read_text()
        edits = json.loads((DEFAULT_CORPUS / entry["edits_path"]).read_text())["edits"]
        rebuilt, position = [], 0
        for edit in edits:
            assert edit["reason"]
            assert seed[edit["seed_start"] : edit["seed_end"]] == edit["seed_text"]
            rebuilt += [seed[position : edit["seed_start"]], edit["text"]]
            position = edit["seed_end"]
        rebuilt.append(seed[position:])
        assert "".join(rebuilt) == (DEFAULT_CORPUS / entry["text_path"]).read_text()


def test_seed_with_crlf_bom_and_decomposed_accents_is_repaired(tmp_path: Path):
    seed = "\ufeffKARACHI: Officials said the cafe\u0301 was\r\nclosed.\r\n\r\nPolice told AFP."
    (tmp_path / "000_ab.txt").write_bytes(seed.encode())
    built = build_corpus(tmp_path)
    text = built.files["texts/000-afp.txt"].decode()
    assert text == "KARACHI: Officials said the caf\u00e9 was closed.\nPolice told AFP.\n"
    kinds = [e["kind"] for e in json.loads(built.files["edits/000-afp.json"])["edits"]]
    assert kinds == [
        "byte_order_mark",
        "unicode_nfc",
        "line_wrap",
        "paragraph_break",
        "final_newline",
    ]


def test_corpus_build_command_writes_nothing_when_up_to_date(run_cli, corpus_copy: Path):
    result = run_cli("corpus", "build", "--corpus", corpus_copy)
    assert result.exit_code == 0 and "0 changed" in result.output
    (corpus_copy / "texts" / "000-afp.txt").write_text("tampered\n")
    check = run_cli("corpus", "build", "--check", "--corpus", corpus_copy)
    assert check.exit_code == 1 and "texts/000-afp.txt" in check.output


def test_a_corpus_file_that_cannot_be_read_differs_and_is_rewritten(run_cli, corpus_copy):
    # A folder where a text goes: a traceback before, from reading it to compare.
    text = corpus_copy / "texts" / "000-afp.txt"
    text.unlink()
    text.mkdir()
    result = run_cli("corpus", "build", "--corpus", corpus_copy, "--check")
    assert result.exit_code == 1, result.output
    assert "texts/000-afp.txt" in result.output
    result = run_cli("corpus", "build", "--corpus", corpus_copy)
    assert result.exit_code == 2, result.output
    assert f"cannot write {text}: Is a directory" in result.output
    text.rmdir()  # the folder gone, the text is rewritten and the corpus checks again
    assert run_cli("corpus", "build", "--corpus", corpus_copy).exit_code == 0
    check = run_cli("corpus", "build", "--corpus", corpus_copy, "--check")
    assert check.exit_code == 0, check.output
