"""H2: a search filter that normalises to nothing is refused (422 with its field), never
"match everyone"; the point and date filters select by the crossings' own time, day by day
in the server's time zone."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from hbm.api import INVALID_INPUT
from hbm.registry.selectors import (
    BAD_NATIONALITY,
    DATES_REVERSED,
    EMPTY_DOCUMENT,
    EMPTY_NAME,
    EMPTY_PHONE,
)
from tests.registry.helpers import register

KINSHASA = ZoneInfo("Africa/Kinshasa")  # UTC+1


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"phone": "."}, "phone", EMPTY_PHONE),
        ({"phone": "+-- ()"}, "phone", EMPTY_PHONE),
        ({"document_number": "--"}, "document_number", EMPTY_DOCUMENT),
        ({"name": "... ,;"}, "name", EMPTY_NAME),
        ({"nationality": "C0"}, "nationality", BAD_NATIONALITY),
        (
            {"crossed_since": "2026-11-10", "crossed_until": "2026-11-09"},
            "crossed_until",
            DATES_REVERSED,
        ),
    ],
)
def test_a_filter_that_normalises_to_nothing_is_a_422(
    client_for, officer_amina, params, field, message
):
    register(officer_amina, {"given_name": "Amani", "phone": "+243 81 000 0001"})
    response = client_for(officer_amina).get(
        "/api/v1/persons", {"crossing_point": "point-a", **params}
    )
    assert response.status_code == 422
    assert response.json() == {
        "message": INVALID_INPUT,
        "errors": [{"field": f"query.{field}", "message": message}],
    }


def test_blank_filters_are_not_used_and_values_are_normalised(client_for, officer_amina):
    register(officer_amina, {"given_name": "Amani", "phone": "+243 81 000 0001"})
    register(officer_amina, {"given_name": "Baraka", "document_number": "AB 123"})
    api = client_for(officer_amina)
    by_phone = api.get("/api/v1/persons", {"phone": " +243-81-000-0001 ", "name": "  "})
    assert [p["given_name"] for p in by_phone.json()["results"]] == ["Amani"]
    by_document = api.get("/api/v1/persons", {"document_number": "ab123"})
    assert [p["given_name"] for p in by_document.json()["results"]] == ["Baraka"]


def test_the_web_search_shows_the_field_error(client_for, officer_amina):
    client = client_for(officer_amina)
    page = client.get("/registry/people/", {"phone": "."})
    assert page.status_code == 422
    assert EMPTY_PHONE in page.content.decode()
    assert "Nobody in your area of work matches." not in page.content.decode()
    partial = client.get("/registry/people/", {"name": "?!"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200  # htmx swaps in only a 2xx answer
    assert EMPTY_NAME in partial.content.decode()


def test_dates_are_whole_days_in_the_servers_time_zone(
    client_for, officer_amina, officer_bintu, coordinator_patrick, settings
):
    settings.TIME_ZONE = "Africa/Kinshasa"
    crossed = {
        "before": datetime(2026, 11, 8, 23, 59, tzinfo=KINSHASA),
        "first": datetime(2026, 11, 9, 0, 0, tzinfo=KINSHASA),
        "last": datetime(2026, 11, 10, 23, 59, tzinfo=KINSHASA),
        "after": datetime(2026, 11, 11, 0, 0, tzinfo=KINSHASA),
    }
    for name, at in crossed.items():
        register(officer_amina, {"given_name": name}, crossed_at=at)
    register(
        officer_bintu, {"given_name": "elsewhere"}, point="point-b", crossed_at=crossed["first"]
    )
    api = client_for(coordinator_patrick)
    days = {"crossed_since": "2026-11-09", "crossed_until": "2026-11-10"}
    at_a = api.get("/api/v1/persons", {"crossing_point": "point-a", **days}).json()["results"]
    assert [p["given_name"] for p in at_a] == ["last", "first"]
    anywhere = api.get("/api/v1/persons", days).json()["results"]
    assert [p["given_name"] for p in anywhere] == ["elsewhere", "last", "first"]
    crossings = api.get("/api/v1/crossings", {"since": "2026-11-09", "until": "2026-11-10"})
    assert len(crossings.json()["results"]) == 3
    nowhere = api.get("/api/v1/persons", {"crossing_point": "no-such-point"}).json()
    assert nowhere["results"] == []


def test_an_officer_finds_by_point_only_the_persons_of_their_points(
    client_for, officer_amina, officer_bintu
):
    register(officer_amina, {"given_name": "Amani"})
    register(officer_bintu, {"given_name": "Baraka"}, point="point-b")
    api = client_for(officer_bintu)
    assert api.get("/api/v1/persons", {"crossing_point": "point-a"}).json()["results"] == []
    mine = api.get("/api/v1/persons", {"crossing_point": "point-b"}).json()["results"]
    assert [p["given_name"] for p in mine] == ["Baraka"]
