"""Reads of the registry, scoped to the viewer: persons are visible to the roles that work
with them, at the crossing points where they crossed (national roles: everywhere)."""

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.filters import InvalidFilters
from hbm.lib.permissions import require_role
from hbm.lib.text import text_problems
from hbm.places.models import BorderCrossingPoint
from hbm.places.selectors import crossing_point_list
from hbm.registry.models import (
    Consent,
    Crossing,
    DuplicateCandidate,
    DuplicateScan,
    Group,
    GroupMember,
    Person,
    PersonCorrection,
    PersonReveal,
    Sex,
)
from hbm.registry.validation import normalise_document, normalise_phone

PERSON_READERS = (
    "registration_officer",
    "protection_officer",
    "health_officer",
    "security_officer",
    "coordinator",
    "administrator",
)
NOT_A_READER = "Your role does not give access to people's records."
NO_SUCH_PERSON = "No such person in your area of work."
# A filter given but empty once normalised would match everyone: it is refused instead.
EMPTY_NAME = "A name to search for needs at least one letter."
NAME_TOO_LONG = "A name to search for is at most {} characters."
#: The longest name a person record holds (other names, the original script).
NAME_MAX_LENGTH = 300
EMPTY_DOCUMENT = "A document number to search for needs at least one letter or digit."
EMPTY_PHONE = "A phone number to search for needs at least one digit."
BAD_NATIONALITY = "A nationality is a three-letter ISO 3166 code, e.g. COD."
BAD_SEX = "Sex is one of: {}."
DATES_REVERSED = "The first date is after the last date."


def _require_reader(user: User) -> None:
    require_role(user, *PERSON_READERS, message=NOT_A_READER)


def _crossed_at_points_of(user: User, person: Any) -> Exists | None:
    """Whether the person crossed at one of the user's points (None: national scope), looked
    up through the person's own crossings."""
    if user.has_national_scope:
        return None
    points = crossing_point_list(user=user).values("pk")
    return Exists(Crossing.objects.filter(person=person, crossing_point__in=points))


# What a list of persons shows of each (the API's rows name the cluster too): read in the same
# query, not one query per person.
PERSON_ROW_RELATED = ("nationality", "first_crossing_point", "cluster")


def visible_persons(*, user: User) -> QuerySet[Person]:
    _require_reader(user)
    persons = Person.objects.select_related(*PERSON_ROW_RELATED)
    in_scope = _crossed_at_points_of(user, OuterRef("pk"))
    return persons if in_scope is None else persons.filter(in_scope)


def persons_in_scope(*, user: User) -> QuerySet[Crossing, Any] | None:
    """The ids of the persons the user may see, as a subquery read from the crossings at the
    user's points (their point index); None for national scope, where every person is. For
    lists of records about persons: filtering them by ``person_id__in`` reads the user's share
    instead of checking every row of the list's table (visible_persons' per-row EXISTS)."""
    _require_reader(user)
    if user.has_national_scope:
        return None
    points = crossing_point_list(user=user).values("pk")
    return Crossing.objects.order_by().filter(crossing_point__in=points).values("person_id")


def visible_crossings(*, user: User) -> QuerySet[Crossing]:
    _require_reader(user)
    crossings = Crossing.objects.select_related("person", "crossing_point", "group")
    if user.has_national_scope:
        return crossings
    return crossings.filter(crossing_point__in=crossing_point_list(user=user).values("pk"))


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def crossed_between(
    crossings: QuerySet[Crossing], since: date | None, until: date | None
) -> QuerySet[Crossing]:
    """Crossings on the days from ``since`` to ``until`` (in the current time zone), as a
    half-open range on the bare column so that its indexes apply (``__date`` wraps the
    column in a function, which no index can serve)."""
    if since:
        crossings = crossings.filter(crossed_at__gte=_day_start(since))
    if until:
        crossings = crossings.filter(crossed_at__lt=_day_start(until + timedelta(days=1)))
    return crossings


