"""The demo's surge has raised warnings: the coordinator finds them in the alerts list,
reads the evidence chart, acknowledges one, raises an alert by hand from a report across
the border (a wrong country code refused by its field first), and sees the open alerts in
the situation report."""

import pytest
from playwright.sync_api import expect

from hbm.alerts.models import Alert
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_the_coordinator_reads_acknowledges_and_raises_alerts(live_server, browser, demo):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    page.set_default_timeout(20_000)
    from hbm.demo.scenario import DEMO_PASSWORD

    log_in(page, live_server.url, "coordinator", DEMO_PASSWORD)
    page.locator("#mainnav").get_by_role("link", name="Alerts", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Early-warning alerts")
    page.get_by_label("Level").select_option("warning")
    page.get_by_role("button", name="Show").click()
    rows = page.locator("#alerts tbody tr")
    expect(rows.first.locator('[data-level="warning"]')).to_be_visible()

    rows.first.get_by_role("link").click()
    expect(page.locator("#evidence svg.chart")).to_be_visible()
    expect(page.locator("#evidence svg rect[opacity]").first).to_be_attached()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Alert acknowledged.")).to_be_visible()
    expect(page.locator("#alert-status")).to_have_text("Acknowledged")

    page.goto(f"{live_server.url}/alerts/new/")
    page.get_by_label("Crossing point").select_option("mahagi-goli")
    page.get_by_label("Level").select_option("emergency")
    page.get_by_label("Nationality (ISO 3166 alpha-3)").fill("SUD")
    page.get_by_label("What was reported, and by whom").fill(
        "UNHCR Uganda: 3,000 people gathering at Oraba, expected tomorrow"
    )
    page.get_by_role("button", name="Raise").click()
    expect(page.locator("#id_nationality-errors")).to_have_text(
        "Not an ISO 3166 alpha-3 country code."
    )
    assert not Alert.objects.filter(detector="manual").exists()
    page.get_by_label("Nationality (ISO 3166 alpha-3)").fill("SSD")
    page.get_by_role("button", name="Raise").click()
    expect(page.get_by_text("Alert raised; the notices are on their way.")).to_be_visible()
    expect(page.locator('h1 [data-level="emergency"]')).to_be_visible()

    page.goto(f"{live_server.url}/flows/sitrep/")
    expect(page.locator("#open-alerts")).to_contain_text("Reported by a coordinator")
    expect(page.locator("#open-alerts")).to_contain_text("Emergency")
