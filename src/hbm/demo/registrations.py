"""Load the demo population into the registry in bulk (the desk's service would take minutes
for twenty thousand people), then queue a duplicate rescan for the worker."""

import uuid
from datetime import date

from django.db import transaction
from django.utils import timezone

from hbm.accounts.models import User
from hbm.demo.people import DemoGroup, DemoPerson, demo_population
from hbm.places.models import BorderCrossingPoint
from hbm.registry.birth import age_on, birth_interval
from hbm.registry.models import (
    Consent,
    Crossing,
    DuplicateScan,
    Group,
    GroupMember,
    IdentityCluster,
    Person,
    Registration,
)
from hbm.registry.tasks import rescan_duplicates
from hbm.registry.validation import normalise_document

NAMESPACE = uuid.UUID("3f1d7c52-0c7e-4a7e-9b1e-5d2b7f6f9c01")
BATCH = 2_000


def _registration_id(group: DemoGroup, seed: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{seed}:{group.key}" if seed != 2026 else group.key)


def _age(person: Person, member: DemoPerson, today: date) -> int | None:
    if member.age_estimate is not None:
        return member.age_estimate
    return age_on(today, person.birth_earliest, person.birth_latest)


@transaction.atomic
def demo_load_registrations(
    *,
    points: dict[str, BorderCrossingPoint],
    officers: dict[str, User],
    administrator: User,
    scale: float = 1.0,
    seed: int = 2026,
) -> int:
    """Persons created; 0 when the population is already there."""
    groups = demo_population(scale=scale, seed=seed)
    if Registration.objects.filter(public_id=_registration_id(groups[0], seed)).exists():
        return 0
    today = timezone.localdate()
    people: list[tuple[DemoGroup, DemoPerson, Person]] = []
    for group in groups:
        for member in group.members:
            earliest, latest = birth_interval(
                member.date_of_birth, member.age_estimate, today=today
            )
            person = Person(
                given_name=member.given_name,
                family_name=member.family_name,
                father_name=member.father_name,
                sex=member.sex,
                name_original_script=member.name_original_script,
                date_of_birth=member.date_of_birth,
                age_estimate=member.age_estimate,
                birth_earliest=earliest,
                birth_latest=latest,
                nationality_id=member.nationality,
                document_type="national_id" if member.document_number else "",
                document_number=normalise_document(member.document_number),
                place_of_origin=member.place_of_origin,
                first_crossing_point=points[group.crossing_point],
                created_by=officers.get(group.crossing_point, administrator),
            )
            people.append((group, member, person))
    clusters = IdentityCluster.objects.bulk_create(
        [IdentityCluster() for _ in people], batch_size=BATCH
    )
    for (_, _, person), cluster in zip(people, clusters, strict=True):
        person.cluster = cluster
    Person.objects.bulk_create([p for _, _, p in people], batch_size=BATCH)
    for group, _, person in people:
        person.created_at = group.crossed_at
    Person.objects.bulk_update([p for _, _, p in people], ["created_at"], batch_size=BATCH)
    _load_groups(groups, people, points, officers, administrator, today, seed)
    scan = DuplicateScan.objects.create(started_by=administrator, total=len(people))
    transaction.on_commit(lambda: rescan_duplicates.enqueue(scan_id=scan.pk))
    return len(people)


def _load_groups(
    groups: list[DemoGroup],
    people: list[tuple[DemoGroup, DemoPerson, Person]],
    points: dict[str, BorderCrossingPoint],
    officers: dict[str, User],
    administrator: User,
    today: date,
    seed: int,
) -> None:
    by_group: dict[str, list[tuple[DemoPerson, Person]]] = {}
    for group, member, person in people:
        by_group.setdefault(group.key, []).append((member, person))
    group_rows = Group.objects.bulk_create([Group(kind=g.kind) for g in groups], batch_size=BATCH)
    registrations = Registration.objects.bulk_create(
        [
            Registration(
                public_id=_registration_id(g, seed),
                content_hash="demo",
                group=row,
                crossing_point=points[g.crossing_point],
                registered_by=officers.get(g.crossing_point, administrator),
            )
            for g, row in zip(groups, group_rows, strict=True)
        ],
        batch_size=BATCH,
    )
    for g, registration in zip(groups, registrations, strict=True):
        registration.created_at = g.crossed_at
    Registration.objects.bulk_update(registrations, ["created_at"], batch_size=BATCH)
    members, crossings, consents = [], [], []
    for g, group_row, registration in zip(groups, group_rows, registrations, strict=True):
        officer = officers.get(g.crossing_point, administrator)
        family = by_group[g.key]
        adults = any((age := _age(p, m, today)) is None or age >= 18 for m, p in family)
        for member, person in family:
            age = _age(person, member, today)
            alone = age is not None and age < 18 and not adults
            members.append(
                GroupMember(group=group_row, person=person, relationship=member.relationship)
            )
            crossings.append(
                Crossing(
                    person=person,
                    group=group_row,
                    registration=registration,
                    crossing_point=points[g.crossing_point],
                    direction="entry",
                    crossed_at=g.crossed_at,
                    transport=g.transport,
                    reason=g.reason,
                    origin_country_id=g.origin_country,
                    origin_place=g.origin_place,
                    destination="Bunia" if g.crossing_point != "ndu-bangassou" else "Bondo",
                    child_without_related_adult=alone,
                    registered_by=officer,
                )
            )
            consents.append(
                Consent(person=person, purpose="registration", given=True, recorded_by=officer)
            )
    GroupMember.objects.bulk_create(members, batch_size=BATCH)
    Crossing.objects.bulk_create(crossings, batch_size=BATCH)
    Consent.objects.bulk_create(consents, batch_size=BATCH)
