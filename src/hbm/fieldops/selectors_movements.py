"""Reads of movements: coordinators and administrators see every movement and its manifest
(their roles are national: every person is in their area of work); the person page shows
anyone who may open the person the movements they were on."""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, Q, QuerySet

from hbm.accounts.models import User
from hbm.audit.paging import record_shown
from hbm.fieldops.access import require_manager
from hbm.fieldops.models import ManifestEntry, Movement
from hbm.fieldops.selectors import one_by_public_id
from hbm.registry.models import Person

NO_SUCH_MOVEMENT = "No such movement."
STATUSES = tuple(Movement.Status.values)


def movement_list(*, user: User, status: str = "") -> QuerySet[Movement]:
    """Every movement, the next to leave first among the planned; with their counts."""
    require_manager(user)
    movements = Movement.objects.annotate(
        on_manifest=Count("entries"),
        boarded=Count("entries", filter=Q(entries__boarded_at__isnull=False)),
        arrived=Count("entries", filter=Q(entries__arrived_at__isnull=False)),
    )
    if status:
        movements = movements.filter(status=status)
    return movements.order_by("-planned_departure", "-pk")


def movement_get_for_user(*, user: User, public_id: UUID | str) -> Movement:
    return one_by_public_id(movement_list(user=user), public_id, NO_SUCH_MOVEMENT)


def manifest_shown(*, user: User, movement: Movement) -> list[ManifestEntry]:
    """The manifest, families together in the order they were added, put on record as a
    view of each person on it. Its length is bounded by the vehicle's seats (at most
    services.movements.MAX_CAPACITY): it is read whole."""
    entries = list(movement.entries.select_related("person", "group").order_by("pk"))
    record_shown(
        actor=user,
        rows=entries,
        detail=f"manifest of {movement.public_id}",
        shown=lambda entry: [entry.person],
    )
    return entries


@dataclass(frozen=True)
class ManifestCounts:
    on_manifest: int
    boarded: int
    arrived: int
    missing: list[ManifestEntry]


def manifest_counts(*, movement: Movement, entries: list[ManifestEntry]) -> ManifestCounts:
    """The counts of the check-in and, once the movement has arrived, who is missing: boarded
    and not checked in at the arrival."""
    arrived_movement = movement.status == Movement.Status.ARRIVED
    return ManifestCounts(
        on_manifest=len(entries),
        boarded=sum(1 for e in entries if e.boarded_at),
        arrived=sum(1 for e in entries if e.arrived_at),
        missing=[e for e in entries if arrived_movement and e.boarded_at and not e.arrived_at],
    )


def person_movements(*, person: Person) -> QuerySet[ManifestEntry]:
    """The movements a person was put on, the latest first (the person page's timeline of
    departures and arrivals at transit centres: never registry crossings)."""
    return (
        ManifestEntry.objects.filter(person=person)
        .select_related("movement")
        .order_by("-movement__planned_departure", "-pk")
    )
