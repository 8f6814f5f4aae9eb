"""An enumerator enters a tally at an informal crossing (a wrong total is refused, then
fixed); the coordinator sees it in the flow dashboard — charts, map, filters, and one point's
forecast beside its capacity — and opens the situation report. The screenshots of the
dashboard and of the forecast go into the docs with `make screenshots`."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hbm.demo.scenario import DEMO_PASSWORD
from hbm.demo.services import demo_load
from hbm.flows.models import FlowCount
from tests.e2e.conftest import second_factor

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(transactional_db):
    demo_load(scale=0.02)


def log_in(page, url, username, next_url):
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    second_factor(page, username)


def test_a_tally_reaches_the_coordinators_dashboard(live_server, browser, demo, screenshot_path):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    page.set_default_timeout(20_000)
    yesterday = timezone.localdate() - timedelta(days=1)

    log_in(page, live_server.url, "enumerator", "/flows/counts/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a tally")
    page.get_by_label("Crossing point").select_option("ariwara-path")
    page.get_by_label("Day", exact=True).fill(yesterday.isoformat())
    page.get_by_label("From", exact=True).fill("19:00")
    page.get_by_label("To", exact=True).fill("21:00")
    page.get_by_label("Everyone counted").fill("4")
    group = page.locator("#group-1")
    group.get_by_label("Women 18–59").fill("2")
    group.get_by_label("Girls 0–4").fill("1")
    group.get_by_label("Nationality", exact=True).fill("SSD")
    page.get_by_role("button", name="Save the tally").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The groups add up to 3 people, not 4.")
    assert FlowCount.objects.filter(window_start__hour=17).count() == 0  # nothing saved
    expect(page.locator("#group-1").get_by_label("Women 18–59")).to_have_value("2")
    page.get_by_label("Everyone counted").fill("3")
    page.get_by_role("button", name="Save the tally").click()
    expect(page.get_by_text("Tally saved: 3 people at Ariwara market path.")).to_be_visible()
    expect(page.locator('[data-figure="total"]')).to_have_text("3")

    log_in(page, live_server.url, "coordinator", "/flows/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Flow monitoring")
    start = timezone.localdate() - timedelta(days=59)
    page.get_by_label("From", exact=True).fill(start.isoformat())
    page.get_by_role("button", name="Show").click()
    for chart in ("timeline", "pyramid", "bars", "map"):
        expect(page.locator(f"svg.chart.{chart}")).to_be_visible()
    arrivals = int(page.locator('[data-figure="arrivals"]').inner_text())
    assert arrivals > 1000
    expect(page.locator('.map-point[data-point="ariwara-path"]')).to_be_visible()
    expect(page.locator('.map-point[data-point="mahagi-goli"]')).to_be_visible()
    page.locator("#timeline").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_path("flow-dashboard.png")), full_page=True)

    filters = page.get_by_role("form", name="Filters")
    filters.get_by_label("Crossing point").select_option("ariwara-path")
    filters.get_by_label("Nationality", exact=True).fill("SSD")
    page.get_by_role("button", name="Show").click()
    only_here = int(page.locator('[data-figure="arrivals"]').inner_text())
    assert 0 < only_here < arrivals
    expect(page.locator("#by-point tbody tr")).to_have_count(1)
    # one point: its 14-day forecast in its bands, beside what it can receive
    forecast = page.locator("#forecast")
    expect(forecast.locator("svg.chart.forecast")).to_be_visible()
    expect(forecast.locator("svg.chart.forecast polygon")).to_have_count(2)
    expect(page.locator("#forecast-summary")).to_be_visible()
    forecast.get_by_text("Forecast and gap per day").click()
    expect(forecast.locator("#forecast-days tbody tr")).to_have_count(14)
    forecast.scroll_into_view_if_needed()
    forecast.screenshot(path=str(screenshot_path("flow-forecast.png")))

    page.get_by_role("link", name="Situation report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Situation report")
    expect(page.locator('[data-key="arrivals"]')).to_have_text(str(only_here))
    pdf = page.request.get(page.url + "&format=pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert re.match(rb"%PDF-", pdf.body())
