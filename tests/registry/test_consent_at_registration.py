"""No registration without an explicit consent (issue #20): the API refuses a body without the
field and one that says no, the desk refuses an unchecked box, writing nothing; a deployment
where registration is mandatory records its legal basis instead."""

import json

import pytest

from hbm.registry import validation
from hbm.registry.models import Consent, Crossing, Person
from tests.registry.test_desk_views import DESK, desk_data
from tests.registry.test_registration_api import URL, family

LAW = "Refugee Act 2006, s. 19: registration of arrivals"


def post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_a_registration_without_the_consent_field_is_a_422_naming_it(client_for, officer_amina):
    body = family()
    del body["consent_given"]
    response = post(client_for(officer_amina), body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.payload.consent_given"]
    assert not Person.objects.exists() and not Consent.objects.exists()


def test_a_registration_without_consent_is_refused_and_writes_nothing(client_for, officer_amina):
    response = post(client_for(officer_amina), family(consent_given=False))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.consent_given", "message": validation.CONSENT_REQUIRED}
    ]
    assert not Person.objects.exists() and not Crossing.objects.exists()
    assert not Consent.objects.exists()


def test_under_a_legal_basis_a_registration_without_consent_records_the_basis(
    client_for, officer_amina, settings
):
    settings.REGISTRATION_LEGAL_BASIS = LAW
    response = post(client_for(officer_amina), family(consent_given=False))
    assert response.status_code == 201
    consents = Consent.objects.all()
    assert len(consents) == 4  # one per member
    assert {(c.purpose, c.given, c.legal_basis) for c in consents} == {("registration", False, LAW)}


def test_consent_records_who_gave_it_and_how(client_for, officer_amina):
    body = family(
        consent_giver="guardian", consent_given_by="Mary Akol", consent_method="thumbprint"
    )
    assert post(client_for(officer_amina), body).status_code == 201
    consent = Consent.objects.first()
    assert consent is not None
    assert (consent.given, consent.given_by, consent.given_by_name, consent.method) == (
        True,
        "guardian",
        "Mary Akol",
        "thumbprint",
    )
    assert consent.legal_basis == ""


@pytest.mark.parametrize(
    ("fields", "problems"),
    [
        (
            {"consent_giver": "cousin"},
            {"body.consent_giver": ["'cousin' is not one of: self, parent, guardian, other."]},
        ),
        (
            {"consent_method": "email"},
            {"body.consent_method": ["'email' is not one of: verbal, signed, thumbprint, other."]},
        ),
        ({"consent_giver": "other"}, {"body.consent_given_by": [validation.GIVER_NAME_REQUIRED]}),
        (
            {"consent_giver": "self", "consent_given_by": "Mary"},
            {"body.consent_given_by": [validation.NAME_FOR_SELF]},
        ),
    ],
)
def test_how_consent_was_given_is_checked(client_for, officer_amina, fields, problems):
    response = post(client_for(officer_amina), family(**fields))
    assert response.status_code == 422
    found: dict[str, list[str]] = {}
    for error in response.json()["errors"]:
        found.setdefault(error["field"], []).append(error["message"])
    assert found == problems
    assert not Person.objects.exists()


def test_the_desk_refuses_an_unchecked_consent_box_and_saves_nothing(client_for, officer_amina):
    data = desk_data([{"given_name": "Deng", "family_name": "Akol", "age_estimate": "30"}])
    del data["consent_given"]
    response = client_for(officer_amina).post(DESK, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Registration needs the person&#x27;s consent" in html
    assert 'class="desk-section consent field-error"' in html
    assert not Person.objects.exists() and not Consent.objects.exists()


def test_the_desk_registers_without_consent_under_a_legal_basis(
    client_for, officer_amina, settings
):
    settings.REGISTRATION_LEGAL_BASIS = LAW
    data = desk_data([{"given_name": "Deng", "family_name": "Akol", "age_estimate": "30"}])
    del data["consent_given"]
    response = client_for(officer_amina).post(DESK, data)
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.given, consent.legal_basis) == (False, LAW)
