"""An assessor scores a crossing point with the default template (one indicator not
applicable, one saved after the connection came back), submits; a coordinator approves,
opens the report, and the results show the change since last year's assessment."""

import datetime
import re

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from hbm.assessments import services
from hbm.assessments.models import Assessment, Indicator
from hbm.assessments.selectors import default_template
from hbm.assessments.services.defaults import load_default_template
from tests.conftest import PASSWORD
from tests.e2e.conftest import second_factor
from tests.factories import AgencyFactory, CrossingPointFactory, UserFactory

pytestmark = pytest.mark.e2e

LAST_YEAR = timezone.localdate() - datetime.timedelta(days=365)


@pytest.fixture
def people(transactional_db):
    load_default_template(apps)  # browser tests run on flushed tables
    point = CrossingPointFactory(code="mahagi-goli", name="Mahagi – Goli")
    agency = AgencyFactory(code="iom", name="International Organization for Migration (IOM)")
    assessor = UserFactory(
        username="claire",
        first_name="Claire",
        last_name="Mwamba",
        agency=agency,
        roles=["assessor"],
    )
    coordinator = UserFactory(
        username="patrick",
        first_name="Patrick",
        last_name="Kasongo",
        agency=agency,
        roles=["coordinator"],
    )
    template = default_template()
    earlier = services.assessment_create(
        actor=assessor, crossing_point=point, template=template, assessed_on=LAST_YEAR
    )
    for indicator in Indicator.objects.filter(dimension__template=template):
        services.score_set(actor=assessor, assessment=earlier, indicator=indicator, level=1)
    services.assessment_submit(actor=assessor, assessment=earlier)
    services.assessment_approve(actor=coordinator, assessment=earlier)
    return point


def log_in(page, url, username, next_url="/assessments/"):
    page.goto(f"{url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    second_factor(page, username)


def level(page, code, value):
    page.locator(f"#ind-{code} label.level").nth(value).click()


def test_an_assessor_scores_a_point_and_a_coordinator_approves(
    live_server, browser, people, screenshot_path
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    url = live_server.url
    log_in(page, url, "claire")
    page.get_by_role("link", name="New assessment").click()
    page.get_by_label("Crossing point").select_option(label="Mahagi – Goli")
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_text("0 of 32 indicators scored")).to_be_visible()

    # a few indicators by hand, with evidence
    level(page, "CTX-1", 3)
    expect(page.locator("#state-CTX-1")).to_contain_text("Saved: level 3")
    page.locator("#ind-CTX-1 textarea[name=evidence]").fill("Risk analysis of 2025 seen.")
    level(page, "PREP-1", 4)
    expect(page.locator("#state-CTX-1")).to_contain_text("Saved: level 3")
    level(page, "PREP-2", 3)
    level(page, "COORD-1", 3)

    # not applicable: the reason is asked for, next to the field
    page.locator("#ind-HLT-10 input[name=not_applicable]").check()
    expect(page.locator("#err-HLT-10-na_reason")).to_have_text(str(services.NA_REASON_REQUIRED))
    expect(page.locator("#state-HLT-10")).to_contain_text("Not saved")
    page.locator("#ind-HLT-10 textarea[name=na_reason]").fill("No cargo crosses here.")
    page.locator("#ind-HLT-10 textarea[name=evidence]").click()
    expect(page.locator("#state-HLT-10")).to_have_text("Saved: not applicable")
    expect(page.locator("#err-HLT-10-na_reason")).to_be_empty()

    # the connection drops: the indicator is marked and saved when it returns
    context.set_offline(True)
    level(page, "PREP-3", 3)
    expect(page.locator("#state-PREP-3")).to_contain_text("no connection")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#state-PREP-3")).to_contain_text("Saved: level 3")

    # the rest at level 2
    done = {"CTX-1", "PREP-1", "PREP-2", "PREP-3", "COORD-1", "HLT-10"}
    for code in Indicator.objects.filter(dimension__template=default_template()).values_list(
        "code", flat=True
    ):
        if code not in done:
            level(page, code, 2)
            expect(page.locator(f"#state-{code}")).to_contain_text("Saved")
    page.reload()
    expect(page.get_by_text("32 of 32 indicators scored")).to_be_visible()
    expect(page.locator("#ind-CTX-1 textarea[name=evidence]")).to_have_value(
        "Risk analysis of 2025 seen."
    )
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("[data-status]")).to_have_text("Submitted for review")
    page.get_by_role("button", name="Log out").click()
    # logging out first clears this device's offline data, then submits: wait for it to land
    page.wait_for_url(f"{url}/accounts/login/")

    assessment = Assessment.objects.get(status="submitted")
    log_in(page, url, "patrick", next_url=f"/assessments/{assessment.public_id}/")
    page.get_by_label("Review note").fill("Well documented.")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("[data-status]")).to_have_text("Approved")
    expect(page.locator("#ind-CTX-1 input[name=level]").first).to_be_disabled()

    page.get_by_role("link", name="Report", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mahagi – Goli")
    expect(page.locator(".report #deltas")).to_be_visible()
    page.get_by_role("link", name="Back to the results").click()

    # results: charts, and the change since last year's assessment per dimension
    expect(page.locator("svg.radar")).to_be_visible()
    expect(page.locator("svg.bars")).to_be_visible()
    prep = page.locator('#deltas tr[data-dimension="PREP"] .delta')
    expect(prep).to_have_text("+60.0")  # (2×4 + 2×3 + 1×3) / 20 = 85 % against 25 %
    expect(page.locator('#deltas tr[data-dimension="CTX"] .delta')).to_have_text("+37.5")
    expect(page.locator('#deltas tr[data-dimension="HLT"] .delta')).to_have_text("+25.0")
    page.locator(".charts").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_path("assessment-results.png")), full_page=False)

    # across crossing points: the latest approved assessment and its change since the last
    page.get_by_role("link", name="Comparison across crossing points").click()
    row = page.locator('#comparison tr[data-point="mahagi-goli"]')
    expect(row.locator(".delta")).to_contain_text(f"since {LAST_YEAR.isoformat()}")
    expect(row.locator(".delta a")).to_have_text(re.compile(r"^\+\d+\.\d$"))
    context.close()
