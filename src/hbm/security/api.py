from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.accounts.selectors import agency_by_code
from hbm.audit.models import AuditEvent
from hbm.audit.paging import ShownPagination
from hbm.audit.services import audit_record
from hbm.lib.uploads import uploaded
from hbm.registry.explain import why_phrase
from hbm.security import selectors, services
from hbm.security.models import Hit, ScreeningRun, Watchlist
from hbm.security.services import rescreen

router = Router(tags=["security"])
UNKNOWN_AGENCY = "No agency with code '{}'."


class WatchlistIn(Schema):
    name: str
    owner: str
    legal_basis: str
    retention_days: int = 365
    field_screening: bool = False


class WatchlistChange(Schema):
    field_screening: bool


class WatchlistOut(Schema):
    id: int
    public_id: UUID
    name: str
    owner: str
    legal_basis: str
    retention_days: int
    active: bool
    field_screening: bool
    active_entries: int
    created_at: datetime

    @staticmethod
    def resolve_owner(watchlist: Watchlist) -> str:
        return watchlist.owner.code

    @staticmethod
    def resolve_active_entries(watchlist: Watchlist) -> int:
        counted = getattr(watchlist, "active_entries", None)  # annotated by watchlist_list
        return counted if counted is not None else watchlist.entries.filter(active=True).count()


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
    why: str
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

    @staticmethod
    def resolve_why(hit: Hit) -> str:
        return why_phrase(hit.explanation)


class DecisionIn(Schema):
    decision: str
    reason: str = ""


@router.get(
    "/watchlists", response=list[WatchlistOut], summary="Watchlists (security officers only)"
)
@paginate(
    ShownPagination,
    ordering=("name", "id"),
    object_type="security.watchlist",
    detail="watchlist list (api)",
)
def watchlist_list(request: AuthenticatedHttpRequest) -> QuerySet[Watchlist]:
    return selectors.watchlist_list(user=request.user)


@router.post("/watchlists", response={201: WatchlistOut}, summary="Create a watchlist")
def watchlist_create(request: AuthenticatedHttpRequest, payload: WatchlistIn) -> Status[Watchlist]:
    selectors.require_security(user=request.user, object_type="security.watchlist")
    owner = agency_by_code(code=payload.owner)
    if owner is None:
        raise ValidationError({"owner": UNKNOWN_AGENCY.format(payload.owner)})
    watchlist = services.watchlist_create(
        actor=request.user, owner=owner, **payload.dict(exclude={"owner"})
    )
    return Status(201, watchlist)


@router.patch(
    "/watchlists/{watchlist_id}",
    response=WatchlistOut,
    summary="Let field stations screen against the list, or stop them (audited)",
)
def watchlist_change(
    request: AuthenticatedHttpRequest, watchlist_id: int, payload: WatchlistChange
) -> Watchlist:
    watchlist = selectors.watchlist_get_for_user(user=request.user, pk=watchlist_id)
    return services.watchlist_field_screening_set(
        actor=request.user, watchlist=watchlist, on=payload.field_screening
    )


@router.post(
    "/watchlists/{watchlist_id}/load",
    response=LoadOut,
    summary="Load CSV/XLSX or FollowTheMoney JSON lines (all or nothing)",
)
def watchlist_load(
    request: AuthenticatedHttpRequest,
    watchlist_id: int,
    file: File[UploadedFile],
    replace: Form[bool] = True,
) -> services.LoadSummary:
    watchlist = selectors.watchlist_get_for_user(user=request.user, pk=watchlist_id)
    return services.watchlist_load(
        actor=request.user, watchlist=watchlist, replace=replace, **uploaded(file)
    )


@router.post(
    "/watchlists/{watchlist_id}/entries/{external_id}/remove",
    response=LoadOut,
    summary="Remove one entry now",
)
def entry_remove(
    request: AuthenticatedHttpRequest, watchlist_id: int, external_id: str
) -> dict[str, int]:
    entry = selectors.entry_get_for_user(
        user=request.user, watchlist_id=watchlist_id, external_id=external_id
    )
    services.entry_remove(actor=request.user, entry=entry)
    return {"added": 0, "updated": 0, "removed": 1}


@router.get("/hits", response=list[HitOut], summary="Watchlist hits (security officers only)")
@paginate(
    ShownPagination,
    ordering=selectors.HIT_ORDER,
    object_type="security.hit",
    detail=lambda _rows, status="": f"hit list (api) ({status or 'all'})",
)
def hit_list(request: AuthenticatedHttpRequest, status: str = "") -> QuerySet[Hit]:
    return selectors.hit_list(user=request.user, status=status)


@router.get("/hits/{hit_id}", response=HitOut, summary="One hit (audited)")
def hit_detail(request: AuthenticatedHttpRequest, hit_id: int) -> Hit:
    hit = selectors.hit_get_for_user(user=request.user, pk=hit_id)
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW, target=hit)
    return hit


@router.post("/hits/{hit_id}/decision", response=HitOut, summary="Decide on a hit")
def hit_decide(request: AuthenticatedHttpRequest, hit_id: int, payload: DecisionIn) -> Hit:
    hit = selectors.hit_get_for_user(user=request.user, pk=hit_id)
    return services.hit_decide(
        actor=request.user, hit=hit, decision=payload.decision, reason=payload.reason
    )


@router.get("/security/metrics", summary="Hits by list, crossing point and decision; review times")
def metrics(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    figures = selectors.hit_metrics(user=request.user)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type="security.hit",
        detail="security metrics (api)",
    )
    return figures


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
def rescreen_start(request: AuthenticatedHttpRequest) -> Status[ScreeningRun]:
    selectors.require_security(user=request.user, object_type="security.screeningrun")
    return Status(202, rescreen.rescreen_request(actor=request.user, reason="requested"))


@router.get("/security/rescreen/latest", response=RunOut, summary="Progress of the last rescreen")
def rescreen_latest(request: AuthenticatedHttpRequest) -> ScreeningRun:
    run = selectors.rescreen_latest(user=request.user)
    if run is None:
        raise Http404("No rescreen yet.")
    return run
