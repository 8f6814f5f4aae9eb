"""An officer types a name into the people search and sees the most alike first, with
their likeness, as they type."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_protection_referral import log_in
from tests.factories import CrossingPointFactory, UserFactory
from tests.registry.helpers import register

pytestmark = pytest.mark.e2e


@pytest.fixture
def scene(transactional_db):
    point = CrossingPointFactory(code="mahagi-goli", name="Mahagi – Goli")
    amina = UserFactory(username="amina", roles=["registration_officer"], crossing_points=[point])
    for given, family in [("Baraka", "Kahindo"), ("Mary", "Mabior Deng"), ("Mari", "Mabior")]:
        register(amina, {"given_name": given, "family_name": family}, point="mahagi-goli")


def test_typing_a_name_shows_the_most_alike_first(live_server, page, scene):
    log_in(page, live_server.url, "amina")
    page.goto(f"{live_server.url}/registry/people/")
    name = page.get_by_label("Name (any spelling or script)")
    name.fill("kahindo")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Baraka Kahindo")
    expect(rows.first.locator("td.likeness")).to_have_text("100%")
    name.fill("Mari Mabior Dheng")
    expect(rows.first).to_contain_text("Mary Mabior Deng")
    expect(rows).to_have_count(2)
    expect(page.get_by_role("columnheader", name="Likeness")).to_be_visible()
