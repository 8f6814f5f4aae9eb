"""Issue #24, item 2 in the browser: a coordinator plans a bus of a convoy to a transit
centre, builds its manifest from two registered families (one member alone first: refused
without a reason for splitting the family), ticks and scans them in at departure and at
arrival, and sees the one person who did not arrive listed as missing; the arrival is on the
person's page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import console_errors, log_in

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple"
LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def families(transactional_db):
    from tests.factories import AgencyFactory, CrossingPointFactory, UserFactory
    from tests.registry.helpers import register

    point = CrossingPointFactory(code="aba", name="Aba")
    dgm = AgencyFactory(code="dgm", name="Direction Générale de Migration", kind="immigration")
    UserFactory(username="patrick", agency=dgm, roles=["coordinator"])
    amina = UserFactory(
        username="amina", agency=dgm, roles=["registration_officer"], crossing_points=[point]
    )
    dengs = register(
        amina,
        {"given_name": "Achol", "family_name": "Deng", "sex": "F", "date_of_birth": "1985"},
        {"given_name": "Garang", "family_name": "Deng", "sex": "M", "date_of_birth": "2012"},
        {"given_name": "Ayen", "family_name": "Deng", "sex": "F", "date_of_birth": "2015"},
        point="aba",
    )
    lokos = register(
        amina,
        {"given_name": "Peter", "family_name": "Loko", "sex": "M", "date_of_birth": "1979"},
        {"given_name": "Rose", "family_name": "Loko", "sex": "F", "date_of_birth": "1981"},
        point="aba",
    )
    return dengs, lokos


def _row(page, person):
    return page.locator(f'#manifest-table tr[data-person="{person.public_id}"]')


def _add(page, person, button):
    """Find the person by name and press one of the buttons beside them."""
    page.locator("#find-q").fill(person.full_name)
    page.get_by_role("button", name="Search").click()
    found = page.locator(f'#found li[data-person="{person.public_id}"]')
    found.get_by_role("button", name=button).click()


def test_a_convoy_manifest_is_checked_in_and_the_missing_listed(live_server, browser, families):
    dengs, lokos = families
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    page.set_default_timeout(20_000)
    errors = console_errors(page)
    log_in(page, live_server.url, "patrick", PASSWORD)
    page.locator("#mainnav").get_by_role("link", name="Field teams", exact=True).click()
    page.get_by_role("link", name="Evacuations and transport").click()
    page.get_by_role("link", name="Plan a movement").click()
    now = timezone.localtime()
    page.locator("#id_convoy").fill("Convoy 7")
    page.locator("#id_from_place").fill("Aba")
    page.locator("#id_to_place").fill("Transit centre Bunia")
    page.locator("#id_vehicle").fill("Bus UN-12")
    page.locator("#id_capacity").fill("6")
    page.locator("#id_planned_departure").fill((now + timezone.timedelta(hours=1)).strftime(LOCAL))
    page.locator("#id_planned_arrival").fill(now.strftime(LOCAL))
    page.get_by_role("button", name="Plan").click()
    expect(page.locator("#id_planned_arrival-errors")).to_have_text(
        "The arrival must be after the departure."
    )
    page.locator("#id_planned_arrival").fill((now + timezone.timedelta(hours=4)).strftime(LOCAL))
    page.get_by_role("button", name="Plan").click()
    expect(page.get_by_text("Movement planned: add the people who travel.")).to_be_visible()

    # Achol Deng alone: her children would stay behind, so a reason is asked for.
    _add(page, dengs[0], "Add this person")
    expect(page.locator("#id_split_reason-errors")).to_contain_text("Garang Deng, Ayen Deng")
    expect(page.locator("#manifest-table")).to_contain_text("No one on the manifest yet.")
    # ... the whole family instead, then the Lokos.
    _add(page, dengs[0], "Add the group (3 people)")
    expect(page.get_by_text("3 added to the manifest.")).to_be_visible()
    _add(page, lokos[0], "Add the group (2 people)")
    expect(page.locator("#manifest-counts")).to_contain_text("5 of 6 seats · 0 boarded")

    # Boarding: four ticked, Rose Loko scanned (her number's first characters).
    for person in [*dengs, lokos[0]]:
        _row(page, person).get_by_role("checkbox").check()
        expect(_row(page, person)).to_contain_text("✓")
    page.get_by_label("Scan or type the number of a person boarding").fill(
        str(lokos[1].public_id)[:8]
    )
    page.get_by_role("button", name="Check in").click()
    expect(page.locator("#manifest-counts")).to_contain_text("5 boarded")
    page.get_by_role("button", name="The vehicle leaves now").click()
    expect(page.locator("#movement-status")).to_have_text("Under way")

    # Arrival: four checked in, Ayen Deng is not.
    for person in [*dengs[:2], lokos[0]]:
        _row(page, person).get_by_role("checkbox").check()
        expect(_row(page, person).locator(".arrived")).to_be_visible()
    page.get_by_label("Scan or type the number of a person arriving").fill(
        str(lokos[1].public_id)[:8]
    )
    page.get_by_role("button", name="Check in").click()
    expect(page.locator("#manifest-counts")).to_contain_text("4 arrived")
    page.get_by_role("button", name="The vehicle has arrived").click()
    expect(page.locator("#movement-status")).to_have_text("Arrived")
    missing = page.locator("#missing li")
    expect(missing).to_have_count(1)
    expect(missing).to_contain_text("Ayen Deng")

    # The arrival at the transit centre is on Achol's page (not as a crossing).
    _row(page, dengs[0]).get_by_role("link", name="Achol Deng").click()
    expect(page.locator("#person-movements")).to_contain_text("Arrived at Transit centre Bunia")
    expect(page.locator("#crossings li")).to_have_count(1)
    assert errors == []
