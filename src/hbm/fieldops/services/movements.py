"""Writes of movements (evacuations, transfers): the movement, its manifest, the check-in at
departure and at arrival. Every rule is checked before anything is written, in one
transaction with its audit event: a manifest over the vehicle's capacity, a person on two
moving vehicles at once, a family split without a reason, an arrival before the departure
write nothing (ADR 0144)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.fieldops.access import require_manager
from hbm.fieldops.models import ManifestEntry, Movement
from hbm.lib.text import text_problems
from hbm.registry.models import Group, GroupMember, Person
from hbm.registry.selectors import visible_persons

TEXT_NEEDED = "This is needed."
TOO_LONG = "At most {} characters."
CAPACITY_RANGE = "Between 1 and {} seats."
ARRIVAL_BEFORE_DEPARTURE = "The arrival must be after the departure."
PERSONS_NEEDED = "Name a person or a group to add."
UNKNOWN_PERSON = "No such person in your area of work."
UNKNOWN_GROUP = "No such group in your area of work."
ALREADY_ON = "{} is already on this manifest."
OVER_CAPACITY = "The vehicle has {capacity} seats: {count} people would be on it."
ON_ANOTHER_VEHICLE = "{name} is on another vehicle then: {movement}."
FAMILY_SPLIT = (
    "{names} of the same family would not travel on this vehicle: "
    "give the reason for separating them, or add them too."
)
NOT_ON_MANIFEST = "{} is not on this manifest."
NO_SUCH_CODE = "No one on this manifest has the number {!r}."
CODE_AMBIGUOUS = "Several people on this manifest have a number starting {!r}: type more of it."
CODE_TOO_SHORT = "Type at least {} characters of the number."
NOT_PLANNED = "The movement has left (or ended): its manifest cannot change."
NOT_BOARDING = "Boarding is checked before the movement leaves."
NOT_UNDER_WAY = "Arrival is checked while the movement is under way."
NOT_BOARDED = "{} did not board: they cannot arrive."
ALREADY_BOARDED = "{} has boarded already."
ALREADY_ARRIVED = "{} has arrived already."
NO_ONE_BOARDED = "No one has boarded: check them in first, or cancel the movement."
BOARDED_REMOVE = "{} has boarded: they cannot be taken off the manifest."
DEPARTED_BEFORE_PLAN = "The departure cannot be in the future."
ARRIVED_IN_FUTURE = "The arrival cannot be in the future."
CANNOT_CANCEL = "Only a planned movement can be cancelled."
MAX_CAPACITY = 500
CODE_MIN = 8
# A family is kept together on one vehicle; a travel group too. "Travelling alone" is not one.
FAMILY_KINDS = (Group.Kind.HOUSEHOLD, Group.Kind.TRAVEL_GROUP)
MOVING = (Movement.Status.PLANNED, Movement.Status.DEPARTED)


@dataclass
class MovementInput:
    from_place: str
    to_place: str
    vehicle: str
    capacity: int
    planned_departure: datetime
    planned_arrival: datetime
    convoy: str = ""


@dataclass
class ManifestInput:
    persons: list[str] = field(default_factory=list)  # person public ids
    group: str = ""  # a group's public id: every member of it
    split_reason: str = ""


def _name(person: Person) -> str:
    return person.full_name or str(person.public_id)[:CODE_MIN]


def _check_movement(data: MovementInput) -> MovementInput:
    problems: dict[str, list[str]] = {}
    texts = {
        "from_place": (data.from_place, 150),
        "to_place": (data.to_place, 150),
        "vehicle": (data.vehicle, 150),
        "convoy": (data.convoy, 100),
    }
    for key, (value, longest) in texts.items():
        if not value.strip() and key != "convoy":
            problems[key] = [TEXT_NEEDED]
        elif len(value.strip()) > longest:
            problems[key] = [TOO_LONG.format(longest)]
    text_problems({key: value for key, (value, _) in texts.items()}, into=problems)
    if not 1 <= data.capacity <= MAX_CAPACITY:
        problems["capacity"] = [CAPACITY_RANGE.format(MAX_CAPACITY)]
    if data.planned_arrival <= data.planned_departure:
        problems["planned_arrival"] = [ARRIVAL_BEFORE_DEPARTURE]
    if problems:
        raise ValidationError(problems)
    return MovementInput(
        from_place=data.from_place.strip(),
        to_place=data.to_place.strip(),
        vehicle=data.vehicle.strip(),
        convoy=data.convoy.strip(),
        capacity=data.capacity,
        planned_departure=data.planned_departure,
        planned_arrival=data.planned_arrival,
    )


@transaction.atomic
def movement_create(*, actor: User, data: MovementInput) -> Movement:
    require_manager(actor)
    clean = _check_movement(data)
    movement = Movement.objects.create(created_by=actor, agency=actor.agency, **vars(clean))
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, target=movement, detail=str(movement)
    )
    return movement


def _locked(movement: Movement) -> Movement:
    return Movement.objects.select_for_update().get(pk=movement.pk)


def _uuid(value: str) -> UUID | None:
    try:
        return UUID(str(value).strip())
    except ValueError:
        return None


def _persons_named(
    actor: User, data: ManifestInput, problems: dict[str, list[str]]
) -> dict[Person, Group | None]:
    """The persons to add (person -> the group they came with), each checked in scope."""
    visible = visible_persons(user=actor)
    chosen: dict[Person, Group | None] = {}
    if data.group.strip():
        group_id = _uuid(data.group)
        group = Group.objects.filter(public_id=group_id).first() if group_id else None
        members = list(visible.filter(memberships__group=group)) if group else []
        if not members:
            problems["group"] = [UNKNOWN_GROUP]
        chosen.update((person, group) for person in members)
    ids = {index: _uuid(value) for index, value in enumerate(data.persons)}
    found = visible.in_bulk([i for i in ids.values() if i], field_name="public_id")
    for index, public_id in ids.items():
        person = found.get(public_id) if public_id else None
        if person is None:
            problems[f"persons.{index}"] = [UNKNOWN_PERSON]
        else:
            chosen.setdefault(person, None)
    if not chosen and not problems:
        problems["persons"] = [PERSONS_NEEDED]
    return chosen


def _on_another_vehicle(movement: Movement, persons: Iterable[Person]) -> dict[int, Movement]:
    """The persons already on a movement that moves at the same time as this one: under way,
    or planned over a window that meets this one's."""
    same_time = Q(movement__status=Movement.Status.DEPARTED) | Q(
        movement__status=Movement.Status.PLANNED,
        movement__planned_departure__lt=movement.planned_arrival,
        movement__planned_arrival__gt=movement.planned_departure,
    )
    entries = (
        ManifestEntry.objects.filter(same_time, person__in=[p.pk for p in persons])
        .exclude(movement=movement)
        .select_related("movement")
    )
    return {entry.person_id: entry.movement for entry in entries}


