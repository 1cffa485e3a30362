"""examples/llm_plugin.py against a local server that speaks the OpenAI chat-completions
protocol and answers with responses written for these tests (no model is run).

The articles, the gold and the model's answers of the first tests are written here, about an
event that is not the corpus's; the answers mangle their strings as a model does (straight
quotes for curly ones, extra spaces, decomposed accents, a name returned twice) so the plugin's
grounding is exercised. `plugins check` then runs the plugin over the real corpus, where the
server answers for 000-afp with a handful of that article's strings and for the others with
empty lists.
"""

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from tests.plugins_support import EXAMPLES

PLUGIN = f"{sys.executable} {EXAMPLES / 'llm_plugin.py'}"
KEY = "test-key"
MODEL = "test-model"

FLOOD = (
    "SANTIAGO: Rescuers said on Monday that “at least 14 people” had died in the floods "
    "around Valparaíso.\n"
    "Emergency officials in Valparaíso put the number of missing at 14, and the navy said "
    "two bridges had collapsed.\n"
)
QUAKE = "KATHMANDU: Nepal’s army said 3 villages were cut off after the earthquake.\n"
DOCUMENTS = [
    {"id": "100-flood", "text": FLOOD, "metadata": {"outlet": None, "date": "2019-06-03"}},
    {"id": "101-quake", "text": QUAKE, "metadata": {"outlet": None, "date": None}},
]
ANSWERS = {
    "SANTIAGO: Rescuers": {
        "entities": [
            {"text": "SANTIAGO", "label": "GPE"},
            {"text": "Valparai\u0301so", "label": "GPE"},
            {"text": "Atlantis", "label": "GPE"},
            {"text": "the navy", "label": "SPACESHIP"},
        ],
        "numbers": [
            {"text": "Monday", "label": "DATE", "before": "Rescuers said on"},
            {"text": "at least  14", "label": "CARDINAL", "before": "Monday that"},
            {"text": "14", "label": "CARDINAL", "before": "missing at"},
            {"text": "two", "label": "CARDINAL", "before": "navy said"},
        ],
        "attributions": [
            {
                "source": "Rescuers",
                "cue": "said",
                "content": 'on Monday that "at least 14 people" had died in the floods around '
                "Valparaíso",
                "quote": "mixed",
            },
            {
                "source": "the navy",
                "cue": "said",
                "content": "two bridges had collapsed",
                "quote": "indirect",
            },
        ],
    },
    "KATHMANDU": {
        "entities": [{"text": "Nepal", "label": "GPE"}],
        "numbers": [{"text": "3", "label": "CARDINAL"}],
        "attributions": [
            {"source": "Nepal's army", "cue": "said", "content": "3 villages were cut off"}
        ],
    },
    "QUETTA: Security forces on Sunday said": {
        "entities": [{"text": "Mastung", "label": "GPE"}, {"text": "IS", "label": "ORG"}],
        "numbers": [{"text": "around a dozen", "label": "CARDINAL", "before": "had killed"}],
        "attributions": [
            {"source": "Security forces", "cue": "said", "content": "they had killed around"}
        ],
    },
    "BROKEN": "this is not JSON",
}
EMPTY = {"entities": [], "numbers": [], "attributions": []}


class ChatCompletions(BaseHTTPRequestHandler):
    """POST /v1/chat/completions with a bearer key: the canned answer whose marker is in the
    user message, else empty lists; every request is kept in `received`."""

    received: ClassVar[list[dict]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append(body)
        if self.path != "/v1/chat/completions":
            return self._send(404, {"error": {"message": f"no route {self.path}"}})
        if self.headers.get("Authorization") != f"Bearer {KEY}":
            return self._send(401, {"error": {"message": "invalid key"}})
        article = body["messages"][-1]["content"]
        answer = next((a for marker, a in ANSWERS.items() if marker in article), EMPTY)
        content = answer if isinstance(answer, str) else json.dumps(answer)
        message = {"role": "assistant", "content": content}
        choice = {"index": 0, "message": message, "finish_reason": "stop"}
        return self._send(200, {"object": "chat.completion", "model": body["model"],
                                "choices": [choice]})  # fmt: skip

    def _send(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        """Quiet: the tests read `received` instead."""


@pytest.fixture
def server() -> Iterator[str]:
    """The base URL of a chat-completions server on a free local port."""
    ChatCompletions.received = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), ChatCompletions)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DOCUMENTS))
    return path


