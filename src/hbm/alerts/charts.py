"""The evidence of an alert as a chart: the observed arrivals as bars, what the detector
expected and the threshold as lines, laid out like the flow dashboard's timeline and drawn by
its template."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hbm.flows.charts import ENTRY, Bar, Line, Timeline, _legend, _nice_top
from hbm.lib.charts import Label
from hbm.lib.charts import rounded as _r

EXPECTED = "#1d2733"
THRESHOLD = "#b3261e"


def evidence_chart(evidence: dict[str, Any], *, title: str, width: int = 760) -> Timeline | None:
    """None when the alert holds no series (an alert raised by hand)."""
    days = [date.fromisoformat(day) for day in evidence.get("days", [])]
    if not days:
        return None
    observed: Sequence[int] = evidence.get("observed", [])
    expected: Sequence[float | None] = evidence.get("expected", [])
    threshold: Sequence[float | None] = evidence.get("threshold", [])
    height, left, right, top, bottom = 260, 48, 12, 28, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_top(max([*observed, *(v or 0 for v in (*expected, *threshold)), 1]))
    step = plot_w / len(days)

    def y(value: float) -> float:
        return top + plot_h - plot_h * value / peak

    def middle(index: int) -> float:
        return _r(left + index * step + step / 2)

    def line(values: Sequence[float | None], colour: str, stroke: float) -> Line:
        return Line(
            tuple((middle(i), _r(y(v))) for i, v in enumerate(values) if v is not None),
            colour,
            stroke,
        )

    scale = tuple(
        (_r(y(peak * f)), Label(left - 4, _r(y(peak * f) + 4), f"{peak * f:,.0f}"))
        for f in (0, 0.25, 0.5, 0.75, 1)
    )
    bars = tuple(
        Bar(
            _r(left + index * step + step * 0.1),
            _r(y(value)),
            _r(max(step * 0.8, 0.5)),
            _r(plot_h * value / peak),
            f"{days[index].isoformat()}: {value}",
        )
        for index, value in enumerate(observed)
        if value
    )
    lines = tuple(
        drawn
        for drawn in (line(expected, EXPECTED, 2.0), line(threshold, THRESHOLD, 1.5))
        if drawn.points
    )
    ticks = tuple(
        Label(middle(index), height - bottom + 16, date_format(days[index], "j M"))
        for index in range(0, len(days), max(1, len(days) // 8))
    )
    legend = _legend(
        left,
        16,
        [(_("Arrivals"), ENTRY), (_("Expected"), EXPECTED), (_("Threshold"), THRESHOLD)],
    )
    return Timeline(title, width, height, left, width - right, scale, bars, lines, ticks, legend)
