"""The charts of early warning, laid out like the flow dashboard's timeline and drawn by its
template: an alert's evidence (the observed arrivals as bars, what the detector expected and
the threshold as lines) and a point's forecast (the last weeks as bars, the forecast as a line
in its 80 % and 95 % bands, the reception capacity as a line)."""

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from hbm.flows.charts import ENTRY, Line, Timeline, bars_and_lines
from hbm.lib.charts import Point

EXPECTED = "#1d2733"
THRESHOLD = "#b3261e"
FORECAST = "#6b4fbb"
CAPACITY = "#b3261e"
BAND_OPACITY = (0.15, 0.25)  # the 95 % band lighter, the 80 % band inside it darker


def evidence_chart(evidence: dict[str, Any], *, title: str, width: int = 760) -> Timeline | None:
    """None when the alert holds no series (an alert raised by hand)."""
    days = [date.fromisoformat(day) for day in evidence.get("days", [])]
    if not days:
        return None
    return bars_and_lines(
        days,
        evidence.get("observed", []),
        [
            (evidence.get("expected", []), EXPECTED, 2.0),
            (evidence.get("threshold", []), THRESHOLD, 1.5),
        ],
        [(_("Arrivals"), ENTRY), (_("Expected"), EXPECTED), (_("Threshold"), THRESHOLD)],
        title=title,
        width=width,
    )


@dataclass(frozen=True)
class Band:
    """A filled area between two lines: the upper line left to right, the lower back."""

    points: tuple[Point, ...]
    colour: str
    opacity: float


@dataclass(frozen=True)
class ForecastChart(Timeline):
    kind = "forecast"
    bands: tuple[Band, ...] = ()


def forecast_chart(found: Any, *, title: str, width: int = 760) -> ForecastChart:
    """``found`` is a :class:`hbm.alerts.forecasts.PointForecast`."""
    past = [None] * len(found.observed)
    ahead = found.days

    def later(name: str) -> list[float | None]:
        return [*past, *(getattr(day, name) for day in ahead)]

    capacity = found.crossing_point.daily_capacity
    lines: list[tuple[list[float | None], str, float]] = [
        (later("point"), FORECAST, 2.5),
        ([capacity] * (len(past) + len(ahead)), CAPACITY, 1.5) if capacity else ([], CAPACITY, 0),
    ]
    legend = [(_("Arrivals"), ENTRY), (_("Forecast, 80 % and 95 %"), FORECAST)]
    if capacity:
        legend.append((_("Reception capacity"), CAPACITY))
    bands_from = ("upper_95", "lower_95", "upper_80", "lower_80") if found.available else ()
    lines += [(later(name), FORECAST, 0.0) for name in bands_from]
    drawn = bars_and_lines(
        [*found.observed_days, *(day.day for day in ahead)],
        [*found.observed, *([0] * len(ahead))],
        lines,
        legend,
        title=title,
        width=width,
    )
    kept = len(drawn.lines) - len(bands_from)
    shown, edges = drawn.lines[:kept], drawn.lines[kept:]
    bands = tuple(
        _band(upper, lower, opacity)
        for upper, lower, opacity in zip(
            edges[::2], edges[1::2], BAND_OPACITY[: len(edges) // 2], strict=True
        )
    )
    values = {f.name: getattr(drawn, f.name) for f in fields(drawn) if f.init}
    return ForecastChart(**{**values, "lines": shown, "bands": bands})


def _band(upper: Line, lower: Line, opacity: float) -> Band:
    return Band((*upper.points, *reversed(lower.points)), FORECAST, opacity)
