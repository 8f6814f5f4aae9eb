"""The personal data shared in a referral (names, date of birth, need code, notes), its
outcome and the reasons given are read by the sending side and the receiving provider only;
coordinators and administrators see the metadata (service, provider, status, urgency, dates,
point), in the API and on the web."""

import json

import pytest

from hbm.audit.models import AuditEvent
from hbm.referrals import services
from hbm.referrals.models import Pathway, Provider, ServiceType
from tests.factories import AgencyFactory, UserFactory
from tests.registry.helpers import register

CHILD = {"given_name": "Akol", "family_name": "Majok", "sex": "M", "age_estimate": 12}
METADATA = {"id", "status", "urgency", "service_type", "provider", "crossing_point", "sent_at"}


@pytest.fixture
def referral(officer_amina, protection_bruno, point_a):
    service = ServiceType.objects.get(code="child-protection")
    agency = AgencyFactory(code="icpn", name="Ituri Child Protection Network", kind="ngo")
    provider = Provider.objects.create(name="ICPN Mahagi", agency=agency)
    provider.service_types.add(service)
    Pathway.objects.create(crossing_point=point_a, service_type=service, provider=provider)
    (child,) = register(officer_amina, CHILD, kind="individual")
    referral = services.referral_send(
        actor=protection_bruno,
        person=child,
        crossing_point=point_a,
        service_type=service,
        provider=provider,
        urgency="urgent",
        consent_given=True,
        notes="Mother last seen in Yei",
    )
    ruth = UserFactory(username="ruth", agency=agency, roles=["service_provider"])
    services.referral_transition(actor=ruth, referral=referral, to_status="accepted")
    services.referral_transition(
        actor=ruth, referral=referral, to_status="closed", reason="Akol moved to Bunia"
    )
    return referral


@pytest.fixture
def provider_ruth(referral):
    return UserFactory._meta.model.objects.get(username="ruth")


@pytest.mark.parametrize("persona", ["coordinator_patrick", "admin_samuel"])
def test_national_roles_read_referral_metadata_only(client_for, referral, persona, request):
    client = client_for(request.getfixturevalue(persona))
    (listed,) = client.get("/api/v1/referrals").json()["results"]
    one = client.get(f"/api/v1/referrals/{referral.pk}").json()
    for body in (listed, one):
        assert set(body) >= METADATA and body["status"] == "closed"
        assert body["personal_data"] is False
        assert body["shared"] == {} and body["outcome"] == ""
        assert "Akol" not in json.dumps(body) and "Yei" not in json.dumps(body)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Akol" not in page and "Majok" not in page and "Yei" not in page
    assert 'id="metadata-only"' in page and "ICPN Mahagi" in page
    listing = client.get("/referrals/").content.decode()
    assert "Akol" not in listing and "ICPN Mahagi" in listing


@pytest.mark.parametrize("persona", ["protection_bruno", "provider_ruth"])
def test_the_sending_side_and_the_provider_read_what_was_shared(
    client_for, referral, persona, request
):
    client = client_for(request.getfixturevalue(persona))
    one = client.get(f"/api/v1/referrals/{referral.pk}").json()
    assert one["personal_data"] is True and one["shared"]["given_name"] == "Akol"
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Akol" in page and "Akol moved to Bunia" in page


def test_a_metadata_read_is_audited_without_fields(client_for, coordinator_patrick, referral):
    client_for(coordinator_patrick).get(f"/api/v1/referrals/{referral.pk}")
    event = AuditEvent.objects.get(actor=coordinator_patrick, action="view")
    assert event.fields == [] and "metadata" in event.detail


def test_a_sender_at_another_point_does_not_read_it(client_for, referral, point_b):
    health = UserFactory(username="hana", roles=["health_officer"], crossing_points=[point_b])
    assert client_for(health).get(f"/api/v1/referrals/{referral.pk}").status_code == 404
