#!/usr/bin/env python3
"""An example `--command` plugin, in plain Python with no imports from claimbench.

It speaks the JSON Lines protocol of docs/how-to/command-plugin.md: it announces itself with a
header line, then reads one document per line on stdin and answers one prediction per line on
stdout, flushing after each line. Numbers written in digits become CARDINAL mentions.

    claimbench evaluate --command "python3 examples/command_plugin.py"
"""

import json
import re
import sys

DIGITS = re.compile(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?(?![\w.]\d)")
HEADER = {"claimbench_plugin": {"name": "digits", "version": "0.1.0", "layers": ["numbers"]}}


def numbers(text: str) -> list[dict]:
    """A CARDINAL mention with an exact value for every number written in digits.

    Examples
    --------
    >>> [(n["start"], n["text"], n["value"]["low"]) for n in numbers("1,200 people, 3.5 km")]
    [(0, '1,200', 1200), (14, '3.5', 3.5)]
    """
    found = []
    for match in DIGITS.finditer(text):
        value = float(match.group().replace(",", ""))
        value = int(value) if value.is_integer() else value
        found.append(
            {
                "start": match.start(),
                "end": match.end(),
                "text": match.group(),
                "label": "CARDINAL",
                "value": {"low": value, "high": value},
                "form": "exact",
            }
        )
    return found


def main() -> None:
    """Answer every document line on stdin with one prediction line on stdout."""
    print(json.dumps(HEADER), flush=True)
    for line in sys.stdin:
        document = json.loads(line)
        prediction = {"doc_id": document["id"], "numbers": numbers(document["text"])}
        print(json.dumps(prediction, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