def _left_behind(movement: Movement, persons: Iterable[Person]) -> list[Person]:
    """Members of these persons' families who would not be on this movement."""
    pks = {p.pk for p in persons}
    on_board = set(movement.entries.values_list("person_id", flat=True)) | pks
    families = GroupMember.objects.filter(person_id__in=pks, group__kind__in=FAMILY_KINDS)
    relatives = GroupMember.objects.filter(group__in=families.values("group_id")).exclude(
        person_id__in=on_board
    )
    return list(
        Person.objects.filter(pk__in=relatives.values("person_id")).order_by("pk").distinct()
    )


@transaction.atomic
def manifest_add(*, actor: User, movement: Movement, data: ManifestInput) -> list[ManifestEntry]:
    """Put persons on the manifest: those named, and every member of the group named. A
    family is not split across vehicles unless ``split_reason`` says why."""
    require_manager(actor)
    movement = _locked(movement)
    if movement.status != Movement.Status.PLANNED:
        raise ValidationError({"persons": [NOT_PLANNED]})
    problems: dict[str, list[str]] = {}
    chosen = _persons_named(actor, data, problems)
    reason = data.split_reason.strip()
    if len(reason) > 300:
        problems["split_reason"] = [TOO_LONG.format(300)]
    text_problems({"split_reason": data.split_reason}, into=problems)
    if problems:
        raise ValidationError(problems)
    already = set(movement.entries.filter(person__in=chosen).values_list("person_id", flat=True))
    for person in chosen:
        if person.pk in already:
            problems.setdefault("persons", []).append(ALREADY_ON.format(_name(person)))
    count = movement.entries.count() + len(chosen)
    if count > movement.capacity:
        problems.setdefault("persons", []).append(
            OVER_CAPACITY.format(capacity=movement.capacity, count=count)
        )
    moving = _on_another_vehicle(movement, chosen)
    for person in chosen:
        other = moving.get(person.pk)
        if other is not None:
            problems.setdefault("persons", []).append(
                ON_ANOTHER_VEHICLE.format(name=_name(person), movement=other)
            )
    left = _left_behind(movement, chosen)
    if left and not reason:
        problems["split_reason"] = [FAMILY_SPLIT.format(names=", ".join(map(_name, left)))]
    if problems:
        raise ValidationError(problems)
    entries = ManifestEntry.objects.bulk_create(
        ManifestEntry(
            movement=movement,
            person=person,
            group=group,
            split_reason=reason if left else "",
            added_by=actor,
        )
        for person, group in chosen.items()
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=movement,
        detail=f"manifest + {len(entries)}" + (f"; split: {reason}" if left else ""),
    )
    return entries


