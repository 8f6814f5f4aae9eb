import pytest
from playwright.sync_api import expect

from hbm.registry.models import Crossing, Person, Registration
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def tablet(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page, url):
    page.goto(url + "/accounts/login/?next=/registry/desk/")
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a group")


def fill_member(page, index, **values):
    for name, value in values.items():
        locator = page.locator(f'[name="members-{index}-{name}"]')
        if name in ("relationship", "sex", "document_type"):
            locator.select_option(value)
        else:
            locator.fill(value)


def add_member_with_keyboard(page, index):
    page.keyboard.press("Alt+n")
    expect(page.locator("[data-member]")).to_have_count(index + 1)
    relationship = page.locator(f'[name="members-{index}-relationship"]')
    expect(relationship).to_be_focused()
    expect(page.locator(f"#member-{index} [data-number]")).to_have_text(str(index + 1))


def test_an_officer_registers_a_family_then_links_a_returning_man(
    live_server, tablet, officer, screenshot_path
):
    page = tablet
    log_in(page, live_server.url)
    expect(page.get_by_label("Crossing point")).to_have_value("mahagi-goli")
    # The screen starts where it first needs typing, the crossing's first empty field (the
    # point and direction come filled in), and Enter walks on through the crossing's fields.
    expect(page.get_by_label("Means of transport")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Reason for crossing")).to_be_focused()

    # A family of four: the head with a full date, children with a month and an age.
    page.get_by_label("Means of transport").select_option("on_foot")
    page.get_by_label("Reason for crossing").select_option("conflict")
    page.get_by_label("Coming from (country)").fill("SSD")
    page.get_by_label("Coming from (place)").fill("Yei")
    fill_member(
        page,
        0,
        given_name="Mohammed",
        family_name="Hassan",
        father_name="Ali",
        sex="M",
        date_of_birth="1984-03-12",
        nationality="SSD",
        document_type="national_id",
        document_number="SS 123 456",
    )
    add_member_with_keyboard(page, 1)
    expect(page.locator('[name="members-1-nationality"]')).to_have_value("SSD")
    fill_member(page, 1, relationship="spouse", given_name="Amina", family_name="Deng")
    fill_member(page, 1, sex="F", date_of_birth="1988")
    add_member_with_keyboard(page, 2)
    fill_member(page, 2, given_name="Yusuf", family_name="Hassan", sex="M", age_estimate="7")
    add_member_with_keyboard(page, 3)
    fill_member(page, 3, given_name="Mariam", family_name="Hassan", sex="F")
    fill_member(page, 3, date_of_birth="2022-06")

    # A row added by mistake is removed, and the rows stay numbered 1..4.
    add_member_with_keyboard(page, 4)
    page.locator("#member-4").get_by_role("button", name="Remove this person").click()
    expect(page.locator("[data-member]")).to_have_count(4)
    expect(page.locator('[name="members-TOTAL_FORMS"]')).to_have_value("4")

    # Enter in the last field moves on; it never sends the form.
    page.locator('[name="members-3-place_of_origin"]').fill("Yei")
    page.locator('[name="members-3-place_of_origin"]').press("Enter")
    assert "/registry/desk/" in page.url and Registration.objects.count() == 0

    page.get_by_label("Consent to registration and assistance was given").check()
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Registered 4 people at Mahagi – Goli.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mohammed Ali Hassan")
    expect(page.locator("#crossings")).to_contain_text("Mahagi – Goli")
    assert Person.objects.count() == 4
    mohammed = Person.objects.get(given_name="Mohammed")

    # Later, a new group: one man is typed with another spelling and only a year of birth.
    page.get_by_role("link", name="Register").click()
    fill_member(page, 0, given_name="Achol", family_name="Garang", sex="F", date_of_birth="1990")
    add_member_with_keyboard(page, 1)
    fill_member(page, 1, relationship="spouse", given_name="Muhammad", family_name="Hasan")
    fill_member(page, 1, date_of_birth="1984", nationality="SSD")
    panel = page.locator("#member-1 .dupes")
    expect(panel).to_contain_text("Mohammed Ali Hassan")
    expect(panel).to_contain_text("1984-03-12")
    expect(panel.locator(".prob").first).to_contain_text("%")
    expect(panel.locator("table.why").first).to_contain_text("spelling variant")
    panel.evaluate("element => element.scrollIntoView({block: 'center'})")
    page.screenshot(path=str(screenshot_path("registration-desk.png")))

    panel.get_by_role("button", name="Same person").first.click()
    note = page.locator("#member-1 [data-linked-note]")
    expect(note).to_be_visible()
    expect(note).to_contain_text("Linked to existing record Mohammed Ali Hassan")
    expect(page.locator('[name="members-1-given_name"]')).to_have_attribute("readonly", "")
    expect(page.locator("#member-1 .dupes")).to_have_count(0)
    page.get_by_label("Consent to registration and assistance was given").check()
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Registered 2 people")

    assert Person.objects.count() == 5, "only Achol is new"
    assert not Person.objects.filter(given_name="Muhammad").exists()
    assert Crossing.objects.filter(person=mohammed).count() == 2
    assert Registration.objects.count() == 2
