"""The flows API: tallies (create, replay, 409, 422 with field paths, list, void) and the
series with its filters, breakdowns and pagination."""

import uuid
from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from hbm.flows import selectors
from hbm.flows.models import FlowCount
from tests.flows.helpers import LUBUMBASHI, line, tally
from tests.registry.helpers import register

pytestmark = pytest.mark.django_db
START = datetime(2026, 11, 20, 8, 0, tzinfo=LUBUMBASHI)


def body(**overrides):
    data = {
        "id": str(uuid.uuid4()),
        "crossing_point": "footpath",
        "window_start": START.isoformat(),
        "window_end": (START + timedelta(hours=4)).isoformat(),
        "total": 7,
        "lines": [
            {"direction": "entry", "nationality": "SSD", "female_18_59": 3, "male_0_4": 2},
            {"direction": "exit", "male_18_59": 2, "people": 2, "transport": "on_foot"},
        ],
    }
    return data | overrides


def post(client, data):
    return client.post("/api/v1/flow-counts", data, content_type="application/json")


def test_a_tally_is_created_and_replayed(client_for, enumerator_esther):
    client = client_for(enumerator_esther)
    data = body()
    first = post(client, data)
    assert first.status_code == 201, first.content
    assert first.json()["total"] == 7 and len(first.json()["lines"]) == 2
    assert first.json()["lines"][0]["people"] == 5  # added up from the cells
    again = post(client, data)
    assert again.status_code == 200 and again.json()["replayed"] is True
    changed = post(client, data | {"total": 8})
    assert changed.status_code == 409
    assert FlowCount.objects.count() == 1


def test_bad_tallies_answer_422_with_field_paths(client_for, enumerator_esther):
    client = client_for(enumerator_esther)
    data = body(total=9)
    data["lines"][0]["female_5_17"] = -1
    response = post(client, data)
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"body.total", "body.lines.0.female_5_17"} <= fields
    assert FlowCount.objects.count() == 0


def test_outsiders_cannot_count_or_read(
    client_for, enumerator_esther, outsider_chen, security_joseph
):
    assert post(client_for(outsider_chen), body()).status_code == 403
    tally(enumerator_esther, line(male_18_59=1))
    assert client_for(security_joseph).get("/api/v1/flows/series").status_code == 403
    assert client_for(security_joseph).get("/api/v1/flow-counts").status_code == 403


def test_tallies_are_listed_with_a_cursor_and_voided(client_for, enumerator_esther):
    for n in range(3):
        tally(enumerator_esther, line(male_18_59=n + 1), start=START + timedelta(hours=4 * n))
    client = client_for(enumerator_esther)
    page = client.get("/api/v1/flow-counts?page_size=2").json()
    assert len(page["results"]) == 2 and page["next"]
    newest = page["results"][0]
    assert newest["total"] == 3
    rest = client.get(page["next"]).json()
    assert len(rest["results"]) == 1 and rest["results"][0]["total"] == 1
    url = f"/api/v1/flow-counts/{newest['id']}/void"
    missing = client.post(url, {"reason": ""}, content_type="application/json")
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "body.reason"
    voided = client.post(url, {"reason": "double entry"}, content_type="application/json")
    assert voided.status_code == 200 and voided.json()["voided_at"]


def test_a_tally_outside_the_officers_points_answers_404_as_an_unknown_one(
    client_for, enumerator_esther, officer_bintu
):
    count = tally(enumerator_esther, line(male_18_59=1)).count
    client = client_for(officer_bintu)
    for url in (f"/api/v1/flow-counts/{count.public_id}", f"/api/v1/flow-counts/{uuid.uuid4()}"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json() == {"message": selectors.NO_SUCH_COUNT}
    voided = client.post(
        f"/api/v1/flow-counts/{count.public_id}/void",
        {"reason": "x"},
        content_type="application/json",
    )
    assert voided.status_code == 404
    count.refresh_from_db()
    assert count.voided_at is None


def test_the_series_by_day_week_and_breakdown(
    client_for, enumerator_esther, officer_amina, coordinator_patrick
):
    tally(enumerator_esther, line(female_18_59=3, male_0_4=2, nationality="SSD"))
    tally(
        enumerator_esther,
        line(male_18_59=4, nationality="CAF"),
        start=START + timedelta(days=3),
    )
    client = client_for(coordinator_patrick)
    url = "/api/v1/flows/series?start=2026-11-16&end=2026-11-29"
    daily = client.get(url).json()
    assert daily["count"] == 2
    assert [(r["period"], r["people"]) for r in daily["items"]] == [
        ("2026-11-20", 5),
        ("2026-11-23", 4),
    ]
    weekly = client.get(url + "&interval=week&by=nationality").json()["items"]
    assert {(r["period"], r["nationality"], r["people"]) for r in weekly} == {
        ("2026-11-16", "SSD", 5),
        ("2026-11-23", "CAF", 4),
    }
    women = client.get(url + "&by=sex,age_band&nationality=SSD").json()["items"]
    assert {(r["sex"], r["age_band"], r["people"]) for r in women} == {
        ("f", "18-59", 3),
        ("m", "0-4", 2),
    }
    paged = client.get(url + "&limit=1&offset=1").json()
    assert paged["count"] == 2 and paged["items"][0]["people"] == 4


def test_series_query_problems_are_422(client_for, coordinator_patrick):
    client = client_for(coordinator_patrick)
    wrong_order = client.get("/api/v1/flows/series?start=2026-11-20&end=2026-11-01")
    assert wrong_order.status_code == 422
    assert wrong_order.json()["errors"][0]["field"] == "query.end"
    unknown = client.get("/api/v1/flows/series?by=colour")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "query.by"
    too_long = client.get("/api/v1/flows/series?start=2020-01-01&end=2026-01-01")
    assert too_long.status_code == 422


def test_registration_officers_see_only_their_points(client_for, officer_amina, officer_bintu):
    register(officer_amina, {"given_name": "A", "sex": "F", "age_estimate": 30})
    register(officer_bintu, {"given_name": "B", "sex": "M", "age_estimate": 30}, point="point-b")
    mine = client_for(officer_amina).get("/api/v1/flows/series?by=point").json()["items"]
    assert {r["point"] for r in mine} == {"point-a"}


def test_the_export_is_streamed_through_the_api(client_for, enumerator_esther, coordinator_patrick):
    tally(enumerator_esther, line(female_18_59=3))
    response = client_for(coordinator_patrick).get(
        "/api/v1/flows/export?format=csv&start=2026-11-20&end=2026-11-20"
    )
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[1].startswith("#date+occurred")
    assert "footpath" in text.splitlines()[2]


def test_the_default_period_ends_on_the_latest_local_day(point_a, informal_point):
    point_a.time_zone = "UTC"
    point_a.save()
    late_evening = datetime(2026, 11, 20, 23, 0, tzinfo=ZoneInfo("UTC"))
    with mock.patch("django.utils.timezone.now", return_value=late_evening):
        # already the 21st at the footpath (UTC+2): its registrations of today must show
        assert selectors.latest_local_day() == date(2026, 11, 21)
        assert selectors.FlowFilters.recent().end == date(2026, 11, 21)
