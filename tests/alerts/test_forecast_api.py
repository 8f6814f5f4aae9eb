"""A point's forecast through the API and on the flow dashboard: each day with its
intervals, capacity and gap; scoped like the dashboard's series; 422 with field paths."""

from datetime import timedelta

import pytest

from hbm.alerts.services.detection import local_today
from hbm.places.models import BorderCrossingPoint
from tests.alerts.conftest import arrivals, weekly

URL = "/api/v1/alerts/forecasts"
# point-a receives 500 a day (the factory's capacity)
RAMP = [*weekly(5), 200, 260, 320, 380, 440, 500, 560]


def _yesterday(code="point-a"):
    return local_today(BorderCrossingPoint.objects.get(code=code)) - timedelta(days=1)


@pytest.fixture
def usual(enumerator_esther):
    return arrivals(enumerator_esther, weekly(6), end=_yesterday())


def test_each_day_has_its_forecast_intervals_capacity_and_gap(client_for, officer_amina, usual):
    body = client_for(officer_amina).get(f"{URL}/point-a").json()
    assert body["crossing_point"] == "point-a"
    assert (body["method"], body["history_days"]) == ("weekly", 42)
    days = body["days"]
    assert len(days) == 14 and days[0]["day"] == (usual + timedelta(days=1)).isoformat()
    for day in days:
        assert 0 <= day["lower_95"] <= day["lower_80"] <= day["forecast"]
        assert day["forecast"] <= day["upper_80"] <= day["upper_95"]
        assert day["capacity"] == 500
        assert day["gap"] == pytest.approx(day["forecast"] - 500, abs=0.11)
    weekday = {d["day"]: d["forecast"] for d in days}
    assert max(weekday.values()) == pytest.approx(120, abs=6)  # the busy day comes back
    assert body["first_over_capacity"] is None and body["first_upper_over_capacity"] is None


def test_a_rise_toward_capacity_names_the_first_day_over_it(
    client_for, coordinator_patrick, enumerator_esther
):
    arrivals(enumerator_esther, RAMP, end=_yesterday())
    body = client_for(coordinator_patrick).get(f"{URL}/point-a", {"horizon": 7}).json()
    assert len(body["days"]) == 7
    first = body["first_over_capacity"]
    assert first is not None and body["first_upper_over_capacity"] <= first
    over = next(d for d in body["days"] if d["day"] == first)
    assert over["gap"] > 0


def test_under_two_weeks_of_data_answers_no_forecast(client_for, officer_amina, enumerator_esther):
    arrivals(enumerator_esther, [40] * 10, end=_yesterday())
    body = client_for(officer_amina).get(f"{URL}/point-a").json()
    assert (body["method"], body["history_days"]) == ("too_short", 10)
    assert {d["forecast"] for d in body["days"]} == {None}
    assert {d["capacity"] for d in body["days"]} == {500}


def test_staff_of_another_point_get_404_and_non_readers_403(
    client_for, officer_bintu, outsider_chen, security_joseph, usual
):
    assert client_for(officer_bintu).get(f"{URL}/point-a").status_code == 404
    assert client_for(outsider_chen).get(f"{URL}/point-a").status_code == 403
    assert client_for(security_joseph).get(f"{URL}/point-a").status_code == 403


def test_an_unknown_point_is_404_and_a_bad_horizon_422_by_its_path(client_for, coordinator_patrick):
    client = client_for(coordinator_patrick)
    assert client.get(f"{URL}/nowhere").status_code == 404
    for horizon in ("0", "29", "soon"):
        response = client.get(f"{URL}/point-a", {"horizon": horizon})
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["query.horizon"]


def test_the_dashboard_of_one_point_draws_the_forecast_beside_capacity(
    client_for, officer_amina, enumerator_esther
):
    arrivals(enumerator_esther, RAMP, end=_yesterday())
    client = client_for(officer_amina)
    page = client.get("/flows/", {"point": "point-a"}).content.decode()
    assert 'id="forecast"' in page and 'class="chart forecast"' in page
    assert "<polygon" in page and "Reception capacity" in page
    assert "Forecast above reception capacity from" in page
    assert page.count("<tr><td>") >= 14  # the days of the forecast table
    assert 'id="forecast"' not in client.get("/flows/").content.decode()  # all points: none


def test_the_dashboard_says_when_there_is_not_enough_data(
    client_for, officer_amina, enumerator_esther
):
    arrivals(enumerator_esther, [40] * 5, end=_yesterday())
    page = client_for(officer_amina).get("/flows/", {"point": "point-a"}).content.decode()
    assert "Not enough data for a forecast: 5 days" in page
    assert 'class="chart forecast"' not in page
