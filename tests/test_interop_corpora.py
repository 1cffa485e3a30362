"""Scoring other corpora (issue 19): fixtures written for these tests that mimic real releases
(a PolNeAR-style tree, an IOB1 CoNLL file with -DOCSTART-, a DocBin built here), gold that
annotates only some layers, labels mapped at scoring time, one sync per import, and the import
commands of docs/how-to/import-corpora.md run as written."""

import json
import os
import re
import shlex
import shutil
from pathlib import Path

import pytest

from claimbench.errors import InputError
from claimbench.interop.conll import import_conll
from claimbench.interop.writer import DraftDocument, ImportWriter
from tests.checkout import PROJECT_ROOT
from tests.plugins_support import write_jsonl

DATA = Path(__file__).parent / "data" / "interop"
POLNEAR = DATA / "polnear"
CONLL = DATA / "conll" / "sample.conll"
POLNEAR_OPTIONS = [
    "--ann-dir",
    POLNEAR / "annotations",
    "--ann-suffix",
    "_*",
    "--ignore-type",
    "Discuss",
    "--ignore-type",
    "Discard",
]


def gold_of(folder: Path) -> dict[str, dict]:
    """Every imported gold document of `folder/gold` by id."""
    return {
        path.stem: json.loads(path.read_text())
        for path in sorted((folder / "gold").glob("*.json"))
        if path.name != "entities.json"
    }


