"""Issue #24, item 1 in the browser: a coordinator makes a team, deploys it to a crossing
point (a wrong end time first: refused on its field), the member sees the deployment and the
point; the coordinator ends it and the point is gone from the member's list."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import console_errors, log_in

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple"
LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def people(transactional_db):
    from tests.factories import AgencyFactory, CrossingPointFactory, UserFactory

    CrossingPointFactory(code="mahagi-goli", name="Mahagi – Goli")
    CrossingPointFactory(code="aba", name="Aba")
    dgm = AgencyFactory(code="dgm", name="Direction Générale de Migration", kind="immigration")
    UserFactory(username="patrick", agency=dgm, roles=["coordinator"])
    UserFactory(
        username="amina",
        agency=dgm,
        roles=["registration_officer"],
        crossing_points=[CrossingPointFactory(code="mahagi-goli")],
    )


def _page(browser):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    page.set_default_timeout(20_000)
    return page, console_errors(page)


def test_a_deployment_opens_the_point_to_the_member_until_it_ends(live_server, browser, people):
    coordinator, coordinator_errors = _page(browser)
    log_in(coordinator, live_server.url, "patrick", PASSWORD)
    coordinator.locator("#mainnav").get_by_role("link", name="Field teams", exact=True).click()
    coordinator.get_by_role("link", name="Make a team").click()
    coordinator.get_by_label("Name of the team").fill("Rapid team Aba")
    coordinator.get_by_label("Direction Générale de Migration").check()
    coordinator.get_by_label("Members (usernames, separated by commas)").fill("amina")
    coordinator.get_by_label("Languages (separated by commas)").fill("French, Bari")
    coordinator.get_by_role("button", name="Save").click()
    expect(coordinator.get_by_text("Team Rapid team Aba made.")).to_be_visible()

    now = timezone.now()
    coordinator.get_by_role("link", name="Deploy a team").click()
    coordinator.locator("#id_team").select_option(label="Rapid team Aba")
    coordinator.locator("#id_crossing_point").select_option(label="Aba")
    coordinator.locator("#id_starts_at").fill((now - timedelta(hours=1)).strftime(LOCAL))
    coordinator.locator("#id_ends_at").fill((now - timedelta(hours=2)).strftime(LOCAL))
    coordinator.get_by_role("button", name="Deploy", exact=True).click()
    expect(coordinator.locator("#id_ends_at-errors")).to_have_text(
        "The deployment must end after it starts."
    )
    coordinator.locator("#id_ends_at").fill((now + timedelta(days=2)).strftime(LOCAL))
    coordinator.get_by_role("button", name="Deploy", exact=True).click()
    expect(coordinator.get_by_text("Team deployed.")).to_be_visible()
    expect(coordinator.locator("#current")).to_contain_text("Rapid team Aba")
    expect(coordinator.locator("#current")).to_contain_text("Aba")

    amina, amina_errors = _page(browser)
    log_in(amina, live_server.url, "amina", PASSWORD)
    amina.locator("#mainnav").get_by_role("link", name="Field teams", exact=True).click()
    expect(amina.locator("#current")).to_contain_text("Rapid team Aba")
    amina.goto(f"{live_server.url}/places/crossing-points/")
    expect(amina.locator("main")).to_contain_text("Aba")

    coordinator.locator("#current").get_by_role("button", name="End now").click()
    expect(coordinator.locator("#current")).to_contain_text("No team is deployed now.")
    expect(coordinator.locator("#ended")).to_contain_text("Rapid team Aba")
    amina.reload()
    expect(amina.locator("main")).not_to_contain_text("Aba")
    expect(amina.locator("main")).to_contain_text("Mahagi – Goli")
    assert coordinator_errors == amina_errors == []
