"""Coordinators' actions on alerts and on a point's detectors; each checks the actor's role
and point scope, writes in one transaction with its audit event, and sends notices only once
the transaction has committed."""

from dataclasses import dataclass
from datetime import date

import pycountry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hbm.accounts.models import User
from hbm.alerts import detectors
from hbm.alerts.models import Alert, Detector, DetectorConfig, Level
from hbm.alerts.selectors import detector_config_for, may_manage
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.places.models import BorderCrossingPoint
from hbm.places.selectors import crossing_point_list

NOT_A_MANAGER = "Only coordinators and administrators act on alerts."
ALREADY_ACKNOWLEDGED = "This alert has already been acknowledged."
ALREADY_ESCALATED = "This alert has already been escalated."
ALREADY_CLOSED = "This alert is closed."
UNKNOWN_POINT = "No crossing point with this code in your area of work."
REASON_NEEDED = "Say what was reported and by whom."
REASON_TOO_LONG = "Keep the reason under 2,000 characters."
MANUAL_LEVELS = (Level.WATCH, Level.WARNING, Level.EMERGENCY)
LEVEL_NEEDED = "Choose watch, warning or emergency."
UNKNOWN_NATIONALITY = "Not an ISO 3166 alpha-3 country code."
UNKNOWN_DETECTOR = "Unknown detector: {}."
NO_DETECTOR = "Choose at least one detector."
DAY_IN_FUTURE = "The day is in the future."
MAX_REASON = 2000


class AlertConflict(ValidationError):
    """The alert is not in a state where this can be done (acknowledged twice, closed)."""


def notify_on_commit(alert: Alert, level: str) -> None:
    from hbm.alerts.tasks import notify_alert

    alert_id = alert.pk
    transaction.on_commit(lambda: notify_alert.enqueue(alert_id, level))


def _require_manager(actor: User) -> None:
    if not may_manage(actor):
        raise PermissionDenied(NOT_A_MANAGER)


def _in_scope(actor: User, alert: Alert) -> None:
    if not actor.has_national_scope and not (
        crossing_point_list(user=actor).filter(pk=alert.crossing_point_id).exists()
    ):
        raise PermissionDenied(NOT_A_MANAGER)


def _locked(alert: Alert) -> Alert:
    return Alert.objects.select_for_update().select_related("crossing_point").get(pk=alert.pk)


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert) -> Alert:
    """Someone has seen it and is on it: open → acknowledged (once)."""
    _require_manager(actor)
    _in_scope(actor, alert)
    alert = _locked(alert)
    if alert.status == Alert.Status.CLOSED:
        raise AlertConflict(ALREADY_CLOSED)
    if alert.acknowledged_at is not None:
        raise AlertConflict(ALREADY_ACKNOWLEDGED)
    alert.acknowledged_at, alert.acknowledged_by = timezone.now(), actor
    if alert.status == Alert.Status.OPEN:
        alert.status = Alert.Status.ACKNOWLEDGED
    alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "updated_at"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=alert, detail="acknowledged")
    return alert


@transaction.atomic
def alert_escalate(*, actor: User, alert: Alert, note: str = "") -> Alert:
    """Passed up to the national level (a notice goes out again): once per alert."""
    _require_manager(actor)
    _in_scope(actor, alert)
    note = note.strip()
    if len(note) > MAX_REASON:
        raise ValidationError({"note": REASON_TOO_LONG})
    alert = _locked(alert)
    if alert.status == Alert.Status.CLOSED:
        raise AlertConflict(ALREADY_CLOSED)
    if alert.status == Alert.Status.ESCALATED:
        raise AlertConflict(ALREADY_ESCALATED)
    alert.status = Alert.Status.ESCALATED
    alert.escalated_at, alert.escalated_by, alert.escalation_note = timezone.now(), actor, note
    alert.save(
        update_fields=["status", "escalated_at", "escalated_by", "escalation_note", "updated_at"]
    )
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=alert, detail="escalated")
    notify_on_commit(alert, alert.level)
    return alert