def score_json(run_cli, folder: Path, predictions: Path, *extra: object) -> dict:
    """`claimbench score` of `predictions` on an imported corpus, as JSON."""
    result = run_cli(
        "score",
        "--corpus",
        folder / "corpus",
        "--gold",
        folder / "gold",
        "--predictions",
        predictions,
        "--resamples",
        "0",
        "--format",
        "json",
        *extra,
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def conll(run_cli, tmp_path) -> Path:
    """The IOB1 CoNLL fixture (two documents after -DOCSTART-) imported."""
    out = tmp_path / "conll"
    result = run_cli("import", "conll", CONLL, "--out", out)
    assert result.exit_code == 0, result.output
    return out


def test_polnear_tree_fails_whole_by_default_and_names_every_problem(run_cli, tmp_path):
    out = tmp_path / "out"
    result = run_cli("import", "brat", POLNEAR / "texts", *POLNEAR_OPTIONS, "--out", out)
    assert result.exit_code == 2
    assert "school-closure_annotator1.ann:3: T3.text = 'the closure of the village" in (
        result.stderr
    )
    assert not out.exists()
    unflagged = run_cli(
        "import", "brat", POLNEAR / "texts", *POLNEAR_OPTIONS[:4], "--out", out, "--partial"
    )
    # every document has a flag or a broken offset: left out, so nothing is left to import
    assert unflagged.exit_code == 2
    assert "texts: no documents to import" in unflagged.stderr
    assert "T9.type = 'Discuss': unknown annotation type" in unflagged.stderr
    assert "--ignore-type TYPE" in unflagged.stderr


def test_polnear_tree_partial_import_pairs_files_reads_numbered_roles(run_cli, tmp_path):
    out = tmp_path / "out"
    result = run_cli(
        "import", "brat", POLNEAR / "texts", *POLNEAR_OPTIONS, "--partial", "--out", out
    )
    assert result.exit_code == 0, result.output
    assert "imported 2 documents (4 attributions; not annotated: entities, numbers)" in (
        result.stderr
    )
    assert "skipped 1 Discuss annotations (ignored)" in result.stderr
    left_out = result.stderr[result.stderr.index("left out 1 documents (partial import;") :]
    assert "2016-10-17_school-closure (" in left_out
    assert "the text at these offsets is 'he closure of" in left_out
    [recorded] = json.loads((out / "left-out.json").read_text())
    assert recorded["doc_id"] == "2016-10-17_school-closure"
    assert "the text at these offsets is 'he closure of" in recorded["problems"][0]
    gold = gold_of(out)
    assert sorted(gold) == ["2016-09-12_harbor-vote", "2016-10-03_bridge-repairs"]
    harbor = gold["2016-09-12_harbor-vote"]
    assert "entities" not in harbor and "numbers" not in harbor
    told = harbor["attributions"][1]
    assert told["cue"]["text"] == "told"
    assert [span["text"] for span in told["content"]] == [
        '"We need more time,"',
        'the council "will decide in October"',
        "that fishermen had been consulted",
    ]
    validated = run_cli(
        "validate", "--seeds", out / "seeds", "--corpus", out / "corpus", "--gold", out / "gold"
    )
    assert validated.exit_code == 0, validated.output


def test_ambiguous_or_missing_annotation_files_are_named(run_cli, tmp_path):
    texts = tmp_path / "texts"
    shutil.copytree(POLNEAR / "texts", texts)
    annotations = tmp_path / "annotations"
    shutil.copytree(POLNEAR / "annotations", annotations)
    first = annotations / "2016-09-12_harbor-vote_annotator2.ann"
    shutil.copy(first, annotations / "2016-09-12_harbor-vote_annotator3.ann")
    (annotations / "2016-10-03_bridge-repairs_annotator1.ann").unlink()
    options = ["--ann-dir", annotations, "--ann-suffix", "_*", "--ignore-type", "Discuss"]
    result = run_cli("import", "brat", texts, *options, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "harbor-vote.txt: document '2016-09-12_harbor-vote': annotations = [" in result.stderr
    assert "several .ann files match it" in result.stderr
    assert "bridge-repairs': annotations = []: no .ann file for it" in result.stderr


def test_conll_gold_annotates_entities_only_and_empty_predictions_score_zero(
    conll, run_cli, tmp_path
):
    gold = gold_of(conll)
    assert all(set(doc) & {"numbers", "attributions"} == set() for doc in gold.values())
    empty = write_jsonl(tmp_path / "empty.jsonl", [{"doc_id": d, "entities": []} for d in gold])
    results = score_json(run_cli, conll, empty)
    assert results["headline"]["overall"] == 0.0
    assert results["scores"]["layers"]["numbers"]["annotated"] is False
    everything = [
        {"doc_id": d, "entities": doc["entities"], "numbers": [], "attributions": []}
        for d, doc in gold.items()
    ]
    results = score_json(run_cli, conll, write_jsonl(tmp_path / "all.jsonl", everything))
    assert results["headline"]["overall"] == 1.0  # the empty layers are not scored
    assert results["headline"]["numbers.f1"] is None
    table = run_cli(
        "score",
        "--corpus",
        conll / "corpus",
        "--gold",
        conll / "gold",
        "--predictions",
        tmp_path / "all.jsonl",
        "--resamples",
        "0",
    )
    assert re.search(r"numbers\s+not annotated", table.stdout), table.stdout
    stats = run_cli("corpus", "stats", "--corpus", conll / "corpus", "--gold", conll / "gold")
    assert re.search(r"attributions\s+not annotated", stats.stdout), stats.stdout


def test_entities_only_jsonl_gold_overall_is_the_entities_f1(run_cli, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    texts = {"a": "Ana Rojas met ONEMI in Valdivia.", "b": "Osorno and Corral flooded."}
    write_jsonl(corpus, [{"id": d, "text": t, "metadata": {}} for d, t in texts.items()])

    def ents(*spans: tuple[int, int, str]) -> list[dict]:
        return [{"start": s, "end": e, "label": label} for s, e, label in spans]

    gold = {
        "a": ents((0, 9, "PERSON"), (14, 19, "ORG"), (23, 31, "GPE")),
        "b": ents((0, 6, "GPE"), (11, 17, "GPE")),
    }
    found = {"a": ents((0, 9, "PERSON"), (14, 19, "GPE")), "b": ents((0, 6, "GPE"))}
    gold_path = write_jsonl(
        tmp_path / "gold.jsonl", [{"doc_id": d, "entities": e} for d, e in gold.items()]
    )
    records = [{"doc_id": d, "entities": e, "numbers": []} for d, e in found.items()]
    predictions = write_jsonl(tmp_path / "p.jsonl", records)
    options = ["--corpus", corpus, "--gold", gold_path, "--predictions", predictions]
    for mode in ([], ["--summary"]):  # the paragraph bootstrap, and the streamed one
        result = run_cli("score", *options, "--resamples", "200", "--format", "json", *mode)
        assert result.exit_code == 0, result.output
        results = json.loads(result.stdout)
        headline = results["headline"]
        assert headline["entities.f1"] == pytest.approx(2 * 2 / (5 + 3))
        assert headline["overall"] == headline["entities.f1"]
        overall, entities = results["scores"]["overall"], results["scores"]["layers"]["entities"]
        assert (overall["low"], overall["high"]) == (entities["f1"]["low"], entities["f1"]["high"])


def test_label_map_maps_ontonotes_predictions_and_is_recorded(conll, run_cli, tmp_path):
    gold = gold_of(conll)
    ontonotes = {"GPE": "LOC", "NORP": "NORP", "PERSON": "PERSON", "ORG": "ORG"}
    records = [
        {
            "doc_id": d,
            "entities": [
                {"start": e["start"], "end": e["end"], "label": ontonotes[e["label"]]}
                for e in doc["entities"]
            ]
            + [{"start": 0, "end": 1, "label": "LAW"}],
        }
        for d, doc in gold.items()
    ]
    predictions = write_jsonl(tmp_path / "p.jsonl", records)
    unmapped = score_json(run_cli, conll, predictions)["headline"]["entities.f1"]
    mapped = score_json(
        run_cli, conll, predictions, "--label-map", "ontonotes-to-conll", "--label-map", "LAW="
    )
    assert unmapped < 1.0
    assert mapped["headline"]["entities.f1"] == 1.0
    assert mapped["provenance"]["label_map"]["LOC"] == "GPE"
    assert mapped["provenance"]["label_map"]["LAW"] is None
    mapping = tmp_path / "map.json"
    mapping.write_text('{"LOC": "GPE", "LAW": null}')
    from_file = score_json(run_cli, conll, predictions, "--label-map", mapping)
    assert from_file["headline"]["entities.f1"] == 1.0
    wrong = run_cli("score", "--predictions", predictions, "--label-map", "LOC=DATE")
    assert wrong.exit_code == 2
    assert "LOC=DATE: an entity label maps onto an entity label" in wrong.stderr


def test_compare_takes_the_label_map(conll, run_cli, tmp_path):
    gold = gold_of(conll)
    records = [
        {
            "doc_id": d,
            "entities": [{**e, "label": "LOC"} for e in doc["entities"] if e["label"] == "GPE"],
        }
        for d, doc in gold.items()
    ]
    predictions = write_jsonl(tmp_path / "p.jsonl", records)
    options = ["--corpus", conll / "corpus", "--gold", conll / "gold", "--format", "json"]
    plain = run_cli("compare", predictions, predictions, *options)
    mapped = run_cli("compare", predictions, predictions, *options, "--label-map", "LOC=GPE")
    assert plain.exit_code == mapped.exit_code == 0, plain.output + mapped.output
    assert json.loads(mapped.stdout)["a"] > json.loads(plain.stdout)["a"]
    assert list(json.loads(mapped.stdout)["layers"]) == ["entities"]  # the gold's one layer


def test_docbin_sentences_become_paragraphs(run_cli, tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin, Span

    doc = spacy.blank("en")("Floods hit Osorno. The Red Cross opened a shelter. Rain eased.")
    for token in doc:
        token.is_sent_start = token.i in (0, 4, 11)
    doc.ents = [Span(doc, 2, 3, "GPE"), Span(doc, 5, 7, "ORG")]
    path = tmp_path / "dev.spacy"
    DocBin(docs=[doc]).to_disk(path)
    out = tmp_path / "out"
    result = run_cli("import", "docbin", path, "--out", out)
    assert result.exit_code == 0, result.output
    text = (out / "corpus" / "texts" / "dev-1.txt").read_text()
    assert text == "Floods hit Osorno.\nThe Red Cross opened a shelter.\nRain eased.\n"
    entities = gold_of(out)["dev-1"]["entities"]
    assert [(e["text"], e["label"]) for e in entities] == [("Osorno", "GPE"), ("Red Cross", "ORG")]


def test_export_then_import_is_the_identity_for_gold_with_absent_layers(conll, run_cli, tmp_path):
    exported = tmp_path / "brat"
    result = run_cli(
        "export", "brat", "--corpus", conll / "corpus", "--gold", conll / "gold", "--out", exported
    )
    assert result.exit_code == 0, result.output
    assert "Cue" not in (exported / "annotation.conf").read_text()
    again = tmp_path / "again"
    result = run_cli("import", "brat", exported, "--out", again)
    assert result.exit_code == 0, result.output
    assert gold_of(again) == gold_of(conll)
    before = json.loads((conll / "gold" / "entities.json").read_text())
    assert json.loads((again / "gold" / "entities.json").read_text()) == before


def test_an_import_syncs_once_not_per_file(tmp_path, monkeypatch):
    calls = {"sync": 0, "fsync": 0}
    real_fsync = os.fsync

    def count_sync() -> None:
        calls["sync"] += 1

    def count_fsync(fd: int) -> None:
        calls["fsync"] += 1
        real_fsync(fd)

    monkeypatch.setattr(os, "sync", count_sync)
    monkeypatch.setattr(os, "fsync", count_fsync)
    summary = import_conll([CONLL], tmp_path / "out", name="s")
    assert summary.documents == 2
    assert calls == {"sync": 1, "fsync": 1}  # the one sync, and the folder's rename


def _guide_import_commands() -> list[list[str]]:
    guide = (PROJECT_ROOT / "docs" / "how-to" / "import-corpora.md").read_text()
    start = guide.index("## Importing other corpora, end to end")
    block = re.search(r"```sh\n(.*?)```", guide[start:], re.DOTALL)
    assert block is not None
    lines = block.group(1).replace("\\\n", " ").splitlines()
    return [
        shlex.split(line, comments=True)[1:] for line in lines if line.startswith("claimbench ")
    ]


def test_the_guide_import_commands_run_as_written(run_cli, tmp_path, monkeypatch):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin, Span

    shutil.copytree(POLNEAR, tmp_path / "polnear")
    shutil.copy(CONLL, tmp_path / "eng.testb")
    shutil.copy(DATA / "conll" / "deu.testa", tmp_path / "deu.testa")
    doc = spacy.blank("en")("Floods hit Osorno. The Red Cross opened a shelter.")
    for token in doc:
        token.is_sent_start = token.i in (0, 4)
    doc.ents = [Span(doc, 2, 3, "GPE"), Span(doc, 5, 7, "ORG")]
    DocBin(docs=[doc]).to_disk(tmp_path / "dev.spacy")
    monkeypatch.chdir(tmp_path)
    commands = _guide_import_commands()
    assert [command[:2] for command in commands[:3]] == [
        ["import", "brat"],
        ["import", "conll"],
        ["import", "docbin"],
    ]
    outputs = []
    for command in commands:
        result = run_cli(*command)
        assert result.exit_code == 0, (command, result.output)
        outputs.append(result.stdout + result.stderr)
    assert "left out 1 documents" in outputs[0]
    assert re.search(r"numbers\s+not annotated", outputs[-1]), outputs[-1]


def test_the_writer_refuses_a_layer_its_import_does_not_write(tmp_path):
    number = {"id": "n1", "start": 4, "end": 5, "label": "CARDINAL"}
    draft = DraftDocument(
        "d",
        "Ann 3.",
        "d.txt",
        numbers=[{**number, "value": {"low": 3, "high": 3}, "form": "exact"}],
    )
    with ImportWriter(tmp_path / "out", "x", layers=("entities",)) as writer:
        writer.add(draft)
        with pytest.raises(InputError, match="numbers found, but this import writes only entities"):
            writer.finish()
    assert not (tmp_path / "out").exists()


def test_an_annotated_but_empty_layer_survives_export_and_import(conll, run_cli, tmp_path):
    for path in (conll / "gold").glob("sample-*.json"):
        document = json.loads(path.read_text())
        path.write_text(json.dumps({**document, "numbers": []}))
    exported, again = tmp_path / "brat", tmp_path / "again"
    options = ["--corpus", conll / "corpus", "--gold", conll / "gold"]
    assert run_cli("export", "brat", *options, "--out", exported).exit_code == 0
    assert "CARDINAL" in (exported / "annotation.conf").read_text()
    result = run_cli("import", "brat", exported, "--out", again)
    assert result.exit_code == 0, result.output
    assert "(7 entities, 0 numbers; not annotated: attributions)" in result.stderr
    assert gold_of(again) == gold_of(conll)
