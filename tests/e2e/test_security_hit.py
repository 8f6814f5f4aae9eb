"""An officer registers a man who matches a list entry written in Arabic script and sees
only the neutral prompt; a security officer sees the hit and clears it."""

import pytest
from playwright.sync_api import expect

from hbm.security import services
from hbm.security.models import Hit
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from tests.factories import AgencyFactory, CrossingPointFactory, UserFactory

pytestmark = pytest.mark.e2e

LIST = (
    "external_id,other_names,date_of_birth,nationality,reason_category,required_action\n"
    "W-1,محمد حسن,1984,SSD,armed group,refer\n"
)


@pytest.fixture
def scene(transactional_db):
    point = CrossingPointFactory(code="mahagi-goli", name="Mahagi – Goli")
    UserFactory(
        username="amina",
        first_name="Amina",
        roles=["registration_officer"],
        crossing_points=[point],
    )
    police = AgencyFactory(code="pnc", name="Police", kind="police")
    joseph = UserFactory(
        username="joseph",
        first_name="Joseph",
        agency=police,
        roles=["security_officer"],
        crossing_points=[point],
    )
    watchlist = services.watchlist_create(
        actor=joseph, owner=police, name="National list", legal_basis="Law 04/2016"
    )
    services.watchlist_load(
        actor=joseph, watchlist=watchlist, content=LIST.encode(), filename="national.csv"
    )


def test_a_listed_man_is_referred_neutrally_and_cleared_by_security(live_server, page, scene):
    log_in(page, live_server.url, "amina", PASSWORD, "/registry/desk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a group")
    page.locator('[name="members-0-given_name"]').fill("Mohammed")
    page.locator('[name="members-0-family_name"]').fill("Hassan")
    page.locator('[name="members-0-date_of_birth"]').fill("1984-05-02")
    page.locator('[name="members-0-nationality"]').fill("SSD")
    page.get_by_label("Consent to registration and assistance was given").check()
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.locator("#security-prompt")).to_contain_text("security officer")
    body = page.content()
    assert "armed group" not in body and "National list" not in body

    log_in(page, live_server.url, "joseph", PASSWORD, "/security/hits/")
    expect(page.locator("#hits")).to_contain_text("Mohammed Hassan")
    page.locator("#hits a").first.click()
    expect(page.locator("#entry")).to_contain_text("armed group")
    page.get_by_role("button", name="False positive").click()
    expect(page.get_by_role("alert")).to_contain_text("Give the reason")
    page.get_by_label("Reason for the decision").fill("Different father; documents checked")
    page.get_by_role("button", name="False positive").click()
    expect(page.locator("#hits")).to_contain_text("No hit.")
    assert Hit.objects.get().status == "false_positive"
