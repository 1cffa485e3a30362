"""Geometry of the precision-recall plots, drawn as inline SVG by the template."""

from collections.abc import Sequence
from dataclasses import dataclass

from claimbench.leaderboard.views import Entry

SIZE = 300
MARGIN_LEFT = 44
MARGIN = 14
MARGIN_BOTTOM = 40
ISO_F1 = (0.2, 0.4, 0.6, 0.8)
_ISO_STEPS = 40


@dataclass(frozen=True)
class Tick:
    """A grid line at `value` on both axes."""

    pos: float
    ypos: float
    label: str


@dataclass(frozen=True)
class Point:
    """One entry's (recall, precision) in SVG coordinates, with its hover text."""

    x: float
    y: float
    css: str
    title: str


@dataclass(frozen=True)
class Plot:
    """The precision-recall plot of one layer."""

    layer: str
    size: int
    left: float
    right: float
    top: float
    bottom: float
    ticks: list[Tick]
    iso: list[str]
    points: list[Point]


def _x(recall: float) -> float:
    return round(MARGIN_LEFT + recall * (SIZE - MARGIN_LEFT - MARGIN), 1)


def _y(precision: float) -> float:
    return round(MARGIN + (1 - precision) * (SIZE - MARGIN - MARGIN_BOTTOM), 1)


def iso_f1_path(f1: float) -> str:
    """SVG path data of the curve where F1 equals `f1` (recall from f1/(2-f1) to 1).

    Examples
    --------
    >>> iso_f1_path(0.5).startswith("M")
    True
    """
    first = f1 / (2 - f1)
    points = []
    for step in range(_ISO_STEPS + 1):
        recall = first + (1 - first) * step / _ISO_STEPS
        precision = f1 * recall / (2 * recall - f1)
        points.append(f"{_x(recall)},{_y(min(precision, 1.0))}")
    return "M" + " L".join(points)


def pr_plot(layer: str, entries: Sequence[Entry]) -> Plot:
    """The plot of `layer`: one point per ranked entry that attempted it.

    Parameters
    ----------
    layer : str
        The layer to plot.
    entries : Sequence[Entry]
        All entries; outdated ones and those without precision and recall are left out.

    Returns
    -------
    Plot
        Axes, grid, iso-F1 curves and points, in SVG user units.

    Examples
    --------
    >>> pr_plot("numbers", []).points
    []
    """
    points = []
    for entry in entries:
        result = entry.layers.get(layer)
        if entry.outdated or result is None or result.precision is None or result.recall is None:
            continue
        title = (
            f"{entry.name} {entry.version}: P {result.precision:.3f}, R {result.recall:.3f}, "
            f"F1 {result.f1.value:.3f}"
        )
        css = "baseline" if "baseline" in entry.badges else "entry"
        points.append(Point(_x(result.recall), _y(result.precision), css, title))
    ticks = [Tick(_x(v / 5), _y(v / 5), f"{v / 5:.1f}") for v in range(6)]
    return Plot(
        layer=layer,
        size=SIZE,
        left=_x(0),
        right=_x(1),
        top=_y(1),
        bottom=_y(0),
        ticks=ticks,
        iso=[iso_f1_path(f1) for f1 in ISO_F1],
        points=points,
    )
