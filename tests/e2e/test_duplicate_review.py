"""An officer merges a pair registered at two crossing points, undoes the merge from the queue,
and finds the pair among the decided ones; then corrects a record so that it makes a pair.
No script error, no console error."""

import pytest
from playwright.sync_api import expect

from hbm.registry.models import DuplicateCandidate, Person
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from tests.factories import CrossingPointFactory, UserFactory
from tests.registry.helpers import VARIANT, register
from tests.registry.test_duplicates import HASSAN

pytestmark = pytest.mark.e2e


@pytest.fixture
def scene(transactional_db):
    goli = CrossingPointFactory(code="mahagi-goli", name="Mahagi – Goli")
    kasindi = CrossingPointFactory(code="kasindi", name="Kasindi")
    amina = UserFactory(
        username="amina", first_name="Amina", roles=["registration_officer"], crossing_points=[goli]
    )
    bintu = UserFactory(
        username="bintu",
        first_name="Bintu",
        roles=["registration_officer"],
        crossing_points=[kasindi],
    )
    register(bintu, HASSAN, point="kasindi")
    register(amina, VARIANT, point="mahagi-goli")
    return DuplicateCandidate.objects.get()


@pytest.fixture
def errors(page):
    """Console errors and uncaught exceptions of the page."""
    seen = []
    page.on("console", lambda m: seen.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.append(str(e)))
    page.on("response", lambda r: seen.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return seen


def test_an_officer_merges_a_pair_and_undoes_it(live_server, page, scene, errors, screenshot_path):
    pair = scene
    log_in(page, live_server.url, "amina", PASSWORD, "/registry/duplicates/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Possible duplicates")
    page.get_by_role("link", name="Review", exact=True).click()
    expect(page.locator(".short-card")).to_contain_text("Kasindi")
    expect(page.locator(".why-line")).to_contain_text("spelling variant")
    page.get_by_text("Why the engine thinks so").click()
    expect(page.locator("table.why")).to_contain_text("Starting point (any two records)")
    page.screenshot(path=screenshot_path("duplicate-review.png"), full_page=True)

    page.get_by_role("button", name="Same person").click()
    banner = page.locator("#decided-banner")
    expect(banner).to_contain_text("Decided: Same person.")
    page.screenshot(path=screenshot_path("duplicate-undo.png"), full_page=True)
    a, b = Person.objects.get(pk=pair.person_a_id), Person.objects.get(pk=pair.person_b_id)
    assert a.cluster_id == b.cluster_id

    banner.get_by_role("button", name="Undo").click()
    expect(page.locator(".messages")).to_contain_text("Decision undone")
    expect(page.locator("#decided-banner")).to_have_count(0)
    b.refresh_from_db()
    assert a.cluster_id != b.cluster_id
    pair.refresh_from_db()
    assert pair.status == "open"

    page.get_by_role("link", name="Review", exact=True).click()
    page.get_by_role("button", name="Different people").click()
    page.locator("#duplicate-filter").get_by_role("link", name="Decided").click()
    row = page.locator("#duplicate-pairs tbody tr")
    expect(row).to_contain_text("Different people")
    row.get_by_role("button", name="Undo").click()
    expect(page.locator(".messages")).to_contain_text("Decision undone")
    expect(page).to_have_url(f"{live_server.url}/registry/duplicates/?show=decided&page=1")
    assert errors == []


def test_an_officer_corrects_a_record_and_the_pair_appears(
    live_server, page, scene, errors, screenshot_path
):
    DuplicateCandidate.objects.all().delete()
    (person,) = register(
        Person.objects.get(given_name="Muhammad").created_by,
        {"given_name": "Peter", "family_name": "Okello"},
        point="mahagi-goli",
    )
    log_in(page, live_server.url, "amina", PASSWORD, f"/registry/people/{person.public_id}/")
    page.get_by_role("link", name="Correct the record").click()
    page.get_by_label("Date of birth").fill("1984-02-30")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator("#id_date_of_birth_errors")).to_contain_text("not a date in the calendar")
    expect(page.locator("#id_reason_errors")).to_contain_text("Say why")
    page.screenshot(path=screenshot_path("person-correction.png"), full_page=True)
    for label, value in (
        ("Given name", "Mohammed"),
        ("Family name", "Hassan"),
        ("Father's name", "Ali"),
        ("Date of birth", "1984-03-12"),
        ("Nationality", "SSD"),
        ("Reason for the correction", "Names copied from his passport"),
    ):
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Sex").select_option("M")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator(".messages")).to_contain_text("The record is corrected.")
    expect(page.locator(".messages")).to_contain_text("looks like 2 other records")
    expect(page.locator("#corrections")).to_contain_text("Names copied from his passport")
    expect(page.locator("#corrections")).to_contain_text("Peter")
    page.screenshot(path=screenshot_path("person-corrections.png"), full_page=True)
    assert DuplicateCandidate.objects.filter(person_b=person).exists()
    refused = f"422 {live_server.url}/registry/people/{person.public_id}/correct/"
    assert [e for e in errors if "422" not in e] == [] and refused in errors


def test_an_officer_sees_another_points_record_in_full_only_for_a_case(
    live_server, page, scene, errors, screenshot_path
):
    pair = scene
    elsewhere = Person.objects.get(pk=pair.person_a_id)
    Person.objects.filter(pk=elsewhere.pk).update(document_number="SS 998 877")
    log_in(page, live_server.url, "amina", PASSWORD, f"/registry/duplicates/{pair.pk}/")
    card = page.locator(f"#card-{elsewhere.public_id}")
    expect(card.locator(".short-card")).to_contain_text("1984")
    expect(card).not_to_contain_text("1984-03-12")
    expect(card).not_to_contain_text("SS 998 877")
    card.get_by_text("Needed for this case: show the whole record").click()
    card.get_by_label("Why this case needs it").fill("dup")
    card.get_by_role("button", name="Show the whole record").click()
    expect(card.locator(".field-error")).to_contain_text("at least 10 characters")
    expect(card.get_by_label("Why this case needs it")).to_have_value("dup")
    card.get_by_label("Why this case needs it").fill("Deciding whether these two are one man")
    card.get_by_role("button", name="Show the whole record").click()
    expect(card.locator("[data-revealed]")).to_contain_text("SS 998 877")
    expect(card).to_contain_text("1984-03-12")
    page.screenshot(path=screenshot_path("duplicate-revealed.png"), full_page=True)
    page.reload()
    expect(page.locator(f"#card-{elsewhere.public_id}")).to_contain_text("SS 998 877")
    refused = f"422 {live_server.url}/registry/people/{elsewhere.public_id}/reveal/"
    assert [e for e in errors if "422" not in e] == [] and refused in errors
