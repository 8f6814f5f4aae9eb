"""/api/v1/sync/: what field stations push and pull, and the conflicts their changes raised."""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.audit.paging import ShownPagination
from hbm.sync import selectors
from hbm.sync.models import SyncConflict
from hbm.sync.services import receive, reference, referral_events, watchlists
from hbm.sync.services.conflicts import sync_conflict_resolve
from hbm.sync.services.push import PROTOCOL

router = Router(tags=["sync"])
OTHER_PROTOCOL = "This server speaks sync protocol {}; update the station."


class BatchIn(Schema):
    protocol: int
    changes: list[receive.ChangeIn] = Field(max_length=1000)


class BatchOut(Schema):
    acknowledged: int = Field(description="The highest seq the station may stop sending.")
    outcomes: dict[str, int]


class RefusedOut(Schema):
    message: str
    errors: list[dict[str, str]]
    acknowledged: int = Field(description="The changes before the refused one were received.")
    outcomes: dict[str, int] = Field(default_factory=dict)
    refused: int | None = Field(
        None,
        description="The seq of the change refused for what it is (its data or its point): "
        "the station sets it aside and goes on. Absent when the whole request is refused.",
    )


@router.post(
    "/sync/changes",
    response={200: BatchOut, 403: RefusedOut, 422: RefusedOut},
    summary="Receive a field station's changes (idempotent by change id)",
)
def changes_receive(request: AuthenticatedHttpRequest, payload: BatchIn) -> Any:
    if payload.protocol != PROTOCOL:
        message = OTHER_PROTOCOL.format(PROTOCOL)
        body = {
            "message": message,
            "errors": [{"field": "body.protocol", "message": message}],
            "acknowledged": 0,
        }
        return Status(422, body)
    result = receive.changes_receive(
        actor=request.user,
        device=getattr(request, "device_token", None),
        changes=payload.changes,
    )
    if result.refused is None:
        return {"acknowledged": result.acknowledged, "outcomes": result.outcomes}
    refused = result.refused
    body = {
        "message": "A change was refused; the changes before it were received.",
        "errors": [
            {"field": f"body.{path}", "message": message}
            for path, messages in refused.problems.items()
            for message in messages
        ],
        "acknowledged": result.acknowledged,
        "outcomes": result.outcomes,
        "refused": result.refused_seq,
    }
    return Status(403 if refused.forbidden else 422, body)


@router.get("/sync/reference", summary="Reference data for field stations")
def reference_pull(request: AuthenticatedHttpRequest, since: str = "") -> dict[str, Any]:
    """``since``: the version the station has (any other text: everything is sent)."""
    return reference.reference_snapshot(actor=request.user, since=since)


class EntriesQuery(Schema):
    after: str = Field("", max_length=100, description="The cursor of the last page received.")
    limit: int = Field(watchlists.PAGE_SIZE, ge=1, le=watchlists.PAGE_SIZE)


@router.get(
    "/sync/watchlist-entries",
    summary="Entries of the watchlists screened at field stations, after a cursor",
)
def watchlist_entries(
    request: AuthenticatedHttpRequest, query: Query[EntriesQuery]
) -> dict[str, Any]:
    """A page of the entries stamped after ``after`` (empty: from the start); ask again with
    the answer's ``cursor`` while ``more`` is true."""
    return watchlists.entries_page(actor=request.user, after=query.after, limit=query.limit)


class EventsQuery(Schema):
    after: str = Field("", max_length=100, description="The cursor of the last page received.")
    limit: int = Field(referral_events.PAGE_SIZE, ge=1, le=referral_events.PAGE_SIZE)


@router.get(
    "/sync/referral-events",
    summary="What happened nationally to the station's referrals, after a cursor",
)
def referral_events_page(
    request: AuthenticatedHttpRequest, query: Query[EventsQuery]
) -> dict[str, Any]:
    """The transitions made on the national server to the referrals this station sent,
    stamped after ``after`` (empty: from the start); ask again with the answer's ``cursor``
    while ``more`` is true."""
    return referral_events.events_page(actor=request.user, after=query.after, limit=query.limit)


class ConflictOut(Schema):
    id: int
    status: str
    station: str
    seq: int
    kind: str
    object_id: UUID
    person: UUID | None
    crossing_point: str | None
    base_version: UUID | None
    national_version: UUID | None
    payload: dict[str, Any]
    detail: str
    created_at: datetime
    resolution: str
    resolution_note: str
    resolved_at: datetime | None

    @staticmethod
    def resolve_payload(conflict: SyncConflict) -> dict[str, Any]:
        return selectors.conflict_payload(conflict)

    @staticmethod
    def resolve_station(conflict: SyncConflict) -> str:
        return conflict.change.station.username

    @staticmethod
    def resolve_seq(conflict: SyncConflict) -> int:
        return conflict.change.seq

    @staticmethod
    def resolve_kind(conflict: SyncConflict) -> str:
        return conflict.change.kind

    @staticmethod
    def resolve_object_id(conflict: SyncConflict) -> UUID:
        return conflict.change.object_id

    @staticmethod
    def resolve_person(conflict: SyncConflict) -> UUID | None:
        return conflict.person.public_id if conflict.person else None

    @staticmethod
    def resolve_crossing_point(conflict: SyncConflict) -> str | None:
        return conflict.crossing_point.code if conflict.crossing_point else None


@router.get("/sync/conflicts", response=list[ConflictOut], summary="Conflicts to review")
@paginate(
    ShownPagination,
    ordering=("-id",),
    shown=lambda conflict: [conflict.person] if conflict.person else [],
    object_type="sync.conflict",
    detail="sync conflicts",
)
def conflict_list(
    request: AuthenticatedHttpRequest, status: Literal["", "open", "resolved"] = ""
) -> Any:
    return selectors.conflict_list(user=request.user, status=status)


class ResolveIn(Schema):
    resolution: Literal["apply", "keep"] = Field(
        description="apply: the station's edit over the current record; keep: the record as it is."
    )
    note: str = Field(max_length=300, description="Why; kept with the conflict and audited.")
    version: UUID | None = Field(
        None,
        description="The person's version you compared against (a correction's id); if the "
        "record was corrected since, nothing is applied (422).",
    )


@router.post(
    "/sync/conflicts/{conflict_id}/resolve",
    response=ConflictOut,
    summary="Resolve a conflict: apply the station's edit, or keep the current record",
)
def conflict_resolve(
    request: AuthenticatedHttpRequest, conflict_id: int, payload: ResolveIn
) -> SyncConflict:
    conflict = selectors.conflict_get_for_user(user=request.user, pk=conflict_id)
    return sync_conflict_resolve(
        actor=request.user,
        conflict=conflict,
        note=payload.note,
        apply=payload.resolution == "apply",
        seen_version=payload.version,
    )
