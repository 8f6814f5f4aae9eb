"""A caseload for retention: people with data in every record type, some of them past
retention, some kept by an open case or recent activity. ``LATER`` is the moment the purge
runs at: every record written today is then 1,826 days old, past the default 1,825."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from hbm.places.models import BorderCrossingPoint
from hbm.referrals.models import Pathway, Provider, Referral, ServiceType
from hbm.referrals.services import referral_send, referral_transition
from hbm.registry.models import Consent, DuplicateCandidate, PersonCorrection
from hbm.registry.services import consents, corrections
from hbm.registry.services.consents import ConsentInput
from hbm.registry.services.reveals import person_reveal
from hbm.retention.policies import persons_cutoff
from hbm.screening.services import screening_record
from hbm.screening.services import tracing_requests as tracing
from hbm.screening.services.health import health_screening_record
from hbm.security.models import Hit
from hbm.security.services import hit_decide
from tests.factories import AgencyFactory, UserFactory
from tests.registry.helpers import VARIANT, list_joseph_kony, register
from tests.registry.test_duplicates import HASSAN

LATER_DAYS = 1826

ANA = {
    "given_name": "Ana",
    "family_name": "Lokuda",
    "father_name": "Peter",
    "other_names": "Anna Lokudu",
    "name_original_script": "آنا",
    "sex": "F",
    "date_of_birth": "1990-05-17",
    "nationality": "SSD",
    "document_type": "passport",
    "document_number": "P1234567",
    "phone": "+211 900 111 222",
    "place_of_origin": "Kajo Keji",
    "languages": ("ar", "en"),
}
# Eighteen on 2026-03-01: a crossing on 2026-04-10 is counted among adults. Her birth year
# alone (its middle, early July) would make her 17 that day; her birth month keeps her 18.
TEEN = {"given_name": "Mary", "family_name": "Akello", "sex": "F", "date_of_birth": "2008-03-01"}
TEEN_CROSSED = datetime(2026, 4, 10, 9, tzinfo=UTC)
WAITING = {"given_name": "Wani", "family_name": "Lado", "sex": "M", "age_estimate": 40}
RECENT = {"given_name": "Rita", "family_name": "Keji", "sex": "F", "age_estimate": 25}
KONY = {
    "given_name": "Joseph",
    "family_name": "Kony",
    "sex": "M",
    "date_of_birth": "1961",
    "nationality": "UGA",
}


def later():
    return timezone.now() + timedelta(days=LATER_DAYS)


@pytest.fixture
def nurse_nadia(db, point_a):
    agency = AgencyFactory(code="moh", name="Ministry of Health", kind="health")
    return UserFactory(
        username="nadia", agency=agency, roles=["health_officer"], crossing_points=[point_a]
    )


@pytest.fixture
def provider(point_a):
    service = ServiceType.objects.get(code="child-protection")
    agency = AgencyFactory(code="icpn", name="ICPN", kind="ngo")
    provider = Provider.objects.create(name="ICPN Mahagi", agency=agency)
    provider.service_types.add(service)
    Pathway.objects.create(crossing_point=point_a, service_type=service, provider=provider)
    return provider


def send(actor, person, provider, **overrides):
    return referral_send(
        actor=actor,
        person=person,
        crossing_point=BorderCrossingPoint.objects.get(code="point-a"),
        service_type=ServiceType.objects.get(code="child-protection"),
        provider=provider,
        urgency="normal",
        consent_given=True,
        **{"notes": "Ana's private referral note", **overrides},
    )


@pytest.fixture
def caseload(
    officer_amina,
    officer_bintu,
    protection_bruno,
    security_joseph,
    nurse_nadia,
    provider,
    point_a,
    settings,
):
    """Ana has data in every record type and no open case; so has the teen; Mohammed has an
    open duplicate pair with his namesake; Wani waits for a referral, Kony for a hit review,
    Rita was corrected lately: those three are kept."""
    list_joseph_kony(security_joseph)
    (ana, ana_child) = register(
        officer_amina,
        ANA,
        {"given_name": "Lina", "family_name": "Lokuda", "sex": "F", "age_estimate": 6},
    )
    (teen,) = register(officer_amina, TEEN, kind="individual", crossed_at=TEEN_CROSSED)
    (mohammed,) = register(officer_amina, HASSAN, kind="individual")
    (namesake,) = register(officer_amina, VARIANT, kind="individual")
    (waiting,) = register(officer_amina, WAITING, kind="individual")
    (recent,) = register(officer_amina, RECENT, kind="individual")
    (kony,) = register(officer_amina, KONY, kind="individual")
    # Ana's every record: consent withdrawn, a correction, screenings, a referral completed,
    # a tracing request she made (closed), a hit decided.
    consent = Consent.objects.filter(person=ana).first()
    consents.consent_withdraw(actor=officer_amina, consent=consent, reason="Ana asked us to")
    consents.consent_record(
        actor=protection_bruno,
        person=ana,
        data=ConsentInput(
            purpose="referral", given=True, given_by="other", given_by_name="Her cousin Grace"
        ),
    )
    corrections.person_correct(
        actor=officer_amina, person=ana, changes={"phone": "+211 900 111 223"}, reason="typo"
    )
    screening_record(
        actor=protection_bruno,
        person=ana,
        answers={"no_documents": True},
        notes="Ana's protection note",
    )
    health_screening_record(
        actor=nurse_nadia,
        person=ana,
        crossing_point=point_a,
        symptoms={},
        notes="Ana's health note",
    )
    referral = send(protection_bruno, ana, provider)
    referral_transition(
        actor=protection_bruno, referral=referral, to_status="revoked", reason="done elsewhere"
    )
    request = tracing.tracing_request_open(
        actor=protection_bruno,
        crossing_point=point_a,
        enquirer=ana,
        relationship="spouse",
        sought=tracing.Sought(given_name="Peter", family_name="Lokuda", sex="M"),
    )
    tracing.tracing_request_close(
        actor=protection_bruno, request=request, reason="withdrawn", note="no longer looking"
    )
    person_reveal(actor=officer_bintu, person=ana, reason="Same family at point B?")
    send(protection_bruno, waiting, provider)  # pending: an open case
    # Rita's record was corrected ten days before the purge (a change of the moment that
    # the purge runs at; the person's own stamp stays: the index follows it).
    correction = corrections.person_correct(
        actor=officer_amina, person=recent, changes={"phone": "+211 900 555 000"}, reason="new"
    ).correction
    PersonCorrection.objects.filter(pk=correction.pk).update(
        corrected_at=later() - timedelta(days=10)
    )
    settings.RETENTION_PERSON_DAYS = 1825
    return SimpleNamespace(
        ana=ana,
        ana_child=ana_child,
        teen=teen,
        mohammed=mohammed,
        namesake=namesake,
        waiting=waiting,
        recent=recent,
        kony=kony,
        referral=Referral.objects.get(pk=referral.pk),
        tracing=request,
        kony_hit=Hit.objects.get(person=kony),
        pair=DuplicateCandidate.objects.get(person_a=mohammed, person_b=namesake),
    )


def decide_kony_hit(security_officer, hit):
    return hit_decide(actor=security_officer, hit=hit, decision="false_positive", reason="not him")


__all__ = ["decide_kony_hit", "persons_cutoff"]
