#!/usr/bin/env python3
"""A `--command` plugin that asks a language model, through any OpenAI-compatible
chat-completions endpoint, for the entities, numbers and attributions of each document.

The model answers with strings, not offsets: the plugin grounds them on the text with
`claimbench.grounding` and normalises the numbers with `claimbench.normalise`, and says on
stderr what it could not ground or found ambiguous. It needs claimbench importable by the Python
that runs it, and three variables, passed with `--env` (nothing else reaches a command plugin):

    OPENAI_BASE_URL   the endpoint's base URL, e.g. http://localhost:8000/v1
    OPENAI_MODEL      the model name the endpoint knows
    OPENAI_API_KEY    the key, sent as a bearer token (optional for a local server)

    claimbench evaluate --command "python3 examples/llm_plugin.py" \\
        --env OPENAI_BASE_URL --env OPENAI_MODEL --env OPENAI_API_KEY

It was tested against a local server that answers with responses written for the tests; no
model was run to write or test it, and it reports no model's scores.
"""

import datetime as dt
import json
import os
import sys
import urllib.error
import urllib.request
from typing import Literal

from pydantic import BaseModel, ValidationError

from claimbench.grounding import Grounder, GroundingReport, Request
from claimbench.models import EntityLabel, NumberLabel
from claimbench.normalise import predicted_number

NAME, VERSION = "llm-chat", "0.1.0"
LAYERS = ["entities", "numbers", "attributions"]
TIMEOUT_SECONDS = 50
INSTRUCTIONS = f"""You annotate one news article. Answer with one JSON object and nothing else:
{{"entities": [{{"text": "...", "label": "..."}}],
 "numbers": [{{"text": "...", "label": "...", "before": "..."}}],
 "attributions": [{{"source": "..." or null, "cue": "...", "content": "...",
                   "quote": "direct" or "indirect" or "mixed"}}]}}
Copy every string exactly as it is written in the article.
entities: each distinct name once, label one of {" ".join(EntityLabel)}.
numbers: every numeric or temporal expression with its modifiers ("around a dozen", "Some
12-13"), label one of {" ".join(NumberLabel)}, and "before": the three words just before it.
attributions: who said what; "cue" is the reporting word ("said", "told", "according to")."""


class EntityAnswer(BaseModel):
    text: str
    label: EntityLabel


class NumberAnswer(BaseModel):
    text: str
    label: NumberLabel
    before: str = ""


class AttributionAnswer(BaseModel):
    source: str | None = None
    cue: str
    content: str
    quote: Literal["direct", "indirect", "mixed"] = "indirect"


def ask_model(text: str) -> dict:
    """The model's JSON answer for one article, from the chat-completions endpoint."""
    body = {
        "model": os.environ["OPENAI_MODEL"],
        "temperature": 0,
        "response_format": {"type": "json_object"},
        "messages": [
            {"role": "system", "content": INSTRUCTIONS},
            {"role": "user", "content": text},
        ],
    }
    request = urllib.request.Request(
        os.environ["OPENAI_BASE_URL"].rstrip("/") + "/chat/completions",
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {os.environ.get('OPENAI_API_KEY', '')}",
        },
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        reply = json.load(response)
    answer = json.loads(reply["choices"][0]["message"]["content"])
    if not isinstance(answer, dict):
        raise ValueError(f"the model answered a JSON {type(answer).__name__}, not an object")
    return answer


def items(answer: dict, layer: str, model: type[BaseModel]) -> list:
    """The valid items of one layer of the model's answer.

    Parameters
    ----------
    answer:
        The model's JSON answer.
    layer:
        "entities", "numbers" or "attributions".
    model:
        The pydantic model of one item of that layer.

    Returns
    -------
    list
        The items that validate; each one left out is named on stderr.

    Examples
    --------
    >>> answer = {"entities": [{"text": "Osorno", "label": "GPE"}, {"text": "x", "label": "?"}]}
    >>> [item.text for item in items(answer, "entities", EntityAnswer)]
    ['Osorno']
    """
    valid = []
    for index, item in enumerate(answer.get(layer) or []):
        try:
            valid.append(model.model_validate(item))
        except ValidationError as err:
            log(f"{layer}[{index}] left out: {err.errors()[0]['msg']}: {item!r}")
    return valid


def entities(grounder: Grounder, answers: list[EntityAnswer]) -> list[dict]:
    """Every whole-word occurrence of each name, longer names first, no overlaps.

    Parameters
    ----------
    grounder:
        The document's text, ready for grounding.
    answers:
        The names the model returned, each once, with a label.

    Returns
    -------
    list of dict
        Entity mentions of the prediction format, in text order.

    Examples
    --------
    >>> grounder = Grounder("The Red Cross said Red Cross teams reached Osorno.")
    >>> names = [EntityAnswer(text=name, label="ORG") for name in ("Cross", "Red Cross")]
    >>> [(e["start"], e["end"]) for e in entities(grounder, names)]
    [(4, 13), (19, 28)]
    """
    found: list[dict] = []
    for answer in sorted(answers, key=lambda a: -len(a.text)):
        spans = grounder.find(answer.text)
        if not spans:
            log(f"entity {answer.text!r} not found in the text")
        for start, end in spans:
            if all(end <= e["start"] or start >= e["end"] for e in found):
                found.append({"start": start, "end": end, "label": answer.label.value})
    return sorted(found, key=lambda e: (e["start"], e["end"]))