def _entry(movement: Movement, person_id: str, key: str = "person") -> ManifestEntry:
    public_id = _uuid(person_id)
    entry = (
        movement.entries.select_related("person").filter(person__public_id=public_id).first()
        if public_id
        else None
    )
    if entry is None:
        raise ValidationError({key: [NOT_ON_MANIFEST.format(person_id)]})
    return entry


@transaction.atomic
def manifest_remove(*, actor: User, movement: Movement, person_id: str) -> None:
    require_manager(actor)
    movement = _locked(movement)
    if movement.status != Movement.Status.PLANNED:
        raise ValidationError({"person": [NOT_PLANNED]})
    entry = _entry(movement, person_id)
    if entry.boarded_at is not None:
        raise ValidationError({"person": [BOARDED_REMOVE.format(_name(entry.person))]})
    entry.delete()
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, target=movement, detail="manifest - 1"
    )


def entry_for_code(movement: Movement, code: str) -> ManifestEntry:
    """The manifest entry whose person's number (their id, as the desk shows it) is ``code``
    or starts with it: what a scanner or a typed number gives."""
    code = code.strip().lower()
    if len(code) < CODE_MIN:
        raise ValidationError({"code": [CODE_TOO_SHORT.format(CODE_MIN)]})
    entries = [
        entry
        for entry in movement.entries.select_related("person")
        if str(entry.person.public_id).startswith(code)
        or str(entry.person.public_id).replace("-", "").startswith(code)
    ]
    if not entries:
        raise ValidationError({"code": [NO_SUCH_CODE.format(code)]})
    if len(entries) > 1:
        raise ValidationError({"code": [CODE_AMBIGUOUS.format(code)]})
    return entries[0]


def _check_in(
    actor: User, movement: Movement, entry: ManifestEntry, *, arriving: bool, key: str
) -> ManifestEntry:
    name = _name(entry.person)
    if arriving:
        if movement.status != Movement.Status.DEPARTED:
            raise ValidationError({key: [NOT_UNDER_WAY]})
        if entry.boarded_at is None:
            raise ValidationError({key: [NOT_BOARDED.format(name)]})
        if entry.arrived_at is not None:
            raise ValidationError({key: [ALREADY_ARRIVED.format(name)]})
        entry.arrived_at, entry.arrived_by = timezone.now(), actor
        fields = ["arrived_at", "arrived_by"]
    else:
        if movement.status != Movement.Status.PLANNED:
            raise ValidationError({key: [NOT_BOARDING]})
        if entry.boarded_at is not None:
            raise ValidationError({key: [ALREADY_BOARDED.format(name)]})
        entry.boarded_at, entry.boarded_by = timezone.now(), actor
        fields = ["boarded_at", "boarded_by"]
    entry.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=entry.person,
        fields=fields,
        detail=f"{'arrived' if arriving else 'boarded'}: {movement}",
    )
    return entry


