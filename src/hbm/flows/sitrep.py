"""The situation report: for a period and area, the key figures and charts of the flow
series, specific needs found, referrals, and alerts — as a printable page and a PDF.
Counts only; no person is named."""

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.flows.models import FlowDaily
from hbm.flows.selectors import FlowFilters, points_in_view, rollup_totals
from hbm.lib.permissions import require_role
from hbm.referrals.models import Referral
from hbm.screening.models import HealthScreening, ProtectionScreening
from hbm.screening.selectors import need_labels

READERS = ("coordinator", "administrator")
OPEN_REFERRALS = ("pending", "accepted", "in_service")
# The report's style sheet, on the page and in the PDF.
SITREP_CSS = "hbm/sitrep.css"
AlertsSection = Callable[..., Any]

_alerts_section: list[AlertsSection] = []


def on_alerts_section(callback: AlertsSection) -> None:
    """The early-warning app, above this one, fills the report's open alerts: the callback
    is called with ``user`` and ``points`` and answers the rows to show."""
    if callback not in _alerts_section:
        _alerts_section.append(callback)


def open_alerts(*, user: User, points: Any) -> list[Any]:
    return [row for callback in _alerts_section for row in callback(user=user, points=points)]


def _period_bounds(filters: FlowFilters) -> tuple[datetime, datetime]:
    """The period as instants, in the server's time zone (screenings and referrals are
    stamped in UTC and not tied to a point's local day)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(filters.start, time.min, tzinfo=zone)
    return start, datetime.combine(filters.end + timedelta(days=1), time.min, tzinfo=zone)


def capacity_alerts(*, user: User, filters: FlowFilters) -> list[dict[str, Any]]:
    """Days on which arrivals at a point exceeded the people it can receive per day."""
    capacity = {
        p.pk: p
        for p in points_in_view(user=user, filters=filters).filter(daily_capacity__isnull=False)
    }
    rows = rollup_totals(
        user=user,
        filters=replace(filters, direction="entry"),
        columns=("crossing_point", "period"),
        by_day=True,
    )
    alerts = [
        {
            "point": capacity[r["crossing_point"]],
            "day": r["period"],
            "people": r["people"],
            "capacity": capacity[r["crossing_point"]].daily_capacity,
        }
        for r in rows
        if r["crossing_point"] in capacity
        and r["people"] > capacity[r["crossing_point"]].daily_capacity
    ]
    return sorted(alerts, key=lambda a: (a["day"], a["point"].name))


def needs_found(*, points: Any, start: datetime, end: datetime) -> list[Mapping[str, Any]]:
    screenings = ProtectionScreening.objects.filter(
        person__first_crossing_point__in=points, screened_at__gte=start, screened_at__lt=end
    )
    rows = list(
        screenings.exclude(codes=None)
        .values(code=F("codes__code"), label=F("codes__label"))
        .annotate(people=Count("person", distinct=True))
        .order_by("-people", "code")
    )
    # Need labels are data translated as data (ADR 0021): shown in the reader's language.
    labels = need_labels({row["code"] for row in rows})
    return [{**row, "label": labels.get(row["code"], row["label"])} for row in rows]


def referral_figures(*, points: Any, start: datetime, end: datetime) -> dict[str, Any]:
    sent = Referral.objects.filter(crossing_point__in=points, sent_at__gte=start, sent_at__lt=end)
    by_status = dict(sent.order_by().values_list("status").annotate(n=Count("id")))
    overdue = Referral.objects.filter(
        crossing_point__in=points, status__in=OPEN_REFERRALS, due_at__lt=timezone.now()
    ).count()
    return {"sent": sum(by_status.values()), "by_status": by_status, "overdue": overdue}


def health_figures(*, points: Any, start: datetime, end: datetime) -> dict[str, int]:
    return HealthScreening.objects.filter(
        crossing_point__in=points, screened_at__gte=start, screened_at__lt=end
    ).aggregate(
        screened=Count("id"),
        with_symptoms=Count("id", filter=Q(has_symptoms=True)),
        referred=Count("id", filter=Q(referred_for_care=True)),
    )


def sitrep_context(
    *, user: User, filters: FlowFilters, dashboard: dict[str, Any]
) -> dict[str, Any]:
    """Everything the report shows; ``dashboard`` is the flow dashboard's own context, so
    the report and the dashboard cannot disagree."""
    require_role(user, *READERS)
    points = points_in_view(user=user, filters=filters)
    start, end = _period_bounds(filters)
    board = dashboard["board"]
    span = len(board.days)
    registered = board.by_source.get(FlowDaily.Source.REGISTRATION, 0)
    counted = board.by_source.get(FlowDaily.Source.COUNT, 0)
    audit_record(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        object_type="flows.sitrep",
        detail=f"situation report {filters.start}..{filters.end}",
    )
    return {
        **dashboard,
        "filters": filters,
        "generated_at": timezone.now(),
        "points": list(points),
        "key": {
            "arrivals": board.total_entries,
            "departures": board.total_exits,
            "net": board.total_entries - board.total_exits,
            "daily_average": round(board.total_entries / span, 1) if span else 0,
            "peak_day": board.peak[0],
            "peak": board.peak[1],
            "women": board.share_women,
            "children": board.share_children,
            "registered": registered,
            "counted": counted,
        },
        "needs": needs_found(points=points, start=start, end=end),
        "referrals": referral_figures(points=points, start=start, end=end),
        "health": health_figures(points=points, start=start, end=end),
        "alerts": capacity_alerts(user=user, filters=filters),
        "open_alerts": open_alerts(user=user, points=points),
        "labels": {"status": dict(Referral.Status.choices)},
        "title": _("Situation report"),
    }


def sitrep_pdf(*, context: dict[str, Any], request: Any = None) -> bytes:
    from weasyprint import CSS, HTML  # imported here: it loads Pango, slow to start

    html = render_to_string("flows/sitrep_pdf.html", context, request=request)
    # The same style sheet as the page's (a file: the page's Content-Security-Policy refuses
    # an inline <style>).
    style = CSS(filename=finders.find(SITREP_CSS))
    pdf: bytes = HTML(string=html).write_pdf(stylesheets=[style])
    return pdf
