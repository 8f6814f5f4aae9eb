"""/api/v1/fieldops/rescues: search and rescue incidents and the people found (coordinators,
administrators). A read of an incident is put on the audit log, one event per person shown
(ADR 0146)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.fieldops import selectors_rescues as selectors
from hbm.fieldops.api import FieldopsPagination
from hbm.fieldops.models import RescuedPerson, RescueIncident
from hbm.fieldops.services import rescues as services
from hbm.referrals.models import Referral

router = Router(tags=["field operations"])

HazardFilter = Literal["", "water", "heat", "cold", "mines", "vehicle", "violence", "other"]
OutcomeFilter = Literal["", "ongoing", "all_found", "suspended", "closed"]


class RescueIn(Schema):
    occurred_at: datetime
    latitude: Decimal = Field(description="decimal degrees, -90 to 90")
    longitude: Decimal = Field(description="decimal degrees, -180 to 180")
    hazard: str = Field(description="water, heat, cold, mines, vehicle, violence, other")
    crossing_point: str = Field("", description="the nearest crossing point's code")
    team: str = Field("", description="the team's id")
    description: str = ""


class RescueOut(Schema):
    id: UUID = Field(alias="public_id")
    occurred_at: datetime
    latitude: Decimal
    longitude: Decimal
    hazard: str
    crossing_point: str
    team: UUID | None
    team_name: str
    description: str
    outcome: str
    found: int = Field(alias="found_count")
    badly_hurt: int = Field(alias="hurt_count", description="serious or critical injuries")

    @staticmethod
    def resolve_crossing_point(incident: RescueIncident) -> str:
        return incident.crossing_point.code if incident.crossing_point else ""

    @staticmethod
    def resolve_team(incident: RescueIncident) -> UUID | None:
        return incident.team.public_id if incident.team else None

    @staticmethod
    def resolve_team_name(incident: RescueIncident) -> str:
        return incident.team.name if incident.team else ""


class RescueReferralOut(Schema):
    id: int = Field(alias="pk")
    service_type: str
    provider: str
    urgency: str
    status: str
    sent_at: datetime

    @staticmethod
    def resolve_service_type(referral: Referral) -> str:
        return referral.service_type.code

    @staticmethod
    def resolve_provider(referral: Referral) -> str:
        return referral.provider.name


class FoundOut(Schema):
    person: UUID
    name: str
    injury: str
    condition: str
    source: str
    referrals: list[RescueReferralOut]

    @staticmethod
    def resolve_person(row: RescuedPerson) -> UUID:
        return row.person.public_id

    @staticmethod
    def resolve_name(row: RescuedPerson) -> str:
        return row.person.full_name


class RescueDetailOut(Schema):
    incident: RescueOut
    found: list[FoundOut]


class NewPersonIn(Schema):
    consent_given: bool
    given_name: str = ""
    family_name: str = ""
    sex: str = ""
    date_of_birth: str = Field("", description="YYYY, YYYY-MM or YYYY-MM-DD")
    age_estimate: int | None = None
    nationality: str = Field("", description="ISO 3166 alpha-3")
    direction: str = Field("entry", description="entry or exit")


class FoundIn(Schema):
    person: str = Field("", description="a registered person's id: link their record")
    new_person: NewPersonIn | None = Field(
        None, description="or register them on the spot (registration officers, administrators)"
    )
    injury: str = Field("none", description="none, minor, serious, critical")
    condition: str = ""


class OutcomeIn(Schema):
    outcome: str = Field(description="ongoing, all_found, suspended, closed")


def _get(request: AuthenticatedHttpRequest, rescue_id: UUID) -> RescueIncident:
    return selectors.rescue_get_for_user(user=request.user, public_id=rescue_id)


def _detail(request: AuthenticatedHttpRequest, rescue_id: UUID) -> dict[str, Any]:
    incident = _get(request, rescue_id)
    found = selectors.rescued_shown(user=request.user, incident=incident)
    referrals = selectors.rescue_referrals(user=request.user, incident=incident, found=found)
    for row in found:
        row.referrals = referrals.get(row.person_id, [])  # type: ignore[attr-defined]
    return {"incident": incident, "found": found}


@router.get("", response=list[RescueOut], summary="Search and rescue incidents (coordinators)")
@paginate(FieldopsPagination)
def rescue_list(
    request: AuthenticatedHttpRequest,
    hazard: HazardFilter = "",
    outcome: OutcomeFilter = "",
    since: date | None = None,
    until: date | None = None,
) -> Any:
    """The latest first; ``since`` and ``until`` are days, both included."""
    return selectors.rescue_list(
        user=request.user, hazard=hazard, outcome=outcome, since=since, until=until
    )


@router.post("", response={201: RescueOut}, summary="Record a rescue incident (coordinators)")
def rescue_create(request: AuthenticatedHttpRequest, payload: RescueIn) -> Status[RescueIncident]:
    incident = services.rescue_create(
        actor=request.user, data=services.RescueInput(**payload.dict())
    )
    return Status(201, _get(request, incident.public_id))


@router.get("/{rescue_id}", response=RescueDetailOut, summary="An incident and the people found")
def rescue_detail(request: AuthenticatedHttpRequest, rescue_id: UUID) -> dict[str, Any]:
    return _detail(request, rescue_id)


@router.post("/{rescue_id}/found", response={201: RescueDetailOut}, summary="A person found")
def rescued_add(
    request: AuthenticatedHttpRequest, rescue_id: UUID, payload: FoundIn
) -> Status[dict[str, Any]]:
    """Link a registered person (``person``), or register one on the spot (``new_person``:
    at the incident's nearest crossing point, screened as at the desk)."""
    data = payload.dict()
    new_person = data.pop("new_person")
    services.rescued_add(
        actor=request.user,
        incident=_get(request, rescue_id),
        data=services.FoundInput(
            **data, new_person=services.NewPersonInput(**new_person) if new_person else None
        ),
    )
    return Status(201, _detail(request, rescue_id))


@router.post("/{rescue_id}/outcome", response=RescueOut, summary="Set how the search stands")
def rescue_outcome(
    request: AuthenticatedHttpRequest, rescue_id: UUID, payload: OutcomeIn
) -> RescueIncident:
    services.rescue_set_outcome(
        actor=request.user, incident=_get(request, rescue_id), outcome=payload.outcome
    )
    return _get(request, rescue_id)
