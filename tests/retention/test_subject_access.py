"""Subject access: everything held about one person, as JSON (API) and PDF (person page), for
protection officers in their area, coordinators and administrators; a compartment the
requester may not read is withheld with the reason; every export is audited, a refusal too."""

import io

import pytest
from pypdf import PdfReader

from hbm.audit.models import AuditEvent
from hbm.registry.models import DuplicateCandidate
from hbm.retention import services
from hbm.retention.subject_access import (
    SECTIONS,
    WITHHELD_HEALTH,
    WITHHELD_PROTECTION,
    WITHHELD_SECURITY,
)
from hbm.security.models import Hit, WatchlistEntry
from tests.factories import UserFactory
from tests.retention.conftest import later


def api(person):
    return f"/api/v1/persons/{person.public_id}/subject-access"


def pdf_url(person):
    return f"/retention/persons/{person.public_id}/subject-access.pdf"


@pytest.fixture
def officer_of_everything(protection_bruno, point_a):
    """Protection, health and security roles at point A: sees every compartment."""
    return UserFactory(
        username="zawadi",
        agency=protection_bruno.agency,
        roles=["protection_officer", "health_officer", "security_officer"],
        crossing_points=[point_a],
    )


@pytest.fixture
def ana_in_full(caseload, client_for, protection_bruno):
    """Ana with a record of every kind, the duplicate pair and the hit included, and a read of
    her page in the audit trail."""
    ana = caseload.ana
    DuplicateCandidate.objects.create(
        person_a=ana, person_b=caseload.waiting, probability=0.9, weight=4.0
    )
    Hit.objects.create(
        person=ana, entry=WatchlistEntry.objects.get(external_id="W-2"), probability=0.5
    )
    client_for(protection_bruno).get(f"/registry/people/{ana.public_id}/")
    return ana


def test_the_export_holds_every_section_for_a_person_with_data_in_each(
    ana_in_full, client_for, officer_of_everything
):
    response = client_for(officer_of_everything).get(api(ana_in_full))
    assert response.status_code == 200
    data = response.json()
    assert data["withheld"] == {}
    for section in SECTIONS:
        assert data[section], section
    identity = data["identity"]
    assert (identity["given_name"], identity["document_number"]) == ("Ana", "P1234567")
    assert identity["full_name"] == "Ana Peter Lokuda"
    assert [c["given_by_name"] for c in data["consents"] if c["given_by_name"]] == [
        "Her cousin Grace"
    ]
    assert any(c["withdrawn_at"] and c["withdrawal_reason"] for c in data["consents"])
    assert data["corrections"][0]["changes"] == [
        {"field": "phone", "before": "+211900111222", "after": "+211900111223"}
    ]
    assert data["protection_screenings"][0]["notes"] == "Ana's protection note"
    assert data["health_screenings"][0]["notes"] == "Ana's health note"
    assert data["referrals"][0]["notes"] == "Ana's private referral note"
    assert data["tracing"]["requests_made"][0]["looking_for"] == "Peter Lokuda"
    assert data["hits"][0]["watchlist"] == "National"
    trail = [(event["who"], event["action"]) for event in data["audit_trail"]]
    assert ("amina", "create") in trail and ("bruno", "view") in trail
    assert data["reveals"][0]["user"] == "bintu"
    assert data["reveals"][0]["reason"] == "Same family at point B?"
    # Other members of her group are theirs: counted, not named.
    assert data["groups"][0]["members"] == 2 and "Lina" not in str(data["groups"])
    event = AuditEvent.objects.get(action="export", object_id=str(ana_in_full.public_id))
    assert event.actor == officer_of_everything and event.detail == "subject access (api)"


def test_a_coordinator_gets_what_is_not_compartmented_and_is_told_what_is_withheld(
    ana_in_full, client_for, coordinator_patrick
):
    data = client_for(coordinator_patrick).get(api(ana_in_full)).json()
    assert data["withheld"] == {
        "protection_screenings": str(WITHHELD_PROTECTION),
        "tracing": str(WITHHELD_PROTECTION),
        "health_screenings": str(WITHHELD_HEALTH),
        "hits": str(WITHHELD_SECURITY),
    }
    for section in ("protection_screenings", "tracing", "health_screenings", "hits"):
        assert data[section] is None
    assert "notes" not in data["referrals"][0] and data["referrals"][0]["status"] == "revoked"
    assert "Ana's" not in str(data)
    event = AuditEvent.objects.get(action="export", object_id=str(ana_in_full.public_id))
    assert event.detail == (
        "subject access (api), withheld: health_screenings, hits, protection_screenings, tracing"
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("protection_bruno", 200),
        ("coordinator_patrick", 200),
        ("admin_samuel", 200),
        ("officer_amina", 403),
        ("security_joseph", 403),
        ("nurse_nadia", 403),
        ("outsider_chen", 403),
    ],
)
def test_who_may_ask_for_a_subject_access_export(caseload, client_for, request, persona, status):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    ana = caseload.ana
    assert client.get(api(ana)).status_code == status
    assert client.get(pdf_url(ana)).status_code == status
    action = "export" if status == 200 else "denied"
    assert (
        AuditEvent.objects.filter(actor=user, action=action, object_id=str(ana.public_id)).count()
        == 2
    )


def test_a_protection_officer_elsewhere_does_not_find_the_person(caseload, client_for, point_b):
    elsewhere = UserFactory(
        username="ines", roles=["protection_officer"], crossing_points=[point_b]
    )
    client = client_for(elsewhere)
    assert client.get(api(caseload.ana)).status_code == 404
    assert client.get(pdf_url(caseload.ana)).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_an_unknown_person_is_404_and_a_bad_id_422(db, client_for, admin_samuel):
    client = client_for(admin_samuel)
    assert (
        client.get(
            "/api/v1/persons/00000000-0000-0000-0000-000000000000/subject-access"
        ).status_code
        == 404
    )
    response = client.get("/api/v1/persons/not-an-id/subject-access")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "path.person_id"
    assert client.get("/retention/persons/not-an-id/subject-access.pdf").status_code == 404


def test_the_pdf_opens_and_has_the_name(ana_in_full, client_for, protection_bruno):
    response = client_for(protection_bruno).get(pdf_url(ana_in_full))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Ana Peter Lokuda" in text and "P1234567" in text
    assert "Ana's protection note" in text
    assert "hits" in text  # withheld from a protection officer, and said so
    assert AuditEvent.objects.filter(
        action="export", actor=protection_bruno, detail__startswith="subject access (pdf)"
    ).exists()


def test_the_person_page_links_the_export_for_those_who_may_ask(
    caseload, client_for, protection_bruno, officer_amina
):
    page = f"/registry/people/{caseload.ana.public_id}/"
    assert pdf_url(caseload.ana) in client_for(protection_bruno).get(page).content.decode()
    assert pdf_url(caseload.ana) not in client_for(officer_amina).get(page).content.decode()


def test_an_anonymised_person_exports_as_anonymised(caseload, client_for, admin_samuel):
    services.retention_run(actor=None, kind="purge", trigger="command", now=later())
    data = client_for(admin_samuel).get(api(caseload.ana)).json()
    assert data["identity"]["anonymised_under"] == "inactive_persons"
    assert data["identity"]["given_name"] == "" and "P1234567" not in str(data)
    page = client_for(admin_samuel).get(f"/registry/people/{caseload.ana.public_id}/")
    html = page.content.decode()
    assert 'id="anonymised"' in html and "inactive_persons" in html and "Lokuda" not in html
