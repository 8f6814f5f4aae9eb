"""GET /api/v1/registrations/recent: the recent registrations of one of the caller's points,
with the minimum data, that the offline desk keeps for namesake hints (ADR 0127)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hbm.audit.models import AuditEvent
from hbm.registry.models import Person
from tests.registry.test_registration_api import family, post

RECENT = "/api/v1/registrations/recent"


@pytest.fixture
def registered(client_for, officer_amina):
    """A family of four registered today at point A, and a man 20 days ago."""
    client = client_for(officer_amina)
    assert post(client, family()).status_code == 201
    earlier = (timezone.now() - timedelta(days=20)).isoformat()
    old = family(
        crossed_at=earlier,
        members=[{"relationship": "head", "given_name": "Okello", "family_name": "Ojok"}],
    )
    assert post(client, old).status_code == 201
    client.logout()


def test_an_officer_gets_the_minimum_of_the_last_two_weeks_at_their_point(
    client_for, officer_amina, registered
):
    response = client_for(officer_amina).get(RECENT, {"crossing_point": "point-a"})
    assert response.status_code == 200, response.json()
    rows = response.json()["results"]
    today = timezone.localdate().isoformat()
    assert {row["name"] for row in rows} == {
        "Mohammed Ali Hassan",
        "Amina Deng",
        "Yusuf Mohammed Hassan",
        "Mariam Mohammed Hassan",
    }
    head = next(row for row in rows if row["name"] == "Mohammed Ali Hassan")
    assert head == {
        "name": "Mohammed Ali Hassan",
        "year_of_birth": "1984",
        "sex": "M",
        "registered_on": today,
    }
    yusuf = next(row for row in rows if row["name"].startswith("Yusuf"))
    assert yusuf["year_of_birth"] == f"~{timezone.localdate().year - 7}"
    # Each person shown is on record as viewed by the officer.
    viewed = AuditEvent.objects.filter(action="view", actor=officer_amina)
    shown = set(
        Person.objects.filter(given_name__in=["Mohammed", "Amina", "Yusuf", "Mariam"]).values_list(
            "public_id", flat=True
        )
    )
    assert {e.object_id for e in viewed.filter(object_type="registry.person")} == {
        str(public_id) for public_id in shown
    }


def test_a_longer_window_reaches_further_back_and_pages_are_capped(
    client_for, officer_amina, registered
):
    client = client_for(officer_amina)
    rows = client.get(RECENT, {"crossing_point": "point-a", "days": 31}).json()["results"]
    assert "Okello Ojok" in {row["name"] for row in rows}
    first = client.get(RECENT, {"crossing_point": "point-a", "page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    rest = client.get(first["next"]).json()
    assert len(rest["results"]) == 2 and not rest["next"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"crossing_point": "point-a", "days": 0}, "query.days"),
        ({"crossing_point": "point-a", "days": 32}, "query.days"),
        ({"crossing_point": "point-a", "days": "two"}, "query.days"),
        ({}, "query.crossing_point"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client_for, officer_amina, query, field):
    response = client_for(officer_amina).get(RECENT, query)
    assert response.status_code == 422
    assert field in {error["field"] for error in response.json()["errors"]}


def test_another_points_officer_and_outsiders_are_refused(
    client, client_for, officer_bintu, protection_bruno, outsider_chen, registered
):
    assert client.get(RECENT, {"crossing_point": "point-a"}).status_code == 401
    # An officer of point B learns nothing of point A, not even that it exists.
    answer = client_for(officer_bintu).get(RECENT, {"crossing_point": "point-a"})
    assert answer.status_code == 404
    unknown = client_for(officer_bintu).get(RECENT, {"crossing_point": "nowhere"})
    assert unknown.status_code == 404 and unknown.json() == answer.json()
    # Reading people at point A is not registering there.
    assert (
        client_for(protection_bruno).get(RECENT, {"crossing_point": "point-a"}).status_code == 403
    )
    assert client_for(outsider_chen).get(RECENT, {"crossing_point": "point-a"}).status_code == 403
    assert not AuditEvent.objects.filter(action="view", object_type="registry.person").exists()
