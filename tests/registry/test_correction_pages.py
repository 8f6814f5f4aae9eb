"""Correcting a person through the web form and the API, and the history on the person page."""

import json

import pytest

from hbm.audit.models import AuditEvent
from hbm.registry.models import DuplicateCandidate, Person, PersonCorrection
from hbm.registry.services import corrections
from tests.registry.helpers import list_joseph_kony, register
from tests.registry.test_corrections import HASSAN, MISTYPED


@pytest.fixture
def hassan(officer_amina):
    (person,) = register(officer_amina, HASSAN)
    return person


def patch(client, person, **body):
    return client.patch(
        f"/api/v1/persons/{person.public_id}", json.dumps(body), content_type="application/json"
    )


def form_data(person, **changes):
    """The correction form as it comes, every field with its stored value, and changes."""
    data = {field: corrections.stored(person, field) or "" for field in corrections.FIELDS}
    data["languages"] = ", ".join(person.languages)
    data["age_estimate"] = "" if person.age_estimate is None else str(person.age_estimate)
    return {**data, **changes}


def test_the_api_corrects_and_answers_what_changed(client_for, officer_amina, hassan):
    response = patch(
        client_for(officer_amina),
        hassan,
        reason="Passport seen",
        given_name="Mohamed",
        document_number="p 1234",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["person"]["given_name"] == "Mohamed"
    assert body["person"]["document_number"] == "P1234"
    assert body["changes"] == [
        {"field": "given_name", "before": "Mohammed", "after": "Mohamed"},
        {"field": "document_number", "before": "", "after": "P1234"},
    ]
    assert body["reason"] == "Passport seen"
    assert body["new_duplicate_candidates"] == 0 and body["flags"] == []


def test_the_api_names_each_bad_field_and_writes_nothing(client_for, officer_amina, hassan):
    response = patch(
        client_for(officer_amina),
        hassan,
        date_of_birth="1984-13",
        languages=["ar", "zz9"],
        nationality="XXX",
    )
    assert response.status_code == 422
    fields = sorted(error["field"] for error in response.json()["errors"])
    assert fields == [
        "body.date_of_birth",
        "body.languages.1",
        "body.nationality",
        "body.reason",
    ]
    wrong_type = patch(client_for(officer_amina), hassan, reason="x", age_estimate="forty")
    assert wrong_type.status_code == 422
    assert "age_estimate" in wrong_type.json()["errors"][0]["field"]
    assert not PersonCorrection.objects.exists()
    assert Person.objects.get().date_of_birth == "1984-03-12"


def test_the_api_refuses_out_of_scope_and_other_roles(
    client_for, hassan, officer_bintu, security_joseph, outsider_chen
):
    assert patch(client_for(officer_bintu), hassan, reason="x", sex="F").status_code == 404
    assert patch(client_for(security_joseph), hassan, reason="x", sex="F").status_code == 403
    assert patch(client_for(outsider_chen), hassan, reason="x", sex="F").status_code == 403
    assert not PersonCorrection.objects.exists()
    denied = AuditEvent.objects.filter(action="denied", object_id=str(hassan.public_id))
    assert denied.count() == 1, "bintu's attempt, as any read out of scope"


def test_the_api_reports_a_pair_the_correction_makes(client_for, officer_amina, hassan):
    (mistyped,) = register(officer_amina, MISTYPED)
    response = patch(client_for(officer_amina), mistyped, reason="Wrong card", **HASSAN)
    assert response.json()["new_duplicate_candidates"] == 1
    assert DuplicateCandidate.objects.get().status == "open"


def test_the_form_shows_each_problem_beside_its_field(client_for, officer_amina, hassan):
    client = client_for(officer_amina)
    url = f"/registry/people/{hassan.public_id}/correct/"
    form = client.get(url)
    assert form.status_code == 200
    assert 'value="Mohammed"' in form.content.decode()
    response = client.post(url, form_data(hassan, date_of_birth="1984-02-30", reason=""))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_date_of_birth_errors"' in html
    assert "1984-02-30 is not a date in the calendar." in html
    assert 'id="id_reason_errors"' in html and corrections.NO_REASON in html
    assert not PersonCorrection.objects.exists()
    unchanged = client.post(url, form_data(hassan, reason="no change"))
    assert unchanged.status_code == 422
    assert corrections.NOTHING_CHANGED in unchanged.content.decode()


def test_a_correction_from_the_form_shows_in_the_history(
    client_for, officer_amina, security_joseph, officer_bintu, hassan
):
    client = client_for(officer_amina)
    page = client.get(f"/registry/people/{hassan.public_id}/").content.decode()
    assert 'id="correct-link"' in page
    response = client.post(
        f"/registry/people/{hassan.public_id}/correct/",
        form_data(hassan, given_name="Mohamed", sex="X", reason="Spelled as on his card"),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/registry/people/{hassan.public_id}/"
    history = client_for(security_joseph).get(response["Location"]).content.decode()
    assert 'id="correct-link"' not in history, "a security officer reads, does not correct"
    assert 'id="corrections"' in history
    assert "Spelled as on his card" in history
    assert officer_amina.get_full_name() in history
    assert (
        'Given name: <bdi class="before">Mohammed</bdi> → <bdi class="after">Mohamed</bdi>'
        in history
    )
    assert 'Sex: <bdi class="before">Male</bdi> → <bdi class="after">Other / not stated</bdi>' in (
        history
    )
    assert client_for(officer_bintu).get(response["Location"]).status_code == 404


def test_the_form_is_for_writers_in_scope(
    client_for, hassan, officer_bintu, security_joseph, protection_bruno
):
    url = f"/registry/people/{hassan.public_id}/correct/"
    assert client_for(officer_bintu).get(url).status_code == 404
    assert client_for(security_joseph).get(url).status_code == 403
    assert client_for(security_joseph).post(url, {"reason": "x"}).status_code == 403
    assert client_for(protection_bruno).get(url).status_code == 200
    assert not PersonCorrection.objects.exists()


def test_the_history_pages_through_every_correction(client_for, officer_amina, hassan):
    for n in range(12):
        corrections.person_correct(
            actor=officer_amina,
            person=hassan,
            changes={"phone": f"+2567000000{n:02d}"},
            reason=f"call {n}",
        )
    client = client_for(officer_amina)
    first = client.get(f"/registry/people/{hassan.public_id}/").content.decode()
    second = client.get(f"/registry/people/{hassan.public_id}/?corrections=2").content.decode()
    assert "1–10 of 12 corrections" in first
    assert "call 11" in first and "call 2" in first and "call 1<" not in first
    assert "call 1<" in second and "call 0<" in second


def test_the_api_lists_the_corrections_newest_first(
    client_for, officer_amina, security_joseph, officer_bintu, hassan
):
    client = client_for(officer_amina)
    patch(client, hassan, reason="Passport seen", given_name="Mohamed")
    patch(client, hassan, reason="Asked again", phone="+256700000001")
    response = client_for(security_joseph).get(f"/api/v1/persons/{hassan.public_id}/corrections")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["reason"] for r in results] == ["Asked again", "Passport seen"]
    assert results[1]["corrected_by"] == "amina"
    assert results[1]["changes"] == [
        {"field": "given_name", "before": "Mohammed", "after": "Mohamed"}
    ]
    reads = AuditEvent.objects.filter(action="view", detail="corrections (api)")
    assert reads.count() == 1
    other = client_for(officer_bintu).get(f"/api/v1/persons/{hassan.public_id}/corrections")
    assert other.status_code == 404


def test_a_correction_that_matches_a_watchlist_answers_only_the_neutral_prompt(
    client_for, officer_amina, security_joseph
):
    list_joseph_kony(security_joseph)
    (person,) = register(officer_amina, {"given_name": "Josef", "family_name": "Okot"})
    response = patch(
        client_for(officer_amina),
        person,
        reason="Read from his card",
        given_name="Joseph",
        family_name="Kony",
        date_of_birth="1961",
        nationality="UGA",
    )
    assert response.json()["flags"] == ["refer_to_security_officer"]
    assert "wanted" not in response.content.decode() and "W-2" not in response.content.decode()
    page = client_for(officer_amina).get(f"/registry/people/{person.public_id}/").content.decode()
    assert 'id="security-prompt"' in page and "wanted" not in page
