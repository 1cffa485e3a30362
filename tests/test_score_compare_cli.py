"""`claimbench score` and `claimbench compare` end to end on the real corpus and fixture gold."""

import json
import shutil

import pytest

from tests.plugins_support import write_gold, write_jsonl


@pytest.fixture
def gold(tmp_path):
    return tmp_path / "gold", write_gold(tmp_path / "gold")


def _write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _perfect(gold_layers, drop_doc=None, keep_entities=True):
    return [
        {
            "doc_id": d,
            "entities": layers["entities"] if keep_entities else [],
            "numbers": layers["numbers"],
        }
        for d, layers in gold_layers.items()
        if d != drop_doc
    ]


def test_score_perfect_predictions(run_cli, gold, tmp_path):
    gold_dir, layers = gold
    predictions = _write(tmp_path / "p.jsonl", _perfect(layers))
    result = run_cli(
        "score",
        "--predictions",
        predictions,
        "--gold",
        gold_dir,
        "--format",
        "json",
        "--resamples",
        "100",
    )
    assert result.exit_code == 0, result.output
    results = json.loads(result.output)
    assert results["headline"]["entities.f1"] == 1.0 and results["headline"]["numbers.f1"] == 1.0
    assert results["headline"]["attributions.f1"] is None
    assert results["scores"]["layers"]["entities"]["f1"]["low"] == 1.0


def test_a_missing_document_is_recorded_and_its_gold_counts_as_missed(run_cli, gold, tmp_path):
    gold_dir, layers = gold
    predictions = _write(tmp_path / "p.jsonl", _perfect(layers, drop_doc="001-dawn"))
    result = run_cli(
        "score",
        "--predictions",
        predictions,
        "--gold",
        gold_dir,
        "--format",
        "json",
        "--resamples",
        "0",
    )
    results = json.loads(result.output)
    assert [(f["doc_id"], f["cause"]) for f in results["failures"]] == [("001-dawn", "missing")]
    assert results["headline"]["entities.recall"] < 1.0
    assert results["headline"]["entities.precision"] == 1.0


