"""Reads of search and rescue incidents: coordinators and administrators see every incident
and the people found (their roles are national); the person page shows anyone who may open
the person the incidents they were found in. The people found are read whole (an incident
finds tens, not thousands) and put on record as viewed."""

from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hbm.accounts.models import User
from hbm.audit.paging import record_shown
from hbm.fieldops.access import require_manager
from hbm.fieldops.models import RescuedPerson, RescueIncident
from hbm.fieldops.selectors import one_by_public_id
from hbm.referrals.models import Referral
from hbm.referrals.selectors import referral_list
from hbm.registry.models import Person

NO_SUCH_INCIDENT = "No such rescue incident."
HAZARDS = tuple(RescueIncident.Hazard.values)
OUTCOMES = tuple(RescueIncident.Outcome.values)
HURT = (RescuedPerson.Injury.SERIOUS, RescuedPerson.Injury.CRITICAL)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def rescue_list(
    *,
    user: User,
    hazard: str = "",
    outcome: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[RescueIncident]:
    """Every incident, the latest first, with how many were found and how many badly hurt;
    ``since`` and ``until`` are days (in the current time zone), both included."""
    require_manager(user)
    incidents = RescueIncident.objects.select_related("crossing_point", "team").annotate(
        found_count=Count("found"),
        hurt_count=Count("found", filter=Q(found__injury__in=HURT)),
    )
    if hazard:
        incidents = incidents.filter(hazard=hazard)
    if outcome:
        incidents = incidents.filter(outcome=outcome)
    if since:
        incidents = incidents.filter(occurred_at__gte=_day_start(since))
    if until:
        incidents = incidents.filter(occurred_at__lt=_day_start(until + timedelta(days=1)))
    return incidents.order_by("-occurred_at", "-pk")


def rescue_get_for_user(*, user: User, public_id: UUID | str) -> RescueIncident:
    return one_by_public_id(rescue_list(user=user), public_id, NO_SUCH_INCIDENT)


def rescued_shown(*, user: User, incident: RescueIncident) -> list[RescuedPerson]:
    """The people found, in the order they were found, put on record as a view of each."""
    found = list(incident.found.select_related("person").order_by("pk"))
    record_shown(
        actor=user,
        rows=found,
        detail=f"rescue {incident.public_id}",
        shown=lambda row: [row.person],
    )
    return found


def rescue_referrals(
    *, user: User, incident: RescueIncident, found: list[RescuedPerson]
) -> dict[int, list[Referral]]:
    """The referrals raised for the people found since the incident, by person, as the
    referrals app shows them to this user (coordinators: their metadata)."""
    referrals = referral_list(user=user).filter(
        person__in=[row.person_id for row in found], sent_at__gte=incident.occurred_at
    )
    by_person: dict[int, list[Referral]] = {}
    for referral in referrals:
        by_person.setdefault(referral.person_id, []).append(referral)
    return by_person


def person_rescues(*, person: Person) -> QuerySet[RescuedPerson, Any]:
    """The incidents a person was found in, the latest first (the person page's section)."""
    return (
        RescuedPerson.objects.filter(person=person)
        .select_related("incident", "incident__crossing_point", "incident__team")
        .order_by("-incident__occurred_at", "-pk")
    )
