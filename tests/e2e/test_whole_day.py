"""Each role's working day on the demo, walked on a phone (390 × 844): every page the walk
opens fits the width, logs no console error and no failed request (only the refusals a step
expects). The screenshots go to pytest's temporary directory.

The registration officer registers a family with a child who is not theirs, finds a person by
one name and corrects her; the protection officer finds that child "to screen", screens and
refers the child; the security officer creates and loads a watchlist and reviews its hit; the
administrator merges a pair and undoes it; the coordinator reads the flows and exports in the
background; the service provider takes a referral to completion; the health officer, the
enumerator and the assessor do a short round each."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hbm.accounts.models import User
from hbm.referrals.selectors import referral_list
from hbm.registry.models import Crossing, DuplicateCandidate, ExportFile, Person
from hbm.registry.tasks import export_crossings
from hbm.security.models import Hit, ScreeningRun
from hbm.security.tasks import rescreen_all
from tests.registry.helpers import register

pytestmark = pytest.mark.e2e

FAMILY = "Ataro"  # no demo arrival has this family name
CHILD_DESK = "Ituri Child Protection Network — Mahagi desk"
HOSPITAL = "Mahagi general hospital (illustrative)"


def fill_member(page, index, **values):
    for name, value in values.items():
        locator = page.locator(f'[name="members-{index}-{name}"]')
        if name in ("relationship", "sex"):
            locator.select_option(value)
        else:
            locator.fill(value)


def demo_arrival() -> Person:
    """A demo arrival at Mahagi – Goli with a full date of birth and a name nobody else has,
    who is on no watchlist."""
    people = (
        Person.objects.filter(
            first_crossing_point__code="mahagi-goli",
            date_of_birth__regex=r"^\d{4}-\d{2}-\d{2}$",
        )
        .exclude(pk__in=Hit.objects.values("person"))
        .order_by("pk")
    )
    return next(
        p
        for p in people
        if Person.objects.filter(given_name=p.given_name, family_name=p.family_name).count() == 1
    )


def register_family_with_a_stranger_child(page):
    fill_member(page, 0, given_name="Grace", family_name=FAMILY, sex="F", date_of_birth="1991")
    page.keyboard.press("Alt+n")
    fill_member(page, 1, relationship="spouse", given_name="Okot", family_name=FAMILY)
    fill_member(page, 1, sex="M", date_of_birth="1987-02")
    page.keyboard.press("Alt+n")
    fill_member(page, 2, relationship="unrelated", given_name="Lual", family_name="Garang")
    fill_member(page, 2, sex="M", age_estimate="11")
    page.get_by_label("Consent to registration and assistance was given").check()
    page.get_by_role("button", name="Register", exact=True).click()


def test_registration_officer(day, demo):
    officer = day("registration")
    page = officer.page
    officer.menu("Register")
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a group")
    officer.fits()
    register_family_with_a_stranger_child(page)
    expect(page.locator(".messages")).to_contain_text("Registered 3 people at Mahagi – Goli.")
    result = page.locator("#desk-result")
    expect(result).to_contain_text("Lual Garang")
    expect(result).to_contain_text("child without a related adult")
    officer.fits()
    assert Crossing.objects.get(person__given_name="Lual").child_without_related_adult

    # A man who came before, typed again: the desk proposes his record, and still does after
    # a mistake elsewhere on the screen is refused.
    returning = demo_arrival()
    officer.menu("Register")
    fill_member(page, 0, given_name=returning.given_name, family_name=returning.family_name)
    fill_member(page, 0, date_of_birth=returning.date_of_birth)
    panel = page.locator("#member-0 .dupes")
    expect(panel).to_contain_text(returning.full_name)
    page.keyboard.press("Alt+n")
    fill_member(page, 1, relationship="sibling", given_name="Ayen", date_of_birth="2001-13")
    with officer.refused(422):
        page.get_by_role("button", name="Register", exact=True).click()
        expect(page.locator("#problems")).to_contain_text("Person 2")
        expect(page.locator("#problems")).to_contain_text("Registration needs the person's")
    expect(panel).to_contain_text(returning.full_name)
    officer.fits()
    panel.get_by_role("button", name="Same person").first.click()
    expect(page.locator("#member-0 [data-linked-note]")).to_contain_text(returning.full_name)
    fill_member(page, 1, date_of_birth="2001-12")
    page.get_by_label("Consent to registration and assistance was given").check()
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.locator("ul.messages")).to_contain_text("Registered 2 people")
    officer.fits()
    assert Crossing.objects.filter(person=returning).count() == 2

    # Search by one word: the surname just registered.
    officer.menu("People")
    officer.fits()
    page.get_by_label("Name (any spelling or script)").fill(FAMILY.lower())
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first.locator("td.likeness")).to_have_text("100%")
    officer.fits()
    rows.filter(has_text="Grace").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Grace {FAMILY}")
    officer.fits()

    # Correct her date of birth: a bad date and no reason are refused, field by field.
    page.get_by_role("link", name="Correct the record").click()
    officer.fits()
    page.get_by_label("Date of birth").fill("1991-02-30")
    with officer.refused(422):
        page.get_by_role("button", name="Save the correction").click()
        expect(page.locator("#id_date_of_birth_errors")).to_contain_text("not a date")
    expect(page.locator("#id_reason_errors")).to_contain_text("Say why")
    officer.fits()
    page.get_by_label("Date of birth").fill("1991-02-14")
    page.get_by_label("Reason for the correction").fill("Date read from her voter card")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator(".messages")).to_contain_text("The record is corrected.")
    corrections = page.locator("#corrections")
    expect(corrections).to_contain_text("Date read from her voter card")
    expect(corrections.locator(".before")).to_have_text("1991")
    expect(corrections.locator(".after")).to_have_text("1991-02-14")
    officer.fits()
    assert Person.objects.get(given_name="Grace", family_name=FAMILY).date_of_birth == "1991-02-14"


def test_protection_officer(day, demo):
    from django.contrib.auth import get_user_model

    register(
        get_user_model().objects.get(username="registration"),
        {"given_name": "Grace", "family_name": FAMILY, "sex": "F", "date_of_birth": "1991"},
        {
            "relationship": "unrelated",
            "given_name": "Lual",
            "family_name": "Garang",
            "sex": "M",
            "age_estimate": 11,
        },
        point="mahagi-goli",
    )
    officer = day("protection")
    page = officer.page
    officer.menu("Children alone")
    waiting = page.locator("#to-screen tbody tr", has_text="Lual Garang")
    expect(waiting).to_contain_text("to screen")
    officer.fits()
    waiting.get_by_role("link", name="Screen").click()
    officer.fits()
    first = page.locator(".question").first
    expect(first).to_contain_text("without both parents")
    first.get_by_label("Yes").check()
    expect(page.locator('input[name="codes"][value="SC-UC"]')).to_be_checked()
    expect(page.locator('select[name="urgency"]')).to_have_value("urgent")
    page.get_by_role("button", name="Record the screening").click()
    protection = page.locator("#section-protection")
    expect(protection).to_contain_text("SC-UC")
    officer.fits()

    page.get_by_role("link", name="Refer for SC-UC").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lual Garang")
    service = page.locator('[name="service_type"]')
    expect(service.locator("option:checked")).to_have_text("Child protection")
    providers = page.locator('[name="provider"] option')
    expect(providers).to_have_text(["Choose a provider", CHILD_DESK])
    service.select_option(label="Health care")
    expect(providers).to_have_text(["Choose a provider", HOSPITAL])
    service.select_option(label="Child protection")
    expect(providers).to_have_text(["Choose a provider", CHILD_DESK])
    page.locator('[name="provider"]').select_option(label=CHILD_DESK)
    page.get_by_label("The person consents to this referral").check()
    officer.fits()
    page.get_by_role("button", name="Send the referral").click()
    expect(page.locator("ul.messages")).to_contain_text("Referral sent.")
    officer.fits()

    page.locator("#section-referrals a", has_text=CHILD_DESK).click()
    expect(page.locator("#referral-person")).to_have_text("Lual Garang")
    expect(page.locator("#shared")).to_contain_text("Given name")
    expect(page.locator("#shared")).not_to_contain_text("given_name")
    expect(page.locator("#history")).to_contain_text("Pending")
    officer.fits()

    officer.menu("Referrals")
    expect(page.locator("#referrals")).to_contain_text("Lual Garang")
    officer.fits()
    officer.menu("Children alone")
    expect(page.locator("#to-screen")).not_to_contain_text("Lual Garang")
    expect(page.locator("#children-alone")).to_contain_text("Lual Garang")
    officer.fits()


def test_security_officer(day, demo):
    sought = demo_arrival()
    entry = (
        "external_id,given_name,family_name,date_of_birth,nationality,reason_category,"
        f"required_action\nR-1,{sought.given_name},{sought.family_name},"
        f"{sought.date_of_birth},{sought.nationality_id},wanted,refer\n"
    )
    officer = day("security")
    page = officer.page
    officer.menu("Watchlists")
    expect(page.locator("#watchlists")).to_contain_text("PNC — persons sought (demo)")
    officer.fits()
    page.get_by_label("Owner agency").select_option(label="Police Nationale Congolaise (PNC)")
    page.get_by_label("Name of the list").fill("Regional list")
    page.get_by_label("Legal basis").fill("Ituri provincial order 7/2026")
    page.get_by_role("button", name="Create the list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Load entries · Regional list")
    officer.fits()
    upload = page.get_by_label("CSV, XLSX or FollowTheMoney JSON lines file")
    upload.set_input_files({"name": "regional.csv", "mimeType": "text/csv", "buffer": b"x\n"})
    with officer.refused(422):
        page.get_by_role("button", name="Check the file").click()
        expect(page.locator("#problems")).to_contain_text("nothing was imported")
    officer.fits()
    upload.set_input_files(
        {"name": "regional.csv", "mimeType": "text/csv", "buffer": entry.encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#preview")).to_contain_text(sought.family_name)
    officer.fits()
    page.get_by_role("button", name="Import these rows").click()
    expect(page.locator("ul.messages")).to_contain_text("Loaded: 1 added")
    rescreen_all.call(run_id=ScreeningRun.objects.latest("pk").pk)  # the worker's job
    expect(page.locator("#rescreen")).to_contain_text("1 new hit")
    officer.fits()

    page.get_by_role("link", name="Review the hits").click()
    hit = page.locator("#hits tbody tr", has_text=sought.full_name)
    expect(hit).to_have_count(1)
    officer.fits()
    hit.get_by_role("link").first.click()
    expect(page.locator("#entry")).to_contain_text("wanted")
    officer.fits()
    with officer.refused(422):
        page.get_by_role("button", name="Confirmed").click()
        expect(page.get_by_role("alert")).to_contain_text("Give the reason")
    officer.fits()
    page.get_by_label("Reason for the decision").fill("Same date of birth; card checked")
    page.get_by_role("button", name="Confirmed").click()
    expect(page.locator("ul.messages")).to_contain_text("Decision recorded.")
    officer.fits()
    assert Hit.objects.get(person=sought).status == "confirmed"


def test_administrator_reviews_duplicates(day, demo):
    officer = day("admin")
    page = officer.page
    officer.menu("Duplicates")
    expect(page.get_by_role("heading", level=1)).to_have_text("Possible duplicates")
    officer.fits()
    page.locator("#duplicate-pairs").get_by_role("link", name="Review", exact=True).first.click()
    expect(page.locator(".why-line")).to_be_visible()
    officer.fits()
    pair = DuplicateCandidate.objects.get(pk=urlsplit(page.url).path.split("/")[-2])
    page.get_by_role("button", name="Same person").click()
    banner = page.locator("#decided-banner")
    expect(banner).to_contain_text("Decided: Same person.")
    officer.fits()
    a, b = Person.objects.get(pk=pair.person_a_id), Person.objects.get(pk=pair.person_b_id)
    assert a.cluster_id == b.cluster_id
    banner.get_by_role("button", name="Undo").click()
    expect(page.locator("ul.messages")).to_contain_text("Decision undone")
    officer.fits()
    b.refresh_from_db()
    assert a.cluster_id != b.cluster_id

    page.locator("#duplicate-pairs").get_by_role("link", name="Review", exact=True).first.click()
    page.get_by_role("button", name="Different people").click()
    expect(page.locator("#decided-banner")).to_contain_text("Different people")
    officer.fits()
    page.locator("#duplicate-filter").get_by_role("link", name="Decided").click()
    decided = page.locator("#duplicate-pairs tbody tr")
    expect(decided).to_have_count(1)
    expect(decided).to_contain_text("Different people")
    officer.fits()
    decided.get_by_role("button", name="Undo").click()
    expect(page.locator("ul.messages")).to_contain_text("Decision undone")
    expect(decided).to_have_text("No pair has been decided yet.")
    officer.fits()
    assert not DuplicateCandidate.objects.exclude(status="open").exists()


def test_coordinator(day, demo, settings, tmp_path):
    settings.EXPORT_DIR = tmp_path / "exports"
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 50  # the demo's few hundred go to the worker
    officer = day("coordinator")
    page = officer.page
    officer.menu("Flows")
    expect(page.get_by_role("heading", level=1)).to_have_text("Flow monitoring")
    for chart in ("timeline", "pyramid", "bars", "map"):
        expect(page.locator(f"svg.chart.{chart}")).to_be_visible()
    assert int(page.locator('[data-figure="arrivals"]').inner_text()) > 0
    officer.fits()
    filters = page.get_by_role("form", name="Filters")
    filters.get_by_label("Crossing point").select_option("mahagi-goli")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#by-point tbody tr")).to_have_count(1)
    officer.fits()

    officer.menu("People")
    officer.fits()
    page.get_by_role("button", name="XLSX").click()
    expect(page.locator("#export")).to_contain_text("Preparing your export")
    expect(page.locator("#export progress")).to_be_visible()
    officer.fits()
    export_crossings.call(export_id=ExportFile.objects.get().pk)  # the worker's turn
    link = page.get_by_role("link", name="Download the XLSX file")
    expect(link).to_be_visible()
    officer.fits()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_service_provider(day, demo):
    officer = day("provider")
    page = officer.page
    officer.menu("Referrals")
    officer.fits()
    page.get_by_role("link", name="Pending", exact=True).click()
    pending = page.locator("#referrals tbody tr")
    provider = User.objects.get(username="provider")
    expect(pending).to_have_count(referral_list(user=provider, status="pending").count())
    names = [cell.strip() for cell in pending.locator("td.person").all_inner_texts()]
    assert all(names), "each referral names its person"
    officer.fits()

    pending.first.get_by_role("link").last.click()
    expect(page.locator("#referral-person")).to_have_text(names[0])
    officer.fits()
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("#referral-status")).to_have_text("Accepted")
    officer.fits()
    page.get_by_role("button", name="Start the service").click()
    expect(page.locator("#referral-status")).to_have_text("In service")
    with officer.refused(422):
        page.get_by_role("button", name="Complete").click()
        expect(page.locator(".errorlist").first).to_contain_text("Describe the outcome")
    officer.fits()
    page.get_by_label("Outcome").fill("Placed with an aunt in Bunia")
    page.get_by_role("button", name="Complete").click()
    expect(page.locator("#referral-status")).to_have_text("Completed")
    expect(page.locator("#referral-facts")).to_contain_text("Placed with an aunt in Bunia")
    officer.fits()

    officer.menu("Referrals")
    accepted = page.locator("#referrals tbody tr", has_text="Accepted")
    accepted.first.get_by_role("link").last.click()
    with officer.refused(422):
        page.get_by_role("button", name="Close").click()
        expect(page.locator(".errorlist").first).to_be_visible()
    officer.fits()
    page.get_by_label("Reason").fill("The family left for Bunia before the visit")
    page.get_by_role("button", name="Close").click()
    expect(page.locator("#referral-status")).to_have_text("Closed")
    expect(page.locator("#history")).to_contain_text("The family left for Bunia")
    officer.fits()


def test_health_officer(day, demo):
    arrival = demo_arrival()
    officer = day("health")
    page = officer.page
    officer.menu("People")
    officer.fits()
    page.get_by_label("Name (any spelling or script)").fill(arrival.family_name)
    page.locator("#results tbody tr", has_text=arrival.full_name).get_by_role("link").first.click()
    health = page.locator("#health-screenings")
    expect(health.get_by_role("button", name="Record the health screening")).to_be_visible()
    officer.fits()
    health.get_by_label("Temperature (°C)").fill("hot")
    with officer.refused(422):
        health.get_by_role("button", name="Record the health screening").click()
        expect(health.locator(".errorlist")).to_contain_text("between 30.0 and 45.0 °C")
    officer.fits()
    health.get_by_label("Temperature (°C)").fill("38.6")
    health.get_by_label("Fever").check()
    health.get_by_role("button", name="Record the health screening").click()
    expect(health.locator("li", has_text="38.6 °C")).to_contain_text("symptoms")
    officer.fits()
    officer.menu("Health counts")
    officer.fits()


def test_flow_enumerator(day, demo):
    officer = day("enumerator")
    page = officer.page
    officer.menu("Flows")
    officer.fits()
    page.get_by_role("link", name="Enter a tally").click()
    officer.fits()
    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Day", exact=True).fill(yesterday.isoformat())
    page.get_by_label("Crossing point").select_option("ariwara-path")
    page.get_by_label("From", exact=True).fill("19:00")
    page.get_by_label("To", exact=True).fill("21:00")
    page.get_by_label("Everyone counted").fill("4")
    group = page.locator("#group-1")
    group.get_by_label("Women 18–59").fill("2")
    group.get_by_label("Girls 0–4").fill("1")
    group.get_by_label("Nationality", exact=True).fill("SSD")
    with officer.refused(422):
        page.get_by_role("button", name="Save the tally").click()
        expect(page.get_by_role("alert")).to_contain_text("The groups add up to 3 people, not 4.")
    officer.fits()
    page.get_by_label("Everyone counted").fill("3")
    page.get_by_role("button", name="Save the tally").click()
    expect(page.get_by_text("Tally saved: 3 people at Ariwara market path.")).to_be_visible()
    officer.fits()


def test_assessor(day, demo):
    officer = day("assessor")
    page = officer.page
    officer.menu("Assessments")
    officer.fits()
    page.get_by_role("link", name="New assessment").click()
    page.get_by_label("Crossing point").select_option(label="Aru – Vurra")
    officer.fits()
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_text("0 of 32 indicators scored")).to_be_visible()
    page.locator("#ind-CTX-1 label.level").nth(3).click()
    expect(page.locator("#state-CTX-1")).to_contain_text("Saved: level 3")
    officer.fits()
