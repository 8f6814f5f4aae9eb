"""A person's consents, listed, recorded and withdrawn through the API and on the person page:
within the caller's scope of the person, refused input answered by field, every read and write
audited, a withdrawal kept on record with its reason."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from hbm.audit.models import AuditEvent
from hbm.lib.text import text_problem
from hbm.registry.models import Consent
from hbm.registry.services import consents
from tests.registry.helpers import register

ADULT = {"given_name": "Achol", "family_name": "Deng", "sex": "F", "age_estimate": 34}


@pytest.fixture
def achol(officer_amina):
    (person,) = register(officer_amina, ADULT, kind="individual")
    return person


def url(person, tail=""):
    return f"/api/v1/persons/{person.public_id}/consents{tail}"


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def problems(response):
    found: dict[str, list[str]] = {}
    for error in response.json()["errors"]:
        found.setdefault(error["field"], []).append(error["message"])
    return found


def test_the_registration_consent_is_listed_and_the_read_audited(client_for, officer_amina, achol):
    (consent,) = client_for(officer_amina).get(url(achol)).json()["results"]
    assert consent["purpose"] == "registration" and consent["given"] is True
    assert consent["given_by"] == "self" and consent["in_force"] is True
    assert AuditEvent.objects.filter(
        action="view", object_id=str(achol.public_id), detail="consents (api)"
    ).exists()


def test_an_outsider_cannot_list_record_or_withdraw(client_for, officer_bintu, achol):
    client = client_for(officer_bintu)
    registration = achol.consents.get()
    assert client.get(url(achol)).status_code == 404
    assert post(client, url(achol), {"purpose": "referral", "given": True}).status_code == 404
    withdrawn = post(client, url(achol, f"/{registration.pk}/withdraw"), {"reason": "asked"})
    assert withdrawn.status_code == 404
    assert achol.consents.count() == 1 and achol.consents.get().withdrawn_at is None


def test_a_protection_officer_records_a_consent_to_share_with_an_agency(
    client_for, protection_bruno, achol, immigration
):
    expiry = timezone.localdate() + timedelta(days=90)
    body = {
        "purpose": "data_sharing",
        "given": True,
        "scope": immigration.code,
        "given_by": "self",
        "method": "signed",
        "expires_on": expiry.isoformat(),
    }
    response = post(client_for(protection_bruno), url(achol), body)
    assert response.status_code == 201
    recorded = Consent.objects.get(pk=response.json()["id"])
    assert (recorded.purpose, recorded.scope, recorded.method, recorded.expires_on) == (
        "data_sharing",
        immigration.code,
        "signed",
        expiry,
    )
    assert recorded.recorded_by == protection_bruno
    assert AuditEvent.objects.filter(
        action="create", object_id=str(achol.public_id), fields=["consent"]
    ).exists()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"purpose": "marketing", "given": True},
            {"body.purpose": ["'marketing' is not one of: registration, referral, data_sharing."]},
        ),
        (
            {"purpose": "referral", "given": True, "given_by": "other"},
            {"body.given_by_name": [consents.NAME_REQUIRED]},
        ),
        (
            {"purpose": "referral", "given": True, "scope": "astrology"},
            {"body.scope": [consents.UNKNOWN_SERVICE.format("astrology")]},
        ),
        (
            {"purpose": "data_sharing", "given": True, "scope": "nobody"},
            {"body.scope": [consents.UNKNOWN_AGENCY.format("nobody")]},
        ),
        (
            {"purpose": "referral", "given": True, "expires_on": "2000-01-01"},
            {"body.expires_on": [consents.EXPIRED_ALREADY]},
        ),
        (
            {"purpose": "referral", "given": True, "given_by_name": "Mary\u202eAkol"},
            {"body.given_by_name": [text_problem("Mary\u202eAkol")]},
        ),
    ],
)
def test_a_consent_refused_by_field_writes_nothing(
    client_for, protection_bruno, achol, body, expected
):
    response = post(client_for(protection_bruno), url(achol), body)
    assert response.status_code == 422
    assert problems(response) == expected
    assert achol.consents.count() == 1


def test_a_consent_without_saying_given_is_a_422(client_for, protection_bruno, achol):
    response = post(client_for(protection_bruno), url(achol), {"purpose": "referral"})
    assert response.status_code == 422
    assert list(problems(response)) == ["body.payload.given"]


def test_a_health_officer_may_not_record_consent_on_the_person_page(client_for, achol, point_a):
    from tests.factories import UserFactory

    grace = UserFactory(username="grace", roles=["health_officer"], crossing_points=[point_a])
    response = post(client_for(grace), url(achol), {"purpose": "referral", "given": True})
    assert response.status_code == 403
    assert achol.consents.count() == 1


def test_a_withdrawal_needs_a_reason(client_for, officer_amina, achol):
    consent = achol.consents.get()
    client = client_for(officer_amina)
    for body in ({}, {"reason": "   "}):
        response = post(client, url(achol, f"/{consent.pk}/withdraw"), body)
        assert response.status_code == 422
        assert problems(response) == {"body.reason": [consents.WITHDRAWAL_REASON]}
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_a_withdrawal_is_kept_with_its_reason_and_audited(client_for, officer_amina, achol):
    consent = achol.consents.get()
    client = client_for(officer_amina)
    response = post(client, url(achol, f"/{consent.pk}/withdraw"), {"reason": "Changed her mind"})
    assert response.status_code == 200
    body = response.json()
    assert body["withdrawal_reason"] == "Changed her mind" and body["in_force"] is False
    consent.refresh_from_db()
    assert consent.withdrawn_by == officer_amina and consent.withdrawn_at is not None
    assert AuditEvent.objects.filter(
        action="update",
        object_id=str(achol.public_id),
        detail=f"consent {consent.pk} (registration) withdrawn",
    ).exists()
    again = post(client, url(achol, f"/{consent.pk}/withdraw"), {"reason": "Twice"})
    assert again.status_code == 422
    assert problems(again) == {"body.consent": [consents.WITHDRAWN_ALREADY]}


def test_the_person_page_shows_consents_and_withdraws_one_with_a_reason(
    client_for, officer_amina, achol
):
    consent = achol.consents.get()
    client = client_for(officer_amina)
    page = client.get(f"/registry/people/{achol.public_id}/").content.decode()
    assert f'id="consent-{consent.pk}"' in page and "Registration and assistance" in page
    assert f'data-withdraw="{consent.pk}"' in page and 'id="consent-new"' in page
    withdraw = f"/registry/people/{achol.public_id}/consents/{consent.pk}/withdraw/"
    refused = client.post(withdraw, {"reason": ""})
    assert refused.status_code == 422
    assert consents.WITHDRAWAL_REASON in refused.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    assert client.post(withdraw, {"reason": "Changed her mind"}).status_code == 302
    page = client.get(f"/registry/people/{achol.public_id}/").content.decode()
    assert "withdrawn" in page and "Changed her mind" in page
    assert f'data-withdraw="{consent.pk}"' not in page


def test_the_person_page_records_a_consent_and_shows_refused_input(
    client_for, protection_bruno, achol
):
    client = client_for(protection_bruno)
    new = f"/registry/people/{achol.public_id}/consents/new/"
    assert client.get(new).status_code == 200
    refused = client.post(new, {"purpose": "referral", "given": "yes", "given_by": "other"})
    assert refused.status_code == 422
    assert consents.NAME_REQUIRED in refused.content.decode()
    assert achol.consents.count() == 1
    done = client.post(
        new,
        {
            "purpose": "referral",
            "given": "yes",
            "given_by": "parent",
            "given_by_name": "Mary Akol",
            "method": "verbal",
            "scope": "child-protection",
        },
    )
    assert done.status_code == 302
    recorded = achol.consents.get(purpose="referral")
    assert (recorded.given_by, recorded.given_by_name, recorded.scope) == (
        "parent",
        "Mary Akol",
        "child-protection",
    )


def test_a_person_reader_without_the_role_sees_no_consent_buttons(client_for, achol, point_a):
    from tests.factories import UserFactory

    grace = UserFactory(username="grace", roles=["health_officer"], crossing_points=[point_a])
    page = client_for(grace).get(f"/registry/people/{achol.public_id}/").content.decode()
    assert 'id="consents"' in page
    assert 'id="consent-new"' not in page and "data-withdraw" not in page
