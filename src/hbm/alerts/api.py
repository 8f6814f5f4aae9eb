"""/api/v1/alerts: early-warning alerts at the caller's crossing points; coordinators and
administrators acknowledge, escalate, close and raise them by hand. The same scope serves
them as CAP 1.2 (feed.atom, <id>.cap.xml) and takes CAP alerts in (cap-import)."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.alerts import cap, forecasting, forecasts, selectors
from hbm.alerts.models import Alert
from hbm.alerts.services import alerts as services
from hbm.alerts.services import cap_exchange
from hbm.lib.paging import BoundedPageInput

router = Router(tags=["alerts"])

AlertLevel = Literal["", "normal", "watch", "warning", "emergency"]
AlertStatus = Literal["", "open", "acknowledged", "escalated", "closed", "active"]


class AlertEvidenceOut(Schema):
    days: list[date] = []
    observed: list[int] = []
    expected: list[float | None] = []
    threshold: list[float | None] = []


class AlertOut(Schema):
    id: UUID = Field(alias="public_id")
    crossing_point: str
    nationality: str
    detector: str
    level: str
    status: str
    first_day: date
    last_day: date
    observed: int | None
    expected: float | None
    threshold: float | None
    reason: str
    raised_at: datetime
    raised_by: str | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    escalated_at: datetime | None
    escalated_by: str | None
    escalation_note: str
    closed_at: datetime | None
    closed_by: str | None

    @staticmethod
    def resolve_crossing_point(alert: Alert) -> str:
        return alert.crossing_point.code

    @staticmethod
    def _name(user: Any) -> str | None:
        return None if user is None else str(user.get_username())

    @staticmethod
    def resolve_raised_by(alert: Alert) -> str | None:
        return AlertOut._name(alert.raised_by)

    @staticmethod
    def resolve_acknowledged_by(alert: Alert) -> str | None:
        return AlertOut._name(alert.acknowledged_by)

    @staticmethod
    def resolve_escalated_by(alert: Alert) -> str | None:
        return AlertOut._name(alert.escalated_by)

    @staticmethod
    def resolve_closed_by(alert: Alert) -> str | None:
        return AlertOut._name(alert.closed_by)


class AlertDetailOut(AlertOut):
    evidence: AlertEvidenceOut


class ManualAlertIn(Schema):
    crossing_point: str = Field(description="crossing point code")
    level: Literal["watch", "warning", "emergency"]
    reason: str = Field(description="what was reported, by whom (e.g. across the border)")
    nationality: str = Field("", description="ISO 3166 alpha-3, if the report is about one")
    day: date | None = Field(None, description="the day reported (default: today)")


class EscalateIn(Schema):
    note: str = ""


class AlertPageInput(BoundedPageInput):
    """The pages' parameters under a name of their own (other lists have an "Input" too)."""


class AlertPagination(LimitOffsetPagination):
    Input = AlertPageInput


@router.get("", response=list[AlertOut], summary="Alerts at your crossing points, newest first")
@paginate(AlertPagination)
def alert_list(
    request: AuthenticatedHttpRequest,
    level: AlertLevel = "",
    status: AlertStatus = "",
    point: str = "",
) -> Any:
    """``status`` active: any not closed; ``point``: a crossing point's code."""
    return selectors.alert_list(
        user=request.user, level=level, status=status, point=point
    ).select_related("raised_by", "acknowledged_by", "escalated_by", "closed_by")


@router.post(
    "",
    response={201: AlertDetailOut},
    summary="Raise an alert by hand (coordinators), e.g. a report from across the border",
)
def alert_create(request: AuthenticatedHttpRequest, payload: ManualAlertIn) -> Status[Alert]:
    alert = services.alert_raise_manual(
        actor=request.user, data=services.ManualAlertInput(**payload.dict())
    )
    return Status(201, selectors.alert_get_for_user(user=request.user, public_id=alert.public_id))


FEED_SIZE = 100
CAP_TYPE = "application/cap+xml; charset=utf-8"


