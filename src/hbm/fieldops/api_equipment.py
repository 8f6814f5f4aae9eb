"""/api/v1/fieldops/equipment: equipment readiness of crossing points and teams (ADR 0147).
Coordinators and administrators record checks and turn a point's shortfalls into its
assessment's recommendations; the national roles read every inventory, every other role
those of its points and teams."""

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.fieldops import selectors_equipment as selectors
from hbm.fieldops.api import FieldopsPagination
from hbm.fieldops.models import EquipmentLine, EquipmentType
from hbm.fieldops.services import equipment as services

router = Router(tags=["field operations"])


class TypeOut(Schema):
    code: str
    name: str

    @staticmethod
    def resolve_name(item_type: EquipmentType) -> str:
        return item_type.display_name


class LineOut(Schema):
    id: UUID = Field(alias="public_id")
    item_type: str
    item_name: str
    crossing_point: str
    team: UUID | None
    holder: str
    quantity: int
    working: int
    broken: int
    missing: int
    required: int
    shortfall: int
    stale: bool
    notes: str
    last_checked_at: datetime | None
    last_checked_by: str

    @staticmethod
    def resolve_item_type(line: EquipmentLine) -> str:
        return line.item_type.code

    @staticmethod
    def resolve_item_name(line: EquipmentLine) -> str:
        return line.item_type.display_name

    @staticmethod
    def resolve_crossing_point(line: EquipmentLine) -> str:
        return line.crossing_point.code if line.crossing_point else ""

    @staticmethod
    def resolve_team(line: EquipmentLine) -> UUID | None:
        return line.team.public_id if line.team else None

    @staticmethod
    def resolve_holder(line: EquipmentLine) -> str:
        return str(line.holder)

    @staticmethod
    def resolve_stale(line: EquipmentLine) -> bool:
        return selectors.is_stale(line)

    @staticmethod
    def resolve_last_checked_by(line: EquipmentLine) -> str:
        return line.last_checked_by.username if line.last_checked_by else ""


class HolderOut(Schema):
    crossing_point: str
    team: UUID | None
    name: str
    lines: list[LineOut]
    shortfall: int = Field(description="the sum of the lines' shortfalls")


class CheckIn(Schema):
    crossing_point: str = Field("", description="a crossing point's code (or give a team)")
    team: str = Field("", description="a team's id (or give a crossing point)")
    item_type: str = Field(description="an equipment type's code (GET /types)")
    working: int
    broken: int = 0
    missing: int = 0
    quantity: int | None = Field(None, description="if given: working + broken + missing")
    required: int = Field(0, description="how many the holder should have working")
    notes: str = ""
    checked_at: datetime | None = Field(None, description="empty: now")


class GapsOut(Schema):
    assessment: UUID
    created: list[str] = Field(description="the recommendations written")
    already: int = Field(description="shortfalls already recommended, open, left as they were")


def _holder_out(holder: selectors.Holder) -> dict[str, Any]:
    return {
        "crossing_point": holder.crossing_point.code if holder.crossing_point else "",
        "team": holder.team.public_id if holder.team else None,
        "name": holder.name,
        "lines": holder.lines,
        "shortfall": sum(line.shortfall for line in holder.lines),
    }


@router.get("/types", response=list[TypeOut], summary="The equipment types")
def type_list(request: AuthenticatedHttpRequest) -> Any:
    return selectors.equipment_type_list()


@router.get("", response=list[LineOut], summary="Equipment readiness across points and teams")
@paginate(FieldopsPagination)
def line_list(
    request: AuthenticatedHttpRequest,
    crossing_point: str = "",
    team: UUID | None = None,
    item_type: str = "",
    short: bool = False,
    stale: bool = False,
) -> Any:
    """The largest shortfalls first. ``short``: only lines with fewer working than required;
    ``stale``: only lines not checked for more than 30 days (or never)."""
    filters = selectors.EquipmentFilters(
        crossing_point=crossing_point, team=team, item_type=item_type, short=short, stale=stale
    )
    return selectors.equipment_line_list(user=request.user, filters=filters)


@router.get("/points/{code}", response=HolderOut, summary="A crossing point's inventory")
def point_inventory(request: AuthenticatedHttpRequest, code: str) -> dict[str, Any]:
    return _holder_out(selectors.holder_get_for_user(user=request.user, crossing_point=code))


@router.get("/teams/{team_id}", response=HolderOut, summary="A team's inventory")
def team_inventory(request: AuthenticatedHttpRequest, team_id: UUID) -> dict[str, Any]:
    return _holder_out(selectors.holder_get_for_user(user=request.user, team=team_id))


@router.post("/checks", response=LineOut, summary="Record a readiness check of one item")
def check(request: AuthenticatedHttpRequest, payload: CheckIn) -> EquipmentLine:
    """Makes the holder's line for the type on its first check, replaces its counts after."""
    line = services.equipment_check(actor=request.user, data=services.CheckInput(**payload.dict()))
    return selectors.equipment_line_list(user=request.user).get(pk=line.pk)


@router.post(
    "/points/{code}/gaps",
    response=GapsOut,
    summary="Write the point's shortfalls on its latest capacity assessment",
)
def gaps(request: AuthenticatedHttpRequest, code: str) -> dict[str, Any]:
    """One recommendation per shortfall, tied to the equipment indicator; idempotent."""
    holder = selectors.holder_get_for_user(user=request.user, crossing_point=code)
    assert holder.crossing_point is not None
    result = services.equipment_gaps_to_assessment(
        actor=request.user, crossing_point=holder.crossing_point
    )
    return {
        "assessment": result.assessment.public_id,
        "created": [r.text for r in result.created],
        "already": result.already,
    }
