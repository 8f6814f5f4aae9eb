"""Read models composed for the desk and the API: a registration's outcome, match candidates."""

from typing import Any

from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.matching import PersonRecord
from hbm.registry import hooks, selectors
from hbm.registry.identity import registry_index
from hbm.registry.models import Person, Registration
from hbm.registry.services import SHOW_THRESHOLD, explanation_json


def candidate_summary(
    person: Person, probability: float, explanation: dict[str, Any]
) -> dict[str, Any]:
    return {
        "person": person.public_id,
        "name": person.full_name,
        "date_of_birth": person.date_of_birth
        or (f"~{person.age_estimate} y" if person.age_estimate is not None else ""),
        "nationality": person.nationality_id,
        "first_crossing_point": person.first_crossing_point.code,
        "probability": round(probability, 4),
        "explanation": explanation,
    }


def registration_summary(*, registration: Registration, user: Any) -> dict[str, Any]:
    group = registration.group
    crossings = {c.person_id: c for c in registration.crossings.all()}
    members = list(group.members.select_related("person").order_by("pk"))
    persons = [m.person for m in members]
    candidates: dict[int, list[dict[str, Any]]] = {p.pk: [] for p in persons}
    for pair in selectors.duplicate_candidates_for(persons=persons).select_related(
        "person_a__first_crossing_point", "person_b__first_crossing_point"
    ):
        for mine, other in ((pair.person_a, pair.person_b), (pair.person_b, pair.person_a)):
            if mine.pk in candidates and other.pk not in candidates:
                candidates[mine.pk].append(
                    candidate_summary(other, pair.probability, pair.explanation)
                )
    linked = {m.person_id for m in members if m.person.created_at < registration.created_at}
    return {
        "id": registration.public_id,
        "group": group.public_id,
        "crossing_point": registration.crossing_point.code,
        "created_at": registration.created_at,
        "persons": [
            {
                "person": m.person.public_id,
                "relationship": m.relationship,
                "linked_existing": m.person_id in linked,
                "child_without_related_adult": crossings[m.person_id].child_without_related_adult,
                "flags": hooks.flags_for(m.person),
                "duplicate_candidates": sorted(
                    candidates[m.person_id], key=lambda c: -c["probability"]
                ),
            }
            for m in members
        ],
    }


def match_candidates(
    *, user: Any, query: dict[str, Any], limit: int = 10, threshold: float = SHOW_THRESHOLD
) -> list[dict[str, Any]]:
    """Persons the engine finds like ``query``, from every crossing point: the desk must see
    a person registered elsewhere to avoid a second record. Each look is audited."""
    selectors.visible_persons(user=user)  # the same roles only
    query = {k: v for k, v in query.items() if k in PersonRecord.__dataclass_fields__}
    query["nationality"] = (query.get("nationality") or "").upper()
    record = PersonRecord(id="query", **query)
    matches = registry_index.search(record, limit=limit, threshold=threshold)
    persons = Person.objects.select_related("first_crossing_point").in_bulk(
        [int(m.id) for m in matches]
    )
    results = []
    for match in matches:
        person = persons.get(int(match.id))
        if person is None:
            continue
        results.append(candidate_summary(person, match.probability, explanation_json(match)))
        audit_record(
            actor=user,
            action=AuditEvent.Action.VIEW,
            target=person,
            detail=f"duplicate candidate p={match.probability:.2f}",
        )
    return results
