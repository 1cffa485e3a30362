"""CoNLL-2003 import: BIO, IOB1, BIOES and BILOU tags, -DOCSTART- documents, label map,
located errors."""

import json
import unicodedata
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "interop" / "conll"
SAMPLE = DATA / "sample.conll"


def entities(out: Path, doc_id: str) -> list[tuple[str, str]]:
    """(text, label) of each imported entity mention of `doc_id`."""
    gold = json.loads((out / "gold" / f"{doc_id}.json").read_text())
    return [(e["text"], e["label"]) for e in gold["entities"]]


def test_import_reads_iob1_and_bio_documents(run_cli, tmp_path):
    out = tmp_path / "out"
    result = run_cli("import", "conll", SAMPLE, "--out", out)
    assert result.exit_code == 0, result.output
    assert "imported 2 documents (7 entities; not annotated: numbers, attributions)" in (
        result.stderr
    )
    text = (out / "corpus" / "texts" / "sample-1.txt").read_text()
    assert text == (
        "Chilean officials in Valdivia said Ana Rojas visited .\nONEMI sent 300 tents .\n"
    )
    assert entities(out, "sample-1") == [
        ("Chilean", "NORP"),
        ("Valdivia", "GPE"),
        ("Ana Rojas", "PERSON"),
        ("ONEMI", "ORG"),
    ]
    assert entities(out, "sample-2") == [
        ("Red Cross", "ORG"),
        ("Red Crescent", "ORG"),
        ("Santiago de Chile", "GPE"),
    ]
    checked = run_cli(
        "validate", "--seeds", out / "seeds", "--corpus", out / "corpus", "--gold", out / "gold"
    )
    assert checked.exit_code == 0, checked.output


def test_label_overrides_and_a_file_without_docstart(run_cli, tmp_path):
    single = tmp_path / "single.conll"
    single.write_text("Mount B-LOC\nOsorno I-LOC\nerupted O\n")
    out = tmp_path / "out"
    result = run_cli("import", "conll", single, "--out", out, "--label", "LOC=LOC")
    assert result.exit_code == 0, result.output
    assert entities(out, "single") == [("Mount Osorno", "LOC")]


@pytest.mark.parametrize(("last", "single"), [("E", "S"), ("L", "U")])
def test_bioes_and_bilou_tags_end_and_make_one_token_entities(run_cli, tmp_path, last, single):
    """An entity ends at its E- (L-) token and an S- (U-) token is one; read as IOB1 reads
    its I-: one that continues nothing starts an entity, here after an entity that ended."""
    tagged = tmp_path / "tagged.conll"
    tagged.write_text(
        f"John {single}-PER\nvisited O\nNew B-LOC\nYork {last}-LOC\n"
        f"Paris {single}-LOC\nLyon {single}-LOC\n"  # two one-token entities side by side
        f"Le B-ORG\nMonde {last}-ORG\nDaily I-ORG\n"  # I- after an ended entity: a new one
        f"and O\nOxfam {last}-ORG\n.\tO\n\n"  # an end tag that continues nothing
        f"Mount B-LOC\nOsorno I-LOC\n"  # left open at the end of the sentence: ends there
    )
    out = tmp_path / "out"
    result = run_cli("import", "conll", tagged, "--out", out, "--label", "LOC=LOC")
    assert result.exit_code == 0, result.output
    assert entities(out, "tagged") == [
        ("John", "PERSON"),
        ("New York", "LOC"),
        ("Paris", "LOC"),
        ("Lyon", "LOC"),
        ("Le Monde", "ORG"),
        ("Daily", "ORG"),
        ("Oxfam", "ORG"),
        ("Mount Osorno", "LOC"),
    ]


