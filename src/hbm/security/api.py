from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, F
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import CursorPagination, paginate

from hbm.accounts.models import Agency
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.security import rescreen, selectors, services
from hbm.security.models import Hit, ScreeningRun, Watchlist, WatchlistEntry

router = Router(tags=["security"])


class WatchlistIn(Schema):
    name: str
    owner: str
    legal_basis: str
    retention_days: int = 365


class WatchlistOut(Schema):
    id: int
    name: str
    owner: str
    legal_basis: str
    retention_days: int
    active_entries: int

    @staticmethod
    def resolve_owner(watchlist: Watchlist) -> str:
        return watchlist.owner.code

    @staticmethod
    def resolve_active_entries(watchlist: Watchlist) -> int:
        return watchlist.entries.filter(active=True).count()


class LoadOut(Schema):
    added: int
    updated: int
    removed: int


class HitOut(Schema):
    id: int
    person: UUID
    person_name: str
    crossing_point: str
    watchlist: str
    entry: str
    required_action: str
    reason_category: str
    probability: float
    explanation: dict[str, Any]
    status: str
    reason: str
    found_at: datetime

    @staticmethod
    def resolve_person(hit: Hit) -> UUID:
        return hit.person.public_id

    @staticmethod
    def resolve_person_name(hit: Hit) -> str:
        return hit.person.full_name

    @staticmethod
    def resolve_crossing_point(hit: Hit) -> str:
        return hit.person.first_crossing_point.code

    @staticmethod
    def resolve_watchlist(hit: Hit) -> str:
        return hit.entry.watchlist.name

    @staticmethod
    def resolve_entry(hit: Hit) -> str:
        return hit.entry.external_id

    @staticmethod
    def resolve_required_action(hit: Hit) -> str:
        return hit.entry.required_action

    @staticmethod
    def resolve_reason_category(hit: Hit) -> str:
        return hit.entry.reason_category


class DecisionIn(Schema):
    decision: str
    reason: str = ""


@router.post("/watchlists", response={201: WatchlistOut}, summary="Create a watchlist")
def watchlist_create(request: HttpRequest, payload: WatchlistIn) -> Status[Watchlist]:
    require_role(request.user, *services.SECURITY_ROLES)
    owner = Agency.objects.filter(code=payload.owner).first()
    if owner is None:
        raise ValidationError({"owner": f"No agency with code '{payload.owner}'."})
    watchlist = services.watchlist_create(
        actor=request.user, owner=owner, **payload.dict(exclude={"owner"})
    )
    return Status(201, watchlist)


@router.post(
    "/watchlists/{watchlist_id}/load",
    response=LoadOut,
    summary="Load CSV/XLSX or FollowTheMoney JSON lines (all or nothing)",
)
def watchlist_load(
    request: HttpRequest, watchlist_id: int, file: File[UploadedFile], replace: Form[bool] = True
) -> services.LoadSummary:
    selectors.hit_list(user=request.user)  # security officers only (404 otherwise)
    watchlist = get_object_or_404(Watchlist, pk=watchlist_id)
    try:
        return services.watchlist_load(
            actor=request.user,
            watchlist=watchlist,
            content=file.read(),
            filename=file.name or "upload.csv",
            replace=replace,
        )
    except services.WatchlistRejected as rejected:
        raise ValidationError({"file": rejected.problems}) from rejected


@router.post(
    "/watchlists/{watchlist_id}/entries/{external_id}/remove",
    response=LoadOut,
    summary="Remove one entry now",
)
def entry_remove(request: HttpRequest, watchlist_id: int, external_id: str) -> dict[str, int]:
    selectors.hit_list(user=request.user)
    entry = get_object_or_404(WatchlistEntry, watchlist_id=watchlist_id, external_id=external_id)
    services.entry_remove(actor=request.user, entry=entry)
    return {"added": 0, "updated": 0, "removed": 1}


@router.get("/hits", response=list[HitOut], summary="Watchlist hits (security officers only)")
@paginate(CursorPagination, ordering=("-found_at", "-id"))
def hit_list(request: HttpRequest, status: str = ""):  # type: ignore[no-untyped-def]
    hits = selectors.hit_list(user=request.user, status=status)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type="security.hit",
        detail=f"hit list (api) ({status or 'all'})",
    )
    return hits


@router.get("/hits/{hit_id}", response=HitOut, summary="One hit (audited)")
def hit_detail(request: HttpRequest, hit_id: int) -> Hit:
    hit = selectors.hit_get_for_user(user=request.user, pk=hit_id)
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW, target=hit)
    return hit


@router.post("/hits/{hit_id}/decision", response=HitOut, summary="Decide on a hit")
def hit_decide(request: HttpRequest, hit_id: int, payload: DecisionIn) -> Hit:
    hit = selectors.hit_get_for_user(user=request.user, pk=hit_id)
    return services.hit_decide(
        actor=request.user, hit=hit, decision=payload.decision, reason=payload.reason
    )


@router.get("/security/metrics", summary="Hits by list, crossing point and decision; review times")
def metrics(request: HttpRequest) -> dict[str, Any]:
    hits = selectors.hit_list(user=request.user)
    decided = hits.exclude(decided_at=None)
    review = decided.aggregate(mean=Avg(F("decided_at") - F("found_at")))["mean"]
    return {
        "by_list": list(hits.values(watchlist=F("entry__watchlist__name")).annotate(n=Count("id"))),
        "by_crossing_point": list(
            hits.values(crossing_point=F("person__first_crossing_point__code")).annotate(
                n=Count("id")
            )
        ),
        "by_status": list(hits.values("status").annotate(n=Count("id"))),
        "mean_review_hours": round(review.total_seconds() / 3600, 2) if review else None,
        "as_of": timezone.now(),
    }


class RunOut(Schema):
    id: int
    status: str
    reason: str
    total: int
    done: int
    hits_found: int
    queued_at: datetime
    finished_at: datetime | None
    error: str


@router.post(
    "/security/rescreen",
    response={202: RunOut},
    summary="Rescreen every registration against the active lists (background)",
)
def rescreen_start(request: HttpRequest) -> Status[ScreeningRun]:
    selectors.hit_list(user=request.user)
    return Status(202, rescreen.rescreen_request(actor=request.user, reason="requested"))


@router.get("/security/rescreen/latest", response=RunOut, summary="Progress of the last rescreen")
def rescreen_latest(request: HttpRequest) -> ScreeningRun:
    selectors.hit_list(user=request.user)
    run = ScreeningRun.objects.first()
    if run is None:
        raise Http404("No rescreen yet.")
    return run
