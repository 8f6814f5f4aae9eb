"""The dashboard's charts, laid out on the server as plain data that the templates in
``flows/charts/`` draw as inline SVG: no script, no network, and the same markup goes into
the situation report's PDF."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hbm.flows.models import AgeBand, FlowSex
from hbm.lib.charts import Chart, Label, Point
from hbm.lib.charts import rounded as _r

ENTRY = "#0b5cad"
EXIT = "#c2571a"
AVERAGE = "#1d2733"
FEMALE = "#8a3ffc"
MALE = "#0f7b6c"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str = ""


@dataclass(frozen=True)
class Line:
    points: tuple[Point, ...]
    colour: str
    width: float


@dataclass(frozen=True)
class Swatch:
    """A legend entry: a coloured square whose text starts at ``label``."""

    x: float
    y: float
    colour: str
    label: Label


@dataclass(frozen=True)
class Timeline(Chart):
    kind = "timeline"
    left: int  # the plot's edges, where the grid lines start and end
    right: int
    scale: tuple[tuple[float, Label], ...]  # grid lines: (height of the line, its value)
    bars: tuple[Bar, ...]
    lines: tuple[Line, ...]
    days: tuple[Label, ...]
    legend: tuple[Swatch, ...]
    bar_colour: str = ENTRY


@dataclass(frozen=True)
class PyramidRow:
    men: Bar
    women: Bar
    band: Label
    men_share: Label
    women_share: Label


@dataclass(frozen=True)
class Pyramid(Chart):
    kind = "pyramid"
    men: Label
    women: Label
    rows: tuple[PyramidRow, ...]
    unknown: Label
    male: str = MALE
    female: str = FEMALE


@dataclass(frozen=True)
class BarRow:
    label: Label
    bar: Bar
    value: Label


@dataclass(frozen=True)
class Bars(Chart):
    kind = "bars"
    rows: tuple[BarRow, ...]
    bar_colour: str = ENTRY


def _nice_top(value: float) -> int:
    """The smallest 1, 2 or 5 × 10^k at or above the value (at least 1)."""
    top, step = 1, 0
    while top < value:
        top = (1, 2, 5)[step % 3] * 10 ** (step // 3)
        step += 1
    return top


def _legend(x: float, y: float, items: Sequence[tuple[str, str]]) -> tuple[Swatch, ...]:
    swatches = []
    for label, colour in items:
        swatches.append(Swatch(_r(x), _r(y - 9), colour, Label(_r(x + 14), _r(y), label)))
        x += 14 + 7 * len(label) + 16
    return tuple(swatches)


def timeline(
    days: Sequence[date],
    entries: Sequence[int],
    exits: Sequence[int],
    average: Sequence[float | None],
    *,
    title: str,
    width: int = 760,
    height: int = 260,
) -> Timeline:
    """Entries as bars, exits as a line, and the 7-day average of entries as a bold line."""
    return bars_and_lines(
        days,
        entries,
        [(exits, EXIT, 1.5), (average, AVERAGE, 2.5)],
        [
            (_("Arrivals"), ENTRY),
            (_("Departures"), EXIT),
            (_("Arrivals, 7-day average"), AVERAGE),
        ],
        title=title,
        width=width,
        height=height,
    )


def bars_and_lines(
    days: Sequence[date],
    bars: Sequence[int],
    lines: Sequence[tuple[Sequence[float | None], str, float]],
    legend: Sequence[tuple[str, str]],
    *,
    title: str,
    width: int = 760,
    height: int = 260,
) -> Timeline:
    """A daily series as bars, others as lines over it ((values, colour, stroke)), one scale."""
    left, right, top, bottom = 48, 12, 28, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    drawn = [value or 0 for values, _colour, _stroke in lines for value in values]
    peak = _nice_top(max([*bars, *drawn, 1]))
    count = max(len(days), 1)
    step = plot_w / count

    def y(value: float) -> float:
        return top + plot_h - plot_h * value / peak

    def middle(index: int) -> float:
        return _r(left + index * step + step / 2)

    def line(values: Sequence[float | None], colour: str, stroke: float) -> Line:
        points = tuple((middle(i), _r(y(v))) for i, v in enumerate(values) if v is not None)
        return Line(points, colour, stroke)

    scale = tuple(
        (_r(y(peak * f)), Label(left - 4, _r(y(peak * f) + 4), f"{peak * f:,.0f}"))
        for f in (0, 0.25, 0.5, 0.75, 1)
    )
    drawn_bars = tuple(
        Bar(
            _r(left + index * step + step * 0.1),
            _r(y(value)),
            _r(max(step * 0.8, 0.5)),
            _r(plot_h * value / peak),
            f"{days[index].isoformat()}: {value}",
        )
        for index, value in enumerate(bars)
        if value
    )
    drawn_lines = tuple(drawn for drawn in (line(*spec) for spec in lines) if drawn.points)
    ticks = tuple(
        Label(middle(index), height - bottom + 16, date_format(days[index], "j M"))
        for index in range(0, count, max(1, count // 8))
    )
    return Timeline(
        title,
        width,
        height,
        left,
        width - right,
        scale,
        drawn_bars,
        drawn_lines,
        ticks,
        _legend(left, 16, legend),
    )


BANDS_TOP_DOWN = [AgeBand.OLDER_60, AgeBand.ADULT_18_59, AgeBand.CHILD_5_17, AgeBand.CHILD_0_4]


def pyramid(
    cells: dict[tuple[str, str], int], *, title: str, width: int = 480, height: int = 220
) -> Pyramid:
    """Men to the left, women to the right, one row per age band; people of unknown sex or
    age are stated under the chart, not drawn."""
    middle, label_w, top, row_h = width / 2, 78, 24, 40
    half = middle - label_w / 2 - 84  # room for the figure at the end of each bar
    total = sum(cells.values())
    peak = max(
        [cells.get((s, b), 0) for s in (FlowSex.FEMALE, FlowSex.MALE) for b in AgeBand] + [1]
    )
    rows = []
    for row, band in enumerate(BANDS_TOP_DOWN):
        y = top + row * row_h
        text_y = y + row_h / 2 + 4
        men, women = cells.get((FlowSex.MALE, band), 0), cells.get((FlowSex.FEMALE, band), 0)
        men_w, women_w = half * men / peak, half * women / peak
        rows.append(
            PyramidRow(
                men=Bar(_r(middle - label_w / 2 - men_w), y + 4, _r(men_w), row_h - 8, str(men)),
                women=Bar(_r(middle + label_w / 2), y + 4, _r(women_w), row_h - 8, str(women)),
                band=Label(_r(middle), text_y, str(band.label)),
                men_share=Label(_r(middle - label_w / 2 - men_w - 3), text_y, _share(men, total)),
                women_share=Label(
                    _r(middle + label_w / 2 + women_w + 3), text_y, _share(women, total)
                ),
            )
        )
    unknown = total - sum(
        cells.get((s, b), 0) for s in (FlowSex.FEMALE, FlowSex.MALE) for b in BANDS_TOP_DOWN
    )
    return Pyramid(
        title,
        width,
        height,
        men=Label(_r(middle - label_w / 2 - 8), 14, _("Men and boys")),
        women=Label(_r(middle + label_w / 2 + 8), 14, _("Women and girls")),
        rows=tuple(rows),
        unknown=Label(
            _r(middle), height - 8, _("Sex or age not known: %(n)s") % {"n": f"{unknown:,}"}
        ),
    )


def _share(part: int, total: int) -> str:
    return f"{part:,} ({100 * part / total:.0f} %)" if total else "0"


def bars(
    items: Sequence[tuple[str, int]], *, title: str, width: int = 480, row_h: int = 22
) -> Bars:
    """Horizontal bars, largest first, with the value at the end of each bar."""
    label_w, value_w = 190, 70
    height = max(len(items), 1) * row_h + 8
    peak = max([n for _, n in items] + [1])
    rows = []
    for row, (label, value) in enumerate(items):
        y = 4 + row * row_h
        bar_w = (width - label_w - value_w) * value / peak
        rows.append(
            BarRow(
                label=Label(
                    label_w - 6, y + row_h - 8, label if len(label) <= 30 else label[:29] + "…"
                ),
                bar=Bar(label_w, y + 2, _r(bar_w), row_h - 6),
                value=Label(_r(label_w + bar_w + 4), y + row_h - 8, f"{value:,}"),
            )
        )
    return Bars(title, width, height, tuple(rows))
