"""Registrations: people, groups and crossings written at the desk, by the API and by imports,
with the duplicate candidates and checks each registration raises."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple
from uuid import UUID, uuid4

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from hbm.accounts.models import DeviceToken, User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record, audit_record_events
from hbm.lib.inserts import insert
from hbm.lib.permissions import require_role
from hbm.matching import Match
from hbm.places.models import BorderCrossingPoint
from hbm.places.selectors import crossing_point_list, crossing_point_with_scope
from hbm.registry import hooks
from hbm.registry.birth import age_on, birth_interval
from hbm.registry.identity import (
    LATE_COMMIT,
    REGISTRATION_STALENESS,
    person_record,
    registry_index,
)
from hbm.registry.inputs import (
    MemberInput,
    RegistrationInput,
    member_consent_id,
    member_person_id,
)
from hbm.registry.models import (
    Consent,
    Crossing,
    DuplicateCandidate,
    Group,
    GroupMember,
    IdentityCluster,
    Person,
    Registration,
    Relationship,
)
from hbm.registry.selectors import visible_persons
from hbm.registry.validation import (
    UNKNOWN_PERSON,
    Problems,
    normalise_document,
    normalise_phone,
    registration_problems,
)

REGISTERING_ROLES = ("registration_officer", "administrator")
# Who may change a person's record once registered (a photo, a correction), within their scope.
PERSON_WRITERS = ("registration_officer", "protection_officer", "administrator")
# Pairs at or above this probability wait in the review queue. The probability is that of one
# person among all registered (identity.RETURNING_SHARE): on a caseload of 10⁶ it puts 4 % of
# new people and 67 % of returning people into review (docs/benchmarks.md, ADR 0112).
REVIEW_THRESHOLD = 0.05
# The desk shows weaker candidates too, while the officer is still typing.
SHOW_THRESHOLD = 0.01
CANDIDATES_PER_PERSON = 5
# Records compared per new person at registration (the engine's default is 500): at 10⁶
# persons, 250 finds the same true duplicates in the top 10 in less time (docs/benchmarks.md);
# the desk's live panel and the rescan still compare more.
REGISTRATION_CANDIDATES = 250
ADULT_AGE = 18

NOT_YOUR_POINT = "You do not register at this crossing point."
UNKNOWN_POINT = "No crossing point with this code."
REPLAY_DIFFERS = (
    "Registration {} was already received with different content; "
    "send new registrations with a new id."
)
# A replay by someone who may not see the first registration learns nothing of it, not even
# whether the content matched.
REPLAY_REFUSED = "Registration {} was already received; send new registrations with a new id."


class RegistrationConflict(Exception):
    """The registration id was used before for different content (HTTP 409)."""


@dataclass
class Written:
    """What a registration just wrote, so that its outcome is shown without reading it back."""

    members: list[tuple[Person, str]]  # (person, relationship), in the order received
    linked: set[int]  # persons registered before and linked to this crossing
    alone: set[int]  # children travelling with no related adult
    pairs: list[DuplicateCandidate]
    # Whether a check (screening) wrote about the members: a person new to the registry can
    # have flags only from that.
    checks_wrote: bool = True


@dataclass
class RegistrationResult:
    registration: Registration
    replayed: bool = False
    written: Written | None = None  # None for a replay: its outcome is read back


def explanation_json(match: Match) -> dict[str, Any]:
    e = match.explanation
    return {
        "prior_weight": round(e.prior_weight, 3),
        "weight": round(e.weight, 3),
        "probability": round(e.probability, 6),
        "fields": [
            {"field": c.field, "level": c.level, "weight": round(c.weight, 3)}
            for c in e.contributions
        ],
    }


def crossing_point_for_registration(actor: User, code: str) -> BorderCrossingPoint:
    point, in_scope = crossing_point_with_scope(user=actor, code=code)
    if point is None:
        raise ValidationError({"crossing_point": UNKNOWN_POINT})
    if not in_scope:
        raise PermissionDenied(NOT_YOUR_POINT)
    return point


def registration_register(
    *,
    actor: User,
    data: RegistrationInput,
    device: DeviceToken | None = None,
    now: datetime | None = None,
) -> RegistrationResult:
    """Register a group with its crossing in one transaction. Idempotent by ``data.id``:
    a replay returns the first result; the same id with other content raises a conflict."""
    require_role(actor, *REGISTERING_ROLES)
    now = now or timezone.now()
    # A replay is recognised when its id collides on insert (below), sparing every new
    # registration a look-up; one that would now be refused still answers as the first did.
    try:
        point = crossing_point_for_registration(actor, data.crossing_point)
        problems = registration_problems(data, now=now)
        linked = _linked_persons(actor, data, problems)
        if problems:
            raise ValidationError(problems.by_field)
    except (PermissionDenied, ValidationError):
        previous = _previous(actor=actor, data=data)
        if previous is None:
            raise
        return previous
    inside_longer_transaction = transaction.get_connection().in_atomic_block
    if not inside_longer_transaction:
        # Catch up now (inside the transaction it must not), unless a moment ago: this
        # process indexes its own registrations as they commit.
        registry_index.current(staleness=REGISTRATION_STALENESS)
    elif registry_index.catch_up_inside_transactions:
        registry_index.current()
    today = timezone.localdate(now)
    members = _members(data, linked=linked, today=today)
    new = [person for person, member in members if not member.existing_person]
    likely = _likely_duplicates(new, linked=len(members) - len(new))
    # Checks that take time (watchlists) run now, holding no lock; they write inside.
    screened = hooks.screen([person for person, _ in members])
    try:
        result = _register(
            actor=actor,
            data=data,
            point=point,
            device=device,
            now=now,
            members=members,
            likely=likely,
            screened=screened,
        )
    except IntegrityError:
        # A replay, or another request with the same id committed first.
        previous = _previous(actor=actor, data=data)
        if previous is None:
            raise
        return previous
    if inside_longer_transaction:
        # Rows of a long transaction (an import) commit long after they were stamped.
        transaction.on_commit(lambda: stamp_again(new))
    else:
        if new and timezone.now() - min(person.updated_at for person in new) > LATE_COMMIT:
            stamp_again(new)
        registry_index.add_committed(new)
    return result


def stamp_again(persons: list[Person]) -> None:
    """Other processes look back only a little (CATCH_UP_OVERLAP) for persons changed: rows
    committed late are stamped again so that they fall inside it."""
    now = timezone.now()
    Person.objects.filter(pk__in=[person.pk for person in persons]).update(updated_at=now)
    for person in persons:
        person.updated_at = now


def _previous(*, actor: User, data: RegistrationInput) -> RegistrationResult | None:
    """The first result of a replayed registration id, for its officer or anyone who works at
    its crossing point; a refused replay is a conflict that shows nothing. Every replay is
    audited."""
    registration = (
        Registration.objects.filter(public_id=data.id).select_related("crossing_point").first()
    )
    if registration is None:
        return None
    if not _may_replay(actor, registration):
        _audit_replay(actor, registration, AuditEvent.Action.DENIED, "replay out of scope")
        raise RegistrationConflict(REPLAY_REFUSED.format(data.id))
    if registration.content_hash != data.content_hash():
        _audit_replay(actor, registration, AuditEvent.Action.DENIED, "replay, other content")
        raise RegistrationConflict(REPLAY_DIFFERS.format(data.id))
    _audit_replay(actor, registration, AuditEvent.Action.VIEW, "replay")
    return RegistrationResult(registration=registration, replayed=True)


def _may_replay(actor: User, registration: Registration) -> bool:
    if registration.registered_by_id == actor.pk:
        return True
    return crossing_point_list(user=actor).filter(pk=registration.crossing_point_id).exists()


def _audit_replay(actor: User, registration: Registration, action: str, detail: str) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=registration,
        detail=f"{detail} at {registration.crossing_point.code}",
    )


def _linked_persons(actor: User, data: RegistrationInput, problems: Problems) -> dict[Any, Person]:
    """The persons registered before that members are linked to, read in one query within the
    actor's scope. An id outside it gets the problem an unknown id gets: the answer does not
    tell whether the person exists."""
    ids = [member.existing_person for member in data.members if member.existing_person]
    if not ids:
        return {}
    found = visible_persons(user=actor).in_bulk(ids, field_name="public_id")
    for index, member in enumerate(data.members):
        path = f"members.{index}.existing_person"
        if member.existing_person and member.existing_person not in found:
            problems.add(path, UNKNOWN_PERSON)
    return found


def _members(
    data: RegistrationInput, *, linked: dict[Any, Person], today: date
) -> list[tuple[Person, MemberInput]]:
    """Each member's Person, in the order received: a new one not saved yet, or the person
    registered before that the member is linked to."""
    return [
        (
            linked[member.existing_person]
            if member.existing_person
            else person_from(member=member, today=today, public_id=member_person_id(data.id, i)),
            member,
        )
        for i, member in enumerate(data.members)
    ]


def person_from(*, member: MemberInput, today: date, public_id: UUID | None = None) -> Person:
    """An unsaved Person from a member's input (the caller sets cluster, point and author)."""
    earliest, latest = birth_interval(member.date_of_birth, member.age_estimate, today=today)
    return Person(
        public_id=public_id or uuid4(),
        given_name=member.given_name.strip(),
        family_name=member.family_name.strip(),
        father_name=member.father_name.strip(),
        other_names=member.other_names.strip(),
        name_original_script=member.name_original_script.strip(),
        sex=member.sex,
        date_of_birth=member.date_of_birth.strip(),
        birth_earliest=earliest,
        birth_latest=latest,
        age_estimate=member.age_estimate,
        nationality_id=member.nationality.upper() or None,
        document_type=member.document_type,
        document_number=normalise_document(member.document_number),
        phone=normalise_phone(member.phone),
        place_of_origin=member.place_of_origin.strip(),
        languages=[code.lower() for code in member.languages],
    )