@transaction.atomic
def alert_close(*, actor: User, alert: Alert) -> Alert:
    """The surge is over or handled; a new signal after its last day raises a new alert."""
    _require_manager(actor)
    _in_scope(actor, alert)
    alert = _locked(alert)
    if alert.status == Alert.Status.CLOSED:
        raise AlertConflict(ALREADY_CLOSED)
    alert.status = Alert.Status.CLOSED
    alert.closed_at, alert.closed_by = timezone.now(), actor
    alert.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=alert, detail="closed")
    return alert


@dataclass(frozen=True)
class ManualAlertInput:
    crossing_point: str
    level: str
    reason: str
    nationality: str = ""
    day: date | None = None


def _point_for(actor: User, code: str) -> BorderCrossingPoint | None:
    return crossing_point_list(user=actor).filter(code=code.strip()).first() if code else None


@transaction.atomic
def alert_raise_manual(*, actor: User, data: ManualAlertInput) -> Alert:
    """A coordinator's alert, e.g. a report from across the border; the reason is kept."""
    _require_manager(actor)
    problems: dict[str, str] = {}
    point = _point_for(actor, data.crossing_point)
    if point is None:
        problems["crossing_point"] = UNKNOWN_POINT
    if data.level not in MANUAL_LEVELS:
        problems["level"] = LEVEL_NEEDED
    reason = data.reason.strip()
    if not reason:
        problems["reason"] = REASON_NEEDED
    elif len(reason) > MAX_REASON:
        problems["reason"] = REASON_TOO_LONG
    nationality = data.nationality.strip().upper()
    if nationality and pycountry.countries.get(alpha_3=nationality) is None:
        problems["nationality"] = UNKNOWN_NATIONALITY
    day = data.day or timezone.localdate()
    if data.day is not None and data.day > timezone.localdate():
        problems["day"] = DAY_IN_FUTURE
    if problems:
        raise ValidationError(problems)
    assert point is not None
    alert = Alert.objects.create(
        crossing_point=point,
        nationality=nationality,
        detector=Detector.MANUAL,
        level=data.level,
        first_day=day,
        last_day=day,
        reason=reason,
        raised_by=actor,
    )
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=alert, detail="manual")
    notify_on_commit(alert, alert.level)
    return alert


@dataclass(frozen=True)
class ConfigInput:
    detectors: tuple[str, ...]
    watch_share: float
    warning_share: float
    emergency_share: float
    warning_ratio: float
    by_nationality: bool = True


@transaction.atomic
def detector_config_save(
    *, actor: User, point: BorderCrossingPoint, data: ConfigInput
) -> DetectorConfig:
    """Change which detectors watch a point and their thresholds; all fields or none."""
    _require_manager(actor)
    if not crossing_point_list(user=actor).filter(pk=point.pk).exists():
        raise PermissionDenied(NOT_A_MANAGER)
    problems: dict[str, str] = {}
    unknown = [name for name in data.detectors if name not in detectors.DETECTORS]
    if unknown:
        problems["detectors"] = UNKNOWN_DETECTOR.format(", ".join(unknown))
    elif not data.detectors:
        problems["detectors"] = NO_DETECTOR
    settings = detectors.Settings(
        watch_share=data.watch_share,
        warning_share=data.warning_share,
        emergency_share=data.emergency_share,
        warning_ratio=data.warning_ratio,
    )
    problems.update(settings.problems())
    if problems:
        raise ValidationError(problems)
    config = detector_config_for(point=point)
    config.detectors = [name for name in detectors.DETECTORS if name in data.detectors]
    config.watch_share = data.watch_share
    config.warning_share = data.warning_share
    config.emergency_share = data.emergency_share
    config.warning_ratio = data.warning_ratio
    config.by_nationality = data.by_nationality
    config.updated_by = actor
    config.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=config,
        detail=f"detectors {','.join(config.detectors)}",
    )
    return config