def test_bad_tags_and_unknown_types_are_located(run_cli, tmp_path):
    bad = tmp_path / "bad.conll"
    bad.write_text("Ana X-PER\nRojas I-PER\nof O\nUNICEF B-AGENCY\n")
    result = run_cli("import", "conll", bad, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert f"{bad}:1: document 'bad': tag = 'X-PER': expected O, or B-, I-, E-, S- (BIOES)" in (
        result.stderr
    )
    assert f"{bad}:4: document 'bad': tag type = 'AGENCY': unknown entity type" in result.stderr
    assert not (tmp_path / "out").exists()


def test_tokens_holding_unicode_white_space_are_kept_whole(run_cli, tmp_path):
    """WNUT-style tab-separated tokens with a no-break space, a narrow no-break space and a
    line separator (str.split() and str.splitlines() break on all three), emoji and URLs."""
    source = DATA / "wnut-unicode-space.conll"
    out = tmp_path / "out"
    result = run_cli("import", "conll", source, "--out", out, "--label", "location=LOC")
    assert result.exit_code == 0, result.output
    text = (out / "corpus" / "texts" / "wnut-unicode-space.txt").read_text()
    assert text.startswith("Flights to São\u00a0Paulo cost 1\u202f200 reais")
    assert "😤 https://t.co/x1Yz\n@aero_br says Santo\u00a0André is next\n" in text
    assert entities(out, "wnut-unicode-space") == [
        ("São\u00a0Paulo", "LOC"),
        ("Santo\u00a0André", "LOC"),
    ]
    checked = run_cli(
        "validate", "--seeds", out / "seeds", "--corpus", out / "corpus", "--gold", out / "gold"
    )
    assert checked.exit_code == 0, checked.output


@pytest.mark.parametrize(
    ("name", "line", "byte", "documents", "word"),
    [
        ("deu.testa", 4, 0xFC, 1, "Straßenbahn"),
        ("esp.testa", 2, 0xF1, 1, "Peñarroya"),
        ("ned.testa", 4, 0xE9, 2, "België"),
    ],
)
def test_latin1_releases_need_and_take_encoding(
    run_cli, tmp_path, name, line, byte, documents, word
):
    """German CoNLL-2003 (five columns) and CoNLL-2002 Spanish (two, no -DOCSTART-, no final
    newline) and Dutch (three) were released in ISO-8859-1."""
    source = DATA / name
    refused = run_cli("import", "conll", source, "--out", tmp_path / "refused")
    assert refused.exit_code == 2
    assert f"{source}:{line}: not valid UTF-8: byte {byte:#04x}" in refused.stderr
    assert "--encoding latin-1" in refused.stderr
    out = tmp_path / "out"
    result = run_cli("import", "conll", source, "--out", out, "--encoding", "latin-1")
    assert result.exit_code == 0, result.output
    assert f"imported {documents} documents" in result.stderr
    texts = "".join(path.read_text() for path in sorted((out / "corpus" / "texts").iterdir()))
    assert word in texts


def test_latin1_tokens_and_entities_are_read_right(run_cli, tmp_path):
    out = tmp_path / "out"
    result = run_cli("import", "conll", DATA / "deu.testa", "--out", out, "--encoding", "latin1")
    assert result.exit_code == 0, result.output
    assert entities(out, "deu.testa") == [
        ("Münchner", "NORP"),
        ("Stadtrat", "ORG"),
        ("Grünwald", "GPE"),
        ("Jürgen Schäfer", "PERSON"),
    ]
    esp = tmp_path / "esp"
    result = run_cli("import", "conll", DATA / "esp.testa", "--out", esp, "--encoding", "cp1252")
    assert result.exit_code == 0, result.output
    assert entities(esp, "esp.testa") == [
        ("La Coruña", "GPE"),
        ("EFECOM", "ORG"),
        ("Peñarroya", "PERSON"),
        ("Logroño", "GPE"),
    ]


def test_unknown_encoding_is_bad_usage(run_cli, tmp_path):
    result = run_cli("import", "conll", SAMPLE, "--out", tmp_path / "o", "--encoding", "klingon")
    assert result.exit_code == 2
    assert "error: --encoding 'klingon': unknown encoding" in result.stderr


def test_ontonotes_types_keep_their_meaning(run_cli, tmp_path):
    """An OntoNotes-style BIO file (CoNLL-2012 types, tab-separated): its LOC is OntoNotes's
    natural location, beside its GPE, so CoNLL-2003's LOC=GPE default must not merge them."""
    out = tmp_path / "out"
    result = run_cli("import", "conll", DATA / "ontonotes.bio", "--out", out)
    assert result.exit_code == 0, result.output
    assert entities(out, "ontonotes") == [
        ("Danube", "LOC"),
        ("Vienna", "GPE"),
        ("Austrian", "NORP"),
        ("Anna Huber", "PERSON"),
        ("Red Cross", "ORG"),
        ("Reichsbrücke", "FAC"),
        ("Vienna Marathon", "EVENT"),
        ("Water Act", "LAW"),
        ("German", "LANGUAGE"),
        ("Die Donau", "WORK_OF_ART"),
        ("Walkman", "PRODUCT"),
    ]
    assert "skipped 7 number mentions without a normalised value" in result.stderr
    assert "1 documents read with OntoNotes types (LOC stays LOC" in result.stderr
    mapped = tmp_path / "mapped"
    result = run_cli(
        "import", "conll", DATA / "ontonotes.bio", "--out", mapped, "--label", "LOC=GPE"
    )
    assert result.exit_code == 0, result.output
    assert entities(mapped, "ontonotes")[0] == ("Danube", "GPE")


def test_a_windows_saved_file_with_bom_crlf_and_trailing_blank_lines(run_cli, tmp_path):
    """CoNLL-2003 layout saved by a Windows editor: byte-order mark, CRLF, blank lines at the
    end; IOB1 with B- only between two adjacent MISC entities."""
    out = tmp_path / "out"
    result = run_cli("import", "conll", DATA / "eng-windows.testb", "--out", out)
    assert result.exit_code == 0, result.output
    assert "imported 2 documents (6 entities;" in result.stderr
    text = (out / "corpus" / "texts" / "eng-windows.testb-1.txt").read_text()
    assert text == "OSORNO 1996-08-22\nChilean farmers sold Japanese Korean buyers wool .\n"
    assert entities(out, "eng-windows.testb-1") == [
        ("OSORNO", "GPE"),
        ("Chilean", "NORP"),
        ("Japanese", "NORP"),
        ("Korean", "NORP"),
    ]
    assert entities(out, "eng-windows.testb-2") == [("Rojas", "PERSON"), ("Reuters", "ORG")]


def test_a_tab_separated_token_may_hold_a_space(run_cli, tmp_path):
    """In a tab-separated file the tab alone separates columns (CoNLL-U allows a space inside
    a word, some tab-separated NER releases keep multiword names as one token)."""
    source = tmp_path / "tabs.conll"
    source.write_text("Flights\tO\nto \tO\nNew York\tB-location\n.\t O\n")
    out = tmp_path / "out"
    result = run_cli("import", "conll", source, "--out", out, "--label", "location=GPE")
    assert result.exit_code == 0, result.output
    assert (out / "corpus" / "texts" / "tabs.txt").read_text() == "Flights to New York .\n"
    assert entities(out, "tabs") == [("New York", "GPE")]


@pytest.mark.parametrize("codec", ["rot13", "base64", "zlib"])
def test_a_codec_that_is_not_a_text_encoding_is_bad_usage(run_cli, tmp_path, codec):
    # codecs.lookup knows these (bytes to bytes, or str to str): reading then raised a traceback.
    result = run_cli("import", "conll", SAMPLE, "--out", tmp_path / "o", "--encoding", codec)
    assert result.exit_code == 2, result.output
    assert f"error: --encoding {codec!r}: unknown encoding" in result.stderr


def test_a_malformed_label_is_refused_before_any_file_is_read(run_cli, tmp_path):
    unread = tmp_path / "latin.conll"
    unread.write_bytes("Espa\u00f1a B-LOC\n".encode("latin-1"))  # not UTF-8: never read
    result = run_cli("import", "conll", unread, "--label", "LOC", "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "label map entry 'LOC' is not SOURCE=LABEL" in result.output
    assert "UTF-8" not in result.output


def test_the_splits_of_a_release_import_together_with_ids_from_their_file_names(run_cli, tmp_path):
    """An outside check imported eng.train and eng.testa in one command: both files' ids were
    `eng-N`, so the second split was refused as duplicates. Ids keep the file's extension
    (but `.txt`, `.conll` ...), and a file name that is no valid id is made one."""
    split = (
        "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\n\n-DOCSTART- -X- -X- O\n\nBonn NNP B-NP B-LOC\n"
    )
    names = ["eng.train", "eng.testa", "my train (1).conll", "_train.txt", "données.conll"]
    for name in names:
        (tmp_path / name).write_text(split if name.startswith("eng") else "Paris B-LOC\n")
    out = tmp_path / "out"
    result = run_cli("import", "conll", *(tmp_path / name for name in names), "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(path.stem for path in (out / "corpus" / "texts").iterdir()) == [
        "donnees", "eng.testa-1", "eng.testa-2", "eng.train-1", "eng.train-2", "my-train-1",
        "train",
    ]  # fmt: skip
    assert entities(out, "eng.testa-2") == [("Bonn", "GPE")]


def test_empty_documents_keep_their_numbers_and_are_counted(run_cli, tmp_path):
    """A `-DOCSTART-` with nothing after it was dropped uncounted, and the documents after it
    were numbered as if it were not there."""
    source = tmp_path / "e.txt"
    source.write_text(
        "-DOCSTART- -X- -X- O\n\n-DOCSTART- -X- -X- O\n\nfoo NN O O\n\n"
        "-DOCSTART- -X- -X- O\n\nParis NNP B-NP B-LOC\n\n-DOCSTART- -X- -X- O\n"
    )
    out = tmp_path / "out"
    result = run_cli("import", "conll", source, "--out", out)
    assert result.exit_code == 0, result.output
    assert "imported 2 documents" in result.stderr
    assert "skipped 2 empty documents" in result.stderr
    assert sorted(path.stem for path in (out / "corpus" / "texts").iterdir()) == ["e-2", "e-3"]
    assert entities(out, "e-3") == [("Paris", "GPE")]


def test_a_byte_order_mark_inside_a_file_does_not_merge_documents(run_cli, tmp_path):
    """Files that each begin with a byte-order mark, joined with `cat`: the second mark hid
    a `-DOCSTART-` line, and two documents became one."""
    source = tmp_path / "joined.txt"
    source.write_bytes(
        b"\xef\xbb\xbf-DOCSTART- -X- -X- O\n\nParis NNP B-NP B-LOC\n\n"
        b"\xef\xbb\xbf-DOCSTART- -X- -X- O\n\nRome NNP B-NP B-LOC\n"
    )
    out = tmp_path / "out"
    result = run_cli("import", "conll", source, "--out", out)
    assert result.exit_code == 0, result.output
    texts = {path.stem: path.read_text() for path in (out / "corpus" / "texts").iterdir()}
    assert texts == {"joined-1": "Paris\n", "joined-2": "Rome\n"}


def test_korean_written_as_hangul_letters_is_composed_not_refused(run_cli, tmp_path):
    """Hangul in NFD (each syllable as its letters, as macOS file systems and some corpora
    store it) was refused as "not in NFC": a syllable's vowel and final consonant are not
    combining marks, so each letter was taken for a cluster of its own."""
    source = tmp_path / "ko.conll"
    tokens = [("서울", "B-LOC"), ("에서", "O"), ("김철수", "B-PER")]
    source.write_text(
        "".join(f"{unicodedata.normalize('NFD', token)}\t{tag}\n" for token, tag in tokens)
    )
    out = tmp_path / "out"
    result = run_cli("import", "conll", source, "--out", out)
    assert result.exit_code == 0, result.output
    assert (out / "corpus" / "texts" / "ko.txt").read_text() == "서울 에서 김철수\n"
    assert entities(out, "ko") == [("서울", "GPE"), ("김철수", "PERSON")]
    checked = run_cli(
        "validate", "--seeds", out / "seeds", "--corpus", out / "corpus", "--gold", out / "gold"
    )
    assert checked.exit_code == 0, checked.output