def numbers(grounder: Grounder, date: dt.date | None, answers: list[NumberAnswer]) -> list[dict]:
    """Each number grounded (by its preceding words; repeated ones on successive occurrences)
    and normalised with the document's date.

    Parameters
    ----------
    grounder:
        The document's text, ready for grounding.
    date:
        The document's date, for relative dates; None when unknown.
    answers:
        The numbers the model returned.

    Returns
    -------
    list of dict
        Number mentions of the prediction format; one that is not found or does not normalise
        is named on stderr and left out.

    Examples
    --------
    >>> grounder = Grounder("On Monday some 40 people left; 40 stayed.")
    >>> answers = [NumberAnswer(text="40", label="CARDINAL", before="left;"),
    ...            NumberAnswer(text="Monday", label="DATE")]
    >>> found = numbers(grounder, dt.date(2019, 6, 5), answers)
    >>> [(n["text"], n.get("value"), n.get("timex", {}).get("value")) for n in found]
    [('40', {'low': 40, 'high': 40}, None), ('Monday', None, '2019-06-03')]
    """
    report = grounder.ground_all([Request(a.text, before=a.before) for a in answers])
    log_report(report)
    found = []
    for answer, result in zip(answers, report.results, strict=True):
        if result.span is None:
            continue
        number = predicted_number(grounder.text, *result.span, date, answer.label)
        if number is None:
            log(f"number {answer.text!r} ({answer.label.value}) does not normalise; left out")
            continue
        fields = number.model_dump(mode="json")  # value's low or high may be null: keep them
        found.append({name: field for name, field in fields.items() if field is not None})
    return found


def attributions(grounder: Grounder, answers: list[AttributionAnswer]) -> list[dict]:
    """Each attribution: its content grounded, then the cue nearest the content and the
    source nearest the cue.

    Parameters
    ----------
    grounder:
        The document's text, ready for grounding.
    answers:
        The attributions the model returned.

    Returns
    -------
    list of dict
        Attributions of the prediction format; one whose content or cue is not found is named
        on stderr and left out, a source that is not found becomes null.

    Examples
    --------
    >>> grounder = Grounder("Police said: “the road is shut.” Residents said it was open.")
    >>> answer = AttributionAnswer(source="Police", cue="said", content='"the road is shut."',
    ...                            quote="direct")
    >>> attributions(grounder, [answer])[0]["cue"], attributions(grounder, [answer])[0]["content"]
    ({'start': 7, 'end': 11}, [{'start': 13, 'end': 32}])
    """
    contents = grounder.ground_all([a.content for a in answers])
    log_report(contents)
    found = []
    for answer, content in zip(answers, contents.results, strict=True):
        cue = grounder.ground(Request(answer.cue, near=content.start)) if content.span else None
        if cue is None or cue.span is None:
            log(f"attribution with cue {answer.cue!r} left out: content or cue not found")
            continue
        source = grounder.ground(Request(answer.source, near=cue.start)) if answer.source else None
        found.append(
            {
                "cue": span(cue.span),
                "source": span(source.span) if source and source.span else None,
                "content": [span(content.span)],
                "quote": answer.quote,
            }
        )
    return found


def span(offsets: tuple[int, int]) -> dict:
    """A span object of the prediction format.

    Examples
    --------
    >>> span((3, 7))
    {'start': 3, 'end': 7}
    """
    return {"start": offsets[0], "end": offsets[1]}


def log(message: str) -> None:
    """One line on stderr, which claimbench keeps with a failed document."""
    print(f"{NAME}: {message}", file=sys.stderr, flush=True)


def log_report(report: GroundingReport) -> None:
    """What could not be grounded or was ambiguous."""
    for line in report.describe().splitlines():
        log(line)


def predict(document: dict) -> dict:
    """The prediction record of one document (the protocol's input line)."""
    date = document["metadata"].get("date")
    answer = ask_model(document["text"])
    grounder = Grounder(document["text"])  # the text folded once for every layer
    return {
        "doc_id": document["id"],
        "entities": entities(grounder, items(answer, "entities", EntityAnswer)),
        "numbers": numbers(
            grounder,
            dt.date.fromisoformat(date) if date else None,
            items(answer, "numbers", NumberAnswer),
        ),
        "attributions": attributions(grounder, items(answer, "attributions", AttributionAnswer)),
    }


def main() -> None:
    """Announce the plugin, then answer every document line on stdin with one prediction."""
    header = {"name": NAME, "version": VERSION, "layers": LAYERS}
    print(json.dumps({"claimbench_plugin": header}), flush=True)
    for line in sys.stdin:
        document = json.loads(line)
        try:
            prediction = predict(document)
        except (urllib.error.URLError, KeyError, ValueError) as err:
            # The document fails (claimbench records it with this stderr line and restarts us).
            log(
                f"document {document['id']!r}: no usable answer from the model: "
                f"{type(err).__name__}: {err}"
            )
            sys.exit(1)
        print(json.dumps(prediction, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
