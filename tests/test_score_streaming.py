"""`claimbench score` streams its inputs: documents are checked line by line and scored one at a
time, and the figures are exactly those of scoring the same data held in dictionaries
(`claimbench.scoring.score`, the in-memory path `score` used to take), on the project's corpus
and gold and on synthetic JSON Lines corpora, whatever the order of the predictions."""

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimbench.corpus.store import load_corpus, open_corpus
from claimbench.errors import InputError, Problem, Problems
from claimbench.evaluation.pipeline import (
    Wanted,
    gold_extractions,
    score_documents,
    score_predictions,
)
from claimbench.evaluation.sources import Predicted, Started
from claimbench.extractors.plugin import PluginInfo, PluginKind
from claimbench.extractors.runner import attempted_layers
from claimbench.models import Extraction
from claimbench.models.compiled import as_model
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from claimbench.scoring import Scores, ScoringSettings, score
from claimbench.validation.predictions import load_predictions, read_predictions
from tests.plugins_support import write_jsonl

RESAMPLES = 30


def in_memory(gold, records, texts, info, *, detail=True, keep_matches=False) -> Scores:
    """The figures of the in-memory path: every dictionary built first, then `score`."""
    present = (layer for record in records.values() for layer in record.attempted())
    attempted = attempted_layers(info, present)
    empty = Extraction.model_validate({layer.value: [] for layer in attempted})
    predictions = {doc_id: records.get(doc_id, empty) for doc_id in gold}
    return score(
        gold,
        predictions,
        texts,
        attempted=attempted,
        resamples=RESAMPLES,
        seed=0,
        detail=detail,
        keep_matches=keep_matches,
    )


def _degraded(gold: dict[str, Extraction], rng: random.Random) -> list[dict]:
    """Predictions made from the gold: items dropped, some spans shortened, one document left
    out, the rest in shuffled order."""
    records = []
    for doc_id, extraction in list(gold.items())[1:]:
        layers = extraction.model_dump(mode="json")
        entities = [e for e in layers["entities"] if rng.random() < 0.8]
        for entity in entities:
            entity.pop("text", None)
            if rng.random() < 0.2 and entity["end"] - entity["start"] > 1:
                entity["end"] -= 1
        numbers = [n for n in layers["numbers"] if rng.random() < 0.7]
        attributions = [a for a in layers["attributions"] if rng.random() < 0.5]
        for attribution in attributions:
            attribution["parent"] = None
        records.append(
            {
                "doc_id": doc_id,
                "entities": entities,
                "numbers": numbers,
                "attributions": attributions,
            }
        )
    rng.shuffle(records)
    return records


def test_score_on_the_project_gold_equals_the_in_memory_path(run_cli, tmp_path):
    corpus = load_corpus(DEFAULT_CORPUS)
    gold = gold_extractions(DEFAULT_GOLD, corpus).hold().held
    path = write_jsonl(tmp_path / "p.jsonl", _degraded(gold, random.Random(1)))
    texts = {doc_id: corpus.document(doc_id).text for doc_id in gold}
    info = PluginInfo(kind=PluginKind.PREDICTIONS, name="p", version="unknown", target=str(path))
    records = load_predictions(path, corpus)
    for summary in ([], ["--summary"]):
        log = tmp_path / "m.jsonl"
        args = ["--predictions", path, "--format", "json", "--resamples", str(RESAMPLES)]
        result = run_cli("score", *args, "--match-log", log, *summary)
        assert result.exit_code == 0, result.output
        expected = in_memory(gold, records, texts, info, detail=not summary, keep_matches=True)
        assert json.loads(result.output)["scores"] == expected.model_dump(mode="json")
        rows = [json.loads(line) for line in log.read_text().splitlines()]
        assert len(rows) == len(expected.matches())
        row = next(r for r in rows if r["gold"] is not None and r["predicted"] is not None)
        predicted = records[row["doc_id"]]
        item = getattr(predicted, row["layer"])[row["predicted"]]
        expected_item = as_model(item).model_dump(mode="json", exclude_none=True)
        assert row["predicted_item"] == expected_item


WORDS = ("Osorno", "flood", "12", "rose", "ONEMI", "7", "said", "Valdivia", "homes", "300")