@transaction.atomic
def check_in(
    *, actor: User, movement: Movement, arriving: bool, person_id: str = "", code: str = ""
) -> ManifestEntry:
    """Tick a person as boarded (before departure) or arrived (while under way): by their id
    (a tick box) or by their number, whole or its first characters (a scan, or typed)."""
    require_manager(actor)
    movement = _locked(movement)
    if code or not person_id:
        entry = entry_for_code(movement, code)
        key = "code"
    else:
        entry, key = _entry(movement, person_id), "person"
    return _check_in(actor, movement, entry, arriving=arriving, key=key)


def _when(value: datetime | None, key: str, problem: str) -> datetime:
    now = timezone.now()
    if value is None:
        return now
    if value > now:
        raise ValidationError({key: [problem]})
    return value


@transaction.atomic
def movement_depart(
    *, actor: User, movement: Movement, departed_at: datetime | None = None
) -> Movement:
    """The vehicle leaves with those who boarded; no one boards after."""
    require_manager(actor)
    movement = _locked(movement)
    if movement.status != Movement.Status.PLANNED:
        raise ValidationError({"departed_at": [NOT_PLANNED]})
    when = _when(departed_at, "departed_at", DEPARTED_BEFORE_PLAN)
    boarded = movement.entries.filter(boarded_at__isnull=False).select_related("person")
    if not boarded.exists():
        raise ValidationError({"departed_at": [NO_ONE_BOARDED]})
    moving = _on_another_vehicle(movement, [entry.person for entry in boarded])
    clashes = [
        ON_ANOTHER_VEHICLE.format(name=_name(e.person), movement=moving[e.person_id])
        for e in boarded
        if e.person_id in moving and moving[e.person_id].status == Movement.Status.DEPARTED
    ]
    if clashes:
        raise ValidationError({"departed_at": clashes})
    movement.status, movement.departed_at = Movement.Status.DEPARTED, when
    movement.save(update_fields=["status", "departed_at"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=movement, detail="departed")
    return movement


@transaction.atomic
def movement_close(
    *, actor: User, movement: Movement, arrived_at: datetime | None = None
) -> Movement:
    """The vehicle has arrived: whoever boarded and was not checked in at arrival is
    missing on arrival from now on."""
    require_manager(actor)
    movement = _locked(movement)
    if movement.status != Movement.Status.DEPARTED:
        raise ValidationError({"arrived_at": [NOT_UNDER_WAY]})
    when = _when(arrived_at, "arrived_at", ARRIVED_IN_FUTURE)
    assert movement.departed_at is not None
    if when < movement.departed_at:
        raise ValidationError({"arrived_at": [ARRIVAL_BEFORE_DEPARTURE]})
    movement.status, movement.arrived_at = Movement.Status.ARRIVED, when
    movement.save(update_fields=["status", "arrived_at"])
    missing = movement.entries.filter(boarded_at__isnull=False, arrived_at__isnull=True).count()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=movement,
        detail=f"arrived; {missing} missing",
    )
    return movement


@transaction.atomic
def movement_cancel(*, actor: User, movement: Movement) -> Movement:
    require_manager(actor)
    movement = _locked(movement)
    if movement.status != Movement.Status.PLANNED:
        raise ValidationError({"status": [CANNOT_CANCEL]})
    movement.status = Movement.Status.CANCELLED
    movement.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=movement, detail="cancelled")
    return movement
