"""Unaccompanied and separated children: the follow-up list, and family tracing across every
registration through the engine's ``relatives()``."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Max, OuterRef, QuerySet

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record_many
from hbm.registry.identity import person_record, registry_index
from hbm.registry.models import Crossing, Person
from hbm.registry.selectors import visible_crossings, visible_persons
from hbm.screening.models import ProtectionScreening
from hbm.screening.selectors import COMPARTMENT, can_read_protection

RELATIVES_LIMIT = 15


def children_list(*, user: User) -> QuerySet[Person]:
    """Children whose latest screening found them unaccompanied or separated, in scope."""
    if not can_read_protection(user):
        raise PermissionDenied(COMPARTMENT)
    # Found from the flagged screenings (a partial index holds them), not by checking every
    # person in the registry for one.
    flagged = ProtectionScreening.objects.order_by().filter(unaccompanied_or_separated=True)
    return (
        visible_persons(user=user)
        .filter(pk__in=flagged.values("person_id"))
        .annotate(last_screened=Max("screenings__screened_at"))
        .order_by("-last_screened", "-pk")
    )


def to_screen_list(*, user: User) -> QuerySet[Crossing]:
    """Children flagged at the registration desk as travelling without a related adult whom
    no protection screening has seen since that crossing, at the user's points (national
    roles: everywhere), newest crossing first. Registration writes nothing more for this list:
    it is read from the flagged crossings (a partial index, crossing_to_screen_idx, holds
    only those) less the ones a later screening of the person answers."""
    if not can_read_protection(user):
        raise PermissionDenied(COMPARTMENT)
    screened_since = ProtectionScreening.objects.filter(
        person=OuterRef("person_id"), screened_at__gte=OuterRef("crossed_at")
    )
    return (
        visible_crossings(user=user)
        .filter(child_without_related_adult=True)
        .exclude(Exists(screened_since))
        .select_related("person__first_crossing_point")
        .order_by("-crossed_at", "-pk")
    )


def relatives_of(*, user: User, person: Person) -> list[dict[str, Any]]:
    """Likely parents, children, siblings and spouses registered anywhere, with the engine's
    reasons. Family tracing must look beyond the officer's own crossing points; each person
    shown is audited."""
    if not can_read_protection(user):
        raise PermissionDenied(COMPARTMENT)
    found = registry_index.current().relatives(person_record(person), limit=RELATIVES_LIMIT)
    people = Person.objects.select_related("first_crossing_point").in_bulk(
        [int(r.id) for r in found if r.id != str(person.pk)]
    )
    results: list[dict[str, Any]] = [
        {
            "person": people[int(r.id)],
            "relation": r.relation,
            "score": round(r.score, 2),
            "reasons": list(r.reasons),
        }
        for r in found
        if int(r.id) in people
    ]
    audit_record_many(
        actor=user,
        action=AuditEvent.Action.VIEW,
        targets=[r["person"] for r in results],
        detail=f"family tracing for {person.public_id}",
    )
    return results