def _synthetic(draw, doc_ids):
    """Texts and gold of a synthetic corpus: words with entities (names) and numbers (digits)."""
    texts, gold = {}, {}
    for doc_id in doc_ids:
        paragraphs = draw(
            st.lists(
                st.lists(st.sampled_from(WORDS), min_size=1, max_size=8), min_size=1, max_size=3
            )
        )
        text = "".join(" ".join(words) + ".\n" for words in paragraphs)
        entities, numbers, offset = [], [], 0
        for words in paragraphs:
            for word in words:
                span = {"start": offset, "end": offset + len(word)}
                if word.isdigit():
                    value = {"low": int(word), "high": int(word)}
                    numbers.append({**span, "label": "CARDINAL", "value": value, "form": "exact"})
                elif word[0].isupper():
                    entities.append({**span, "label": "ORG" if word == "ONEMI" else "GPE"})
                offset += len(word) + 1
            offset += 1
        texts[doc_id] = text
        gold[doc_id] = {"entities": entities, "numbers": numbers}
    return texts, gold


@st.composite
def corpora(draw):
    doc_ids = [f"d{i}" for i in range(draw(st.integers(1, 6)))]
    texts, gold = _synthetic(draw, doc_ids)
    predictions = []
    for doc_id in draw(st.permutations(doc_ids)):
        if predictions and draw(st.booleans()) and draw(st.booleans()):
            continue  # no prediction: recorded as missing, its gold missed (an empty file is
            # an error)
        layers = {
            layer: [item for item in items if draw(st.booleans())]
            for layer, items in gold[doc_id].items()
        }
        for entity in layers["entities"]:
            entity["label"] = draw(st.sampled_from(["GPE", "ORG", "PERSON"]))
        predictions.append({"doc_id": doc_id, **layers})
    corpus_order = draw(st.permutations(doc_ids))
    gold_order = draw(st.permutations(doc_ids))
    return texts, gold, predictions, corpus_order, gold_order


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=corpora(), detail=st.booleans())
def test_streamed_jsonl_scoring_equals_the_in_memory_path(tmp_path, data, detail):
    texts, gold, predictions, corpus_order, gold_order = data
    corpus_path = write_jsonl(
        tmp_path / "corpus.jsonl", [{"id": d, "text": texts[d]} for d in corpus_order]
    )
    gold_path = write_jsonl(tmp_path / "gold.jsonl", [{"doc_id": d, **gold[d]} for d in gold_order])
    predictions_path = write_jsonl(tmp_path / "p.jsonl", predictions)
    corpus = open_corpus(corpus_path)
    info = PluginInfo(kind=PluginKind.PREDICTIONS, name="p", version="1", target="p")
    streamed = Predicted(
        info, lambda problems: read_predictions(predictions_path, corpus, problems), Started.now()
    )
    results = score_predictions(
        streamed,
        gold_extractions(gold_path, corpus),
        settings=ScoringSettings(resamples=RESAMPLES, detail=detail),
    ).results
    gold_dict = load_predictions(gold_path, corpus)
    assert list(gold_dict) == gold_order
    expected = in_memory(gold_dict, load_predictions(predictions_path, corpus), texts, info,
                         detail=detail)  # fmt: skip
    assert results.scores.model_dump() == expected.model_dump()
    predicted = {p["doc_id"] for p in predictions}
    assert [f.doc_id for f in results.failures] == [d for d in gold_order if d not in predicted]
    assert results.provenance.data.documents == len(texts)


def _jsonl_world(tmp_path):
    texts = {f"d{i}": f"Osorno had {i + 10} homes.\n" for i in range(4)}
    corpus = write_jsonl(
        tmp_path / "corpus.jsonl", [{"id": d, "text": t} for d, t in texts.items()]
    )
    gold = write_jsonl(
        tmp_path / "gold.jsonl",
        [
            {"doc_id": d, "entities": [{"start": 0, "end": 6, "label": "GPE"}]}
            for d in list(texts)[:3]
        ],
    )
    return corpus, gold


def test_jsonl_inputs_errors_name_file_line_document_and_value(run_cli, tmp_path):
    corpus, gold = _jsonl_world(tmp_path)
    found = {"entities": [{"start": 0, "end": 6, "label": "GPE"}]}
    predictions = write_jsonl(
        tmp_path / "p.jsonl",
        [
            {"doc_id": "d0", **found},
            {"doc_id": "d0", **found},
            {"doc_id": "zz", **found},
            {"doc_id": "d1", "entities": [{"start": 0, "end": 99, "label": "GPE"}]},
        ],
    )
    result = run_cli(
        "score", "--corpus", corpus, "--gold", gold, "--predictions", predictions, "--summary"
    )
    assert result.exit_code == 2
    assert (
        f"{predictions}:2: document 'd0': doc_id = 'd0': document predicted twice (first at line 1)"
        in result.output
    )
    assert (
        f"{predictions}:3: document 'zz': doc_id = 'zz': document is not in the corpus"
        in result.output
    )
    assert (
        f"{predictions}:4: document 'd1': entities[0].end = 99: offset out of range"
        in result.output
    )
    assert result.output.startswith("error: 3 problem(s) found:")


