"""An officer's day, family tracing: on the demo, the protection officer opens a tracing request
from the page of a child found alone, gets candidates with their reasons in plain words,
confirms one and closes the request — with no console error."""

import pytest
from playwright.sync_api import expect

from hbm.demo import scenario
from hbm.demo.services import demo_load
from hbm.screening.models import ProtectionScreening, TracingRequest
from tests.e2e.conftest import console_errors, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(transactional_db):
    demo_load(scale=0.02)


def test_a_protection_officer_traces_the_family_of_a_demo_child(live_server, page, demo):
    errors = console_errors(page)
    screening = ProtectionScreening.objects.filter(unaccompanied_or_separated=True).first()
    child = screening.person
    log_in(page, live_server.url, "protection", scenario.DEMO_PASSWORD)

    page.get_by_role("link", name="Children alone").click()
    page.locator("#children-alone").get_by_role("link", name=child.full_name).first.click()
    page.locator("#action-trace").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(child.full_name)
    page.get_by_role("button", name="Open the tracing request").click()
    expect(page.locator("#errors-given_name")).to_contain_text("Give at least a given name")

    page.locator('[name="relationship"]').select_option("other")
    page.locator('[name="family_name"]').fill(child.family_name)
    page.locator('[name="last_seen_place"]').fill(child.place_of_origin or "Bunia")
    page.get_by_role("button", name="Open the tracing request").click()
    expect(page.locator(".messages")).to_contain_text("Tracing request opened.")
    expect(page.locator("#tracing-enquirer")).to_have_text(child.full_name)

    page.get_by_role("button", name="Look for candidates").click()
    expect(page.locator(".messages")).to_contain_text("new candidates proposed")
    first = page.locator("#tracing-candidates tbody tr").first
    expect(first.locator(".reasons li").first).to_be_visible()
    expect(page.locator("#tracing-candidates")).not_to_contain_text("patronymic")
    first.get_by_role("button", name="Confirm").click()
    expect(page.locator("#tracing-status")).to_have_text("Match confirmed")
    expect(page.locator("#tracing-candidates .badge").first).to_have_text("Confirmed")

    page.locator('[name="reason"]').select_option("reunited")
    page.get_by_role("button", name="Close the request").click()
    expect(page.locator("#tracing-status")).to_have_text("Closed")
    expect(page.locator("#tracing-history")).to_contain_text("Candidate decided")

    page.get_by_role("link", name="Tracing requests").click()
    expect(page.locator("#tracing-requests")).to_contain_text(child.full_name)
    request = TracingRequest.objects.get()
    assert request.status == "closed" and request.matched_person is not None
    assert errors == []
