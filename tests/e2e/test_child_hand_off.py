"""An officer's day, hand-offs: a family registered at the desk with a child who is not
theirs; the protection officer finds the child "to screen" in the worklist, refers the child
(the service proposed, the providers those of the service) and reads the referral in plain
words."""

import pytest
from playwright.sync_api import expect

from hbm.referrals.models import Pathway, Provider, Referral, ServiceType
from tests.conftest import PASSWORD
from tests.e2e.conftest import console_errors, log_in
from tests.factories import AgencyFactory, CrossingPointFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def scene(transactional_db):
    point = CrossingPointFactory(code="mahagi-goli", name="Mahagi – Goli")
    UserFactory(username="amina", roles=["registration_officer"], crossing_points=[point])
    UserFactory(username="bruno", roles=["protection_officer"], crossing_points=[point])
    ngo = AgencyFactory(code="icpn", name="Ituri Child Protection Network", kind="ngo")
    desk = Provider.objects.create(name="ICPN Mahagi desk", agency=ngo)
    clinic = Provider.objects.create(name="Goli clinic", agency=ngo)
    child_protection = ServiceType.objects.get(code="child-protection")
    health = ServiceType.objects.get(code="health")
    desk.service_types.add(child_protection)
    clinic.service_types.add(health)
    Pathway.objects.create(crossing_point=point, service_type=child_protection, provider=desk)
    Pathway.objects.create(crossing_point=point, service_type=health, provider=clinic)
    return point


def fill_member(page, index, **values):
    for name, value in values.items():
        locator = page.locator(f'[name="members-{index}-{name}"]')
        if name in ("relationship", "sex"):
            locator.select_option(value)
        else:
            locator.fill(value)


def test_a_child_registered_with_strangers_is_screened_for_and_referred(live_server, page, scene):
    errors = console_errors(page)
    log_in(page, live_server.url, "amina", PASSWORD, next_path="/registry/desk/")
    fill_member(page, 0, given_name="Mary", family_name="Lokwa", sex="F", date_of_birth="1990")
    page.keyboard.press("Alt+n")
    expect(page.locator("[data-member]")).to_have_count(2)
    fill_member(page, 1, relationship="spouse", given_name="John", family_name="Lokwa")
    fill_member(page, 1, sex="M", date_of_birth="1985")
    page.keyboard.press("Alt+n")
    expect(page.locator("[data-member]")).to_have_count(3)
    fill_member(page, 2, relationship="unrelated", given_name="Deng", family_name="Akol")
    fill_member(page, 2, sex="M", age_estimate="12")
    page.get_by_label("Consent to registration and assistance was given").check()
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Child without a related adult: Deng Akol")
    result = page.locator("#desk-result")
    expect(result).to_contain_text("Deng Akol")
    expect(result).to_contain_text("child without a related adult")
    expect(result.locator('[data-action="refer"]')).to_have_count(0)  # not a referrer

    log_in(page, live_server.url, "bruno", PASSWORD)
    page.get_by_role("link", name="Children alone").click()
    waiting = page.locator("#to-screen")
    expect(waiting).to_contain_text("Deng Akol")
    expect(waiting).to_contain_text("to screen")
    waiting.get_by_role("link", name="Deng Akol").click()
    page.locator("#action-refer").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Deng Akol")
    service = page.locator('[name="service_type"]')
    expect(service.locator("option:checked")).to_have_text("Child protection")
    providers = page.locator('[name="provider"] option')
    expect(providers).to_have_text(["Choose a provider", "ICPN Mahagi desk"])
    service.select_option(label="Health care")
    expect(providers).to_have_text(["Choose a provider", "Goli clinic"])
    page.locator('[name="service_type"]').select_option(label="Child protection")
    expect(providers).to_have_text(["Choose a provider", "ICPN Mahagi desk"])
    page.locator('[name="urgency"]').select_option("urgent")
    page.locator('[name="provider"]').select_option(label="ICPN Mahagi desk")
    # Before sending: every field needed is given, the rules say what is missing.
    expect(page.locator("#errors-consent_override_reason")).to_contain_text(
        "reason for referring without consent"
    )
    page.get_by_label("The person consents to this referral").check()
    expect(page.locator("#errors-consent_override_reason")).to_have_count(0)
    page.get_by_role("button", name="Send the referral").click()
    expect(page.locator(".messages")).to_contain_text("Referral sent.")

    page.locator("#section-referrals a", has_text="ICPN Mahagi desk").click()
    expect(page.locator("#referral-person")).to_have_text("Deng Akol")
    expect(page.locator("#referral-person a")).to_have_attribute(
        "href", f"/registry/people/{Referral.objects.get().person.public_id}/"
    )
    shared = page.locator("#shared")
    expect(shared).to_contain_text("Given name")
    expect(shared).not_to_contain_text("given_name")
    expect(page.locator("#history")).to_contain_text("Pending")
    assert errors == []
