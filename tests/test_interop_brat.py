"""brat standoff: importing a PolNeAR-style collection (entities, numbers, Source/Cue/Content
attribution events), located errors, and an export -> import round trip without loss."""

import json
import shutil
from pathlib import Path

import pytest

from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD

BRAT = Path(__file__).parent / "data" / "interop" / "brat"


def gold(folder: Path, doc_id: str) -> dict:
    """One imported gold document as JSON."""
    return json.loads((folder / "gold" / f"{doc_id}.json").read_text())


def tree(folder: Path) -> dict[str, object]:
    """Every file under `folder` by relative path: JSON parsed, text as it is."""
    return {
        str(path.relative_to(folder)): (
            json.loads(path.read_text()) if path.suffix == ".json" else path.read_text()
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def imported(run_cli, tmp_path) -> Path:
    """The brat fixture imported into tmp_path/imported."""
    out = tmp_path / "imported"
    result = run_cli("import", "brat", BRAT, "--out", out)
    assert result.exit_code == 0, result.output
    return out


def test_import_maps_types_entities_numbers_and_attribution_events(imported, run_cli):
    flood = gold(imported, "valdivia-flood")
    entities = {(e["text"], e["label"], e["entity"]) for e in flood["entities"]}
    assert entities == {
        ("Valdivia", "GPE", "valdivia-gpe"),
        ("Ana Rojas", "PERSON", "ana-rojas"),
        ("Rojas", "PERSON", "ana-rojas"),
        ("ONEMI", "ORG", "onemi-org"),
    }
    assert [(n["text"], n["value"], n["form"]) for n in flood["numbers"]] == [
        ("40 families", {"low": 40, "high": 40}, "exact")
    ]
    said, told, according = flood["attributions"]
    assert (said["source"]["text"], said["cue"]["text"], said["quote"]) == (
        "Mayor Ana Rojas",
        "said",
        "indirect",
    )
    assert [part["text"] for part in told["content"]] == [
        "“We are doing everything we can,”",
        "“and help is coming.”",
    ]
    assert told["quote"] == "direct"
    assert according["source"]["text"] == "the regional emergency office ONEMI"
    checked = run_cli(
        "validate",
        "--seeds",
        imported / "seeds",
        "--corpus",
        imported / "corpus",
        "--gold",
        imported / "gold",
    )
    assert checked.exit_code == 0, checked.output


def test_crlf_source_offsets_are_projected_onto_the_canonical_text(imported):
    text = (imported / "corpus" / "texts" / "corral-bridges.txt").read_text()
    assert text == "Rescue teams reached Corral, officials said.\nThree bridges are closed.\n"
    bridges = gold(imported, "corral-bridges")
    number = bridges["numbers"][0]
    assert (number["id"], number["start"], number["text"]) == ("n-bridges", 45, "Three")
    assert bridges["attributions"][0]["quote"] == "indirect"


def test_import_summary_names_what_was_left_out(run_cli, tmp_path):
    result = run_cli("import", "brat", BRAT, "--out", tmp_path / "out", "--label", "ORG=")
    assert result.exit_code == 0
    assert "imported 2 documents (4 entities, 2 numbers, 4 attributions)" in result.stderr
    assert "skipped 1 ORG annotations (mapped to nothing)" in result.stderr
    assert "skipped 2 number mentions without a normalised value" in result.stderr
    assert "skipped 1 relations (R)" in result.stderr
    assert "3 attribution quote types inferred from quotation marks" in result.stderr


def test_export_then_import_gives_the_same_gold(imported, run_cli, tmp_path):
    enrich(imported)
    exported, again = tmp_path / "brat", tmp_path / "again"
    result = run_cli(
        "export", "brat", "--corpus", imported / "corpus", "--gold", imported / "gold",
        "--out", exported,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "[attributes]\nQuote\tArg:<EVENT>" in (exported / "annotation.conf").read_text()
    assert run_cli("import", "brat", exported, "--out", again).exit_code == 0
    assert tree(again / "gold") == tree(imported / "gold")
    assert tree(again / "corpus" / "texts") == tree(imported / "corpus" / "texts")


def test_the_project_gold_survives_a_round_trip_through_brat(run_cli, tmp_path):
    exported, again = tmp_path / "brat", tmp_path / "again"
    assert run_cli("export", "brat", "--out", exported).exit_code == 0
    result = run_cli("import", "brat", exported, "--out", again)
    assert result.exit_code == 0, result.output
    reimported = tree(again / "gold")
    assert reimported == {
        name: json.loads((DEFAULT_GOLD / name).read_text()) for name in reimported
    }
    assert len(reimported) == len(list(DEFAULT_GOLD.glob("*.json")))
    texts = {path.name: path.read_text() for path in (DEFAULT_CORPUS / "texts").iterdir()}
    assert tree(again / "corpus" / "texts") == texts


def enrich(imported: Path) -> None:
    """Add what only claimbench holds: a TIMEX3 date, a unit, a nested attribution with a
    resolved speaker and none of its own, a catalogue entry with aliases."""
    path = imported / "gold" / "valdivia-flood.json"
    flood = json.loads(path.read_text())
    text = (imported / "corpus" / "texts" / "valdivia-flood.txt").read_text()
    start = text.index("Tuesday")
    flood["numbers"].append(
        {"id": "n-day", "start": start, "end": start + 7, "text": "Tuesday", "label": "DATE",
         "value": None, "form": None, "unit": None,
         "timex": {"type": "DATE", "value": "2026-11-17", "mod": None}}
    )  # fmt: skip
    flood["numbers"][0].update({"label": "QUANTITY", "unit": "families"})
    told = flood["attributions"][1]
    flood["attributions"].append(
        {**told, "id": "nested", "source": None, "source_entity": "ana-rojas", "parent": "E1"}
    )
    path.write_text(json.dumps(flood))
    catalog_path = imported / "gold" / "entities.json"
    catalog = json.loads(catalog_path.read_text())
    catalog["entities"][1]["aliases"] = ["Rojas", "the mayor"]
    catalog_path.write_text(json.dumps(catalog))


def test_errors_name_file_line_field_and_value(tmp_path, run_cli):
    folder = tmp_path / "bad"
    shutil.copytree(BRAT, folder)
    ann = folder / "corral-bridges.ann"
    ann.write_text(
        ann.read_text()
        .replace("GPE 21 27", "FACILITY 21 27")
        .replace("T3\tSource 29 38\tofficials", "T3\tSource 29 38\tofficers")
        + "E2\tAttribution:T5 Source:T3 Content:T4\n"
    )
    result = run_cli("import", "brat", folder, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert f"{ann}:1: T1.type = 'FACILITY': unknown annotation type" in result.stderr
    assert f"{ann}:3: T3.text = 'officers': the text at these offsets is 'officials'" in (
        result.stderr
    )
    assert f"{ann}:10: E2.Cue = []: an attribution needs one contiguous Cue" in result.stderr
    assert not (tmp_path / "out").exists()


def test_out_must_be_new_or_empty(imported, run_cli):
    result = run_cli("import", "brat", BRAT, "--out", imported)
    assert result.exit_code == 2
    assert "not an empty folder" in result.stderr


RELEASE = Path(__file__).parent / "data" / "interop" / "brat-release"


def test_event_triggers_of_other_events_are_not_entities(run_cli, tmp_path):
    """A brat release with events (Meeting, Signing): their trigger text-bounds are declared in
    [events] and are no entity mentions; they are left out with their events, counted, not
    asked to be mapped onto an entity label."""
    out = tmp_path / "out"
    result = run_cli("import", "brat", RELEASE, "--out", out)
    assert result.exit_code == 0, result.output
    assert "skipped 1 Meeting event triggers" in result.stderr
    assert "skipped 1 Signing event triggers" in result.stderr
    assert "skipped 1 Meeting events" in result.stderr
    obama = gold(out, "obama")
    assert [(e["text"], e["label"]) for e in obama["entities"]] == [
        ("Madrid", "LOC"),
        ("Barack Obama", "PERSON"),
        ("He", "PERSON"),
    ]


def test_every_annotation_kind_left_out_is_counted(run_cli, tmp_path):
    """Attributes with and without a value and legacy M modifiers have no claimbench layer
    (only Quote on an attribution has): they are counted like relations and notes, never
    dropped unsaid."""
    result = run_cli("import", "brat", RELEASE, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    for left_out in (
        "1 Negated attributes",
        "1 Confidence attributes",
        "1 Speculation attributes",
        "1 discontinuous entity or number annotations",
        "1 equivalences (*)",
        "1 free-text notes",
        "1 normalizations to Wikipedia",
        "1 relations (R)",
        "1 Signing events",
    ):
        assert f"skipped {left_out}" in result.stderr


WINDOWS = Path(__file__).parent / "data" / "interop" / "brat-windows"


def test_a_text_with_a_byte_order_mark_is_read_as_brat_reads_it(run_cli, tmp_path):
    """brat reads the .txt as UTF-8, the mark included (character 0), so offsets count it;
    the canonical text drops it (a recorded edit) and the spans move with it."""
    out = tmp_path / "out"
    result = run_cli("import", "brat", WINDOWS, "--out", out)
    assert result.exit_code == 0, result.output
    assert (out / "corpus" / "texts" / "bom.txt").read_text() == "Ana Rojas visited Osorno.\n"
    entities = [(e["start"], e["text"], e["label"]) for e in gold(out, "bom")["entities"]]
    assert entities == [(0, "Ana Rojas", "PERSON"), (18, "Osorno", "LOC")]
    checked = run_cli(
        "validate", "--seeds", out / "seeds", "--corpus", out / "corpus", "--gold", out / "gold"
    )
    assert checked.exit_code == 0, checked.output


def test_crlf_text_annotated_in_brat_counts_a_line_break_as_one_character(run_cli, tmp_path):
    """brat reads the .txt with universal newlines, so offsets made in brat count CRLF as one
    character; offsets that count the CR (tools that read the bytes, the corral-bridges
    fixture) are read as before. The stored texts of the annotations say which is meant."""
    out = tmp_path / "out"
    result = run_cli("import", "brat", WINDOWS, "--out", out)
    assert result.exit_code == 0, result.output
    text = (out / "corpus" / "texts" / "crlf.txt").read_text()
    assert text == "Flooding in Valdivia.\nThe Red Cross sent 40 volunteers to Corral.\n"
    entities = [(e["text"], e["label"]) for e in gold(out, "crlf")["entities"]]
    assert entities == [("Valdivia", "LOC"), ("Red Cross", "ORG"), ("Corral", "LOC")]
    assert "1 documents whose offsets count a CRLF as one character" in result.stderr
    assert (out / "seeds" / "crlf.txt").read_bytes() == (WINDOWS / "crlf.txt").read_bytes()


def test_annotation_files_with_no_annotations(run_cli, tmp_path):
    """brat writes an empty .ann for a document nobody annotated yet; other tools write a
    lone line break. Both mean no annotations."""
    folder = tmp_path / "collection"
    shutil.copytree(WINDOWS, folder)
    for name, ann in (("untouched", b""), ("blank", b"\n"), ("spaces", b" \r\n\r\n")):
        (folder / f"{name}.txt").write_text("Nobody has annotated this yet.\n")
        (folder / f"{name}.ann").write_bytes(ann)
    result = run_cli("import", "brat", folder, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "imported 5 documents (5 entities;" in result.stderr
    assert gold(tmp_path / "out", "blank")["entities"] == []


def test_a_partial_import_leaves_out_a_document_it_cannot_read(run_cli, tmp_path):
    """One text saved in Latin-1 and one .ann that is not UTF-8 in a large collection: brat
    itself reads only UTF-8, so these are errors, but --partial leaves out just them."""
    folder = tmp_path / "collection"
    shutil.copytree(WINDOWS, folder)
    (folder / "latin.txt").write_bytes("Peñarroya visitó Logroño.\n".encode("latin-1"))
    (folder / "latin.ann").write_text("T1\tPER 0 9\tPeñarroya\n")
    (folder / "notes.txt").write_text("Peñarroya visitó Logroño.\n")
    (folder / "notes.ann").write_bytes("T1\tPER 0 9\tPeñarroya\n".encode("latin-1"))
    whole = run_cli("import", "brat", folder, "--out", tmp_path / "whole")
    assert whole.exit_code == 2
    assert f"{folder / 'latin.txt'}:1: not valid UTF-8: byte 0xf1 at byte offset 2" in (
        whole.stderr
    )
    assert f"{folder / 'notes.ann'}:1: not valid UTF-8: byte 0xf1" in whole.stderr
    assert "brat reads UTF-8 only: convert the file (iconv -f latin1 -t utf-8" in whole.stderr
    out = tmp_path / "out"
    result = run_cli("import", "brat", folder, "--out", out, "--partial")
    assert result.exit_code == 0, result.output
    assert "imported 2 documents" in result.stderr
    assert "left out 2 documents" in result.stderr
    assert {doc["doc_id"] for doc in json.loads((out / "left-out.json").read_text())} == {
        "latin",
        "notes",
    }


def test_an_empty_text_with_no_annotations_is_counted_not_fatal(run_cli, tmp_path):
    folder = tmp_path / "collection"
    shutil.copytree(WINDOWS, folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "empty.ann").write_bytes(b"")
    result = run_cli("import", "brat", folder, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "imported 2 documents" in result.stderr
    assert "skipped 1 empty documents (no text, nothing annotated)" in result.stderr
    (folder / "empty.ann").write_text("T1\tPER 0 3\tAna\n")
    result = run_cli("import", "brat", folder, "--out", tmp_path / "bad")
    assert result.exit_code == 2
    assert f"{folder / 'empty.ann'}:1: offsets = [(0, 3)]: offset past the end" in result.stderr


def test_an_annotation_id_used_twice_is_an_error_not_an_overwrite(run_cli, tmp_path):
    """brat refuses a document whose .ann gives two annotations the same id; the second must
    not silently replace the first."""
    folder = tmp_path / "collection"
    shutil.copytree(WINDOWS, folder)
    ann = folder / "bom.ann"
    ann.write_text(ann.read_text() + "T1\tLOC 19 25\tOsorno\nE1\tMeeting:T1\nE1\tMeeting:T2\n")
    result = run_cli("import", "brat", folder, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert f"{ann}:3: id = 'T1': duplicate annotation id (first on line 1)" in result.stderr
    assert f"{ann}:5: id = 'E1': duplicate annotation id (first on line 4)" in result.stderr


def test_an_id_or_a_note_given_twice_is_an_error_not_the_last_one_kept(tmp_path, run_cli):
    # Each repeat silently replaced what the line before it said (an entity, a number's value).
    folder = tmp_path / "twice"
    folder.mkdir()
    text = "Officials in Valdivia said 40 families left.\n"
    (folder / "news.txt").write_text(text)
    ann = folder / "news.ann"
    ann.write_text(
        "T1\tGPE 13 21\tValdivia\n"
        "T1\tCARDINAL 27 29\t40\n"
        "T2\tCARDINAL 27 29\t40\n"
        '#1\tAnnotatorNotes T2\t{"value": {"low": 40, "high": 40}, "form": "exact"}\n'
        '#2\tAnnotatorNotes T2\t{"value": {"low": 41, "high": 41}, "form": "exact"}\n'
        "N1\tReference T1 claimbench:valdivia\tValdivia\n"
        "N2\tReference T1 claimbench:chile\tChile\n"
        "A1\tNegated T2\n"
        "A2\tNegated T2\n"
    )
    result = run_cli("import", "brat", folder, "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert f"{ann}:2: id = 'T1': duplicate annotation id (first on line 1)" in result.stderr
    assert f"{ann}:5: note = 'AnnotatorNotes T2': a second JSON note on T2 (line 4)" in (
        result.stderr
    )
    assert (
        f"{ann}:7: normalization = 'Reference T1 claimbench:chile': a second claimbench "
        "reference of T1 (line 6)"
    ) in result.stderr
    assert f"{ann}:9: attribute = 'Negated T2': T2 has attribute Negated already (line 8)" in (
        result.stderr
    )
    assert not (tmp_path / "out").exists()


def test_a_line_separator_inside_an_annotated_text_is_not_a_line_break(run_cli, tmp_path):
    # str.splitlines() broke the .ann line at NEL (U+0085) inside the stored text: the text-bound
    # lost its tail and the rest was "not a brat standoff line".
    folder = tmp_path / "nel"
    folder.mkdir()
    (folder / "news.txt").write_text("Ana\u0085Rojas left.\n")
    (folder / "news.ann").write_text("T1\tPERSON 0 9\tAna\u0085Rojas\n")
    result = run_cli("import", "brat", folder, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert [e["text"] for e in gold(tmp_path / "out", "news")["entities"]] == ["Ana\u0085Rojas"]


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ('{"value": {"low": 40, "high": 40}, "value": {"low": 41, "high": 41}}',
         "duplicate key 'value' in an object"),
        ('{"value": {"low": NaN, "high": 40}, "form": "exact"}', "unexpected character"),
        ('{"value": {"low": 40, "high": 40}', "unexpected end of data"),
    ],
)  # fmt: skip
def test_a_json_note_is_read_as_every_json_input_is(tmp_path, run_cli, note, message):
    # It was read with json.loads: a repeated key kept its last value, a broken note was
    # skipped as free text (the number then imported without its value, or left out).
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "news.txt").write_text("Officials said 40 families left.\n")
    ann = folder / "news.ann"
    ann.write_text(f"T1\tCARDINAL 15 17\t40\n#1\tAnnotatorNotes T1\t{note}\n")
    result = run_cli("import", "brat", folder, "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert f"{ann}:2: note = " in result.stderr
    assert f": malformed JSON note: {message}" in result.stderr


@pytest.mark.parametrize("into", ["corpus", "gold"])
def test_export_does_not_write_into_the_folders_it_reads(run_cli, tmp_path, into):
    # --out CORPUS replaced the corpus manifest with the gold's (the corpus no longer loaded).
    folders = {"corpus": tmp_path / "corpus", "gold": tmp_path / "gold"}
    shutil.copytree(DEFAULT_CORPUS, folders["corpus"])
    shutil.copytree(DEFAULT_GOLD, folders["gold"])
    before = tree(folders[into])
    result = run_cli(
        "export", "brat", "--corpus", folders["corpus"], "--gold", folders["gold"],
        "--out", folders[into],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert f"--out {folders[into]}: is inside the --{into} folder" in result.stderr
    assert tree(folders[into]) == before


def _edited_export(run_cli, tmp_path: Path, edit) -> Path:
    """The project's gold exported to brat, with `edit(lines)` applied to 000-afp.ann."""
    exported = tmp_path / "brat"
    assert run_cli("export", "brat", "--out", exported).exit_code == 0
    ann = exported / "000-afp.ann"
    ann.write_text("".join(edit(ann.read_text().splitlines(keepends=True))))
    return exported


def test_an_import_refuses_gold_that_validate_would_refuse(run_cli, tmp_path):
    """A hostile pass imported brat files that exited 0 but wrote gold `validate`, `score` and
    `export` refuse: a span annotated twice, a claim on an ORDINAL, a slot naming a claim
    whose number was deleted. The importer runs the same checks before it writes."""
    folder = tmp_path / "twice"
    folder.mkdir()
    (folder / "d.txt").write_text("New York is big.\n")
    (folder / "d.ann").write_text("T1\tGPE 0 8\tNew York\nT2\tLOC 0 8\tNew York\n")
    (folder / "e.txt").write_text("Rome is old.\n")
    (folder / "e.ann").write_text("T1\tGPE 0 4\tRome\n")
    twice = f"{folder / 'd.ann'}: document 'd': entities[1].id = 'T2': span [0, 8) is annotated"
    result = run_cli("import", "brat", folder, "--out", tmp_path / "o1")
    assert result.exit_code == 2 and twice in result.stderr
    assert not (tmp_path / "o1").exists()
    partial = run_cli("import", "brat", folder, "--out", tmp_path / "o2", "--partial")
    assert partial.exit_code == 0 and twice in partial.output
    assert sorted(p.name for p in (tmp_path / "o2" / "gold").glob("?.json")) == ["e.json"]

    def ordinal(lines):
        return [line.replace("\tCARDINAL 55 69\t", "\tORDINAL 55 69\t") for line in lines]

    result = run_cli("import", "brat", _edited_export(run_cli, tmp_path / "a", ordinal),
                     "--out", tmp_path / "o3")  # fmt: skip
    assert result.exit_code == 2
    assert "claims[0].number = 'n2': number 'around a dozen' (ORDINAL) is not a claim" in (
        result.stderr
    )

    def deleted(lines):
        return [line for line in lines if not line.startswith(("T34\t", "#34\tAnnotatorNotes"))]

    exported = _edited_export(run_cli, tmp_path / "b", deleted)
    result = run_cli("import", "brat", exported, "--out", tmp_path / "o4")
    assert result.exit_code == 2
    assert (
        f"{exported / 'slots.json'}: slots[0].members[0] = '000-afp:c1': not a claim of a gold "
        "document" in result.stderr
    )


def test_texts_in_subfolders_keep_their_folder_in_the_id(run_cli, tmp_path):
    """`train/doc1.txt` and `dev/doc1.txt` both became `doc1`, a duplicate id."""
    folder = tmp_path / "release"
    for split, city in (("train", "Paris"), ("dev", "Rome"), ("dev/my notes (1)", "Oslo")):
        (folder / split).mkdir(parents=True)
        (folder / split / "doc1.txt").write_text(f"{city} is old.\n")
        (folder / split / "doc1.ann").write_text(f"T1\tGPE 0 {len(city)}\t{city}\n")
    (folder / "doc1.txt").write_text("Bonn is old.\n")
    (folder / "doc1.ann").write_text("T1\tGPE 0 4\tBonn\n")
    out = tmp_path / "out"
    result = run_cli("import", "brat", folder, "--out", out)
    assert result.exit_code == 0, result.output
    assert {path.stem: gold(out, path.stem)["entities"][0]["text"]
            for path in (out / "corpus" / "texts").iterdir()} == {
        "doc1": "Bonn", "train-doc1": "Paris", "dev-doc1": "Rome", "dev-my-notes-1-doc1": "Oslo",
    }  # fmt: skip


def test_a_text_without_its_annotations_is_not_also_called_empty(run_cli, tmp_path):
    folder = tmp_path / "lonely"
    folder.mkdir()
    (folder / "x.txt").write_text("Rome is old.\n")
    result = run_cli("import", "brat", folder, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "no .ann file for it" in result.stderr and "document is empty" not in result.stderr
