"""The security compartment: hits and watchlists are read by security officers only, and a
hit only by an officer who may see the person behind it (the registry's rule: persons who
crossed at one of the officer's points; national scope sees all). Anyone else gets 404, as
for a record that does not exist, and the attempt is audited."""

from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import has_any_role
from hbm.registry.selectors import persons_in_scope
from hbm.security.models import Hit, ScreeningRun, Watchlist, WatchlistEntry
from hbm.security.services import SECURITY_ROLES

NOT_FOUND = "Not found."
NOT_SECURITY = "not a security officer"
OUT_OF_SCOPE = "the person behind the hit is outside the user's crossing points"
NO_SUCH_HIT = "no such hit"
NO_SUCH_WATCHLIST = "no such watchlist"
NO_SUCH_ENTRY = "no such watchlist entry"


def is_security(user: User) -> bool:
    return has_any_role(user, *SECURITY_ROLES)


def _denied(*, user: User, object_type: str, object_id: str = "", detail: str) -> Http404:
    audit_record(
        actor=user,
        action=AuditEvent.Action.DENIED,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )
    return Http404(NOT_FOUND)


def require_security(*, user: User, object_type: str = "security", object_id: str = "") -> None:
    """Security officers pass; anyone else gets 404 (the compartment is not revealed), audited
    as denied."""
    if not is_security(user):
        raise _denied(user=user, object_type=object_type, object_id=object_id, detail=NOT_SECURITY)


def _hits_in_scope(*, user: User) -> QuerySet[Hit]:
    """The one access rule for hits: a hit is visible with the person behind it. Found from
    the persons who crossed at the user's points, so that an officer at a small point reads
    their share of the hits, not every hit checked one by one."""
    persons = persons_in_scope(user=user)
    return Hit.objects.all() if persons is None else Hit.objects.filter(person_id__in=persons)


def hit_list(*, user: User, status: str = "") -> QuerySet[Hit]:
    require_security(user=user, object_type="security.hit")
    hits = _hits_in_scope(user=user).select_related(
        "person__first_crossing_point", "entry__watchlist"
    )
    return hits.filter(status=status) if status else hits


#: The order an officer reviews hits in: most likely first, then newest, with the primary key
#: last so that pages never skip or repeat a hit (a rescreen finds many in one instant).
HIT_ORDER = ("-probability", "-found_at", "-id")


def hit_review_list(*, user: User, status: str = "") -> QuerySet[Hit]:
    """The hits to review, in HIT_ORDER (the API's cursor pages use the same order)."""
    return hit_list(user=user, status=status).order_by(*HIT_ORDER)


def hit_get_for_user(*, user: User, pk: int) -> Hit:
    require_security(user=user, object_type="security.hit", object_id=str(pk))
    try:
        return hit_list(user=user).get(pk=pk)
    except Hit.DoesNotExist:
        detail = OUT_OF_SCOPE if Hit.objects.filter(pk=pk).exists() else NO_SUCH_HIT
        raise _denied(
            user=user, object_type="security.hit", object_id=str(pk), detail=detail
        ) from None


def hit_metrics(*, user: User) -> dict[str, Any]:
    """Hits by list, by crossing point (where the person was first registered) and by
    decision, and the mean review time: of the hits the user may see, only."""
    hits = hit_list(user=user).order_by()
    review = hits.exclude(decided_at=None).aggregate(mean=Avg(F("decided_at") - F("found_at")))
    by_point = hits.values(crossing_point=F("person__first_crossing_point__code"))
    return {
        "by_list": list(hits.values(watchlist=F("entry__watchlist__name")).annotate(n=Count("id"))),
        "by_crossing_point": list(by_point.annotate(n=Count("id"))),
        "by_status": list(hits.values("status").annotate(n=Count("id"))),
        "mean_review_hours": (
            round(review["mean"].total_seconds() / 3600, 2) if review["mean"] else None
        ),
        "as_of": timezone.now(),
    }


def watchlist_list(*, user: User) -> QuerySet[Watchlist]:
    """Every list, for every security officer (lists are national), with its count of active
    entries; by name, then id, so that pages never skip or repeat a list."""
    require_security(user=user, object_type="security.watchlist")
    return (
        Watchlist.objects.select_related("owner")
        .annotate(active_entries=Count("entries", filter=Q(entries__active=True)))
        .order_by("name", "id")
    )


def watchlist_loads(*, watchlist: Watchlist) -> QuerySet[Any]:
    """The loads of a list the caller already reached through watchlist_get_for_user."""
    return watchlist.loads.select_related("loaded_by").order_by("-loaded_at", "-id")


def watchlist_entries(*, watchlist: Watchlist) -> QuerySet[WatchlistEntry]:
    """The entries of a list the caller already reached through watchlist_get_for_user, in
    the order of the (watchlist, external_id) constraint's index."""
    return watchlist.entries.order_by("external_id")


def rescreen_latest(*, user: User) -> ScreeningRun | None:
    require_security(user=user, object_type="security.screeningrun")
    return ScreeningRun.objects.order_by("-queued_at", "-id").first()


def watchlist_get_for_user(*, user: User, pk: Any) -> Watchlist:
    require_security(user=user, object_type="security.watchlist", object_id=str(pk))
    try:
        return Watchlist.objects.get(pk=pk)
    except (Watchlist.DoesNotExist, ValueError, TypeError):
        raise Http404(NO_SUCH_WATCHLIST) from None


def entry_get_for_user(*, user: User, watchlist_id: int, external_id: str) -> WatchlistEntry:
    watchlist = watchlist_get_for_user(user=user, pk=watchlist_id)
    try:
        return watchlist.entries.get(external_id=external_id)
    except WatchlistEntry.DoesNotExist:
        raise Http404(NO_SUCH_ENTRY) from None