def _age(person: Person, member: MemberInput, now: datetime) -> int | None:
    if member.age_estimate is not None:
        return member.age_estimate
    return age_on(timezone.localdate(now), person.birth_earliest, person.birth_latest)


def children_without_related_adult(
    members: list[tuple[Person, MemberInput]], now: datetime
) -> set[int]:
    """Persons under 18 with no adult relative in the group. Relationships are to the head,
    so the head and its relatives form the family; an unrelated member belongs to no one."""
    ages = {person.pk: _age(person, member, now) for person, member in members}
    family_adult = any(
        member.relationship != Relationship.UNRELATED
        and (ages[person.pk] or 0) >= ADULT_AGE  # an unknown age is not an adult's
        for person, member in members
    )
    flagged = set()
    for person, member in members:
        age = ages[person.pk]
        if age is None or age >= ADULT_AGE:
            continue
        if member.relationship == Relationship.UNRELATED or not family_adult:
            flagged.add(person.pk)
    return flagged


class Likely(NamedTuple):
    """A person the engine found like a new one, with the explanation a pair will keep."""

    other: int
    probability: float
    weight: float
    explanation: dict[str, Any]


def _likely_duplicates(persons: list[Person], *, linked: int) -> list[list[Likely]]:
    """The engine's candidates for each new person, searched and explained before the
    transaction opens: no database lock is held while the engine works (the persons have no
    id yet). Of the group, only the ``linked`` persons registered before can be found, and
    they are no one's candidates here."""
    return [
        [
            Likely(int(m.id), m.probability, m.weight, explanation_json(m))
            for m in registry_index.search(
                person_record(person),
                limit=CANDIDATES_PER_PERSON + linked,
                threshold=REVIEW_THRESHOLD,
                catch_up=False,
                max_candidates=REGISTRATION_CANDIDATES,
            )
        ]
        for person in persons
    ]


