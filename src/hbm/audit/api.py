from datetime import date, datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import CursorPagination, paginate

from hbm.audit import selectors
from hbm.audit.models import AuditEvent

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    occurred_at: datetime
    actor: str
    action: AuditEvent.Action
    object_type: str
    object_id: str
    fields: list[str]
    detail: str
    ip_address: str | None
    user_agent: str

    @staticmethod
    def resolve_actor(event: AuditEvent) -> str:
        return event.actor_label


class AuditFilters(Schema):
    actor: str = ""
    action: AuditEvent.Action | None = None
    object_type: str = ""
    object_id: str = ""
    since: date | None = None
    until: date | None = None


@router.get("/events", response=list[AuditEventOut], summary="The audit log (administrators)")
@paginate(CursorPagination, ordering=("-occurred_at", "-id"))
def audit_event_list(request: HttpRequest, filters: Query[AuditFilters]) -> QuerySet[AuditEvent]:
    return selectors.audit_event_list(user=request.user, filters=filters.dict(), channel="api")
