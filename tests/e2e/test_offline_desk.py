"""The offline desk in a real Chromium (ADR 0127): groups registered with no network stay on
the device across a reload served by the service worker, and reach the server once each when
the network comes back; a conflicting id and a refused field are shown and resolved."""

import json
import uuid
from urllib.parse import urlsplit

import pytest
from django.core.signals import request_started
from django.test import Client
from playwright.sync_api import expect

from hbm.registry.models import GroupMember, Person, Registration
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

DESK = "/registry/offline/"
PREFIX = "hbm-offline-desk-"


@pytest.fixture
def tablet(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="en-GB", service_workers="allow"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Uncaught exceptions only: a refused upload (409, 422) and a request made with no
    # network are console errors by design here.
    page.crashes = []
    page.on("pageerror", lambda error: page.crashes.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()


@pytest.fixture
def served():
    """The paths the live server was asked for, in order (it runs in this process)."""
    paths: list[str] = []

    def heard(sender, environ, **kwargs):
        paths.append(environ["PATH_INFO"])

    request_started.connect(heard)
    yield paths
    request_started.disconnect(heard)


def member(page, index):
    return page.locator("#offline-members [data-member]").nth(index)


def fill_member(page, index, **values):
    row = member(page, index)
    for name, value in values.items():
        field = row.locator(f'[name="{name}"]')
        if name in ("relationship", "sex"):
            field.select_option(value)
        else:
            field.fill(value)


def register(page, *members):
    """Type a group (the first member its head) and keep it on the device, unsent."""
    kept = int(page.locator("#unsent-count").inner_text())
    for index, values in enumerate(members):
        if index:
            page.get_by_role("button", name="+ Add a person").click()
        fill_member(page, index, **values)
    page.get_by_label("Consent to registration and assistance was given").check()
    page.get_by_role("button", name="Save on this device").click()
    expect(page.locator("#unsent-count")).to_have_text(str(kept + 1))


def records(page, state=None):
    where = f'[data-state="{state}"]' if state else "[data-state]"
    return page.locator(f"#queue li{where}")


def record_ids(page, state):
    return records(page, state).evaluate_all("items => items.map(li => li.dataset.record)")


def stored_names(page):
    """The databases and kept caches of the desk on this device."""
    return page.evaluate(
        """async () => ({
            databases: (await indexedDB.databases()).map(d => d.name),
            caches: await caches.keys(),
        })"""
    )


def test_groups_registered_offline_reach_the_server_once_each(
    live_server, tablet, officer, served, screenshot_path
):
    page = tablet
    log_in(page, live_server.url, "amina", PASSWORD, DESK)
    expect(page.get_by_role("heading", level=1)).to_have_text("Offline desk")
    expect(page.locator("[data-offline-desk][data-ready]")).to_be_attached()
    state = page.evaluate("navigator.serviceWorker.ready.then(r => r.active.state)")
    assert state in ("activating", "activated")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    expect(page.locator("link[rel=manifest]")).to_have_attribute(
        "href", "/registry/offline/manifest.webmanifest"
    )

    page.context.set_offline(True)
    expect(page.locator("#offline-status")).to_contain_text("No network")
    asked_before = len(served)
    assert DESK in served and "/api/v1/registrations/recent" in served
    # What the page can check, it checks before keeping anything: the field and the reason.
    fill_member(page, 0, sex="M", date_of_birth="2090")
    page.get_by_role("button", name="Save on this device").click()
    expect(page.locator("#offline-problems")).to_be_visible()
    head = member(page, 0)
    expect(head.locator('[data-field="given_name"] .errorlist')).to_contain_text(
        "Give at least a given name or a family name."
    )
    expect(head.locator('[data-field="date_of_birth"] .errorlist')).to_contain_text(
        "A date of birth cannot be in the future."
    )
    expect(page.locator('[data-path="consent_given"] .errorlist')).to_contain_text("consent")
    expect(page.locator("#unsent-count")).to_have_text("0")

    register(
        page,
        {
            "given_name": "Mohammed",
            "family_name": "Hassan",
            "sex": "M",
            "date_of_birth": "1984-03-12",
            "nationality": "SSD",
        },
        {
            "relationship": "child",
            "given_name": "Yusuf",
            "family_name": "Hassan",
            "sex": "M",
            "age_estimate": "7",
        },
    )
    register(
        page, {"given_name": "Grace", "family_name": "Atim", "sex": "F", "date_of_birth": "1990"}
    )
    register(
        page, {"given_name": "Okello", "family_name": "Ojok", "sex": "M", "age_estimate": "40"}
    )
    expect(page.locator("#offline-status")).to_contain_text("Saved on this device")
    expect(page.locator("#unsent-count")).to_have_text("3")
    expect(records(page, "waiting")).to_have_count(3)
    ids = record_ids(page, "waiting")
    assert len(set(ids)) == 3 and all(uuid.UUID(i).version == 4 for i in ids)
    assert Registration.objects.count() == 0

    # With no network the page comes from the service worker, the three still listed.
    response = page.reload()
    assert response is not None and response.from_service_worker
    expect(page.locator("[data-offline-desk][data-ready]")).to_be_attached()
    expect(page.locator("#unsent-count")).to_have_text("3")
    expect(records(page, "waiting")).to_have_count(3)
    expect(records(page, "waiting").first).to_contain_text("Mohammed Hassan, Yusuf Hassan")
    assert sorted(record_ids(page, "waiting")) == sorted(ids)
    assert Registration.objects.count() == 0
    page.screenshot(path=screenshot_path("1280-offline-desk-three-waiting.png"), full_page=True)
    assert served[asked_before:] == [], "the server was asked while offline"

    # The network comes back: the `online` event sends them.
    page.context.set_offline(False)
    expect(records(page, "sent")).to_have_count(3)
    expect(page.locator("#unsent-count")).to_have_text("0")
    assert sorted(str(r.public_id) for r in Registration.objects.all()) == sorted(ids)
    names = {
        str(registration.public_id): sorted(
            m.person.full_name for m in GroupMember.objects.filter(group=registration.group)
        )
        for registration in Registration.objects.select_related("group")
    }
    assert sorted(names.values()) == [
        ["Grace Atim"],
        ["Mohammed Hassan", "Yusuf Hassan"],
        ["Okello Ojok"],
    ]
    mohammed = Person.objects.get(given_name="Mohammed")
    assert mohammed.date_of_birth == "1984-03-12" and mohammed.nationality_id == "SSD"
    assert Person.objects.get(given_name="Yusuf").age_estimate == 7

    # Sending again sends nothing: nothing is left to send, nothing is written twice.
    page.get_by_role("button", name="Send now").click()
    expect(page.locator("#offline-status")).to_contain_text("Every registration")
    assert Registration.objects.count() == 3 and Person.objects.count() == 4

    # The namesakes of the point came with the network and hint while typing, offline too.
    expect(page.locator("#hints-status")).to_contain_text("people registered here")
    page.context.set_offline(True)
    fill_member(page, 0, given_name="Mohamed", family_name="Hasan")
    hint = member(page, 0).locator("[data-namesake]")
    expect(hint).to_have_count(1)
    expect(hint).to_contain_text("Mohammed Hassan · 1984 · M")
    page.screenshot(path=screenshot_path("1280-offline-desk-sent-and-hint.png"), full_page=True)
    assert page.crashes == []


def test_a_conflict_and_a_refusal_are_shown_and_resolved(live_server, tablet, officer):
    page = tablet
    log_in(page, live_server.url, "amina", PASSWORD, DESK)
    expect(page.locator("[data-offline-desk][data-ready]")).to_be_attached()
    page.context.set_offline(True)
    register(page, {"given_name": "Peter", "family_name": "Lokwa", "sex": "M"})
    # A name the server refuses (a right-to-left override character) but the page lets by.
    register(page, {"given_name": "Rose\u202e", "family_name": "Achan", "sex": "F"})
    register(page, {"given_name": "Test\u202e", "family_name": "Entry"})
    peter, rose, mistake = record_ids(page, "waiting")

    # Someone else already used Peter's id for another registration.
    other = Client()
    other.force_login(officer)
    body = {
        "id": peter,
        "crossing_point": "mahagi-goli",
        "direction": "entry",
        "consent_given": True,
        "members": [{"relationship": "head", "given_name": "Paul", "family_name": "Okot"}],
    }
    answer = other.post("/api/v1/registrations", json.dumps(body), content_type="application/json")
    assert answer.status_code == 201

    page.context.set_offline(False)
    conflict = page.locator(f'#queue li[data-record="{peter}"]')
    expect(conflict).to_have_attribute("data-state", "conflict")
    expect(conflict).to_contain_text("already received with different content")
    refused = page.locator(f'#queue li[data-record="{rose}"]')
    expect(refused).to_have_attribute("data-state", "refused")
    expect(refused.locator('[data-field="members.0.given_name"]')).to_contain_text(
        "Person 1 · Given name"
    )
    # A registration made by mistake is removed from the device, never sent.
    removed = page.locator(f'#queue li[data-record="{mistake}"]')
    expect(removed).to_have_attribute("data-state", "refused")
    removed.get_by_role("button", name="Remove from this device").click()
    expect(removed).to_have_count(0)
    # The other two stay on the device, unsent, until the officer decides.
    expect(page.locator("#unsent-count")).to_have_text("2")
    assert not Person.objects.filter(family_name__in=["Lokwa", "Achan", "Entry"]).exists()
    page.get_by_role("button", name="Send now").click()
    expect(page.locator("#unsent-count")).to_have_text("2")
    assert Registration.objects.count() == 1

    conflict.get_by_role("button", name="Send as a new registration").click()
    expect(records(page, "sent")).to_have_count(1)
    expect(records(page, "sent")).to_contain_text("Peter Lokwa")
    peter_now = Registration.objects.exclude(public_id=peter).get()
    assert [m.person.full_name for m in peter_now.group.members.all()] == ["Peter Lokwa"]
    assert Registration.objects.get(public_id=peter).group.members.get().person.given_name == "Paul"

    refused.get_by_role("button", name="Correct").click()
    given = member(page, 0).locator('[name="given_name"]')
    expect(given).to_have_value("Rose\u202e")
    expect(member(page, 0).locator('[data-field="given_name"] .errorlist')).to_be_visible()
    given.fill("Rose")
    page.get_by_role("button", name="Save on this device").click()
    expect(records(page, "sent")).to_have_count(2)
    expect(page.locator("#unsent-count")).to_have_text("0")
    assert (
        str(Registration.objects.get(group__members__person__given_name="Rose").public_id) == rose
    )

    # Logging out leaves none of it on the device.
    assert any(name.startswith(PREFIX) for name in stored_names(page)["databases"])
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    left = stored_names(page)
    assert not [name for name in left["databases"] + left["caches"] if name.startswith(PREFIX)]
    assert page.crashes == []


def test_an_ended_session_keeps_the_queue_and_logout_names_what_it_deletes(
    live_server, tablet, officer
):
    page = tablet
    log_in(page, live_server.url, "amina", PASSWORD, DESK)
    expect(page.locator("[data-offline-desk][data-ready]")).to_be_attached()
    page.context.set_offline(True)
    register(page, {"given_name": "Achieng", "family_name": "Auma", "sex": "F"})

    # The session ends while the tablet is offline: nothing is lost, a new login is asked for.
    page.context.clear_cookies()
    page.context.set_offline(False)
    alert = page.locator("#offline-alert")
    expect(alert).to_contain_text("Your session has ended")
    expect(records(page, "waiting")).to_have_count(1)
    assert Registration.objects.count() == 0
    alert.get_by_role("link").click()
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}{DESK}")
    expect(records(page, "sent")).to_have_count(1)
    assert Registration.objects.get().group.members.get().person.given_name == "Achieng"

    # A registration the server has not received yet is named before logout deletes it.
    page.route("**/api/v1/registrations", lambda route: route.abort())
    register(page, {"given_name": "Nyabol", "family_name": "Deng", "sex": "F"})
    expect(records(page, "waiting")).to_have_count(1)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("alert").filter(has_text="not yet sent")).to_contain_text("1 ·")
    assert urlsplit(page.url).path == DESK
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    left = stored_names(page)
    assert not [name for name in left["databases"] + left["caches"] if name.startswith(PREFIX)]
    assert Registration.objects.count() == 1
    assert page.crashes == []
