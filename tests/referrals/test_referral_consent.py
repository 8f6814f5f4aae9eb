"""A referral goes under a consent record in force for its service (issue #20): recorded as it
is sent, or recorded before; an expired, withdrawn or other service's consent does not do.
Withdrawing the consent stops the sharing: the provider no longer sees what was shared, and
the referral cannot be accepted."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hbm.referrals import services
from hbm.registry.models import Consent
from hbm.registry.services.consents import ConsentInput, consent_record, consent_withdraw
from tests.factories import UserFactory
from tests.referrals.test_referrals import api_send, send

__all__ = ["child", "child_protection", "provider", "provider_ruth"]  # fixtures used here
from tests.referrals.test_referrals import (
    child,
    child_protection,
    provider,
    provider_ruth,
)


@pytest.fixture
def health_grace(point_a):
    return UserFactory(username="grace", roles=["health_officer"], crossing_points=[point_a])


def record(actor, person, **fields):
    return consent_record(
        actor=actor, person=person, data=ConsentInput(**{"purpose": "referral", **fields})
    )


def test_ticking_consent_records_it_for_the_service_and_links_it(
    protection_bruno, child, provider, point_a
):
    referral = send(protection_bruno, child, provider, point_a, consent_given_by="guardian")
    consent = referral.consent
    assert consent is not None and referral.consent_given
    assert (consent.purpose, consent.scope, consent.given_by, consent.method) == (
        "referral",
        "child-protection",
        "guardian",
        "verbal",
    )


@pytest.mark.parametrize("scope", ["", "child-protection"])
def test_a_consent_recorded_before_covers_the_referral(
    protection_bruno, health_grace, child, provider, point_a, scope
):
    consent = record(protection_bruno, child, scope=scope, method="signed")
    referral = send(health_grace, child, provider, point_a, consent_given=False)
    assert referral.consent == consent and referral.consent_given
    assert Consent.objects.filter(purpose="referral").count() == 1


def test_without_a_consent_in_force_a_referral_is_refused(
    protection_bruno, health_grace, child, provider, point_a
):
    refused = {"consent_given": [str(services.NO_CONSENT), str(services.OVERRIDE_NOT_ALLOWED)]}
    record(protection_bruno, child, scope="health")  # another service's
    record(protection_bruno, child, given=False)  # a refusal
    with pytest.raises(ValidationError) as caught:
        send(health_grace, child, provider, point_a, consent_given=False)
    assert caught.value.message_dict == refused
    assert not child.referrals.exists()


def test_an_expired_consent_does_not_cover_a_referral(
    protection_bruno, health_grace, child, provider, point_a
):
    consent = record(protection_bruno, child, expires_on=timezone.localdate())
    Consent.objects.filter(pk=consent.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(ValidationError) as caught:
        send(health_grace, child, provider, point_a, consent_given=False)
    assert str(services.NO_CONSENT) in caught.value.message_dict["consent_given"]
    assert not child.referrals.exists()


def test_a_withdrawn_consent_does_not_cover_a_new_referral(
    protection_bruno, health_grace, child, provider, point_a
):
    consent = record(protection_bruno, child)
    consent_withdraw(actor=protection_bruno, consent=consent, reason="Asked us to stop")
    with pytest.raises(ValidationError):
        send(health_grace, child, provider, point_a, consent_given=False)
    assert not child.referrals.exists()


def test_the_api_refuses_a_referral_without_consent_and_accepts_one_recorded_before(
    client_for, protection_bruno, health_grace, child, provider, point_a
):
    client = client_for(health_grace)
    refused = api_send(client, child, provider, language="en")
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"body.consent_given"}
    record(protection_bruno, child, scope="child-protection")
    sent = api_send(client, child, provider, language="en")
    assert sent.status_code == 201 and sent.json()["consent_withdrawn"] is False


def test_withdrawal_stops_the_share_with_the_provider(
    client_for, protection_bruno, provider_ruth, child, provider, point_a
):
    referral = send(protection_bruno, child, provider, point_a, notes="Alone since Yei")
    ruth = client_for(provider_ruth)
    before = ruth.get(f"/api/v1/referrals/{referral.pk}").json()
    assert before["shared"]["given_name"] == "Akol" and before["personal_data"] is True
    assert referral.consent is not None
    consent_withdraw(actor=protection_bruno, consent=referral.consent, reason="Asked us to stop")

    after = ruth.get(f"/api/v1/referrals/{referral.pk}").json()
    assert after["shared"] == {} and after["personal_data"] is False
    assert after["consent_withdrawn"] is True
    (listed,) = ruth.get("/api/v1/referrals").json()["results"]
    assert listed["shared"] == {}
    page = ruth.get(f"/referrals/{referral.pk}/").content.decode()
    assert 'id="consent-withdrawn"' in page and "Akol" not in page and "Yei" not in page
    assert 'value="accepted"' not in page

    accepted = ruth.post(
        f"/api/v1/referrals/{referral.pk}/transition",
        '{"status": "accepted"}',
        content_type="application/json",
    )
    assert accepted.status_code == 422
    assert accepted.json()["errors"] == [
        {"field": "body.status", "message": str(services.CONSENT_WITHDRAWN)}
    ]
    referral.refresh_from_db()
    assert referral.status == "pending"


def test_the_sender_still_sees_the_referral_and_may_revoke_it(
    client_for, protection_bruno, child, provider, point_a
):
    referral = send(protection_bruno, child, provider, point_a)
    assert referral.consent is not None
    consent_withdraw(actor=protection_bruno, consent=referral.consent, reason="Asked us to stop")
    page = client_for(protection_bruno).get(f"/referrals/{referral.pk}/").content.decode()
    assert 'id="consent-withdrawn"' in page and "Akol" in page
    services.referral_transition(
        actor=protection_bruno, referral=referral, to_status="revoked", reason="Consent withdrawn"
    )
    referral.refresh_from_db()
    assert referral.status == "revoked"


def test_an_accepted_referral_cannot_start_once_consent_is_withdrawn(
    protection_bruno, provider_ruth, child, provider, point_a
):
    referral = send(protection_bruno, child, provider, point_a)
    services.referral_transition(actor=provider_ruth, referral=referral, to_status="accepted")
    assert referral.consent is not None
    consent_withdraw(actor=protection_bruno, consent=referral.consent, reason="Asked us to stop")
    with pytest.raises(ValidationError) as caught:
        services.referral_transition(actor=provider_ruth, referral=referral, to_status="in_service")
    assert caught.value.message_dict == {"status": [str(services.CONSENT_WITHDRAWN)]}
    services.referral_transition(
        actor=provider_ruth, referral=referral, to_status="closed", reason="Consent withdrawn"
    )