def test_jsonl_inputs_a_prediction_outside_the_gold_is_an_error_and_a_missing_one_recorded(
    run_cli, tmp_path
):
    corpus, gold = _jsonl_world(tmp_path)
    found = {"entities": [{"start": 0, "end": 6, "label": "GPE"}]}
    outside = write_jsonl(tmp_path / "p.jsonl", [{"doc_id": d, **found} for d in ("d3", "d0")])
    result = run_cli("score", "--corpus", corpus, "--gold", gold, "--predictions", outside)
    assert result.exit_code == 2
    assert "document 'd3': document is not in the gold" in result.output
    short = write_jsonl(tmp_path / "q.jsonl", [{"doc_id": d, **found} for d in ("d1", "d0")])
    args = ["--corpus", corpus, "--gold", gold, "--predictions", short, "--format", "json"]
    result = run_cli("score", *args, "--summary", "--resamples", "10")
    assert result.exit_code == 0, result.output
    results = json.loads(result.output)
    assert [(f["doc_id"], f["cause"]) for f in results["failures"]] == [("d2", "missing")]
    assert results["documents"] == 3 and results["headline"]["entities.recall"] == 2 / 3
    assert results["provenance"]["data"]["corpus_name"] == "corpus.jsonl"


def test_problems_are_bounded_but_counted(run_cli, tmp_path):
    corpus, gold = _jsonl_world(tmp_path)
    bad = tmp_path / "p.jsonl"
    bad.write_text("not json\n" * 1500)
    result = run_cli("score", "--corpus", corpus, "--gold", gold, "--predictions", bad)
    assert result.exit_code == 2
    assert result.output.startswith("error: 1500 problem(s) found:")
    assert "... and 1450 more (fix these first)" in result.output
    problems = Problems(limit=1)
    problems.extend(InputError([Problem("f", "x"), Problem("f", "y")], omitted=3))
    assert (len(problems.kept), problems.count) == (1, 5)


def test_a_gold_folder_run_keeps_only_what_its_consumers_need():
    """Scoring against a gold folder holds no document's gold or predictions unless the match
    log, `--record` or the claims need them; the claims, only the predictions with claims."""
    corpus = load_corpus(DEFAULT_CORPUS)
    gold = gold_extractions(DEFAULT_GOLD, corpus)
    found = {doc_id: Extraction(entities=x.entities) for doc_id, x in gold.hold().held.items()}
    info = PluginInfo(kind=PluginKind.PREDICTIONS, name="x", version="1", target="x")

    def kept(predictions: dict[str, Extraction], wanted: Wanted | None = None) -> list[list[str]]:
        predicted = Predicted(info, predictions, Started.now())
        settings = ScoringSettings(resamples=0)
        run = score_documents(predicted, gold, settings, wanted=wanted or Wanted()).kept
        return [list(run.gold), list(run.scored), list(run.predictions)]

    assert kept(found) == [[], [], []]
    assert kept(found, Wanted(matches=True, scored=True)) == [list(found), list(found), []]
    assert kept(found, Wanted(predictions=True)) == [[], [], list(found)]
    first = next(iter(found))
    with_claims = {**found, first: found[first].model_copy(update={"claims": []})}
    assert kept(with_claims) == [[], [], [first]]


def test_scoring_runs_with_the_collector_relaxed_and_restores_it(run_cli, tmp_path, monkeypatch):
    import gc

    from claimbench.processes import SCORING_THRESHOLDS
    from claimbench.scoring import Scorer

    corpus = load_corpus(DEFAULT_CORPUS)
    gold = gold_extractions(DEFAULT_GOLD, corpus).hold().held
    path = write_jsonl(tmp_path / "p.jsonl", _degraded(gold, random.Random(1)))
    seen = []
    add = Scorer.add

    def recording(self, *args):
        seen.append(gc.get_threshold())
        add(self, *args)

    monkeypatch.setattr(Scorer, "add", recording)
    before = gc.get_threshold()
    result = run_cli("score", "--predictions", path, "--resamples", "0")
    assert result.exit_code == 0, result.output
    assert seen and set(seen) == {SCORING_THRESHOLDS}
    assert gc.get_threshold() == before
    path.write_text('{"doc_id": "000-afp", "entities": [{"start": true}]}\n')
    assert run_cli("score", "--predictions", path).exit_code == 2
    assert gc.get_threshold() == before
