"""Charts laid out on the server as plain data that the templates in ``assessments/charts/``
draw as inline SVG: no JavaScript, no network, and the same markup prints and renders into
the PDF report."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from hbm.lib.charts import Chart, Label, Point
from hbm.lib.charts import rounded as _r

COLOURS = ("#0b5cad", "#c2571a")
MUTED = "#5b6875"


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Decimal | None]  # percentages, one per axis; None = no applicable score


@dataclass(frozen=True)
class Shape:
    """One series on the radar: its outline and a dot on each axis."""

    label: str
    points: tuple[Point, ...]
    colour: str
    opacity: str
    dashed: bool


@dataclass(frozen=True)
class Spoke:
    """A dimension's axis, from the centre to ``end``, with its code written past the end."""

    end: Point
    code: Label
    anchor: str  # start, middle or end: the code reads away from the chart


@dataclass(frozen=True)
class Radar(Chart):
    kind = "radar"
    centre: Point
    rings: tuple[tuple[tuple[Point, ...], Label], ...]  # (outline, its percentage)
    spokes: tuple[Spoke, ...]
    shapes: tuple[Shape, ...]
    muted: str = MUTED


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    colour: str
    opacity: str
    title: str
    value: Label


@dataclass(frozen=True)
class Bars(Chart):
    kind = "bars"
    left: int  # where every bar starts
    thickness: int  # of a bar
    bottom: int  # of the grid lines, one at each tick
    ticks: tuple[Label, ...]
    groups: tuple[tuple[Label, tuple[Bar, ...]], ...]  # a dimension's code and its bars
    muted: str = MUTED


def radar(axes: Sequence[str], series: Sequence[Series], *, title: str, size: int = 360) -> Radar:
    """A radar (spider) chart of percentages 0–100 with one labelled axis per dimension;
    a dimension with no applicable indicator (None) is drawn at the centre."""
    count = len(axes)
    margin = 44  # room for the axis labels left and right
    width, centre, radius = size + 2 * margin, size / 2, size / 2 - 48

    def point(index: int, fraction: float) -> Point:
        angle = -math.pi / 2 + 2 * math.pi * index / max(count, 1)
        x = margin + centre + radius * fraction * math.cos(angle)
        return x, centre + radius * fraction * math.sin(angle)

    def rounded(index: int, fraction: float) -> Point:
        x, y = point(index, fraction)
        return _r(x), _r(y)

    rings = []
    for ring in (0.25, 0.5, 0.75, 1.0):
        x, y = point(0, ring)
        outline = tuple(rounded(i, ring) for i in range(count))
        rings.append((outline, Label(_r(x + 3), _r(y + 10), f"{int(ring * 100)}%")))
    spokes = []
    for index, code in enumerate(axes):
        lx, ly = point(index, 1.0 + 26 / radius)
        offset = lx - margin - centre
        anchor = "middle" if abs(offset) < 8 else ("start" if offset > 0 else "end")
        spokes.append(Spoke(rounded(index, 1.0), Label(_r(lx), _r(ly), code), anchor))
    shapes = tuple(
        Shape(
            label=item.label,
            points=tuple(
                rounded(i, float(v or 0) / 100) for i, v in enumerate(item.values[:count])
            ),
            colour=COLOURS[number % len(COLOURS)],
            opacity="0.08" if number else "0.22",
            dashed=bool(number),
        )
        for number, item in enumerate(series)
    )
    return Radar(
        title, width, size, (_r(margin + centre), _r(centre)), tuple(rings), tuple(spokes), shapes
    )


def bars(labels: Sequence[str], series: Sequence[Series], *, title: str, width: int = 560) -> Bars:
    """Horizontal bars of percentages 0–100, one group per dimension, one bar per series."""
    label_width, value_width, bar_height, gap = 70, 52, 16, 10
    group = bar_height * len(series) + gap
    plot = width - label_width - value_width
    height = group * len(labels) + 28
    ticks = tuple(
        Label(_r(label_width + plot * tick / 100), height - 4, f"{tick}%")
        for tick in (0, 25, 50, 75, 100)
    )
    groups = []
    for row, code in enumerate(labels):
        top = row * group + gap / 2
        bars = []
        for number, item in enumerate(series):
            value = item.values[row] if row < len(item.values) else None
            y = top + number * bar_height
            length = plot * float(value or 0) / 100
            text = "–" if value is None else f"{value}%"
            bars.append(
                Bar(
                    y=_r(y + 1),
                    width=_r(length),
                    colour=COLOURS[number % len(COLOURS)],
                    opacity="0.55" if number else "1",
                    title=f"{item.label}: {text}",
                    value=Label(_r(label_width + length + 4), _r(y + bar_height / 2), text),
                )
            )
        label = Label(label_width - 8, _r(top + bar_height * len(series) / 2), code)
        groups.append((label, tuple(bars)))
    return Bars(
        title, width, height, label_width, bar_height - 3, height - 18, ticks, tuple(groups)
    )
