"""A security officer sets up a watchlist in the browser: creates it for his agency, has a bad
file refused line by line, loads a good one after checking it, watches everyone registered be
screened against it, and decides on the hit — with no console error on the way."""

import pytest
from playwright.sync_api import expect

from hbm.security.models import Hit, ScreeningRun
from hbm.security.tasks import rescreen_all
from tests.conftest import PASSWORD
from tests.e2e.conftest import console_errors, log_in
from tests.factories import AgencyFactory, CrossingPointFactory, UserFactory
from tests.registry.helpers import register

pytestmark = pytest.mark.e2e

GOOD = (
    b"external_id,given_name,family_name,date_of_birth,nationality,reason_category,required_action\n"
    b"N-1,Mohamed,Hasan,1984-05-02,SSD,armed group,refer\n"
    b"N-2,Tshibola,Mwanangombe,1966,COD,wanted,hold\n"
)
BAD = b"external_id,given_name,date_of_birth\nN-1,,1984\nN-2,Ali,1984-13\n"


@pytest.fixture
def scene(transactional_db):
    point = CrossingPointFactory(code="mahagi-goli", name="Mahagi – Goli")
    amina = UserFactory(username="amina", roles=["registration_officer"], crossing_points=[point])
    register(
        amina,
        {
            "given_name": "Mohammed",
            "family_name": "Hassan",
            "date_of_birth": "1984-05-02",
            "nationality": "SSD",
        },
        point="mahagi-goli",
        kind="individual",
    )
    police = AgencyFactory(code="pnc", name="Police", kind="police")
    AgencyFactory(code="customs", name="Customs", kind="customs")
    UserFactory(
        username="joseph",
        first_name="Joseph",
        agency=police,
        roles=["security_officer"],
        crossing_points=[point],
    )


def test_a_security_officer_sets_up_a_list_and_reviews_its_hit(live_server, page, scene):
    errors = console_errors(page)
    log_in(page, live_server.url, "joseph", PASSWORD)
    page.locator("#mainnav").get_by_role("link", name="Watchlists", exact=True).click()
    expect(page.locator("#watchlists")).to_contain_text("No watchlist yet")
    owner = page.get_by_label("Owner agency")
    assert owner.locator("option").all_inner_texts() == ["Police"]
    page.get_by_label("Name of the list").fill("National list")
    page.get_by_label("Legal basis").fill("Law 04/2016 art. 12")
    page.get_by_role("button", name="Create the list").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Load entries · National list")
    page.get_by_label("CSV, XLSX or FollowTheMoney JSON lines file").set_input_files(
        {"name": "bad.csv", "mimeType": "text/csv", "buffer": BAD}
    )
    page.get_by_role("button", name="Check the file").click()
    problems = page.locator("#problems")
    expect(problems).to_contain_text("2 problems — nothing was imported")
    expect(problems).to_contain_text("line 2: an entry needs a name")
    expect(problems).to_contain_text("line 3: date_of_birth '1984-13' is not a calendar date")

    page.get_by_label("CSV, XLSX or FollowTheMoney JSON lines file").set_input_files(
        {"name": "national.csv", "mimeType": "text/csv", "buffer": GOOD}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=2)).to_have_text(
        "Check: 2 to add, 0 to update, 0 to remove"
    )
    expect(page.locator("#preview")).to_contain_text("Mwanangombe")
    assert not Hit.objects.exists() and not ScreeningRun.objects.exists()
    page.get_by_role("button", name="Import these rows").click()

    expect(page.locator(".messages")).to_contain_text("Loaded: 2 added, 0 updated, 0 removed.")
    expect(page.locator("#loads")).to_contain_text("national.csv")
    expect(page.locator("#entry-list")).to_contain_text("N-2")
    expect(page.locator("#rescreen")).to_contain_text("Waiting for the worker")
    rescreen_all.call(run_id=ScreeningRun.objects.get().pk)  # the worker's job
    expect(page.locator("#rescreen")).to_contain_text("1 of 1 people checked, 1 new hit.")

    page.get_by_role("link", name="Review the hits").click()
    expect(page.locator("#hits")).to_contain_text("Mohammed Hassan")
    page.locator("#hits a").first.click()
    expect(page.locator("#entry")).to_contain_text("armed group")
    page.get_by_label("Reason for the decision").fill("Same date of birth; documents match")
    page.get_by_role("button", name="Confirmed").click()
    expect(page.locator(".messages")).to_contain_text("Decision recorded.")
    assert Hit.objects.get().status == "confirmed"
    assert errors == []
