"""Tracing requests in the API (protection officers of the request's crossing point)."""

from datetime import date, datetime
from uuid import UUID

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.audit.paging import ShownPagination
from hbm.places.selectors import crossing_point_get_for_user
from hbm.registry.selectors import person_get_for_user
from hbm.screening.models import TracingEvent, TracingMatch, TracingRequest
from hbm.screening.services import tracing_requests as tracing
from hbm.screening.tracing_reasons import reason_texts

router = Router(tags=["tracing"])


class TracingRequestIn(Schema):
    crossing_point: str = Field(description="code of one of the caller's crossing points")
    enquirer: UUID | None = Field(None, description="the registered person who is looking")
    enquirer_name: str = Field("", description="who is looking, when not registered")
    relationship: str = Field(
        description="the person looked for is the enquirer's: parent, child, sibling, "
        "spouse, other_relative or other"
    )
    relationship_detail: str = Field("", description="the relationship in words")
    given_name: str = ""
    family_name: str = ""
    father_name: str = ""
    sex: str = Field("", description="F, M, X or empty")
    birth_year: int | None = None
    approximate_age: int | None = Field(None, description="instead of a year of birth")
    last_seen_place: str = ""
    last_seen_on: date | None = None
    description: str = ""


class TracingRequestOut(Schema):
    id: int
    status: str
    crossing_point: str
    enquirer: UUID | None
    enquirer_name: str = Field(description="the registered enquirer's name, or the name given")
    relationship: str
    relationship_detail: str
    given_name: str
    family_name: str
    father_name: str
    sex: str
    birth_year: int | None
    approximate_age: int | None
    last_seen_place: str
    last_seen_on: date | None
    description: str
    matched_person: UUID | None
    closing_reason: str
    closing_note: str
    created_by: str
    created_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_crossing_point(request: TracingRequest) -> str:
        return request.crossing_point.code

    @staticmethod
    def resolve_enquirer(request: TracingRequest) -> UUID | None:
        return request.enquirer.public_id if request.enquirer else None

    @staticmethod
    def resolve_enquirer_name(request: TracingRequest) -> str:
        return request.enquirer.full_name if request.enquirer else request.enquirer_name

    @staticmethod
    def resolve_matched_person(request: TracingRequest) -> UUID | None:
        return request.matched_person.public_id if request.matched_person else None

    @staticmethod
    def resolve_created_by(request: TracingRequest) -> str:
        return request.created_by.get_username()


class TracingMatchOut(Schema):
    id: int
    person: UUID
    name: str
    sex: str
    date_of_birth: str
    first_crossing_point: str
    score: float = Field(description="0–1: the description's likeness joined with family signs")
    relation: str = Field(description="to the enquirer, when family tracing found the person")
    reasons: list[str] = Field(description="in plain words, in the request's language")
    decision: str
    decision_note: str
    decided_at: datetime | None

    @staticmethod
    def resolve_person(match: TracingMatch) -> UUID:
        return match.person.public_id

    @staticmethod
    def resolve_name(match: TracingMatch) -> str:
        return match.person.full_name

    @staticmethod
    def resolve_sex(match: TracingMatch) -> str:
        return match.person.sex

    @staticmethod
    def resolve_date_of_birth(match: TracingMatch) -> str:
        return match.person.date_of_birth

    @staticmethod
    def resolve_first_crossing_point(match: TracingMatch) -> str:
        return match.person.first_crossing_point.code

    @staticmethod
    def resolve_reasons(match: TracingMatch) -> list[str]:
        return reason_texts(match.reasons)


class TracingEventOut(Schema):
    kind: str
    at: datetime
    actor: str
    match: int | None = Field(description="the candidate decided")
    note: str

    @staticmethod
    def resolve_actor(event: TracingEvent) -> str:
        return event.actor.get_username()

    @staticmethod
    def resolve_match(event: TracingEvent) -> int | None:
        return event.match_id


class TracingRequestDetailOut(TracingRequestOut):
    matches: list[TracingMatchOut] = Field(description="the candidates, best first")
    events: list[TracingEventOut] = Field(description="the history, oldest first")

    @staticmethod
    def resolve_matches(request: TracingRequest) -> list[TracingMatch]:
        return list(tracing.tracing_matches(request=request))

    @staticmethod
    def resolve_events(request: TracingRequest) -> list[TracingEvent]:
        return list(tracing.tracing_events(request=request))