def env_options(base_url: str, key: str = KEY) -> list[str]:
    return ["--env", f"OPENAI_BASE_URL={base_url}", "--env", f"OPENAI_MODEL={MODEL}",
            "--env", f"OPENAI_API_KEY={key}"]  # fmt: skip


def span_of(text: str, string: str, occurrence: int = 0) -> dict:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(string, start + 1)
    return {"start": start, "end": start + len(string)}


def spans(attribution: dict) -> dict:
    """An attribution's spans as offsets only."""
    offsets = {name: {"start": s["start"], "end": s["end"]} for name, s in attribution.items()
               if name in ("cue", "source") and s}  # fmt: skip
    offsets["content"] = [{"start": s["start"], "end": s["end"]} for s in attribution["content"]]
    return offsets


def predictions(run_cli, corpus: Path, server: str, tmp_path: Path) -> dict[str, dict]:
    out = tmp_path / "p.jsonl"
    result = run_cli("predict", "--command", PLUGIN, "--corpus", corpus, "-o", out,
                     *env_options(server))  # fmt: skip
    assert result.exit_code == 0 and "warning" not in result.output, result.output
    return {r["doc_id"]: r for r in map(json.loads, out.read_text().splitlines())}


def test_the_model_is_asked_for_json_through_the_protocol(run_cli, corpus, server, tmp_path):
    predictions(run_cli, corpus, server, tmp_path)
    assert len(ChatCompletions.received) == 2
    body = ChatCompletions.received[0]
    assert body["model"] == MODEL and body["response_format"] == {"type": "json_object"}
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert body["messages"][1]["content"] == FLOOD


def test_strings_are_grounded_and_numbers_normalised(run_cli, corpus, server, tmp_path):
    found = predictions(run_cli, corpus, server, tmp_path)
    flood = found["100-flood"]
    entities = [(FLOOD[e["start"] : e["end"]], e["start"], e["label"]) for e in flood["entities"]]
    places = [("Valparaíso", FLOOD.index("Valparaíso", k), "GPE") for k in (0, 100)]
    assert entities == [("SANTIAGO", 0, "GPE"), *places]
    by_text = {FLOOD[n["start"] : n["end"]]: n for n in flood["numbers"]}
    assert list(by_text) == ["Monday", "at least 14", "14", "two"]
    assert by_text["Monday"]["timex"]["value"] == "2019-06-03"
    assert by_text["at least 14"]["value"] == {"low": 14, "high": None}
    assert by_text["14"]["start"] == FLOOD.index("at 14") + 3  # the second 14, by its context
    first, second = flood["attributions"]
    assert spans(first) == {
        "cue": span_of(FLOOD, "said"),
        "source": span_of(FLOOD, "Rescuers"),
        "content": [{"start": FLOOD.index("on Monday"), "end": FLOOD.index(".\n")}],
    }
    assert spans(second) == {
        "cue": span_of(FLOOD, "said", 1),
        "source": span_of(FLOOD, "the navy"),
        "content": [span_of(FLOOD, "two bridges had collapsed")],
    }
    assert (first["quote"], second["quote"]) == ("mixed", "indirect")
    quake = found["101-quake"]
    assert spans(quake["attributions"][0])["source"] == span_of(QUAKE, "Nepal’s army")


