from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import has_any_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hbm.accounts.models import User

ADMIN_ONLY = "Only administrators may read the audit log."


def audit_event_list(
    *, user: User | AnonymousUser, filters: dict[str, Any] | None = None, channel: str = "web"
) -> QuerySet[AuditEvent]:
    """The events matching the filters, newest first. Reading the log is itself audited, with
    the filters used; a refused reader is audited as denied."""
    filters = filters or {}
    used = ", ".join(f"{k}={v}" for k, v in sorted(filters.items()) if v) or "all"
    if not has_any_role(user, "administrator"):
        if user.is_authenticated:
            audit_record(
                actor=user,
                action=AuditEvent.Action.DENIED,
                object_type="audit.auditevent",
                detail=f"audit log ({channel})",
            )
        raise PermissionDenied(ADMIN_ONLY)
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        object_type="audit.auditevent",
        detail=f"audit log ({channel}): {used}"[:300],
    )
    events = AuditEvent.objects.all()
    if filters.get("actor"):
        events = events.filter(actor_label=filters["actor"])
    for name in ("action", "object_type", "object_id"):
        if filters.get(name):
            events = events.filter(**{name: filters[name]})
    # Whole days in the current time zone, as a range of the bare column: its index serves it.
    since: date | None = filters.get("since")
    until: date | None = filters.get("until")
    if since:
        events = events.filter(occurred_at__gte=_day_start(since))
    if until:
        events = events.filter(occurred_at__lt=_day_start(until + timedelta(days=1)))
    return events.order_by("-occurred_at", "-id")


def audit_events_before(events: QuerySet[AuditEvent], pk: int) -> QuerySet[AuditEvent]:
    """The events after event ``pk`` in the list's order (older, or as old with a smaller id):
    the next page starts there, read on from the same index."""
    at = AuditEvent.objects.filter(pk=pk).values_list("occurred_at", flat=True).first()
    if at is None:
        return events.filter(pk__lt=pk)
    return events.filter(occurred_at__lte=at).exclude(occurred_at=at, pk__gte=pk)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
