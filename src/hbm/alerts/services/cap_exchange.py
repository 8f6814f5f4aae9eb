"""CAP exchange. A coordinator imports a CAP 1.2 alert from a neighbouring country's system:
checked against the schema, then kept as an alert at one of the coordinator's points. The same
sender and identifier (or an Update or Cancel referring to them) never makes a second alert.
Our own CAP feed and documents are audited as exports when read."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hbm.accounts.models import User
from hbm.alerts import cap
from hbm.alerts.models import Alert, Detector
from hbm.alerts.services.alerts import MAX_REASON, _point_for, _require_manager, notify_on_commit
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record, audit_record_many
from hbm.places.selectors import crossing_point_list

NO_POINT = "Choose the crossing point: none of yours is named like the alert's area ({})."
ELSEWHERE = "This CAP alert was imported at a crossing point outside your area of work."
CANCEL_UNKNOWN = "This Cancel refers to no CAP alert imported here."


@dataclass(frozen=True)
class Imported:
    alert: Alert
    created: bool
    changed: bool


def _existing(incoming: cap.Incoming) -> Alert | None:
    keys = Q(cap_sender=incoming.sender, cap_identifier=incoming.identifier)
    for sender, identifier in incoming.references:
        keys |= Q(cap_sender=sender, cap_identifier=identifier)
    return (
        Alert.objects.select_for_update().filter(keys, detector=Detector.CAP).order_by("pk").first()
    )


def _reason(incoming: cap.Incoming) -> str:
    text = f"CAP {incoming.msg_type} from {incoming.sender}: {incoming.headline}"
    if incoming.description:
        text += f" — {incoming.description}"
    return text[:MAX_REASON]


@transaction.atomic
def cap_import(*, actor: User, data: bytes, crossing_point: str = "") -> Imported:
    """Read ``data`` (a CAP 1.2 document); nothing is written when it is refused."""
    _require_manager(actor)
    try:
        incoming = cap.parse(data)
    except cap.CapProblem as problem:
        raise ValidationError({"file": str(problem)}) from problem
    existing = _existing(incoming)
    if existing is not None:
        if not (
            actor.has_national_scope
            or crossing_point_list(user=actor).filter(pk=existing.crossing_point_id).exists()
        ):
            raise ValidationError({"file": ELSEWHERE})
        return _apply(actor, existing, incoming)
    if incoming.msg_type == "Cancel":
        raise ValidationError({"file": CANCEL_UNKNOWN})
    point = _point_for(actor, crossing_point)
    if point is None and not crossing_point:
        point = crossing_point_list(user=actor).filter(name__iexact=incoming.area).first()
    if point is None:
        raise ValidationError({"crossing_point": NO_POINT.format(incoming.area or "none")})
    day = min(timezone.localdate(incoming.sent), timezone.localdate())
    alert = Alert.objects.create(
        crossing_point=point,
        detector=Detector.CAP,
        level=incoming.level,
        first_day=day,
        last_day=day,
        reason=_reason(incoming),
        raised_by=actor,
        cap_sender=incoming.sender,
        cap_identifier=incoming.identifier,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        target=alert,
        detail=f"CAP {incoming.sender} {incoming.identifier}",
    )
    notify_on_commit(alert, alert.level)
    return Imported(alert, created=True, changed=True)


def _apply(actor: User, alert: Alert, incoming: cap.Incoming) -> Imported:
    """A replay changes nothing; an Update sets the level and reason; a Cancel closes."""
    if alert.status == Alert.Status.CLOSED:
        return Imported(alert, created=False, changed=False)
    if incoming.msg_type == "Cancel":
        alert.status, alert.closed_at, alert.closed_by = Alert.Status.CLOSED, timezone.now(), actor
        alert.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    elif incoming.msg_type == "Update" and (
        alert.level != incoming.level or alert.reason != _reason(incoming)
    ):
        day = min(timezone.localdate(incoming.sent), timezone.localdate())
        alert.level, alert.reason = incoming.level, _reason(incoming)
        alert.last_day = max(alert.last_day, day)
        alert.save(update_fields=["level", "reason", "last_day", "updated_at"])
    else:
        return Imported(alert, created=False, changed=False)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        target=alert,
        detail=f"CAP {incoming.msg_type} {incoming.sender} {incoming.identifier}",
    )
    if incoming.msg_type == "Update":
        notify_on_commit(alert, alert.level)
    return Imported(alert, created=False, changed=True)


@transaction.atomic
def cap_shared(*, actor: User, alerts: list[Alert], detail: str) -> None:
    """The CAP feed or a CAP document left the system: one export event per alert in it."""
    audit_record_many(actor=actor, action=AuditEvent.Action.EXPORT, targets=alerts, detail=detail)