def _pairs(person: Person, likely: list[Likely], exclude: set[int]) -> list[DuplicateCandidate]:
    pairs = []
    for other, probability, weight, explanation in likely:
        if other in exclude or other == person.pk:
            continue
        low, high = sorted((other, person.pk))
        pairs.append(
            DuplicateCandidate(
                person_a_id=low,
                person_b_id=high,
                probability=probability,
                weight=weight,
                explanation=explanation,
            )
        )
    return pairs[:CANDIDATES_PER_PERSON]


def registration_consent(data: RegistrationInput) -> dict[str, Any]:
    """The registration consent's fields: the consent given, or the legal basis registered
    under (registration_problems refuses a group without either)."""
    if not data.consent_given:
        return {"given": False, "legal_basis": settings.REGISTRATION_LEGAL_BASIS}
    name = data.consent_given_by.strip()
    giver = data.consent_giver or (Consent.GivenBy.OTHER if name else Consent.GivenBy.SELF)
    return {"given": True, "given_by": giver, "given_by_name": name, "method": data.consent_method}


@transaction.atomic
def _register(
    *,
    actor: User,
    data: RegistrationInput,
    point: BorderCrossingPoint,
    device: DeviceToken | None,
    now: datetime,
    members: list[tuple[Person, MemberInput]],
    likely: list[list[Likely]],
    screened: list[hooks.Write],
) -> RegistrationResult:
    """Every row of one registration, written in a handful of statements."""
    new = [person for person, member in members if not member.existing_person]
    existing = [person for person, member in members if member.existing_person]
    (group,) = insert([Group(kind=data.group_kind)])
    (registration,) = insert(
        [
            Registration(
                public_id=data.id,
                content_hash=data.content_hash(),
                group=group,
                crossing_point=point,
                registered_by=actor,
                device=device,
            )
        ]
    )
    clusters = insert([IdentityCluster() for _ in new])
    for person, cluster in zip(new, clusters, strict=True):
        person.cluster, person.first_crossing_point, person.created_by = cluster, point, actor
    insert(new)
    flagged = children_without_related_adult(members, now)
    insert(
        [
            GroupMember(group=group, person=person, relationship=member.relationship)
            for person, member in members
        ]
    )
    crossings = insert(
        [
            Crossing(
                person=person,
                group=group,
                registration=registration,
                crossing_point=point,
                direction=data.direction,
                crossed_at=data.crossed_at or now,
                transport=data.transport,
                reason=data.reason,
                origin_country_id=data.origin_country.upper() or None,
                origin_place=data.origin_place.strip(),
                destination=data.destination.strip(),
                child_without_related_adult=person.pk in flagged,
                registered_by=actor,
            )
            for person, _ in members
        ]
    )
    insert(
        [
            Consent(
                public_id=member_consent_id(data.id, index),
                person=person,
                purpose=Consent.Purpose.REGISTRATION,
                recorded_by=actor,
                **registration_consent(data),
            )
            for index, (person, _) in enumerate(members)
        ]
    )
    in_this_group = {person.pk for person, _ in members}
    pairs = [
        pair
        for person, found in zip(new, likely, strict=True)
        for pair in _pairs(person, found, exclude=in_this_group)
    ]
    # New persons have no pairs yet, so nothing here can conflict.
    insert(pairs)
    for write in screened:
        write()
    hooks.crossings_recorded(crossings)
    hooks.registration_recorded(data, crossings)
    create, view = AuditEvent.Action.CREATE, AuditEvent.Action.VIEW
    audit_record_events(
        actor=actor,
        events=[
            *((create, person, f"registration {data.id}") for person in new),
            *((view, person, "linked to a new crossing") for person in existing),
            (create, registration, f"{len(members)} people at {point.code}"),
        ],
    )
    written = Written(
        members=[(person, member.relationship) for person, member in members],
        linked={person.pk for person in existing},
        alone=flagged,
        pairs=pairs,
        checks_wrote=bool(screened),
    )
    return RegistrationResult(registration=registration, written=written)
