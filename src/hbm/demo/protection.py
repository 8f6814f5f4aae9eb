"""Demo screenings and referrals, made through the real services so that every rule holds:
providers and pathways at the crossing points, children alone screened, referrals in every
state of their lifecycle."""

from datetime import timedelta

from django.utils import timezone

from hbm.accounts.models import Agency, User
from hbm.places.models import BorderCrossingPoint
from hbm.referrals.models import Pathway, Provider, Referral, ServiceType
from hbm.referrals.needs import service_code_for
from hbm.referrals.services import referral_send, referral_transition
from hbm.registry.models import Crossing
from hbm.screening.models import NeedCode, ProtectionScreening, PublicHealthEvent
from hbm.screening.services import screening_record

PROVIDERS = [
    # name, agency code, service types, crossing points
    (
        "Ituri Child Protection Network — Mahagi desk",
        "ituri-child-protection",
        ["child-protection", "family-tracing", "mhpss"],
        ["mahagi-goli", "ndu-bangassou"],
    ),
    ("Mahagi general hospital (illustrative)", "pnhf", ["health"], ["mahagi-goli"]),
    (
        "UNHCR protection desk",
        "unhcr",
        ["legal-aid", "gbv", "shelter", "cash"],
        ["mahagi-goli", "ndu-bangassou"],
    ),
]
LIFECYCLES = [
    [],
    ["accepted"],
    ["accepted", "in_service"],
    ["accepted", "in_service", "completed"],
    ["rejected"],
    ["accepted", "closed"],
    ["revoked"],
]


def _providers(points: dict[str, BorderCrossingPoint]) -> None:
    for name, agency, services, point_codes in PROVIDERS:
        provider, created = Provider.objects.get_or_create(
            name=name,
            defaults={
                "agency": Agency.objects.get(code=agency),
                "contact_email": f"{agency}@demo.hbm.invalid",
                "capacity_per_week": 40,
                "languages": ["fr", "sw", "ar"],
            },
        )
        if not created:
            continue
        types = list(ServiceType.objects.filter(code__in=services))
        provider.service_types.set(types)
        Pathway.objects.bulk_create(
            Pathway(crossing_point=points[code], service_type=kind, provider=provider)
            for code in point_codes
            for kind in types
        )


def _health_event() -> None:
    PublicHealthEvent.objects.get_or_create(
        name="Ebola virus disease preparedness — Ituri (illustrative)",
        defaults={
            "started_on": timezone.localdate() - timedelta(days=45),
            "symptoms": [
                ["fever", "Fever"],
                ["bleeding", "Unexplained bleeding"],
                ["vomiting", "Vomiting"],
                ["diarrhoea", "Diarrhoea"],
                ["fatigue", "Severe fatigue"],
                ["contact", "Contact with a sick person in the last 21 days"],
            ],
        },
    )


def demo_load_protection(points: dict[str, BorderCrossingPoint]) -> int:
    """Screenings recorded; 0 when they are already there."""
    _providers(points)
    _health_event()
    if ProtectionScreening.objects.exists():
        return 0
    protection = User.objects.get(username="protection")
    provider_user = User.objects.get(username="provider")
    children = (
        Crossing.objects.filter(
            child_without_related_adult=True, crossing_point__code="mahagi-goli"
        )
        .select_related("person")
        .order_by("pk")[:14]
    )
    cp = ServiceType.objects.get(code="child-protection")
    desk = Provider.objects.get(agency__code="ituri-child-protection")
    now = timezone.now()
    count = 0
    for index, crossing in enumerate(children):
        screening = screening_record(
            actor=protection,
            person=crossing.person,
            answers={
                "child_without_caregiver": index % 3 != 0,
                "child_with_other_relative": index % 3 == 0,
                "no_documents": True,
            },
            notes="Demo: screened at the desk on arrival.",
        )
        count += 1
        referral = referral_send(
            actor=protection,
            person=crossing.person,
            crossing_point=crossing.crossing_point,
            service_type=cp,
            provider=desk,
            urgency="urgent",
            consent_given=True,
            need_code=_need_served(screening, cp),
            screening=screening,
            now=now - timedelta(days=index % 5),
        )
        _walk(referral, LIFECYCLES[index % len(LIFECYCLES)], provider_user, protection)
    return count


def _need_served(screening: ProtectionScreening, service: ServiceType) -> NeedCode | None:
    """The need the referral answers: the first recorded that calls for the service (a child
    alone, not the missing papers recorded beside it)."""
    codes = list(screening.codes.order_by("code"))
    served = [c for c in codes if service_code_for(c.code) == service.code]
    return next(iter(served or codes), None)


def _walk(referral: Referral, steps: list[str], provider: User, sender: User) -> None:
    for step in steps:
        actor = sender if step == "revoked" else provider
        referral_transition(
            actor=actor,
            referral=referral,
            to_status=step,
            reason="Demo reason" if step in ("rejected", "closed", "revoked") else "",
            outcome="Placed with a relative in Bunia" if step == "completed" else "",
        )