def test_gold_as_a_predictions_file_and_a_document_it_lacks(run_cli, gold, tmp_path):
    _, layers = gold
    annotator_a = _write(tmp_path / "a.jsonl", _perfect(layers, drop_doc="002-voa"))
    annotator_b = _write(tmp_path / "b.jsonl", _perfect(layers, drop_doc="002-voa"))
    result = run_cli(
        "score",
        "--gold",
        annotator_a,
        "--predictions",
        annotator_b,
        "--format",
        "json",
        "--resamples",
        "0",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["documents"] == 4
    full = _write(tmp_path / "full.jsonl", _perfect(layers))
    result = run_cli("score", "--gold", annotator_a, "--predictions", full)
    assert result.exit_code == 2
    assert "document '002-voa': document is not in the gold" in result.output


def test_match_log_lists_pairs_misses_and_false_positives(run_cli, gold, tmp_path):
    gold_dir, layers = gold
    records = _perfect(layers)
    # Drop the first gold entity of 000-afp (a miss) and add a false positive at its start.
    false_positive = {"start": 0, "end": 4, "label": "ORG"}
    records[0]["entities"] = [*records[0]["entities"][1:], false_positive]
    predictions = _write(tmp_path / "p.jsonl", records)
    log = tmp_path / "matches.jsonl"
    result = run_cli(
        "score",
        "--predictions",
        predictions,
        "--gold",
        gold_dir,
        "--match-log",
        log,
        "--resamples",
        "0",
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    first_doc = [r for r in rows if r["doc_id"] == "000-afp" and r["layer"] == "entities"]
    outcomes = sorted(
        r["outcomes"]["strict"] for r in first_doc if r["outcomes"]["strict"] != "COR"
    )
    assert outcomes == ["MIS", "SPU"]
    spurious = next(r for r in first_doc if r["outcomes"]["strict"] == "SPU")
    assert spurious["predicted_item"]["start"] == 0 and spurious["gold_item"] is None


def test_compare_results_and_predictions_files(run_cli, gold, tmp_path):
    gold_dir, layers = gold
    good = _write(tmp_path / "good.jsonl", _perfect(layers))
    worse = _write(tmp_path / "worse.jsonl", _perfect(layers, keep_entities=False))
    outputs = {}
    for name, path in (("good", good), ("worse", worse)):
        outputs[name] = tmp_path / f"{name}.json"
        run_cli(
            "score",
            "--predictions",
            path,
            "--gold",
            gold_dir,
            "--output",
            outputs[name],
            "--resamples",
            "0",
        )
    result = run_cli("compare", outputs["good"], outputs["worse"], "--resamples", "999")
    assert result.exit_code == 0, result.output
    assert "good.json is better than worse.json" in result.output
    assert "significant" in result.output
    same = run_cli(
        "compare", good, good, "--gold", gold_dir, "--format", "json", "--resamples", "999"
    )
    verdict = json.loads(same.output)
    assert (verdict["difference"], verdict["significant"]) == (0.0, False)


def test_compare_refuses_results_on_different_gold(run_cli, gold, tmp_path):
    gold_dir, layers = gold
    good = _write(tmp_path / "good.jsonl", _perfect(layers))
    small_gold = _write(tmp_path / "small.jsonl", _perfect(layers, drop_doc="003-pakistan-forward"))
    run_cli("score", "--predictions", good, "--gold", gold_dir, "--output", tmp_path / "a.json")
    sub = _write(tmp_path / "sub.jsonl", _perfect(layers, drop_doc="003-pakistan-forward"))
    run_cli("score", "--predictions", sub, "--gold", small_gold, "--output", tmp_path / "b.json")
    result = run_cli("compare", tmp_path / "a.json", tmp_path / "b.json")
    assert result.exit_code == 2 and "were scored against different gold" in result.output


def test_compare_refuses_results_on_other_gold_of_the_same_documents(run_cli, gold, tmp_path):
    # Same documents and paragraphs, so the paired test ran, on counts of two different golds.
    gold_dir, layers = gold
    other = tmp_path / "other-gold"
    shutil.copytree(gold_dir, other)
    first = other / "000-afp.json"
    document = json.loads(first.read_text())
    document["numbers"] = document["numbers"][1:]
    first.write_text(json.dumps(document))
    predictions = _write(tmp_path / "p.jsonl", _perfect(layers))
    results = {}
    for name, used in (("a", gold_dir), ("b", other)):
        results[name] = tmp_path / f"{name}.json"
        scored = run_cli("score", "--predictions", predictions, "--gold", used, "--resamples",
                         "0", "--output", results[name])  # fmt: skip
        assert scored.exit_code == 0, scored.output
    for second, gold_given in ((results["b"], gold_dir), (predictions, other)):
        result = run_cli("compare", results["a"], second, "--gold", gold_given)
        assert result.exit_code == 2, result.output
        message = f"{results['a']} and {second} were scored against different gold"
        assert message in result.output


@pytest.mark.parametrize(
    ("entity", "message"),
    [
        ({"start": 0, "end": 4, "text": "nope", "label": "GPE"}, "entities[0].text = 'nope'"),
        ({"start": 0, "end": 4, "label": "CITY"}, "entities[0].label = 'CITY'"),
        ({"start": 0, "end": 99999, "label": "GPE"}, "entities[0].end = 99999"),
    ],
)
def test_malformed_predictions_are_located_errors(run_cli, gold, tmp_path, entity, message):
    gold_dir, layers = gold
    records = _perfect(layers)
    records[0]["entities"] = [entity]
    predictions = _write(tmp_path / "p.jsonl", records)
    result = run_cli("score", "--predictions", predictions, "--gold", gold_dir)
    assert result.exit_code == 2
    assert f"p.jsonl:1: document '000-afp': {message}" in result.output


def test_claim_spans_of_a_predictions_file_are_checked_at_the_door(run_cli, gold, tmp_path):
    _, layers = gold
    records = _perfect(layers)
    records[0]["claims"] = [
        {"number": {"start": 0, "end": 99999}, "counted": "militants", "event": "killed"}
    ]
    predictions = _write(tmp_path / "p.jsonl", records)
    result = run_cli("validate", "predictions", predictions)
    assert result.exit_code == 2
    assert "p.jsonl:1: document '000-afp': claims[0].number.end = 99999" in result.output


def test_summary_scores_keep_no_per_document_figures_and_cannot_be_compared(
    run_cli, gold, tmp_path
):
    gold_dir, layers = gold
    predictions = _write(tmp_path / "p.jsonl", _perfect(layers))
    outputs = {}
    for name, extra in (("full", []), ("summary", ["--summary"])):
        outputs[name] = tmp_path / f"{name}.json"
        result = run_cli(
            "score",
            "--predictions",
            predictions,
            "--gold",
            gold_dir,
            "--output",
            outputs[name],
            "--resamples",
            "50",
            *extra,
        )
        assert result.exit_code == 0, result.output
    full, summary = (json.loads(outputs[n].read_text()) for n in ("full", "summary"))
    assert summary["headline"] == full["headline"]
    strict = summary["scores"]["layers"]["entities"]["schemes"]["strict"]
    assert (
        strict["per_document"] == {}
        and strict["micro"] == full["scores"]["layers"]["entities"]["schemes"]["strict"]["micro"]
    )
    result = run_cli("compare", outputs["summary"], outputs["full"])
    assert result.exit_code == 2 and "without detail" in result.output


def test_compare_refuses_results_on_other_corpus_texts(run_cli, tmp_path):
    # Same gold file and documents, other texts: the corpus digests differ.
    entity = {"start": 0, "end": 3, "label": "GPE"}
    gold = write_jsonl(tmp_path / "gold.jsonl", [{"doc_id": "d", "entities": [entity]}])
    results = {}
    for name, text in (("a", "Ana went.\n"), ("b", "Bob went.\n")):
        corpus = write_jsonl(tmp_path / f"{name}.jsonl", [{"id": "d", "text": text}])
        results[name] = tmp_path / f"{name}.json"
        scored = run_cli("score", "--corpus", corpus, "--gold", gold, "--predictions", gold,
                         "--resamples", "0", "--output", results[name])  # fmt: skip
        assert scored.exit_code == 0, scored.output
    result = run_cli("compare", results["a"], results["b"])
    assert result.exit_code == 2, result.output
    assert "were scored against different corpus texts" in result.output
