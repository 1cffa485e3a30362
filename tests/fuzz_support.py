"""Hostile JSON for the fuzz tests of every JSON reader (issue 17).

A fuzzed input is a valid value (a prediction record, a gold document, a submission, a cache
entry) with one or more places replaced by a hostile token written as raw JSON text: NaN and
infinities, numbers that overflow a float, integers of thousands of digits, nesting far deeper
than any reader's limit, values of the wrong JSON type, lone surrogates, a key given twice, or
the text cut short or with bytes that are not UTF-8.
"""

import json
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st


@dataclass(frozen=True)
class Raw:
    """JSON text written as is (it need not be valid JSON)."""

    text: str


_TWICE = "\0twice\0"
"""A key starting with this is written without it: the same key as the member after it."""


HOSTILE_TOKENS = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999",
    "-1e400",
    "1" + "0" * 5000,
    "-" + "9" * 400,
    "18446744073709551617",
    "70.0",
    "0.5",
    "-1",
    "true",
    "false",
    "null",
    '"70"',
    '""',
    '"\\ud800"',
    '"\\u0000"',
    "[]",
    "{}",
    "[" * 5_000 + "]" * 5_000,
    '{"a":' * 70 + "1" + "}" * 70,
    "[" * 65 + "]" * 65,
]


def hostile_leaf() -> st.SearchStrategy[Any]:
    """A hostile token, or a plain JSON scalar of any kind."""
    tokens = st.sampled_from(HOSTILE_TOKENS).map(Raw)
    return st.one_of(
        tokens,
        tokens,
        tokens,
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=20),
        st.booleans(),
        st.none(),
    )


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in `value` (object members and array elements), the root included."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, (*prefix, index))
    return found


def replace(value: Any, path: tuple, new: Any) -> Any:
    """`value` with the place at `path` replaced by `new` (a copy; `value` is unchanged)."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: replace(value[head], rest, new)}
    copy = list(value)
    copy[head] = replace(copy[head], rest, new)
    return copy


def dumps(value: Any) -> str:
    """`value` as JSON text, `Raw` tokens written as they are, twice-keys without their mark."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        members = (
            f"{json.dumps(key.removeprefix(_TWICE), ensure_ascii=False)}: {dumps(child)}"
            for key, child in value.items()
        )
        return "{" + ", ".join(members) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(dumps(child) for child in value) + "]"
    return json.dumps(value, ensure_ascii=False)


@st.composite
def hostile_text(draw: st.DrawFn, base: Any) -> bytes:
    """`base` with up to three places made hostile, written as JSON, maybe cut or corrupted."""
    value = base
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        places = paths(value)
        numbers = [path for path in places if isinstance(_at(value, path), int | float)]
        aim = numbers if numbers and draw(st.booleans()) else places  # where the type rules are
        place = draw(st.sampled_from(aim))
        kind = draw(st.sampled_from(["leaf", "twice", "drop"]))
        if kind == "twice" and place and isinstance(_at(value, place[:-1]), dict):
            parent = _at(value, place[:-1])
            value = replace(value, place[:-1], _twice(parent, place[-1], draw(hostile_leaf())))
        elif kind == "drop" and place and isinstance(_at(value, place[:-1]), dict):
            parent = _at(value, place[:-1])
            value = replace(value, place[:-1], {k: v for k, v in parent.items() if k != place[-1]})
        else:
            value = replace(value, place, draw(hostile_leaf()))
    data = dumps(value).encode("utf-8", errors="surrogatepass")
    damage = draw(st.sampled_from(["none", "none", "cut", "byte"]))
    if damage == "cut" and data:
        data = data[: draw(st.integers(min_value=0, max_value=len(data) - 1))]
    elif damage == "byte" and data:
        at = draw(st.integers(min_value=0, max_value=len(data) - 1))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\x00", b"\n"])) + data[at:]
    return data


def _at(value: Any, path: tuple) -> Any:
    for part in path:
        value = value[part]
    return value


def _twice(parent: dict, key: str, first: Any) -> dict:
    """`parent` with `key` written twice: first with `first`, then with its own value."""
    members: dict[str, Any] = {}
    for name, child in parent.items():
        if name == key:
            members[_TWICE + name] = first
        members[name] = child
    return members
