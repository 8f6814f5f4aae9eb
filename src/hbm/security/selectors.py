"""The security compartment: hits and watchlists are read by security officers only. Anyone
else asking for a hit gets 404, and the attempt is audited."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.security.models import Hit
from hbm.security.services import SECURITY_ROLES

NOT_FOUND = "Not found."


def is_security(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or user.has_role(*SECURITY_ROLES)
    )


def hit_list(*, user: Any, status: str = "") -> QuerySet[Hit]:
    if not is_security(user):
        raise Http404(NOT_FOUND)
    hits = Hit.objects.select_related("person__first_crossing_point", "entry__watchlist")
    return hits.filter(status=status) if status else hits


def hit_review_list(*, user: Any, status: str = "") -> QuerySet[Hit]:
    """The hits to review, newest first, with a tie-break so that pages never skip or repeat
    a hit found in the same instant."""
    return hit_list(user=user, status=status).order_by("-found_at", "-pk")


def hit_get_for_user(*, user: Any, pk: int) -> Hit:
    if not is_security(user):
        audit_record(
            actor=user,
            action=AuditEvent.Action.DENIED,
            object_type="security.hit",
            object_id=str(pk),
            detail="not a security officer",
        )
        raise Http404(NOT_FOUND)
    try:
        return hit_list(user=user).get(pk=pk)
    except Hit.DoesNotExist:
        raise Http404(NOT_FOUND) from None
