"""Geometry of the precision-recall plots, drawn as inline SVG by the template."""

from collections.abc import Sequence
from dataclasses import dataclass

from claimbench.leaderboard.views import Entry

SIZE = 340
LABEL_LIMIT = 20
"""Points named beside their dot: the best entries by the layer's F1 (all when fewer)."""
LABEL_GAP = 12.5
"""Vertical distance between two labels on one side, in SVG units (the font is 10.5)."""
LABEL_CHARS = 22
CHAR_WIDTH = 6.3
"""An upper estimate of a character's width at the labels' font size, in SVG units."""
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
class Label:
    """A point's name, placed beside it (moved up or down, with a leader line, where names
    would overlap)."""

    x: float
    y: float
    x0: float
    y0: float
    anchor: str
    text: str
    leader: bool


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
    labels: list[Label]
    label_limit: int = LABEL_LIMIT


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
    named: list[tuple[float, Point, str]] = []
    for entry in entries:
        result = entry.layers.get(layer)
        if entry.outdated or result is None or result.precision is None or result.recall is None:
            continue
        title = (
            f"{entry.name} {entry.version}: P {result.precision:.3f}, R {result.recall:.3f}, "
            f"F1 {result.f1.value:.3f}"
        )
        css = "baseline" if "baseline" in entry.badges else "entry"
        point = Point(_x(result.recall), _y(result.precision), css, title)
        points.append(point)
        named.append((result.f1.value, point, entry.name))
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
        labels=place_labels(named),
    )


def place_labels(named: Sequence[tuple[float, Point, str]]) -> list[Label]:
    """Names beside the `LABEL_LIMIT` best points: right of the dot, or left of it in the
    right third of the plot. Walking down by height, a label that would overlap one already
    placed (their estimated widths meet) moves down below it; labels pushed past the x axis
    are then walked up again from the bottom. A label that moved gets a leader line.

    Examples
    --------
    >>> a, b = Point(100.0, 100.0, "entry", ""), Point(102.0, 101.0, "entry", "")
    >>> [(label.text, label.y) for label in place_labels([(0.5, a, "A"), (0.4, b, "B")])]
    [('A', 103.0), ('B', 115.5)]
    """
    best = sorted(named, key=lambda item: -item[0])[:LABEL_LIMIT]
    split = _x(2 / 3)
    boxes: list[list[float]] = []  # left, right, y (baseline), wanted y
    texts: list[tuple[Point, str, bool]] = []
    for _, point, name in sorted(best, key=lambda item: item[1].y):
        text = name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
        right = point.x < split
        width = CHAR_WIDTH * len(text)
        left = point.x + 7 if right else point.x - 7 - width
        boxes.append([left, left + width, max(point.y + 3, _y(1) + 8), point.y + 3])
        texts.append((point, text, right))
    for index, box in enumerate(boxes):  # down
        for other in boxes[:index]:
            if _meet(box, other):
                box[2] = max(box[2], other[2] + LABEL_GAP)
    floor = _y(0) - 2
    for index in range(len(boxes) - 1, -1, -1):  # up, from below the axis
        box = boxes[index]
        box[2] = min(box[2], floor)
        for other in boxes[index + 1 :]:
            if _meet(box, other):
                box[2] = min(box[2], other[2] - LABEL_GAP)
    return [
        Label(
            x=round(point.x + (7 if right else -7), 1),
            y=round(box[2], 1),
            x0=point.x,
            y0=point.y,
            anchor="start" if right else "end",
            text=text,
            leader=abs(box[2] - box[3]) > 2,
        )
        for (point, text, right), box in zip(texts, boxes, strict=True)
    ]


def _meet(a: list[float], b: list[float]) -> bool:
    """Whether two label boxes would overlap: their widths meet and their lines are closer
    than `LABEL_GAP`."""
    return a[0] < b[1] and b[0] < a[1] and abs(a[2] - b[2]) < LABEL_GAP
