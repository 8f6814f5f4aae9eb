import pytest
from playwright.sync_api import expect

from hbm.accounts.models import TotpDevice
from tests.conftest import PASSWORD
from tests.e2e.conftest import authenticator_code, second_factor
from tests.factories import AgencyFactory, CrossingPointFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def coordinator(transactional_db):
    CrossingPointFactory(code="mahagi-goli", name="Mahagi – Goli")
    CrossingPointFactory(code="aba", name="Aba", status="restricted")
    agency = AgencyFactory(code="dgm", name="Direction Générale de Migration")
    return UserFactory(
        username="coordinator",
        first_name="Patrick",
        last_name="Kasongo",
        agency=agency,
        roles=["coordinator"],
    )


def test_a_coordinator_logs_in_sees_home_and_switches_to_arabic(live_server, page, coordinator):
    page.goto(live_server.url + "/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    second_factor(page, "coordinator")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Patrick Kasongo")
    expect(page.locator('[data-figure="open"]')).to_have_text("1")
    expect(page.locator('[data-figure="restricted"]')).to_have_text("1")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator(".topbar")).to_have_css("display", "flex")

    page.select_option("#language", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator('[data-figure="open"]')).to_have_text("1")
    topbar = page.locator(".topbar").bounding_box()
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > topbar["width"] / 2, "in Arabic the brand sits on the right"


def test_the_api_documentation_renders_under_the_content_security_policy(
    live_server, page, coordinator
):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    second_factor(page, "coordinator")
    page.goto(live_server.url + "/api/v1/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()


def test_a_coordinator_sets_up_two_factor_login_then_logs_in_with_a_code(
    live_server, page, coordinator, screenshot_path
):
    """Issue #20: the coordinator's password leads to the set-up and nowhere else; the key
    on the page, typed into an app, gives the code that opens HBM; the next login asks for a
    code, and a wrong one is refused with the reason."""
    page.goto(live_server.url + "/accounts/login/?next=/audit/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor login")
    expect(page.locator("svg.qr")).to_be_visible()
    page.screenshot(path=screenshot_path("two-factor-set-up.png"), full_page=True)
    page.goto(live_server.url + "/places/crossing-points/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor login")
    expect(page.get_by_role("img", name="QR code of the authenticator key")).to_be_visible()

    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code", exact=True).fill(authenticator_code("coordinator", secret))
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.locator("#continue").click()
    # On to the page last asked for.
    expect(page).to_have_url(live_server.url + "/places/crossing-points/")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    page.get_by_label("Code", exact=True).fill("12345")
    page.get_by_role("button", name="Verify").click()
    expect(page.locator("#code-error")).to_contain_text("That code is wrong or was already used")
    page.get_by_label("Code", exact=True).fill(authenticator_code("coordinator"))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Patrick Kasongo")
    assert TotpDevice.objects.get(user__username="coordinator").confirmed_at is not None
