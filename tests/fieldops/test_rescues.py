"""/api/v1/fieldops/rescues (issue #24, item 3): a search and rescue incident, the people
found — linked to their record or registered on the spot through the registry's service —,
their injuries and the referrals raised for them, the outcome; bad input is a 422 on its
field and writes nothing."""

from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from hbm.audit.models import AuditEvent
from hbm.fieldops.models import RescuedPerson, RescueIncident
from hbm.fieldops.services import rescues as services
from hbm.referrals.models import Pathway, Provider, ServiceType
from hbm.referrals.services import referral_send
from hbm.registry.models import Crossing, DuplicateCandidate, Person, Registration
from tests.factories import AgencyFactory, UserFactory
from tests.fieldops.conftest import iso, record_rescue, rescue_body, send

HOUR = timedelta(hours=1)


def _problems(response):
    assert response.status_code == 422, response.content
    return {
        error["field"].removeprefix("body."): error["message"]
        for error in response.json()["errors"]
    }


@pytest.fixture
def health_grace(db, point_a):
    agency = AgencyFactory(code="health", name="Health service", kind="health")
    return UserFactory(
        username="grace", agency=agency, roles=["health_officer"], crossing_points=[point_a]
    )


@pytest.fixture
def hospital(point_a):
    health = ServiceType.objects.get(code="health")
    provider = Provider.objects.create(
        name="District hospital", agency=AgencyFactory(code="hospital", kind="health")
    )
    provider.service_types.add(health)
    Pathway.objects.create(crossing_point=point_a, service_type=health, provider=provider)
    return provider


def _found(client, rescue_id, **body):
    return send(client, "POST", f"/rescues/{rescue_id}/found", body)


def test_an_incident_finds_people_their_injuries_and_referrals_and_closes(
    client_for, coordinator_patrick, families, health_grace, hospital, point_a
):
    dengs, lokos = families
    client = client_for(coordinator_patrick)
    created = send(client, "POST", "/rescues", rescue_body())
    assert created.status_code == 201, created.content
    incident = created.json()
    assert incident["outcome"] == "ongoing" and incident["crossing_point"] == "point-a"
    assert incident["latitude"] == "2.12345" and incident["found"] == 0
    rescue_id = incident["id"]
    hurt = _found(
        client,
        rescue_id,
        person=str(dengs[0].public_id),
        injury="serious",
        condition="Near drowning; conscious, breathing with difficulty.",
    )
    assert hurt.status_code == 201, hurt.content
    _found(client, rescue_id, person=str(dengs[2].public_id), injury="none")
    referral = referral_send(
        actor=health_grace,
        person=dengs[0],
        crossing_point=point_a,
        service_type=ServiceType.objects.get(code="health"),
        provider=hospital,
        urgency="emergency",
        consent_given=True,
    )
    detail = send(client, "GET", f"/rescues/{rescue_id}").json()
    assert [(f["name"], f["injury"], f["source"]) for f in detail["found"]] == [
        ("Achol Deng", "serious", "linked"),
        ("Ayen Deng", "none", "linked"),
    ]
    (shown,) = detail["found"][0]["referrals"]
    assert shown.pop("sent_at").startswith(referral.sent_at.strftime("%Y-%m-%dT%H:%M"))
    assert [shown] == [
        {
            "id": referral.pk,
            "service_type": "health",
            "provider": "District hospital",
            "urgency": "emergency",
            "status": "pending",
        }
    ]
    assert detail["incident"]["found"] == 2 and detail["incident"]["badly_hurt"] == 1
    viewed = AuditEvent.objects.filter(
        action="view", object_type="registry.person", detail=f"rescue {rescue_id}"
    )
    assert viewed.count() >= 2
    closed = send(client, "POST", f"/rescues/{rescue_id}/outcome", {"outcome": "all_found"})
    assert closed.status_code == 200 and closed.json()["outcome"] == "all_found"
    listed = send(client, "GET", "/rescues?hazard=water&outcome=all_found").json()
    assert [i["id"] for i in listed["items"]] == [rescue_id]
    assert send(client, "GET", "/rescues?hazard=heat").json()["count"] == 0
    today = timezone.localdate()
    assert send(client, "GET", f"/rescues?since={today - timedelta(days=1)}").json()["count"] == 1
    assert send(client, "GET", f"/rescues?until={today - timedelta(days=2)}").json()["count"] == 0
    # the person page's section
    page = client.get(f"/fieldops/persons/{dengs[0].public_id}/rescues/").content.decode()
    assert "River or lake: drowning" in page and "Near drowning" in page
    assert _found(client, rescue_id, person=str(lokos[0].public_id)).status_code == 201


def test_a_person_is_registered_on_the_spot_through_the_registry(client_for, admin_samuel, point_a):
    incident = record_rescue(admin_samuel, hazard="heat")
    crossings = Crossing.objects.count()
    client = client_for(admin_samuel)
    body = {
        "new_person": {
            "given_name": "Deng",
            "family_name": "Mayen",
            "sex": "M",
            "age_estimate": 30,
            "nationality": "SSD",
            "consent_given": True,
        },
        "injury": "critical",
        "condition": "Severe dehydration, unconscious.",
    }
    added = _found(client, incident.public_id, **body)
    assert added.status_code == 201, added.content
    (row,) = added.json()["found"]
    assert row["name"] == "Deng Mayen" and row["source"] == "registered"
    person = Person.objects.get(public_id=row["person"])
    # a registration with its crossing at the nearest point, when the incident happened
    crossing = Crossing.objects.get(person=person)
    assert crossing.crossing_point.code == "point-a" and crossing.crossed_at == incident.occurred_at
    assert Crossing.objects.count() == crossings + 1
    assert Registration.objects.filter(group__members__person=person).exists()


