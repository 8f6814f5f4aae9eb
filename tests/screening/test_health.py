import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from hbm.screening.models import HealthScreening, PublicHealthEvent
from hbm.screening.services import health
from tests.factories import UserFactory
from tests.registry.helpers import register


@pytest.fixture
def outbreak(db):
    return PublicHealthEvent.objects.create(
        name="Ebola preparedness (test)",
        started_on=date(2026, 10, 1),
        symptoms=[
            ["fever", "Fever"],
            ["bleeding", "Unexplained bleeding"],
            ["vomiting", "Vomiting"],
        ],
    )


@pytest.fixture
def nurse(point_a):
    return UserFactory(username="grace", roles=["health_officer"], crossing_points=[point_a])


@pytest.fixture
def traveller(officer_amina):
    (person,) = register(
        officer_amina,
        {"given_name": "Lado", "family_name": "Wani", "sex": "M", "date_of_birth": "1980"},
    )
    return person


def url(person):
    return f"/api/v1/persons/{person.public_id}/health-screenings"


def post(client, person, body):
    return client.post(url(person), json.dumps(body), content_type="application/json")


def test_a_screening_with_fever_counts_as_symptomatic(client_for, nurse, traveller, outbreak):
    response = post(
        client_for(nurse),
        traveller,
        {
            "crossing_point": "point-a",
            "symptoms": {"vomiting": False},
            "temperature_celsius": 38.6,
            "vaccination": "partial",
            "referred_for_care": True,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["has_symptoms"] is True and body["event"] == "Ebola preparedness (test)"


def test_bad_health_input_is_refused_with_fields(client_for, nurse, traveller, outbreak):
    response = post(
        client_for(nurse),
        traveller,
        {
            "crossing_point": "point-a",
            "symptoms": {"cough": True},
            "temperature_celsius": 52,
            "vaccination": "maybe",
        },
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"body.symptoms.cough", "body.vaccination"}
    response = post(
        client_for(nurse), traveller, {"crossing_point": "point-a", "temperature_celsius": 52}
    )
    assert response.json()["errors"] == [
        {"field": "body.temperature_celsius", "message": health.BAD_TEMPERATURE}
    ]
    assert not HealthScreening.objects.exists()


def test_health_details_are_for_health_roles_only(
    client_for, nurse, traveller, outbreak, protection_bruno, officer_amina, coordinator_patrick
):
    health.health_screening_record(
        actor=nurse,
        person=traveller,
        crossing_point=traveller.first_crossing_point,
        symptoms={"bleeding": True},
        notes="private health note",
    )
    for user in (protection_bruno, officer_amina, coordinator_patrick):
        client = client_for(user)
        assert client.get(url(traveller)).status_code == 403
        page = client.get(f"/registry/people/{traveller.public_id}/").content.decode()
        assert "Health screening" not in page and "private health note" not in page
        with pytest.raises(PermissionDenied):
            health.health_screening_list(user=user, person=traveller)
    reader = client_for(nurse)
    assert reader.get(url(traveller)).json()[0]["notes"] == "private health note"
    page = reader.get(f"/registry/people/{traveller.public_id}/").content.decode()
    assert "Health screening" in page and "Protection screening" not in page
    section = reader.get(f"/screening/persons/{traveller.public_id}/health/").content.decode()
    assert "private health note" in section and "Unexplained bleeding" in section


def test_daily_counts_have_no_personal_data_and_are_open_to_coordinators(
    client_for, nurse, traveller, outbreak, coordinator_patrick, protection_bruno
):
    for symptomatic in (True, False, False):
        health.health_screening_record(
            actor=nurse,
            person=traveller,
            crossing_point=traveller.first_crossing_point,
            symptoms={"fever": symptomatic},
        )
    rows = client_for(coordinator_patrick).get("/api/v1/health/daily").json()
    assert len(rows) == 1
    row = rows[0]
    assert (row["crossing_point"], row["screened"], row["with_symptoms"]) == ("point-a", 3, 1)
    assert set(row) == {"day", "crossing_point", "screened", "with_symptoms", "referred"}
    assert client_for(protection_bruno).get("/api/v1/health/daily").status_code == 403


def test_the_health_form_on_the_person_page_records(client_for, nurse, traveller, outbreak):
    client = client_for(nurse)
    response = client.post(
        f"/screening/persons/{traveller.public_id}/health/",
        {"s_fever": "on", "temperature_celsius": "37.2", "vaccination": "none", "point": "point-a"},
    )
    assert response.status_code == 200
    screening = HealthScreening.objects.get()
    assert screening.symptoms == {"fever": True, "bleeding": False, "vomiting": False}
    assert screening.has_symptoms is True


def test_the_health_form_records_at_the_chosen_point_or_else_the_first_one(
    client_for, nurse, traveller, outbreak, point_b
):
    client = client_for(nurse)
    page = f"/screening/persons/{traveller.public_id}/health/"
    assert client.post(page, {"vaccination": "none"}).status_code == 200
    assert HealthScreening.objects.get().crossing_point == traveller.first_crossing_point
    assert client.post(page, {"vaccination": "none", "point": "point-b"}).status_code == 404
    assert client.post(page, {"vaccination": "none", "point": "point-a"}).status_code == 200
    assert HealthScreening.objects.count() == 2
    chosen = health.health_screening_point(user=nurse, person=traveller, code="point-a")
    assert chosen.code == "point-a"
