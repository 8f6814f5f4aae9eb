from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from hbm.audit.models import AuditEvent

ADMIN_ONLY = "Only administrators may read the audit log."


def audit_event_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[AuditEvent]:
    if not (user.is_authenticated and (user.is_superuser or user.has_role("administrator"))):
        raise PermissionDenied(ADMIN_ONLY)
    filters = filters or {}
    events = AuditEvent.objects.all()
    if filters.get("actor"):
        events = events.filter(actor_label=filters["actor"])
    for name in ("action", "object_type", "object_id"):
        if filters.get(name):
            events = events.filter(**{name: filters[name]})
    since: date | None = filters.get("since")
    until: date | None = filters.get("until")
    if since:
        events = events.filter(occurred_at__date__gte=since)
    if until:
        events = events.filter(occurred_at__date__lte=until)
    return events.order_by("-id")
