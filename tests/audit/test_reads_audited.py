"""Reads that were not audited before 2026-12-04: the crossings list of the API (since
2026-12-06 each person on the page), a person asked for outside one's area of work (404), the
audit log itself, and the screening questions of a person. Replays of registrations:
tests/registry/test_write_scope.py."""

import uuid

import pytest

from hbm.audit.models import AuditEvent
from tests.registry.helpers import register


@pytest.fixture
def person(officer_amina):
    (person,) = register(officer_amina, {"given_name": "Akol", "age_estimate": 12})
    return person


def test_the_crossings_list_of_the_api_is_audited(client_for, officer_amina, person):
    response = client_for(officer_amina).get("/api/v1/crossings?direction=entry")
    assert response.status_code == 200
    (event,) = AuditEvent.objects.filter(actor=officer_amina, action="view")
    assert event.detail == "crossing list (api): direction=entry"
    assert (event.object_type, event.object_id) == ("registry.person", str(person.public_id))


def test_a_crossings_page_showing_no_one_is_audited_as_a_list(client_for, officer_amina, person):
    response = client_for(officer_amina).get("/api/v1/crossings?direction=exit")
    assert response.status_code == 200 and response.json()["results"] == []
    (event,) = AuditEvent.objects.filter(actor=officer_amina, action="view")
    assert (event.object_type, event.object_id) == ("registry.crossing", "")
    assert event.detail == "crossing list (api): direction=exit"


@pytest.mark.parametrize("url", ["/api/v1/persons/{}", "/registry/people/{}/"])
def test_a_person_out_of_scope_is_a_404_audited_as_denied_with_the_id(
    client_for, officer_bintu, person, url
):
    client = client_for(officer_bintu)
    unknown = uuid.uuid4()
    for asked in (person.public_id, unknown):
        assert client.get(url.format(asked)).status_code == 404
    denied = AuditEvent.objects.filter(action="denied", actor=officer_bintu)
    assert sorted(e.object_id for e in denied) == sorted([str(person.public_id), str(unknown)])
    assert {e.object_type for e in denied} == {"registry.person"}


def test_reading_the_audit_log_is_audited(client_for, admin_samuel):
    client = client_for(admin_samuel)
    assert client.get("/audit/?action=export").status_code == 200
    assert client.get("/api/v1/audit/events?object_type=registry.person").status_code == 200
    reads = AuditEvent.objects.filter(actor=admin_samuel, object_type="audit.auditevent")
    assert sorted(e.detail for e in reads) == [
        "audit log (api): object_type=registry.person",
        "audit log (web): action=export",
    ]
    assert {e.action for e in reads} == {"view"}


def test_a_refused_reader_of_the_audit_log_is_audited(client_for, coordinator_patrick):
    client = client_for(coordinator_patrick)
    assert client.get("/audit/").status_code == 403
    assert client.get("/api/v1/audit/events").status_code == 403
    denied = AuditEvent.objects.filter(actor=coordinator_patrick, action="denied")
    assert sorted(e.detail for e in denied) == ["audit log (api)", "audit log (web)"]


def test_the_screening_questions_of_a_person_are_audited(client_for, protection_bruno, person):
    url = f"/api/v1/persons/{person.public_id}/screening-questions"
    assert client_for(protection_bruno).get(url).status_code == 200
    event = AuditEvent.objects.get(actor=protection_bruno, action="view")
    assert (event.object_id, event.fields) == (str(person.public_id), ["screening_questions"])
