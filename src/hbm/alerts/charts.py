"""The evidence of an alert as a chart: the observed arrivals as bars, what the detector
expected and the threshold as lines, laid out like the flow dashboard's timeline and drawn by
its template."""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from hbm.flows.charts import ENTRY, Timeline, bars_and_lines

EXPECTED = "#1d2733"
THRESHOLD = "#b3261e"


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
