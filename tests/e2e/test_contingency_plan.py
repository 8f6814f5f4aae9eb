"""Issue #22's "done when": a surge in the data raises a warning → the coordinator activates
the contingency plan from the alert's proposal → tasks appear for an immigration officer and
a health officer → they mark them done → the plan shows the progress."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import console_errors, log_in

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple"
PLAN = "Mahagi mass arrival"
LANE = "Open the second reception lane and channel arrivals by caseload"
BRIEF = "Apply the emergency entry instruction and brief every shift"
CHOLERA = "Set up cholera and health screening at reception"


@pytest.fixture
def surge(transactional_db):
    """Mahagi – Goli with its agencies and officers, the mass-arrival plan made from the
    shipped template, and three weeks of tallies ending in a surge, run through detection."""
    from hbm.alerts.services.detection import detect_all
    from hbm.plans.services.plans import plan_create_from_template
    from hbm.plans.services.templates import sop_template_default
    from tests.alerts.conftest import arrivals, weekly
    from tests.factories import AgencyFactory, CrossingPointFactory, UserFactory

    point = CrossingPointFactory(code="mahagi-goli", name="Mahagi – Goli", daily_capacity=500)
    agencies = {
        kind: AgencyFactory(code=code, name=name, kind=kind)
        for code, name, kind in [
            ("dgm", "Direction Générale de Migration", "immigration"),
            ("pnhf", "Programme National d'Hygiène aux Frontières", "health"),
            ("pnc", "Police Nationale Congolaise", "police"),
            ("dgda", "Douanes", "customs"),
            ("iom", "IOM", "un_io"),
            ("wash", "WASH partner NGO", "ngo"),
            ("civil", "Protection Civile", "civil_protection"),
        ]
    }
    for agency in agencies.values():
        agency.crossing_points.set([point])
    coordinator = UserFactory(
        username="patrick", agency=agencies["immigration"], roles=["coordinator"]
    )
    for username, kind, role in [
        ("amina", "immigration", "registration_officer"),
        ("grace", "health", "health_officer"),
        ("esther", "un_io", "flow_enumerator"),
    ]:
        UserFactory(username=username, agency=agencies[kind], roles=[role], crossing_points=[point])
    sop_template_default(actor="test")
    plan_create_from_template(
        actor=coordinator, template="mass-arrival", name=PLAN, crossing_points=["mahagi-goli"]
    )
    from hbm.accounts.models import User

    arrivals(User.objects.get(username="esther"), [*weekly(3), 300, 480, 560], point="mahagi-goli")
    assert detect_all(days=7) > 0


def _page(browser):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    page.set_default_timeout(20_000)
    return page, console_errors(page)


def _mark_done(page, title: str, note: str) -> None:
    card = page.locator("#tasks li").filter(has_text=title)
    card.get_by_label("Status").select_option("done")
    card.get_by_label("Note").fill(note)
    card.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"{title}: saved.")).to_be_visible()
    expect(page.locator("#tasks li").filter(has_text=title)).to_have_count(0)


def test_a_surge_warning_activates_the_plan_and_agencies_report_their_tasks(
    live_server, browser, surge
):
    coordinator, coordinator_errors = _page(browser)
    log_in(coordinator, live_server.url, "patrick", PASSWORD)
    coordinator.locator("#mainnav").get_by_role("link", name="Alerts", exact=True).click()
    coordinator.get_by_label("Level").select_option("warning")
    coordinator.get_by_role("button", name="Show").click()
    row = coordinator.locator("#alerts tbody tr").first
    expect(row.locator('[data-level="warning"]')).to_be_visible()
    expect(row).to_contain_text(f"Plan {PLAN} proposed")
    row.get_by_role("button", name="Activate").click()
    expect(coordinator.get_by_text("Plan activated: each agency has its tasks.")).to_be_visible()
    expect(coordinator.locator("#plan-state")).to_have_text("Active")
    expect(coordinator.locator("#progress-done")).to_have_text("0 of 10 tasks done")
    expect(coordinator.locator("#activation")).to_contain_text("on the proposal of")

    amina, amina_errors = _page(browser)
    log_in(amina, live_server.url, "amina", PASSWORD)
    expect(amina.locator("#home-tasks")).to_contain_text(LANE)
    amina.locator("#mainnav").get_by_role("link", name="Tasks", exact=True).click()
    expect(amina.locator("#tasks li")).to_have_count(2)
    expect(amina.locator("#tasks")).not_to_contain_text(CHOLERA)
    _mark_done(amina, LANE, "Second lane open since 07:00")
    _mark_done(amina, BRIEF, "All shifts briefed")
    expect(amina.locator("#tasks li.empty")).to_have_text("No task for your agency.")

    grace, grace_errors = _page(browser)
    log_in(grace, live_server.url, "grace", PASSWORD)
    grace.locator("#mainnav").get_by_role("link", name="Tasks", exact=True).click()
    expect(grace.locator("#tasks li")).to_have_count(1)
    _mark_done(grace, CHOLERA, "Triage tent and isolation area ready")

    coordinator.reload()
    expect(coordinator.locator("#progress-done")).to_have_text("3 of 10 tasks done")
    expect(coordinator.locator("#progress progress")).to_have_attribute("value", "3")
    done = coordinator.locator('#plan-tasks tr[data-status="done"]')
    expect(done).to_have_count(3)
    expect(done.filter(has_text=CHOLERA)).to_contain_text("Triage tent and isolation area ready")
    assert coordinator_errors == amina_errors == grace_errors == []