@router.get(
    "/feed.atom",
    response={200: None},
    summary="CAP 1.2: an Atom feed of the alerts at your points, each linking to its CAP",
)
def cap_feed(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Alerts not closed and those closed in the last week (as a Cancel), newest change
    first, at most 100; none imported from a partner's CAP feed."""
    alerts = selectors.alerts_for_cap_feed(user=request.user, limit=FEED_SIZE)
    cap_exchange.cap_shared(actor=request.user, alerts=alerts, detail="CAP feed")
    body = cap.atom_feed(
        alerts,
        host=request.get_host(),
        feed_url=request.build_absolute_uri(),
        cap_url=lambda alert: request.build_absolute_uri(f"{alert.public_id}.cap.xml"),
    )
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


@router.get(
    "/{alert_id}.cap.xml", response={200: None}, summary="CAP 1.2: one alert as a CAP document"
)
def cap_document(request: AuthenticatedHttpRequest, alert_id: UUID) -> HttpResponse:
    alert = selectors.alert_get_for_user(user=request.user, public_id=alert_id)
    document = cap.alert_document(alert, host=request.get_host())
    cap_exchange.cap_shared(actor=request.user, alerts=[alert], detail="CAP document")
    return HttpResponse(cap.to_bytes(document), content_type=CAP_TYPE)


class CapImportOut(Schema):
    created: bool
    changed: bool
    alert: AlertDetailOut


@router.post(
    "/cap-import",
    response={200: CapImportOut, 201: CapImportOut},
    summary="Import a CAP 1.2 alert from a partner's system (coordinators); idempotent",
)
def cap_import(
    request: AuthenticatedHttpRequest, file: File[UploadedFile], crossing_point: Form[str] = ""
) -> Status[dict[str, Any]]:
    """``crossing_point``: a point's code; empty, the point named like the CAP areaDesc.
    A replay of the same sender and identifier answers 200 and changes nothing."""
    done = cap_exchange.cap_import(
        actor=request.user, data=file.read(cap.MAX_DOCUMENT + 1), crossing_point=crossing_point
    )
    alert = selectors.alert_get_for_user(user=request.user, public_id=done.alert.public_id)
    body = {"created": done.created, "changed": done.changed, "alert": alert}
    return Status(201 if done.created else 200, body)


class ForecastDayOut(Schema):
    day: date
    forecast: float | None = Field(description="arrivals, the median forecast")
    lower_80: float | None
    upper_80: float | None
    lower_95: float | None
    upper_95: float | None
    capacity: int | None = Field(description="the point's daily reception capacity")
    gap: float | None = Field(description="forecast minus capacity; above zero: too many")


class ForecastIn(Schema):
    horizon: int = Field(
        forecasting.HORIZON, ge=1, le=forecasting.MAX_HORIZON, description="days ahead"
    )


class ForecastOut(Schema):
    crossing_point: str
    method: Literal["no_arrivals", "too_short", "trend", "weekly"]
    history_days: int = Field(description="days of data the forecast was made from")
    first_over_capacity: date | None
    first_upper_over_capacity: date | None = Field(
        description="the first day the 80 % upper bound is above capacity"
    )
    days: list[ForecastDayOut]


@router.get(
    "/forecasts/{code}",
    response=ForecastOut,
    summary="A crossing point's arrivals forecast with intervals, beside its capacity",
)
def point_forecast(
    request: AuthenticatedHttpRequest,
    code: str,
    query: Query[ForecastIn],
) -> dict[str, Any]:
    """From today (the point's local day), ``horizon`` days; the history ends yesterday.
    ``method`` too_short: under two weeks of data, no forecast (nulls)."""
    point = forecasts.forecast_point_for_user(user=request.user, code=code)
    found = forecasts.point_forecast(point=point, horizon=query.horizon)
    over, upper = found.first_over_capacity, found.first_upper_over_capacity
    return {
        "crossing_point": point.code,
        "method": found.method,
        "history_days": found.history_days,
        "first_over_capacity": over.day if over else None,
        "first_upper_over_capacity": upper.day if upper else None,
        "days": [{**vars(day), "forecast": day.point, "gap": day.gap} for day in found.days],
    }


@router.get("/{alert_id}", response=AlertDetailOut, summary="One alert with its evidence")
def alert_detail(request: AuthenticatedHttpRequest, alert_id: UUID) -> Alert:
    return selectors.alert_get_for_user(user=request.user, public_id=alert_id)


def _act(
    request: AuthenticatedHttpRequest, alert_id: UUID, action: Callable[[Alert], object]
) -> Alert:
    """Run a coordinator's action on an alert the caller may see; a refused one is a 409."""
    alert = selectors.alert_get_for_user(user=request.user, public_id=alert_id)
    try:
        action(alert)
    except services.AlertConflict as conflict:
        raise HttpError(409, " ".join(conflict.messages)) from conflict
    return selectors.alert_get_for_user(user=request.user, public_id=alert_id)


@router.post("/{alert_id}/acknowledge", response={200: AlertDetailOut, 409: dict[str, str]})
def alert_acknowledge(request: AuthenticatedHttpRequest, alert_id: UUID) -> Alert:
    return _act(
        request, alert_id, lambda alert: services.alert_acknowledge(actor=request.user, alert=alert)
    )


@router.post("/{alert_id}/escalate", response={200: AlertDetailOut, 409: dict[str, str]})
def alert_escalate(request: AuthenticatedHttpRequest, alert_id: UUID, payload: EscalateIn) -> Alert:
    return _act(
        request,
        alert_id,
        lambda alert: services.alert_escalate(actor=request.user, alert=alert, note=payload.note),
    )


@router.post("/{alert_id}/close", response={200: AlertDetailOut, 409: dict[str, str]})
def alert_close(request: AuthenticatedHttpRequest, alert_id: UUID) -> Alert:
    return _act(
        request, alert_id, lambda alert: services.alert_close(actor=request.user, alert=alert)
    )
