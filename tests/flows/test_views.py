"""Pages of flow monitoring: entering a tally (good and bad), the tally list and void, the
dashboard with its charts and filters, and who may see what."""

import re

import pytest

from hbm.flows.models import FlowCount, FlowDaily
from tests.flows.helpers import line, tally

pytestmark = pytest.mark.django_db


def sheet(**overrides):
    data = {
        "id": "6a0e8f44-3a4f-4d0e-9b39-3f3f0b0c2a11",
        "crossing_point": "footpath",
        "day": "2026-11-20",
        "start": "08:00",
        "end": "12:00",
        "total": "6",
        "notes": "",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "60",
        "lines-0-direction": "entry",
        "lines-0-female_18_59": "2",
        "lines-0-male_0_4": "1",
        "lines-0-nationality": "ssd",
        "lines-1-direction": "exit",
        "lines-1-people": "3",
        "lines-1-male_18_59": "3",
    }
    return data | overrides


def test_a_new_tally_starts_on_today_at_the_enumerators_point(
    client_for, enumerator_esther, informal_point
):
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from hbm.flows.selectors import latest_local_day
    from tests.factories import UserFactory

    def day_offered(user):
        html = client_for(user).get("/flows/counts/new/").content.decode()
        return re.search(r'name="day" value="([0-9-]+)"', html).group(1)

    assert day_offered(enumerator_esther) == latest_local_day().isoformat()  # two points
    at_one_point = UserFactory(
        username="okello",
        agency=enumerator_esther.agency,
        roles=["flow_enumerator"],
        crossing_points=[informal_point],
    )
    today_there = timezone.localtime(timezone=ZoneInfo(informal_point.time_zone)).date()
    assert day_offered(at_one_point) == today_there.isoformat()


def test_an_enumerator_enters_a_tally_in_local_time(client_for, enumerator_esther):
    client = client_for(enumerator_esther)
    assert client.get("/flows/counts/new/").status_code == 200
    response = client.post("/flows/counts/new/", sheet())
    count = FlowCount.objects.get()
    assert response.status_code == 302 and str(count.public_id) in response["Location"]
    assert count.total == 6 and count.lines.count() == 2
    assert count.window_start.isoformat() == "2026-11-20T06:00:00+00:00"  # 08:00 in Bunia
    assert count.lines.get(direction="entry").nationality_id == "SSD"
    detail = client.get(response["Location"]).content.decode()
    assert 'data-figure="total">6<' in detail


def test_an_overnight_window_ends_the_next_day(client_for, enumerator_esther):
    client_for(enumerator_esther).post("/flows/counts/new/", sheet(start="18:00", end="06:00"))
    count = FlowCount.objects.get()
    assert (count.window_end - count.window_start).total_seconds() == 12 * 3600


def test_problems_are_shown_by_field_and_nothing_is_saved(client_for, enumerator_esther):
    response = client_for(enumerator_esther).post(
        "/flows/counts/new/",
        sheet(**{"total": "9", "lines-1-people": "4", "lines-0-male_5_17": "-1"}),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "The tally was not saved" in page
    assert "add up to" in page  # the total and the group sum
    assert "Counts cannot be negative." in page
    assert re.search(r"Group 2, People in the group: Girls, women, boys and men add up to 3", page)
    assert FlowCount.objects.count() == 0 and FlowDaily.objects.count() == 0


def test_a_group_can_be_added_without_losing_what_was_typed(client_for, enumerator_esther):
    response = client_for(enumerator_esther).post("/flows/counts/new/", sheet(add_line="1"))
    page = response.content.decode()
    assert 'name="lines-2-direction"' in page and 'value="ssd"' in page
    assert FlowCount.objects.count() == 0


def test_tallies_are_listed_and_voided(client_for, enumerator_esther):
    count = tally(enumerator_esther, line(male_18_59=5)).count
    client = client_for(enumerator_esther)
    assert str(count.public_id) in client.get("/flows/counts/").content.decode()
    client.post(f"/flows/counts/{count.public_id}/void/", {"reason": "wrong day"})
    count.refresh_from_db()
    assert count.void_reason == "wrong day"
    assert "voided" in client.get("/flows/counts/").content.decode()


def test_the_dashboard_draws_its_charts_for_the_period(
    client_for, coordinator_patrick, enumerator_esther
):
    tally(enumerator_esther, line(female_18_59=3, male_0_4=2, nationality="SSD"))
    page = (
        client_for(coordinator_patrick)
        .get("/flows/?start=2026-11-14&end=2026-11-23")
        .content.decode()
    )
    for chart in ("timeline", "pyramid", "bars", "map"):
        assert f'class="chart {chart}"' in page
    assert 'data-figure="arrivals">5<' in page
    assert 'data-point="footpath"' in page
    assert "South Sudan" in page


def test_a_wrong_period_is_explained(client_for, coordinator_patrick):
    page = client_for(coordinator_patrick).get("/flows/?start=2026-11-20&end=2026-11-01")
    assert page.status_code == 200
    assert "The period ends before it starts." in page.content.decode()


def test_who_sees_the_flows(client_for, outsider_chen, security_joseph, officer_amina):
    assert client_for(outsider_chen).get("/flows/").status_code == 403
    assert client_for(security_joseph).get("/flows/").status_code == 403
    page = client_for(officer_amina).get("/flows/").content.decode()
    assert 'href="/flows/counts/new/"' not in page  # officers read, enumerators count
    assert client_for(officer_amina).get("/flows/counts/new/").status_code == 403
