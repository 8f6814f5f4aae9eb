"""Read models composed for the desk and the API: a registration's outcome, match candidates."""

from collections.abc import Collection
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Field
from django.utils import timezone
from django.utils.text import capfirst

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.types import StrOrPromise
from hbm.matching import InvalidRecordError, PersonRecord
from hbm.places.models import BorderCrossingPoint
from hbm.registry import hooks, selectors
from hbm.registry.identity import registry_index
from hbm.registry.models import (
    Person,
    PersonCorrection,
    Registration,
    Sex,
    full_name,
    year_of_birth,
)
from hbm.registry.services import (
    SHOW_THRESHOLD,
    RegistrationResult,
    Written,
    explanation_json,
)
from hbm.registry.services.corrections import ATTRIBUTES

CANDIDATE_FIELDS = (
    "public_id",
    "given_name",
    "father_name",
    "family_name",
    "sex",
    "date_of_birth",
    "age_estimate",
    "nationality_id",
    "created_at",
    "first_crossing_point__code",
)


def _candidates(pks: Collection[int]) -> dict[int, dict[str, Any]]:
    """What the desk shows of each candidate (the CANDIDATE_FIELDS). Read for every
    registration's answer, so the statement is written out once per number of candidates
    instead of built by the ORM each time (ADR 0006)."""
    if not pks:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_candidates_sql(len(pks)), list(pks))
        rows = cursor.fetchall()
    to_uuid = Person._meta.get_field("public_id").to_python
    return {
        pk: dict(zip(CANDIDATE_FIELDS, (to_uuid(public_id), *rest), strict=True))
        for pk, public_id, *rest in rows
    }


@cache
def _candidates_sql(count: int) -> str:
    own = CANDIDATE_FIELDS[:-1]  # the last, the point's code, comes from the join
    columns = ", ".join(f"p.{_field(name).column}" for name in own)
    return (
        f"SELECT p.id, {columns}, b.code FROM {Person._meta.db_table} p"
        f" JOIN {BorderCrossingPoint._meta.db_table} b ON b.id = p.first_crossing_point_id"
        f" WHERE p.id IN ({', '.join(['%s'] * count)})"
    )


def _registered_on(created_at: datetime) -> date:
    if timezone.is_naive(created_at):  # SQLite's column, read raw, is naive UTC
        created_at = timezone.make_aware(created_at, UTC)
    return timezone.localdate(created_at)


def candidate_summary(
    person: dict[str, Any], probability: float, explanation: dict[str, Any], *, full: bool
) -> dict[str, Any]:
    """One duplicate candidate; ``person`` holds the CANDIDATE_FIELDS. Not ``full``: a person
    registered outside the user's points, shown with only what deciding needs (name, year of
    birth, sex, point and date) until the user takes the "needed for this case" step."""
    age = person["age_estimate"]
    registered_on = _registered_on(person["created_at"])
    return {
        "person": person["public_id"],
        "shown": "full" if full else "minimum",
        "name": full_name(person["given_name"], person["father_name"], person["family_name"]),
        "year_of_birth": year_of_birth(person["date_of_birth"], age, registered_on),
        "sex": person["sex"],
        "date_of_birth": (person["date_of_birth"] or (f"~{age} y" if age is not None else ""))
        if full
        else "",
        "nationality": person["nationality_id"] if full else None,
        "first_crossing_point": person["first_crossing_point__code"],
        "registered_on": registered_on,
        "probability": round(probability, 4),
        "explanation": explanation,
    }


def registration_summary(*, user: User, result: RegistrationResult) -> dict[str, Any]:
    """The outcome of a registration: its persons, flags and duplicate candidates. A fresh
    registration is described from what it wrote; a replay is read back."""
    registration = result.registration
    written = result.written or _read_back(registration)
    persons = [person for person, _ in written.members]
    in_group = {person.pk for person in persons}
    pairs = list(written.pairs)
    linked = [person for person in persons if person.pk in written.linked]
    if result.written and linked:  # pairs found before, when they were registered
        pairs += selectors.duplicate_candidates_for(persons=linked)
    found: list[tuple[int, int, float, dict[str, Any]]] = []
    for pair in pairs:
        for mine, other in (
            (pair.person_a_id, pair.person_b_id),
            (pair.person_b_id, pair.person_a_id),
        ):
            if mine in in_group and other not in in_group:
                found.append((mine, other, pair.probability, pair.explanation))
    others = _candidates({other for _, other, _, _ in found})
    in_full = selectors.persons_shown_in_full(user=user, person_ids=others.keys())
    candidates: dict[int, list[dict[str, Any]]] = {pk: [] for pk in in_group}
    for mine, other, probability, explanation in found:
        summary = candidate_summary(others[other], probability, explanation, full=other in in_full)
        candidates[mine].append(summary)
    flagged = persons if written.checks_wrote else linked
    flags = hooks.flags_for_many(flagged) if flagged else {}
    return {
        "id": registration.public_id,
        "group": registration.group.public_id,
        "crossing_point": registration.crossing_point.code,
        "created_at": registration.created_at,
        "persons": [
            {
                "person": person.public_id,
                "relationship": relationship,
                "linked_existing": person.pk in written.linked,
                "child_without_related_adult": person.pk in written.alone,
                "flags": flags.get(person.pk, []),
                "duplicate_candidates": sorted(
                    candidates[person.pk], key=lambda c: -c["probability"]
                ),
            }
            for person, relationship in written.members
        ],
    }