def test_what_was_not_grounded_is_said_on_stderr(run_cli, corpus, server, tmp_path):
    out = tmp_path / "p.jsonl"
    result = run_cli("predict", "--command", PLUGIN, "--corpus", corpus, "-o", out,
                     "--fail-fast", *env_options(server, key="wrong"))  # fmt: skip
    assert result.exit_code == 3
    assert "no usable answer from the model: HTTPError: HTTP Error 401" in result.output
    # The plugin's stderr is shown only with failures, so read it from a direct run.
    run = subprocess.run(
        PLUGIN.split(),
        input=json.dumps(DOCUMENTS[0]) + "\n",
        capture_output=True,
        text=True,
        env={"OPENAI_BASE_URL": server, "OPENAI_MODEL": MODEL, "OPENAI_API_KEY": KEY},
        check=True,
    )
    assert "entity 'Atlantis' not found in the text" in run.stderr
    assert "entities[3] left out" in run.stderr and "SPACESHIP" in run.stderr
    assert "'14': chosen by its context among 2" in run.stderr


def test_scores_against_a_gold_written_for_the_test(run_cli, corpus, server, tmp_path):
    gold = tmp_path / "gold.jsonl"
    flood_gold = {
        "doc_id": "100-flood",
        "entities": [{**span_of(FLOOD, "SANTIAGO"), "label": "GPE"},
                     {**span_of(FLOOD, "Valparaíso"), "label": "GPE"},
                     {**span_of(FLOOD, "Valparaíso", 1), "label": "GPE"}],
        "numbers": [{**span_of(FLOOD, "Monday"), "label": "DATE",
                     "timex": {"type": "DATE", "value": "2019-06-03"}},
                    {**span_of(FLOOD, "at least 14"), "label": "CARDINAL",
                     "value": {"low": 14, "high": None}, "form": "lower_bound"},
                    {**span_of(FLOOD, "14", 1), "label": "CARDINAL",
                     "value": {"low": 14, "high": 14}, "form": "exact"},
                    {**span_of(FLOOD, "two"), "label": "CARDINAL",
                     "value": {"low": 2, "high": 2}, "form": "exact"}],
        "attributions": [],
    }  # fmt: skip
    quake_gold = {"doc_id": "101-quake", "entities": [], "numbers": [], "attributions": []}
    gold.write_text(json.dumps(flood_gold) + "\n" + json.dumps(quake_gold) + "\n")
    result = run_cli("evaluate", "--command", PLUGIN, "--corpus", corpus, "--gold", gold,
                     "--format", "json", "--resamples", "0", *env_options(server))  # fmt: skip
    assert result.exit_code == 0, result.output
    layers = json.loads(result.stdout)["scores"]["layers"]
    # Nepal is a false positive and the quake's number too; the attributions are all false
    # positives (this gold has none).
    assert layers["entities"]["f1"]["value"] == pytest.approx(2 * 3 / (4 + 3))
    assert layers["numbers"]["f1"]["value"] == pytest.approx(2 * 4 / (5 + 4))
    assert layers["attributions"]["f1"]["value"] == 0


def test_plugins_check_passes_on_the_corpus(run_cli, server):
    result = run_cli("plugins", "check", "--command", PLUGIN, *env_options(server))
    assert result.exit_code == 0, result.output
    assert "plugin llm-chat 0.1.0 (command" in result.output
    assert "PASS  determinism" in result.output
    assert "FAIL" not in result.output
    texts = [body["messages"][1]["content"] for body in ChatCompletions.received]
    assert len(texts) == 10 and len(set(texts)) == 5  # five documents, two runs


def test_an_answer_that_is_not_json_fails_that_document(run_cli, tmp_path, server):
    corpus = tmp_path / "broken.jsonl"
    docs = [
        {
            "id": "200-broken",
            "text": "BROKEN answer.\n",
            "metadata": {"outlet": None, "date": None},
        },
        DOCUMENTS[1],
    ]
    corpus.write_text("".join(json.dumps(d) + "\n" for d in docs))
    out = tmp_path / "p.jsonl"
    result = run_cli("predict", "--command", PLUGIN, "--corpus", corpus, "-o", out,
                     *env_options(server))  # fmt: skip
    assert "document '200-broken'" in result.output
    assert "no usable answer from the model" in result.output, result.output
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["doc_id"] for line in out.read_text().splitlines()] == ["101-quake"]
