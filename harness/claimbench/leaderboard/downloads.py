"""The ranking as CSV and JSON files beside the page, for readers who analyse it elsewhere."""

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from claimbench.leaderboard.claims import FIGURE_NAMES
from claimbench.leaderboard.views import Entry
from claimbench.models import Layer
from claimbench.scoring.scores import Figure

CSV_NAME = "ranking.csv"
JSON_NAME = "ranking.json"
_CLAIM_FIGURES = [name for _, name in FIGURE_NAMES]


def ranking_rows(entries: Sequence[Entry], gold_version: str | None) -> list[dict[str, Any]]:
    """One flat row per entry, in page order: rank, names, badges and every figure.

    Parameters
    ----------
    entries : Sequence[Entry]
        Ranked entries, then outdated ones.
    gold_version : str or None
        The gold every score is against.

    Returns
    -------
    list[dict[str, Any]]
        Figures are numbers or None (not attempted, or outdated).

    Examples
    --------
    >>> entry = Entry("k", "x", "1", "2026-11-22", ["verified"], [], "0" * 64, "c 1", [], rank=1)
    >>> row = ranking_rows([entry], "1.1.0")[0]
    >>> row["rank"], row["badges"], row["overall_f1"], row["scored_against_gold"]
    (1, 'verified', None, '1.1.0')
    """
    rows = []
    for entry in entries:
        row: dict[str, Any] = {
            "rank": entry.rank,
            "tied_with": entry.tie_size - 1 if entry.rank is not None else None,
            "submission": entry.key,
            "name": entry.name,
            "version": entry.version,
            "date": entry.date,
            "badges": " ".join(entry.badges),
            "outdated": entry.outdated,
            "scored_against_gold": None if entry.outdated else gold_version,
            "recorded_against_gold": entry.recorded_gold,
            **_figure("overall_f1", entry.overall),
        }
        for layer in Layer:
            result = entry.layers.get(layer.value)
            row.update(_figure(f"{layer.value}_f1", result.f1 if result else None))
            row[f"{layer.value}_precision"] = result.precision if result else None
            row[f"{layer.value}_recall"] = result.recall if result else None
        for name in _CLAIM_FIGURES:
            row.update(_figure(f"{name.replace(' ', '_').replace('+', 'and')}_f1",
                               entry.claim_figure(name)))  # fmt: skip
        rows.append(row)
    return rows


def _figure(name: str, figure: Figure | None) -> dict[str, float | None]:
    if figure is None:
        return {name: None, f"{name}_low": None, f"{name}_high": None}
    return {name: figure.value, f"{name}_low": figure.low, f"{name}_high": figure.high}


def ranking_json(rows: list[dict[str, Any]]) -> str:
    """The rows as a JSON array, one object per entry and per line.

    Examples
    --------
    >>> ranking_json([{"rank": 1}, {"rank": 2}])
    '[\\n{"rank": 1},\\n{"rank": 2}\\n]\\n'
    """
    # Row by row with the C encoder (an indented dump runs the pure-Python one).
    return "[\n" + ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n]\n"


def ranking_csv(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV with a header line (empty cells for missing figures).

    Examples
    --------
    >>> ranking_csv([{"rank": 1, "name": "a,b"}])
    'rank,name\\r\\n1,"a,b"\\r\\n'
    >>> ranking_csv([{"name": "=cmd()"}]).splitlines()[1]
    "'=cmd()"
    """
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows({key: _inert(value) for key, value in row.items()} for row in rows)
    return out.getvalue()


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: Any) -> Any:
    """A submitter's text that a spreadsheet would run as a formula, prefixed with `'`."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
