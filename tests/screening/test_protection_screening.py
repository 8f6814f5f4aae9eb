import json

import pytest
from django.core.exceptions import PermissionDenied

from hbm.audit.models import AuditEvent
from hbm.screening import services
from hbm.screening.models import ProtectionScreening
from tests.registry.helpers import register

CHILD = {"given_name": "Akol", "family_name": "Majok", "sex": "M", "age_estimate": 12}
WOMAN = {"given_name": "Achol", "family_name": "Deng", "sex": "F", "date_of_birth": "1996"}
MAN = {"given_name": "Lado", "family_name": "Wani", "sex": "M", "date_of_birth": "1980"}


@pytest.fixture
def child_alone(officer_amina):
    (child,) = register(officer_amina, CHILD, kind="individual")
    return child


def url(person, tail="screenings"):
    return f"/api/v1/persons/{person.public_id}/{tail}"


def post(client, person, body):
    return client.post(url(person), json.dumps(body), content_type="application/json")


def test_a_child_alone_is_asked_the_unaccompanied_questions_first(
    client_for, child_alone, protection_bruno
):
    questions = client_for(protection_bruno).get(url(child_alone, "screening-questions")).json()
    keys = [q["key"] for q in questions]
    assert keys[0] == "child_without_caregiver"
    assert "pregnant" not in keys and "older_alone" not in keys


def test_pregnancy_is_asked_only_where_it_applies(client_for, officer_amina, protection_bruno):
    woman, man = register(officer_amina, WOMAN, {**MAN, "relationship": "spouse"})
    client = client_for(protection_bruno)
    assert "pregnant" in [q["key"] for q in client.get(url(woman, "screening-questions")).json()]
    assert "pregnant" not in [q["key"] for q in client.get(url(man, "screening-questions")).json()]


def test_answers_propose_codes_and_urgency_and_flag_the_child(child_alone, protection_bruno):
    screening = services.screening_record(
        actor=protection_bruno,
        person=child_alone,
        answers={"child_without_caregiver": True, "no_documents": True, "serious_medical": False},
    )
    assert screening.proposed_codes == ["SC-UC", "LP-ND"]
    assert sorted(c.code for c in screening.codes.all()) == ["LP-ND", "SC-UC"]
    assert screening.urgency == "urgent"
    assert screening.unaccompanied_or_separated is True
    assert AuditEvent.objects.filter(
        action="create", object_type="screening.protectionscreening"
    ).exists()


def test_the_officer_confirms_other_codes_and_urgency(child_alone, protection_bruno):
    screening = services.screening_record(
        actor=protection_bruno,
        person=child_alone,
        answers={"child_without_caregiver": True},
        codes=["SC-SC", "FU-TR"],
        urgency="emergency",
        notes="Brother may be in Aru.",
    )
    assert sorted(c.code for c in screening.codes.all()) == ["FU-TR", "SC-SC"]
    assert (screening.urgency, screening.notes) == ("emergency", "Brother may be in Aru.")


def test_answers_inconsistent_with_age_or_sex_are_refused(
    client_for, officer_amina, protection_bruno
):
    (man,) = register(officer_amina, MAN)
    response = post(
        client_for(protection_bruno),
        man,
        {
            "answers": {"pregnant": True, "child_without_caregiver": False, "magic": True},
            "codes": ["XX-00"],
            "urgency": "soon",
        },
    )
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["body.answers.pregnant"].startswith("This question does not apply")
    assert "body.answers.child_without_caregiver" in errors
    assert errors["body.answers.magic"] == services.UNKNOWN_QUESTION.format("magic")
    assert errors["body.codes.0"] == services.UNKNOWN_CODE.format("XX-00")
    assert errors["body.urgency"] == services.NOT_A_CHOICE.format("soon")
    assert not ProtectionScreening.objects.exists()


def test_the_protection_compartment_is_closed_to_other_roles(
    client_for,
    child_alone,
    protection_bruno,
    officer_amina,
    security_joseph,
    coordinator_patrick,
):
    services.screening_record(
        actor=protection_bruno,
        person=child_alone,
        answers={"child_without_caregiver": True},
        notes="secret note",
    )
    for user in (officer_amina, security_joseph, coordinator_patrick):
        client = client_for(user)
        assert client.get(url(child_alone)).status_code == 403
        assert post(client, child_alone, {"answers": {}}).status_code == 403
        page = client.get(f"/registry/people/{child_alone.public_id}/").content.decode()
        assert "Protection screening" not in page
        assert client.get(f"/screening/persons/{child_alone.public_id}/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.screening_record(actor=officer_amina, person=child_alone, answers={})
    reader = client_for(protection_bruno)
    body = reader.get(url(child_alone)).json()
    assert body[0]["notes"] == "secret note" and body[0]["codes"] == ["SC-UC"]
    assert (
        "Protection screening"
        in reader.get(f"/registry/people/{child_alone.public_id}/").content.decode()
    )


def test_a_protection_officer_elsewhere_cannot_screen(client_for, officer_bintu, point_b):
    from tests.factories import UserFactory

    (person,) = register(officer_bintu, CHILD, point="point-b", kind="individual")
    stranger = UserFactory(username="pat", roles=["protection_officer"])
    assert post(client_for(stranger), person, {"answers": {}}).status_code == 404


def test_the_screening_page_records_and_shows_the_result(client_for, child_alone, protection_bruno):
    client = client_for(protection_bruno)
    page = client.get(f"/screening/persons/{child_alone.public_id}/screen/")
    assert "without both parents" in page.content.decode()
    proposal = client.post(
        f"/screening/persons/{child_alone.public_id}/proposal/",
        {"q_child_without_caregiver": "yes"},
    ).content.decode()
    assert 'value="SC-UC" checked' in proposal and 'value="urgent" selected' in proposal
    response = client.post(
        f"/screening/persons/{child_alone.public_id}/screen/",
        {
            "q_child_without_caregiver": "yes",
            "codes": ["SC-UC"],
            "urgency": "urgent",
            "notes": "Alone since Yei.",
        },
    )
    assert response.status_code == 302
    section = client.get(f"/screening/persons/{child_alone.public_id}/").content.decode()
    assert "SC-UC" in section and "Alone since Yei." in section
    assert "unaccompanied or separated child" in section


def test_the_taxonomy_ships_with_sources_and_marks_unverified_labels(client_for, protection_bruno):
    codes = {c["code"]: c for c in client_for(protection_bruno).get("/api/v1/needs-codes").json()}
    assert codes["SC-UC"]["label"] == "Unaccompanied child" and codes["SC-UC"]["verified"]
    assert codes["SM-OT"]["verified"] is False
    assert len(codes) == 48
