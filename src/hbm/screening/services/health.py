"""Migration health screening at the point of entry, and daily counts with no personal data."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID, uuid4

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import has_any_role, require_role
from hbm.lib.text import text_problems
from hbm.places.models import BorderCrossingPoint
from hbm.places.selectors import crossing_point_get_for_user, crossing_point_list
from hbm.registry.models import Person
from hbm.registry.selectors import person_check_scope
from hbm.screening import hooks
from hbm.screening.models import HealthScreening, PublicHealthEvent

HEALTH_ROLES = ("health_officer",)
AGGREGATE_ROLES = ("health_officer", "coordinator", "administrator")
COMPARTMENT = _("Health details are visible to health officers only.")
UNKNOWN_SYMPTOM = _("'{}' is not on the checklist of {}.")
NO_EVENT = _("no event")
BAD_TEMPERATURE = _("A body temperature is between 30.0 and 45.0 °C.")
NOT_YOUR_POINT = _("You do not work at this crossing point.")
BAD_VACCINATION = _("'{}' is not one of: up_to_date, partial, none, unknown.")


def can_read_health(user: User | AnonymousUser) -> bool:
    return has_any_role(user, *HEALTH_ROLES)


def active_event() -> PublicHealthEvent | None:
    return PublicHealthEvent.objects.filter(active=True).order_by("-started_on").first()


def health_screening_point(*, user: User, person: Person, code: str = "") -> BorderCrossingPoint:
    """Where a screening from the person page is recorded: the crossing point the officer
    chose (404 outside their area of work), else where the person was first registered."""
    if code:
        return crossing_point_get_for_user(user=user, code=code)
    return person.first_crossing_point


def _temperature(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({"temperature_celsius": BAD_TEMPERATURE}) from None
    if not number.is_finite() or not Decimal("30") <= number <= Decimal("45"):
        raise ValidationError({"temperature_celsius": BAD_TEMPERATURE})
    return number.quantize(Decimal("0.1"))


@transaction.atomic
def health_screening_record(
    *,
    actor: User,
    person: Person,
    crossing_point: BorderCrossingPoint,
    symptoms: dict[str, bool],
    temperature_celsius: Any = None,
    vaccination: str = "unknown",
    referred_for_care: bool = False,
    notes: str = "",
    now: datetime | None = None,
) -> HealthScreening:
    require_role(actor, *HEALTH_ROLES)
    return health_screening_write(
        actor=actor,
        person=person,
        crossing_point=crossing_point,
        symptoms=symptoms,
        temperature_celsius=temperature_celsius,
        vaccination=vaccination,
        referred_for_care=referred_for_care,
        notes=notes,
        now=now,
    )


def health_screening_write(
    *,
    actor: User,
    person: Person,
    crossing_point: BorderCrossingPoint,
    symptoms: dict[str, bool],
    temperature_celsius: Any = None,
    vaccination: str = "unknown",
    referred_for_care: bool = False,
    notes: str = "",
    now: datetime | None = None,
    public_id: UUID | None = None,
) -> HealthScreening:
    """Validate and write a health screening, audited, at one of the writer's points. For
    services that checked the writer's role already (a field station's screening replicated
    with its id and time, ADR 0137)."""
    person_check_scope(user=actor, person=person)
    if not crossing_point_list(user=actor).filter(pk=crossing_point.pk).exists():
        raise PermissionDenied(NOT_YOUR_POINT)
    event = active_event()
    known = {key for key, _label in (event.symptoms if event else [])}
    problems = {
        f"symptoms.{key}": [UNKNOWN_SYMPTOM.format(key, event.name if event else NO_EVENT)]
        for key in symptoms
        if key not in known
    }
    if vaccination not in HealthScreening.Vaccination.values:
        problems["vaccination"] = [BAD_VACCINATION.format(vaccination)]
    text_problems({"notes": notes}, multiline={"notes"}, into=problems)
    if problems:
        raise ValidationError(problems)
    temperature = _temperature(temperature_celsius)
    fever = bool(event and temperature and temperature >= event.fever_threshold_celsius)
    screening = HealthScreening.objects.create(
        public_id=public_id or uuid4(),
        person=person,
        crossing_point=crossing_point,
        event=event,
        symptoms=symptoms,
        temperature_celsius=temperature,
        vaccination=vaccination,
        has_symptoms=fever or any(symptoms.values()),
        referred_for_care=referred_for_care,
        notes=notes.strip(),
        screened_by=actor,
        screened_at=now or timezone.now(),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=screening,
        fields=["symptoms", "temperature_celsius", "vaccination", "notes"],
        detail=f"person {person.public_id}",
    )
    hooks.screening_recorded(screening)
    return screening


def health_screening_list(*, user: User, person: Person) -> QuerySet[HealthScreening]:
    if not can_read_health(user):
        raise PermissionDenied(COMPARTMENT)
    return HealthScreening.objects.filter(person=person).select_related("event", "screened_by")


def daily_health_counts(
    *, user: User, since: date | None = None, until: date | None = None
) -> list[dict[str, Any]]:
    """Per crossing point and day: screened, with symptoms, referred for care. Counts only."""
    if not has_any_role(user, *AGGREGATE_ROLES):
        raise PermissionDenied(COMPARTMENT)
    screenings = HealthScreening.objects.filter(crossing_point__in=crossing_point_list(user=user))
    if since:
        screenings = screenings.filter(screened_at__date__gte=since)
    if until:
        screenings = screenings.filter(screened_at__date__lte=until)
    rows = (
        screenings.annotate(day=TruncDate("screened_at"))
        .values("day", "crossing_point__code")
        .annotate(
            screened=Count("id"),
            with_symptoms=Count("id", filter=Q(has_symptoms=True)),
            referred=Count("id", filter=Q(referred_for_care=True)),
        )
        .order_by("day", "crossing_point__code")
    )
    return [
        {
            "day": r["day"],
            "crossing_point": r["crossing_point__code"],
            "screened": r["screened"],
            "with_symptoms": r["with_symptoms"],
            "referred": r["referred"],
        }
        for r in rows
    ]
