"""/api/v1/fieldops/movements: evacuations and transfers, their manifests and check-in
(coordinators, administrators). A manifest read is put on the audit log, one event per
person shown."""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.fieldops import selectors_movements as selectors
from hbm.fieldops.api import FieldopsPagination
from hbm.fieldops.models import ManifestEntry, Movement
from hbm.fieldops.services import movements as services

router = Router(tags=["field operations"])

MovementStatus = Literal["", "planned", "departed", "arrived", "cancelled"]


class MovementIn(Schema):
    from_place: str
    to_place: str = Field(description="where the vehicle goes: a transit centre, a town")
    vehicle: str
    capacity: int = Field(description="seats")
    planned_departure: datetime
    planned_arrival: datetime
    convoy: str = Field("", description="the convoy's name, the same on each of its vehicles")


class MovementOut(Schema):
    id: UUID = Field(alias="public_id")
    convoy: str
    from_place: str
    to_place: str
    vehicle: str
    capacity: int
    planned_departure: datetime
    planned_arrival: datetime
    departed_at: datetime | None
    arrived_at: datetime | None
    status: str
    on_manifest: int
    boarded: int
    arrived: int


class EntryOut(Schema):
    person: UUID
    name: str
    group: UUID | None
    split_reason: str
    boarded_at: datetime | None
    arrived_at: datetime | None
    missing: bool

    @staticmethod
    def resolve_person(entry: ManifestEntry) -> UUID:
        return entry.person.public_id

    @staticmethod
    def resolve_name(entry: ManifestEntry) -> str:
        return entry.person.full_name

    @staticmethod
    def resolve_group(entry: ManifestEntry) -> UUID | None:
        return entry.group.public_id if entry.group else None

    @staticmethod
    def resolve_missing(entry: ManifestEntry) -> bool:
        return bool(
            entry.movement.status == Movement.Status.ARRIVED
            and entry.boarded_at
            and not entry.arrived_at
        )


class ManifestOut(Schema):
    movement: MovementOut
    entries: list[EntryOut]
    missing: list[UUID]


class ManifestIn(Schema):
    persons: list[str] = Field(default_factory=list, description="persons' ids")
    group: str = Field("", description="a group's id: every member of it")
    split_reason: str = Field("", description="why a family travels apart, when it does")


class CheckInIn(Schema):
    person: str = Field("", description="the person's id (a tick)")
    code: str = Field("", description="or their number, whole or its first 8 characters (a scan)")


class DepartIn(Schema):
    departed_at: datetime | None = Field(None, description="empty: now")


class CloseIn(Schema):
    arrived_at: datetime | None = Field(None, description="empty: now")


def _get(request: AuthenticatedHttpRequest, movement_id: UUID) -> Movement:
    return selectors.movement_get_for_user(user=request.user, public_id=movement_id)


def _manifest(request: AuthenticatedHttpRequest, movement_id: UUID) -> dict[str, Any]:
    movement = _get(request, movement_id)
    entries = selectors.manifest_shown(user=request.user, movement=movement)
    counts = selectors.manifest_counts(movement=movement, entries=entries)
    return {
        "movement": movement,
        "entries": entries,
        "missing": [entry.person.public_id for entry in counts.missing],
    }


@router.get("", response=list[MovementOut], summary="Movements (coordinators)")
@paginate(FieldopsPagination)
def movement_list(request: AuthenticatedHttpRequest, status: MovementStatus = "") -> Any:
    return selectors.movement_list(user=request.user, status=status)


@router.post("", response={201: MovementOut}, summary="Plan a movement (coordinators)")
def movement_create(request: AuthenticatedHttpRequest, payload: MovementIn) -> Status[Movement]:
    """One vehicle from one place to another; a convoy is the vehicles of one ``convoy``."""
    movement = services.movement_create(
        actor=request.user, data=services.MovementInput(**payload.dict())
    )
    return Status(201, _get(request, movement.public_id))


@router.get("/{movement_id}", response=ManifestOut, summary="A movement and its manifest")
def movement_detail(request: AuthenticatedHttpRequest, movement_id: UUID) -> dict[str, Any]:
    return _manifest(request, movement_id)


@router.post(
    "/{movement_id}/manifest", response={201: ManifestOut}, summary="Add persons or a group"
)
def manifest_add(
    request: AuthenticatedHttpRequest, movement_id: UUID, payload: ManifestIn
) -> Status[dict[str, Any]]:
    """A family is kept on one vehicle: adding some of its members without the others (or
    while they are on another vehicle) needs ``split_reason``."""
    services.manifest_add(
        actor=request.user,
        movement=_get(request, movement_id),
        data=services.ManifestInput(**payload.dict()),
    )
    return Status(201, _manifest(request, movement_id))


@router.delete(
    "/{movement_id}/manifest/{person_id}", response=ManifestOut, summary="Take a person off"
)
def manifest_remove(
    request: AuthenticatedHttpRequest, movement_id: UUID, person_id: UUID
) -> dict[str, Any]:
    services.manifest_remove(
        actor=request.user, movement=_get(request, movement_id), person_id=str(person_id)
    )
    return _manifest(request, movement_id)


def _check_in(
    request: AuthenticatedHttpRequest, movement_id: UUID, payload: CheckInIn, arriving: bool
) -> dict[str, Any]:
    services.check_in(
        actor=request.user,
        movement=_get(request, movement_id),
        arriving=arriving,
        person_id=payload.person,
        code=payload.code,
    )
    return _manifest(request, movement_id)


@router.post("/{movement_id}/board", response=ManifestOut, summary="Check a person in to board")
def board(request: AuthenticatedHttpRequest, movement_id: UUID, payload: CheckInIn) -> Any:
    return _check_in(request, movement_id, payload, arriving=False)


@router.post("/{movement_id}/depart", response=MovementOut, summary="The vehicle leaves")
def depart(request: AuthenticatedHttpRequest, movement_id: UUID, payload: DepartIn) -> Movement:
    services.movement_depart(
        actor=request.user, movement=_get(request, movement_id), departed_at=payload.departed_at
    )
    return _get(request, movement_id)


@router.post("/{movement_id}/arrive", response=ManifestOut, summary="Check a person in on arrival")
def arrive(request: AuthenticatedHttpRequest, movement_id: UUID, payload: CheckInIn) -> Any:
    return _check_in(request, movement_id, payload, arriving=True)


@router.post(
    "/{movement_id}/close",
    response=ManifestOut,
    summary="The vehicle has arrived: who is missing",
)
def close(request: AuthenticatedHttpRequest, movement_id: UUID, payload: CloseIn) -> Any:
    services.movement_close(
        actor=request.user, movement=_get(request, movement_id), arrived_at=payload.arrived_at
    )
    return _manifest(request, movement_id)


@router.post("/{movement_id}/cancel", response=MovementOut, summary="Call off a planned movement")
def cancel(request: AuthenticatedHttpRequest, movement_id: UUID) -> Movement:
    services.movement_cancel(actor=request.user, movement=_get(request, movement_id))
    return _get(request, movement_id)
