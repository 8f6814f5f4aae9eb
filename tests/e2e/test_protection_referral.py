"""A child travelling alone: screened, referred with consent, accepted and completed by the
provider; the sender sees it completed."""

import pytest
from playwright.sync_api import expect

from hbm.referrals.models import Pathway, Provider, Referral, ServiceType
from tests.conftest import PASSWORD
from tests.factories import AgencyFactory, CrossingPointFactory, UserFactory
from tests.registry.helpers import register

pytestmark = pytest.mark.e2e


@pytest.fixture
def scene(transactional_db):
    point = CrossingPointFactory(code="mahagi-goli", name="Mahagi – Goli")
    registrar = UserFactory(
        username="amina", roles=["registration_officer"], crossing_points=[point]
    )
    UserFactory(
        username="bruno", first_name="Bruno", roles=["protection_officer"], crossing_points=[point]
    )
    ngo = AgencyFactory(code="icpn", name="Ituri Child Protection Network", kind="ngo")
    UserFactory(username="ruth", agency=ngo, roles=["service_provider"])
    provider = Provider.objects.create(name="ICPN Mahagi desk", agency=ngo)
    child_protection = ServiceType.objects.get(code="child-protection")
    provider.service_types.add(child_protection)
    Pathway.objects.create(crossing_point=point, service_type=child_protection, provider=provider)
    (child,) = register(
        registrar,
        {"given_name": "Akol", "family_name": "Majok", "sex": "M", "age_estimate": 12},
        point="mahagi-goli",
        kind="individual",
    )
    return child


def log_in(page, url, username):
    page.context.clear_cookies()
    page.goto(url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_a_child_alone_is_screened_referred_and_helped(live_server, page, scene):
    child = scene
    log_in(page, live_server.url, "bruno")
    page.goto(f"{live_server.url}/registry/people/{child.public_id}/")
    expect(page.locator("#section-protection")).to_contain_text("Not screened yet")
    page.get_by_role("link", name="Screen for specific needs").click()
    first = page.locator(".question").first
    expect(first).to_contain_text("without both parents")
    first.get_by_label("Yes").check()
    expect(page.locator('input[name="codes"][value="SC-UC"]')).to_be_checked()
    expect(page.locator('select[name="urgency"]')).to_have_value("urgent")
    page.get_by_label("Notes (protection officers only)").fill("Alone since Yei.")
    page.get_by_role("button", name="Record the screening").click()
    expect(page.locator("#section-protection")).to_contain_text("unaccompanied or separated child")
    expect(page.locator("#section-protection")).to_contain_text("SC-UC")

    page.get_by_role("link", name="Refer for SC-UC").click()
    expect(page.locator('[name="need_code"]')).to_have_value("SC-UC")
    expect(page.locator('[name="urgency"]')).to_have_value("urgent")
    page.locator('[name="service_type"]').select_option(label="Child protection")
    page.locator('[name="provider"]').select_option(label="ICPN Mahagi desk")
    page.get_by_role("button", name="Send the referral").click()
    expect(page.locator(".errorlist").first).to_contain_text("reason for referring without consent")
    page.get_by_label("The person consents to this referral").check()
    page.get_by_role("button", name="Send the referral").click()
    expect(page.locator("#section-referrals")).to_contain_text("Pending")

    log_in(page, live_server.url, "ruth")
    page.get_by_role("link", name="Referrals").click()
    page.locator("#referrals a").first.click()
    expect(page.locator("#shared")).to_contain_text("Akol")
    page.get_by_role("button", name="Accept").click()
    page.get_by_role("button", name="Start the service").click()
    page.get_by_role("button", name="Complete").click()
    expect(page.locator(".errorlist").first).to_contain_text("Describe the outcome")
    page.get_by_label("Outcome").fill("Placed with his aunt in Bunia")
    page.get_by_role("button", name="Complete").click()
    expect(page.locator("#referral-status")).to_have_text("Completed")
    response = page.goto(f"{live_server.url}/registry/people/{child.public_id}/")
    assert response.status == 403

    log_in(page, live_server.url, "bruno")
    page.goto(f"{live_server.url}/registry/people/{child.public_id}/")
    expect(page.locator("#section-referrals")).to_contain_text("Completed")
    assert Referral.objects.get().outcome == "Placed with his aunt in Bunia"
