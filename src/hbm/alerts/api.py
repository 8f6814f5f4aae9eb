"""/api/v1/alerts: early-warning alerts at the caller's crossing points; coordinators and
administrators acknowledge, escalate, close and raise them by hand."""

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.alerts import selectors
from hbm.alerts.models import Alert
from hbm.alerts.services import alerts as services

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


class AlertPageInput(LimitOffsetPagination.Input):
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


@router.get("/{alert_id}", response=AlertDetailOut, summary="One alert with its evidence")
def alert_detail(request: AuthenticatedHttpRequest, alert_id: UUID) -> Alert:
    return selectors.alert_get_for_user(user=request.user, public_id=alert_id)


@router.post("/{alert_id}/acknowledge", response={200: AlertDetailOut, 409: dict[str, str]})
def alert_acknowledge(request: AuthenticatedHttpRequest, alert_id: UUID) -> Alert:
    alert = selectors.alert_get_for_user(user=request.user, public_id=alert_id)
    try:
        services.alert_acknowledge(actor=request.user, alert=alert)
    except services.AlertConflict as conflict:
        raise HttpError(409, " ".join(conflict.messages)) from conflict
    return selectors.alert_get_for_user(user=request.user, public_id=alert_id)


@router.post("/{alert_id}/escalate", response={200: AlertDetailOut, 409: dict[str, str]})
def alert_escalate(request: AuthenticatedHttpRequest, alert_id: UUID, payload: EscalateIn) -> Alert:
    alert = selectors.alert_get_for_user(user=request.user, public_id=alert_id)
    try:
        services.alert_escalate(actor=request.user, alert=alert, note=payload.note)
    except services.AlertConflict as conflict:
        raise HttpError(409, " ".join(conflict.messages)) from conflict
    return selectors.alert_get_for_user(user=request.user, public_id=alert_id)


@router.post("/{alert_id}/close", response={200: AlertDetailOut, 409: dict[str, str]})
def alert_close(request: AuthenticatedHttpRequest, alert_id: UUID) -> Alert:
    alert = selectors.alert_get_for_user(user=request.user, public_id=alert_id)
    try:
        services.alert_close(actor=request.user, alert=alert)
    except services.AlertConflict as conflict:
        raise HttpError(409, " ".join(conflict.messages)) from conflict
    return selectors.alert_get_for_user(user=request.user, public_id=alert_id)