def test_only_registrars_register_on_the_spot(client_for, coordinator_patrick):
    incident = record_rescue(coordinator_patrick)
    client = client_for(coordinator_patrick)
    body = {
        "new_person": {"given_name": "A", "family_name": "B", "sex": "F", "consent_given": True}
    }
    assert _found(client, incident.public_id, **body).status_code == 403
    assert not Person.objects.exists() and not RescuedPerson.objects.exists()


def test_bad_incidents_get_field_errors_and_nothing_is_saved(client_for, coordinator_patrick):
    client = client_for(coordinator_patrick)
    bad = rescue_body(
        occurred_at=iso(HOUR),
        latitude="91",
        longitude="-180.5",
        hazard="volcano",
        crossing_point="nowhere",
        team="00000000-0000-0000-0000-000000000000",
        description="x" * 2001,
    )
    hazards = ", ".join(RescueIncident.Hazard.values)
    assert _problems(send(client, "POST", "/rescues", bad)) == {
        "occurred_at": services.OCCURRED_IN_FUTURE,
        "latitude": services.LATITUDE_RANGE,
        "longitude": services.LONGITUDE_RANGE,
        "hazard": services.UNKNOWN_HAZARD.format("volcano", hazards),
        "crossing_point": services.UNKNOWN_POINT.format("nowhere"),
        "team": services.UNKNOWN_TEAM,
        "description": services.TOO_LONG.format(services.DESCRIPTION_LONGEST),
    }
    assert not RescueIncident.objects.exists()
    assert send(client, "GET", "/rescues?hazard=volcano").status_code == 422


def test_bad_people_found_are_refused_and_nothing_is_saved(
    client_for, coordinator_patrick, admin_samuel, families, point_a
):
    dengs, _ = families
    incident = record_rescue(coordinator_patrick)
    client = client_for(coordinator_patrick)
    achol = str(dengs[0].public_id)
    assert _found(client, incident.public_id, person=achol).status_code == 201
    assert _problems(_found(client, incident.public_id, person=achol)) == {
        "person": services.ALREADY_FOUND.format("Achol Deng")
    }
    injuries = ", ".join(RescuedPerson.Injury.values)
    problems = _problems(_found(client, incident.public_id, person="nobody", injury="scratched"))
    assert problems == {"injury": services.UNKNOWN_INJURY.format("scratched", injuries)}
    assert _problems(_found(client, incident.public_id, person="nobody")) == {
        "person": services.UNKNOWN_PERSON
    }
    assert _problems(_found(client, incident.public_id)) == {"person": services.PERSON_NEEDED}
    both = {"person": achol, "new_person": {"given_name": "X", "consent_given": True}}
    assert _problems(_found(client, incident.public_id, **both)) == {
        "person": services.LINK_OR_REGISTER
    }
    # the registry's own problems, on this form's fields
    admin = client_for(admin_samuel)
    bad = {"new_person": {"given_name": "X", "sex": "Q", "consent_given": True}}
    assert "new_person.sex" in _problems(_found(admin, incident.public_id, **bad))
    nowhere = record_rescue(admin_samuel, crossing_point="")
    assert _problems(_found(admin, nowhere.public_id, **bad)) == {
        "new_person": services.NO_POINT_TO_REGISTER
    }
    assert RescuedPerson.objects.count() == 1 and Person.objects.count() == 5


def test_an_unknown_outcome_is_refused_and_a_closed_incident_stays_closed(
    client_for, coordinator_patrick, families
):
    dengs, _ = families
    incident = record_rescue(coordinator_patrick)
    client = client_for(coordinator_patrick)
    path = f"/rescues/{incident.public_id}/outcome"
    outcomes = ", ".join(RescueIncident.Outcome.values)
    assert _problems(send(client, "POST", path, {"outcome": "done"})) == {
        "outcome": services.UNKNOWN_OUTCOME.format("done", outcomes)
    }
    assert send(client, "POST", path, {"outcome": "closed"}).json()["outcome"] == "closed"
    assert _problems(send(client, "POST", path, {"outcome": "ongoing"})) == {
        "outcome": services.CLOSED
    }
    late = _found(client, incident.public_id, person=str(dengs[0].public_id))
    assert _problems(late) == {"person": services.CLOSED}
    assert RescueIncident.objects.get().outcome == "closed"


def test_only_coordinators_reach_rescues(client_for, officer_amina, coordinator_patrick):
    incident = record_rescue(coordinator_patrick)
    client = client_for(officer_amina)
    assert send(client, "GET", "/rescues").status_code == 403
    assert send(client, "GET", f"/rescues/{incident.public_id}").status_code == 403
    assert send(client, "POST", "/rescues", rescue_body()).status_code == 403
    assert RescueIncident.objects.count() == 1


def test_a_person_registered_on_the_spot_is_screened_for_duplicates(
    client_for, admin_samuel, families
):
    dengs, _ = families
    incident = record_rescue(admin_samuel)
    body = {
        "new_person": {
            "given_name": "Achol",
            "family_name": "Deng",
            "sex": "F",
            "date_of_birth": "1985",
            "consent_given": True,
        }
    }
    added = _found(client_for(admin_samuel), incident.public_id, **body)
    assert added.status_code == 201, added.content
    new = Person.objects.get(public_id=added.json()["found"][0]["person"])
    pair = Q(person_a=dengs[0], person_b=new) | Q(person_a=new, person_b=dengs[0])
    assert DuplicateCandidate.objects.filter(pair).exists()