def crossing_list(
    *,
    user: User,
    crossing_point: str = "",
    direction: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[Crossing]:
    crossings = visible_crossings(user=user)
    if direction:
        crossings = crossings.filter(direction=direction)
    if crossing_point:
        crossings = crossings.filter(crossing_point__code=crossing_point)
        crossings = crossed_between(crossings, since, until)
    elif since or until:
        # Through the time index: else SQLite walks the whole table newest first for a
        # page of old crossings.
        in_time = crossed_between(Crossing.objects.order_by(), since, until)
        crossings = crossings.filter(pk__in=in_time.values("pk"))
    return crossings.order_by("-pk")


@dataclass(frozen=True)
class PersonFilters:
    """A person search, normalised: build it with ``person_filters``."""

    name: str = ""
    document_number: str = ""
    phone: str = ""
    crossing_point: str = ""
    nationality: str = ""
    sex: str = ""
    crossed_since: date | None = None
    crossed_until: date | None = None


def person_filters(
    *,
    name: str = "",
    document_number: str = "",
    phone: str = "",
    crossing_point: str = "",
    nationality: str = "",
    sex: str = "",
    crossed_since: date | None = None,
    crossed_until: date | None = None,
) -> PersonFilters:
    """The search, normalised as the registry stores the values. A blank filter is not used;
    one that normalises to nothing (a phone of '.', a name of punctuation) raises
    InvalidFilters rather than matching everyone."""
    name, document_number, phone = name.strip(), document_number.strip(), phone.strip()
    nationality, sex = nationality.strip().upper(), sex.strip().upper()
    typed = {"name": name, "document_number": document_number, "phone": phone}
    problems = text_problems({**typed, "crossing_point": crossing_point})
    if problems:  # refused characters: the other checks would only repeat them
        raise InvalidFilters(problems)
    if len(name) > NAME_MAX_LENGTH:
        problems["name"] = [NAME_TOO_LONG.format(NAME_MAX_LENGTH)]
    elif name and not any(ch.isalpha() for ch in name):
        problems["name"] = [EMPTY_NAME]
    if document_number:
        document_number = normalise_document(document_number)
        if not any(ch.isalnum() for ch in document_number):
            problems["document_number"] = [EMPTY_DOCUMENT]
    if phone:
        phone = normalise_phone(phone)
        if not phone.lstrip("+"):
            problems["phone"] = [EMPTY_PHONE]
    if nationality and not re.fullmatch("[A-Z]{3}", nationality):
        problems["nationality"] = [BAD_NATIONALITY]
    if sex and sex not in Sex.values:
        problems["sex"] = [BAD_SEX.format(", ".join(Sex.values))]
    if crossed_since and crossed_until and crossed_since > crossed_until:
        problems["crossed_until"] = [DATES_REVERSED]
    if problems:
        raise InvalidFilters(problems)
    return PersonFilters(
        name=name,
        document_number=document_number,
        phone=phone,
        crossing_point=crossing_point.strip(),
        nationality=nationality,
        sex=sex,
        crossed_since=crossed_since,
        crossed_until=crossed_until,
    )


def _crossed(filters: PersonFilters) -> QuerySet[Crossing] | None:
    """The crossings the point and date filters select, read from the crossings' own indexes
    (point and time, or time alone); None without such a filter."""
    if not (filters.crossing_point or filters.crossed_since or filters.crossed_until):
        return None
    crossings = Crossing.objects.order_by()
    if filters.crossing_point:
        point = (
            BorderCrossingPoint.objects.filter(code=filters.crossing_point)
            .values_list("pk", flat=True)
            .first()
        )
        if point is None:
            return crossings.none()
        crossings = crossings.filter(crossing_point_id=point)
    return crossed_between(crossings, filters.crossed_since, filters.crossed_until)


def person_list(
    *, user: User, filters: PersonFilters, per_row: bool = False, before: int | None = None
) -> QuerySet[Person]:
    """Persons matching the filters other than the name, newest first (a name is ranked by
    hbm.registry.search, among these); with ``before`` (a primary key), only those older
    than that person, to read a page on from the last one shown. A point officer's
    persons are read from the crossings at their points: a per-person check would walk the
    whole registry to fill a page when their points hold a small share of it. ``per_row``
    checks each person instead, for a query bounded by its own keys (a chunk of a ranking):
    the read from the crossings would take every crossing of the points for each chunk."""
    if per_row:
        persons = visible_persons(user=user)
    else:
        persons = Person.objects.select_related(*PERSON_ROW_RELATED)
        in_scope = persons_in_scope(user=user)
        if in_scope is not None:
            persons = persons.filter(pk__in=in_scope)
    if filters.document_number:
        persons = persons.filter(document_number=filters.document_number)
    if filters.phone:
        persons = persons.filter(phone=filters.phone)
    if filters.nationality:
        persons = persons.filter(nationality_id=filters.nationality)
    if filters.sex:
        persons = persons.filter(sex=filters.sex)
    crossed = _crossed(filters)
    if crossed is not None:
        # Driven from the matching crossings: a per-person EXISTS would scan the point's
        # crossings once for every person in the registry.
        persons = persons.filter(pk__in=crossed.values("person_id"))
    if before is not None:
        persons = persons.filter(pk__lt=before)
    return persons.order_by("-pk")


def _members() -> Prefetch[Any]:
    return Prefetch("members", GroupMember.objects.select_related("person").order_by("pk"))


def group_list(*, user: User, kind: str = "") -> QuerySet[Group]:
    """Groups with a member the user may see (as group_get_for_user), newest first, members
    at hand in registration order. The members are read from the persons in scope (the
    crossings at the user's points), not checked group by group."""
    groups = Group.objects.prefetch_related(_members())
    in_scope = persons_in_scope(user=user)
    if in_scope is not None:
        members = GroupMember.objects.order_by().filter(person_id__in=in_scope)
        groups = groups.filter(pk__in=members.values("group_id"))
    if kind:
        groups = groups.filter(kind=kind)
    return groups.order_by("-pk")


def group_get_for_user(*, user: User, public_id: UUID | str) -> Group:
    """A group whose members include someone the user may see."""
    visible = visible_persons(user=user).values("pk")
    groups = Group.objects.filter(public_id=public_id, members__person__in=visible)
    group = groups.prefetch_related(_members()).first()
    if group is None:
        raise Http404("No such group in your area of work.")
    return group


def person_crossing_points(*, user: User, person: Person) -> QuerySet[BorderCrossingPoint]:
    """The user's crossing points where the person crossed."""
    return crossing_point_list(user=user).filter(crossings__person=person).distinct()


def person_get_for_user(*, user: User, public_id: UUID | str) -> Person:
    """The person, or 404 — unknown and out of scope alike, the attempt audited as denied."""
    try:
        return visible_persons(user=user).get(public_id=public_id)
    except (Person.DoesNotExist, ValueError, ValidationError):
        audit_record(
            actor=user,
            action=AuditEvent.Action.DENIED,
            object_type="registry.person",
            object_id=str(public_id)[:64],
            detail="not found in the area of work",
        )
        raise Http404(NO_SUCH_PERSON) from None


def registration_crossings(*, user: User, public_id: str) -> list[Crossing]:
    """The crossings of one registration the user may see, head first (the desk's result);
    none for an id that is not a registration's."""
    try:
        UUID(str(public_id))
    except ValueError:
        return []
    return list(
        visible_crossings(user=user).filter(registration__public_id=public_id).order_by("pk")
    )


def person_check_scope(*, user: User, person: Person) -> None:
    """For services writing about a person they were handed: 404, as person_get_for_user
    answers, unless the user may see the person."""
    if not visible_persons(user=user).filter(pk=person.pk).exists():
        raise Http404(NO_SUCH_PERSON)


def person_crossings(*, person: Person) -> QuerySet[Crossing]:
    """Newest first. The person page shows these lists a page at a time, so each is in a total
    order (the primary key breaks ties): a row is on exactly one page."""
    return person.crossings.select_related("crossing_point", "origin_country").order_by(
        "-crossed_at", "-pk"
    )


def person_groups(*, person: Person) -> QuerySet[Group]:
    return (
        Group.objects.filter(members__person=person)
        .prefetch_related("members__person")
        .order_by("-created_at", "-pk")
    )


def person_corrections(*, person: Person) -> QuerySet[PersonCorrection]:
    """Newest first, in a total order (the primary key breaks ties) for paging."""
    return person.corrections.select_related("corrected_by").order_by("-corrected_at", "-pk")


def person_cluster_members(*, person: Person) -> QuerySet[Person]:
    return (
        Person.objects.filter(cluster_id=person.cluster_id)
        .exclude(pk=person.pk)
        .select_related("first_crossing_point")
        .order_by("-created_at", "-pk")
    )


def persons_openable(*, user: User, persons: Iterable[Person]) -> set[int]:
    """Which of these persons the user may open: the person page names registrations of the
    same identity at other points, but links only those in the user's area of work."""
    return set(
        visible_persons(user=user)
        .filter(pk__in=[p.pk for p in persons])
        .values_list("pk", flat=True)
    )


def persons_revealed(*, user: User, person_ids: Iterable[int]) -> set[int]:
    """Which of these persons the user has an unexpired "needed for this case" step for."""
    return set(
        PersonReveal.objects.filter(
            user=user, person_id__in=list(person_ids), expires_at__gt=timezone.now()
        ).values_list("person_id", flat=True)
    )


def persons_shown_in_full(*, user: User, person_ids: Collection[int]) -> set[int]:
    """Which of these persons the user sees in full as a match or duplicate candidate: those of
    their area of work and those revealed to them for a case. The others show the minimum."""
    if not person_ids:
        return set()
    if user.has_national_scope:
        return set(person_ids)
    _require_reader(user)
    in_area = Crossing.objects.filter(
        person_id__in=list(person_ids),
        crossing_point__in=crossing_point_list(user=user).values("pk"),
    ).values_list("person_id", flat=True)
    return set(in_area) | persons_revealed(user=user, person_ids=person_ids)


def person_get_for_reveal(*, user: User, public_id: UUID | str) -> Person:
    """Any registered person, for the "needed for this case" step (404 if there is none)."""
    _require_reader(user)
    try:
        return Person.objects.select_related(*PERSON_ROW_RELATED).get(public_id=public_id)
    except (Person.DoesNotExist, ValueError, ValidationError):
        raise Http404(NO_SUCH_PERSON) from None


def duplicate_candidates_for(*, persons: list[Person]) -> QuerySet[DuplicateCandidate]:
    ids = [p.pk for p in persons]
    # One lookup per side, each on its own index: with "a OR b" the databases walk every
    # open pair instead.
    pairs = DuplicateCandidate.objects.order_by()
    found = {
        *pairs.filter(person_a_id__in=ids).values_list("pk", flat=True),
        *pairs.filter(person_b_id__in=ids).values_list("pk", flat=True),
    }
    return DuplicateCandidate.objects.filter(
        pk__in=found, status=DuplicateCandidate.Status.OPEN
    ).select_related("person_a", "person_b")


def person_duplicate_candidates(*, person: Person) -> QuerySet[DuplicateCandidate]:
    """The person's open pairs, most likely first."""
    return duplicate_candidates_for(persons=[person]).order_by("-probability", "pk")


def _duplicates_visible_to(user: User) -> QuerySet[DuplicateCandidate]:
    """Pairs with a person the user may see: either side among the persons who crossed at
    the user's points (a set read once from the crossings' point index, not a subquery run
    for every pair)."""
    pairs = DuplicateCandidate.objects.all()
    in_scope = persons_in_scope(user=user)
    if in_scope is None:
        return pairs
    return pairs.filter(Q(person_a__in=in_scope) | Q(person_b__in=in_scope))


_Status = DuplicateCandidate.Status
# What the queue shows: pairs waiting (open, not sure), pairs decided, or all of them.
QUEUE_SHOWS = {
    "open": (_Status.OPEN, _Status.UNSURE),
    "decided": (_Status.SAME, _Status.DIFFERENT),
    "all": tuple(_Status),
}


def duplicate_queue(*, user: User, show: str = "open") -> QuerySet[DuplicateCandidate]:
    """The pairs ``show`` names (QUEUE_SHOWS) involving a person the user may see, most likely
    first; each status is a range of duplicate_queue_idx."""
    return (
        _duplicates_visible_to(user)
        .filter(status__in=QUEUE_SHOWS[show])
        .select_related(
            "person_a__first_crossing_point",
            "person_b__first_crossing_point",
            "person_a__nationality",
            "person_b__nationality",
            "decided_by",
        )
        .order_by("-probability", "pk")
    )


NO_SUCH_PAIR = "No such duplicate candidate in your area of work."


def duplicate_get_for_user(*, user: User, pk: int) -> DuplicateCandidate:
    pair = (
        _duplicates_visible_to(user)
        .select_related("person_a__first_crossing_point", "person_b__first_crossing_point")
        .filter(pk=pk)
        .first()
    )
    if pair is None:
        raise Http404(NO_SUCH_PAIR)
    return pair


def duplicate_check_scope(*, user: User, candidate: DuplicateCandidate) -> None:
    """For decisions on a pair: 404, as duplicate_get_for_user answers, unless the pair is
    one the reviewer may see."""
    if not _duplicates_visible_to(user).filter(pk=candidate.pk).exists():
        raise Http404(NO_SUCH_PAIR)


def duplicate_scan_latest() -> DuplicateScan | None:
    return DuplicateScan.objects.order_by("-queued_at").first()


NO_SUCH_CONSENT = "No such consent record for you."


def person_consents(*, person: Person) -> QuerySet[Consent]:
    """Every consent record of the person, newest first, withdrawn ones included."""
    return person.consents.select_related("recorded_by", "withdrawn_by").order_by(
        "-recorded_at", "-pk"
    )


def consent_get_for_user(*, user: User, public_id: UUID | str, pk: int) -> Consent:
    """One consent record of a person the user may see (404 otherwise, as for the person)."""
    person = person_get_for_user(user=user, public_id=public_id)
    consent = person_consents(person=person).filter(pk=pk).first()
    if consent is None:
        raise Http404(NO_SUCH_CONSENT)
    return consent


def valid_consent_rule(*, today: date) -> Q:
    """Consents in force on ``today``: given, not withdrawn, not expired."""
    return Q(given=True, withdrawn_at__isnull=True) & (
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )


def consent_in_force(*, person: Person, purpose: str, scope: str, today: date) -> Consent | None:
    """The newest consent in force for the purpose that covers ``scope``: one recorded for it,
    or one for the whole purpose (an empty scope)."""
    return (
        person.consents.filter(valid_consent_rule(today=today), purpose=purpose)
        .filter(Q(scope="") | Q(scope=scope))
        .order_by("-recorded_at", "-pk")
        .first()
    )