class TracingDecisionIn(Schema):
    decision: str = Field(description="confirmed or rejected")
    note: str = ""


class TracingCloseIn(Schema):
    reason: str = Field(description="reunited, found, withdrawn, deceased, not_found or duplicate")
    note: str = ""


class TracingFilters(Schema):
    status: str = Field("", description="open, matched or closed")


def _detail(http: AuthenticatedHttpRequest, request: TracingRequest) -> TracingRequest:
    """The request as it is now, with its candidates and history; the persons shown are
    audited."""
    request = tracing.tracing_request_get_for_user(user=http.user, pk=request.pk)
    matches = tracing.tracing_matches(request=request)
    tracing.audit_request_read(user=http.user, request=request, persons=[m.person for m in matches])
    return request


@router.get(
    "/tracing-requests",
    response=list[TracingRequestOut],
    summary="Tracing requests of the caller's crossing points (protection officers; audited)",
)
@paginate(
    ShownPagination,
    ordering=("-created_at", "-id"),
    page_size=50,
    max_page_size=200,
    shown=lambda request: [request.enquirer] if request.enquirer else [],
    object_type="registry.person",
    detail=lambda _rows, filters: f"tracing request list (api) {filters.dict()}",
)
def tracing_request_list(
    request: AuthenticatedHttpRequest, filters: Query[TracingFilters]
) -> QuerySet[TracingRequest]:
    return tracing.tracing_request_list(user=request.user, status=filters.status)


@router.post(
    "/tracing-requests",
    response={201: TracingRequestDetailOut},
    summary="Open a tracing request: who is looked for, by whom",
)
def tracing_request_create(
    request: AuthenticatedHttpRequest, payload: TracingRequestIn
) -> Status[TracingRequest]:
    point = crossing_point_get_for_user(user=request.user, code=payload.crossing_point)
    enquirer = None
    if payload.enquirer is not None:
        enquirer = person_get_for_user(user=request.user, public_id=payload.enquirer)
    sought = payload.dict(exclude={"crossing_point", "enquirer", "enquirer_name"})
    created = tracing.tracing_request_open(
        actor=request.user,
        crossing_point=point,
        enquirer=enquirer,
        enquirer_name=payload.enquirer_name,
        relationship=sought.pop("relationship"),
        relationship_detail=sought.pop("relationship_detail"),
        sought=tracing.Sought(**sought),
    )
    return Status(201, _detail(request, created))


@router.get(
    "/tracing-requests/{request_id}",
    response=TracingRequestDetailOut,
    summary="One tracing request, its candidates and history (audited)",
)
def tracing_request_detail(request: AuthenticatedHttpRequest, request_id: int) -> TracingRequest:
    found = tracing.tracing_request_get_for_user(user=request.user, pk=request_id)
    return _detail(request, found)


@router.post(
    "/tracing-requests/{request_id}/proposals",
    response=TracingRequestDetailOut,
    summary="Search the registry for candidates (new ones are added, best first)",
)
def tracing_request_propose(request: AuthenticatedHttpRequest, request_id: int) -> TracingRequest:
    found = tracing.tracing_request_get_for_user(user=request.user, pk=request_id)
    tracing.tracing_request_propose(actor=request.user, request=found)
    return _detail(request, found)


@router.post(
    "/tracing-requests/{request_id}/matches/{match_id}/decision",
    response=TracingRequestDetailOut,
    summary="Confirm a candidate (the request is matched) or reject it",
)
def tracing_match_decide(
    request: AuthenticatedHttpRequest, request_id: int, match_id: int, payload: TracingDecisionIn
) -> TracingRequest:
    found = tracing.tracing_request_get_for_user(user=request.user, pk=request_id)
    match = tracing.tracing_match_get(request=found, pk=match_id)
    tracing.tracing_match_decide(
        actor=request.user, match=match, decision=payload.decision, note=payload.note
    )
    return _detail(request, found)


@router.post(
    "/tracing-requests/{request_id}/close",
    response=TracingRequestDetailOut,
    summary="Close a tracing request with a reason",
)
def tracing_request_close(
    request: AuthenticatedHttpRequest, request_id: int, payload: TracingCloseIn
) -> TracingRequest:
    found = tracing.tracing_request_get_for_user(user=request.user, pk=request_id)
    tracing.tracing_request_close(
        actor=request.user, request=found, reason=payload.reason, note=payload.note
    )
    return _detail(request, found)