def _read_back(registration: Registration) -> Written:
    members = list(registration.group.members.select_related("person").order_by("pk"))
    persons = [m.person for m in members]
    alone = registration.crossings.filter(child_without_related_adult=True)
    return Written(
        members=[(m.person, m.relationship) for m in members],
        linked={p.pk for p in persons if p.created_at < registration.created_at},
        alone=set(alone.values_list("person_id", flat=True)),
        pairs=list(selectors.duplicate_candidates_for(persons=persons)),
    )


def _query_record(query: dict[str, Any]) -> PersonRecord:
    """The engine's record of a match query; what it refuses is a ValidationError on the
    field its message names first ("sex 'Q' is not one of F, M, X or empty")."""
    try:
        return PersonRecord(id="query", **query)
    except InvalidRecordError as invalid:
        errors: dict[str, list[str]] = {}
        for problem in invalid.problems:
            name = problem.message.split(" ", 1)[0]
            errors.setdefault(name if name in query else "__all__", []).append(problem.message)
        raise ValidationError(errors) from invalid


def match_candidates(
    *, user: User, query: dict[str, Any], limit: int = 10, threshold: float = SHOW_THRESHOLD
) -> list[dict[str, Any]]:
    """Persons the engine finds like ``query``, from every crossing point: the desk must see
    a person registered elsewhere to avoid a second record, but only one that may be the same
    person (never below SHOW_THRESHOLD, whatever ``threshold`` asks) and only with the minimum
    (candidate_summary). Each look is audited."""
    selectors.visible_persons(user=user)  # the same roles only
    query = {k: v for k, v in query.items() if k in PersonRecord.__dataclass_fields__}
    query["nationality"] = (query.get("nationality") or "").upper()
    record = _query_record(query)
    matches = registry_index.search(record, limit=limit, threshold=threshold)
    persons = _candidates([int(m.id) for m in matches])
    in_full = selectors.persons_shown_in_full(user=user, person_ids=persons.keys())
    results = []
    for match in matches:
        pk = int(match.id)
        person = persons.get(pk)
        if person is None or (pk not in in_full and match.probability < SHOW_THRESHOLD):
            continue
        full = pk in in_full
        results.append(
            candidate_summary(person, match.probability, explanation_json(match), full=full)
        )
        audit_record(
            actor=user,
            action=AuditEvent.Action.VIEW,
            object_type=Person._meta.label_lower,
            object_id=str(person["public_id"]),
            detail=f"duplicate candidate p={match.probability:.2f}" + ("" if full else ", minimum"),
        )
    return results


def _shown(field: str, value: Any) -> str:
    """A stored value as the person page shows it."""
    if value in ("", None, []):
        return "—"
    if field == "sex" and value in Sex.values:
        return str(Sex(value).label)
    if field == "document_type" and value in Person.DocumentType.values:
        return str(Person.DocumentType(value).label)
    if field == "languages":
        return ", ".join(value)
    return str(value)


def _field(name: str) -> Field[Any, Any]:
    return cast(
        "Field[Any, Any]", Person._meta.get_field(name)
    )  # a column of the person's own table


def correction_changes(correction: PersonCorrection) -> list[dict[str, StrOrPromise]]:
    """Each field a correction changed: its label, the value before and the value after."""
    return [
        {
            "label": capfirst(_field(ATTRIBUTES.get(c["field"], c["field"])).verbose_name),
            "before": _shown(c["field"], c["before"]),
            "after": _shown(c["field"], c["after"]),
        }
        for c in correction.changes
    ]
