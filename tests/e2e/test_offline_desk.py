"""The offline desk in a real Chromium (ADR 0127): groups registered with no network stay on
the device across a reload served by the service worker, and reach the server once each when
the network comes back; a conflicting id and a refused field are shown and resolved.
What the device stores is sealed (ADR 0136): no name or date of birth in clear, a queue kept
in clear by the version before is sealed and sent, and another user's is neither shown nor
sent nor lost."""

import json
import uuid
from urllib.parse import urlsplit

import pytest
from django.core.signals import request_started
from django.test import Client
from playwright.sync_api import expect

from hbm.places.models import BorderCrossingPoint
from hbm.registry.models import GroupMember, Person, Registration
from hbm.registry.views_offline import _user_key
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from tests.factories import UserFactory

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


# Every value the desk's databases hold, as text: strings as they are, bytes (ciphertexts,
# IVs, sealed keys) decoded byte for byte, keys by kind; and the fields of each queue record.
READ_RAW = """async (prefix) => {
    const text = [];
    const queue = [];
    const walk = (v) => {
        if (v === null || v === undefined) { return; }
        if (v instanceof CryptoKey) { text.push(`CryptoKey:${v.type}:${v.extractable}`); return; }
        if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
            text.push(new TextDecoder("latin1").decode(v)); return;
        }
        if (typeof v !== "object") { text.push(String(v)); return; }
        for (const [key, value] of Object.entries(v)) { text.push(key); walk(value); }
    };
    const ask = (request) => new Promise((ok, ko) => {
        request.onsuccess = () => ok(request.result); request.onerror = () => ko(request.error);
    });
    for (const info of await indexedDB.databases()) {
        if (!info.name.startsWith(prefix)) { continue; }
        const db = await ask(indexedDB.open(info.name));
        for (const store of db.objectStoreNames) {
            const rows = await ask(db.transaction(store).objectStore(store).getAll());
            rows.forEach(walk);
            if (store === "queue") {
                rows.forEach((row) => queue.push({db: info.name, fields: Object.keys(row).sort()}));
            }
        }
        db.close();
    }
    return {text: text.join("\\n"), queue};
}"""
SEALED = ["attempts", "created_at", "id", "sealed", "state"]


def raw(page):
    return page.evaluate(READ_RAW, PREFIX)


def assert_sealed(stored, *secrets):
    """No secret anywhere in what is stored, every queue record sealed, no private key kept."""
    for secret in secrets:
        assert secret not in stored["text"], f"{secret!r} is stored in clear"
    assert all(record["fields"] == SEALED for record in stored["queue"])
    assert "CryptoKey:private" not in stored["text"]


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

    # What the device stores names no one: sealed, with the key that opens it sealed too.
    secrets = ["Mohammed", "Hassan", "Yusuf", "Grace", "Atim", "Okello", "Ojok", "1984-03-12"]
    stored = raw(page)
    assert len(stored["queue"]) == 3
    assert_sealed(stored, *secrets)

    # With no network the page comes from the service worker, the three still listed, locked
    # (the secret that opens them comes from the server) but counted, and still sealable.
    response = page.reload()
    assert response is not None and response.from_service_worker
    expect(page.locator("[data-offline-desk][data-ready]")).to_be_attached()
    expect(page.locator("#unsent-count")).to_have_text("3")
    expect(records(page, "waiting")).to_have_count(3)
    expect(records(page, "waiting").first).to_contain_text("Locked on this device")
    expect(page.locator("#offline-locked")).to_contain_text("until the network is back")
    assert sorted(record_ids(page, "waiting")) == sorted(ids)
    register(page, {"given_name": "Nyakato", "family_name": "Ayoo", "sex": "F"})
    expect(records(page, "waiting").last).to_contain_text("Nyakato Ayoo")
    assert_sealed(raw(page), *secrets, "Nyakato", "Ayoo")
    ids.append(record_ids(page, "waiting")[-1])
    assert Registration.objects.count() == 0
    page.screenshot(path=screenshot_path("1280-offline-desk-three-waiting.png"), full_page=True)
    assert served[asked_before:] == [], "the server was asked while offline"

    # The network comes back: the `online` event opens them and sends them.
    page.context.set_offline(False)
    expect(records(page, "sent")).to_have_count(4)
    expect(page.locator("#unsent-count")).to_have_text("0")
    expect(page.locator("#offline-locked")).to_be_hidden()
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
        ["Nyakato Ayoo"],
        ["Okello Ojok"],
    ]
    mohammed = Person.objects.get(given_name="Mohammed")
    assert mohammed.date_of_birth == "1984-03-12" and mohammed.nationality_id == "SSD"
    assert Person.objects.get(given_name="Yusuf").age_estimate == 7

    # Sending again sends nothing: nothing is left to send, nothing is written twice.
    page.get_by_role("button", name="Send now").click()
    expect(page.locator("#offline-status")).to_contain_text("Every registration")
    assert Registration.objects.count() == 4 and Person.objects.count() == 5

    # The namesakes of the point came with the network and hint while typing, offline too;
    # they are kept sealed.
    expect(page.locator("#hints-status")).to_contain_text("5 people registered here")
    assert_sealed(raw(page), *secrets)
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


def session_ends_offline(page, base_url, person):
    """Amina registers ``person`` offline, and her session ends before the network is back:
    nothing is lost, a new login is asked for."""
    log_in(page, base_url, "amina", PASSWORD, DESK)
    expect(page.locator("[data-offline-desk][data-unlocked]")).to_be_attached()
    page.context.set_offline(True)
    register(page, person)
    page.context.clear_cookies()
    page.context.set_offline(False)
    expect(page.locator("#offline-alert")).to_contain_text("Your session has ended")


def test_an_ended_session_keeps_the_queue_and_logout_names_what_it_deletes(
    live_server, tablet, officer
):
    page = tablet
    session_ends_offline(
        page, live_server.url, {"given_name": "Achieng", "family_name": "Auma", "sex": "F"}
    )
    alert = page.locator("#offline-alert")
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


def old_queue(page, user, record):
    """A device as the desk before ADR 0136 left it: version 1, the queue and hints in clear."""
    page.evaluate(
        """async ([name, record]) => {
            const db = await new Promise((ok, ko) => {
                const opening = indexedDB.open(name, 1);
                opening.onupgradeneeded = () => {
                    const made = opening.result;
                    made.createObjectStore("queue", { keyPath: "id" });
                    made.createObjectStore("namesakes", { autoIncrement: true })
                        .createIndex("point", "point");
                    made.createObjectStore("meta", { keyPath: "key" });
                };
                opening.onsuccess = () => ok(opening.result);
                opening.onerror = () => ko(opening.error);
            });
            const put = db.transaction(["queue", "namesakes", "meta"], "readwrite");
            put.objectStore("queue").put(record);
            put.objectStore("namesakes").add({ point: record.payload.crossing_point,
                name: "Lokiru Ekai", tokens: ["lokiru", "ekai"], year_of_birth: "1970",
                sex: "M", registered_on: "2026-12-01" });
            put.objectStore("meta").put({ key: "namesakes:mahagi-goli",
                fetched_at: "2026-12-01T08:00:00Z", count: 1 });
            await new Promise((ok) => { put.oncomplete = ok; });
            db.close();
        }""",
        [PREFIX + _user_key(user), record],
    )


def test_a_queue_kept_in_clear_before_is_sealed_then_sent_once(live_server, tablet, officer):
    page = tablet
    log_in(page, live_server.url, "amina", PASSWORD, "/")
    kept = str(uuid.uuid4())
    payload = {
        "id": kept,
        "crossing_point": "mahagi-goli",
        "direction": "entry",
        "crossed_at": "2026-12-06T09:30:00.000Z",
        "consent_given": True,
        "consent_giver": "self",
        "consent_given_by": "",
        "consent_method": "verbal",
        "members": [
            {
                "relationship": "head",
                "given_name": "Achieng",
                "family_name": "Odhiambo",
                "sex": "F",
                "date_of_birth": "1979-05-21",
                "age_estimate": None,
                "nationality": "",
            }
        ],
    }
    old_queue(
        page,
        officer,
        {
            "id": kept,
            "payload": payload,
            "created_at": "2026-12-06T09:30:00.000Z",
            "state": "waiting",
            "message": "",
            "problems": [],
        },
    )
    assert "Achieng" in raw(page)["text"]

    # The new desk opens with the server refusing nothing but answering nothing either.
    page.route("**/api/v1/registrations", lambda route: route.abort())
    page.goto(live_server.url + DESK)
    expect(page.locator("[data-offline-desk][data-unlocked]")).to_be_attached()
    expect(records(page, "waiting")).to_contain_text("Achieng Odhiambo")
    expect(page.locator("#unsent-count")).to_have_text("1")
    # Sealed in its place; the hints kept in clear are gone (they come again from the server).
    stored = raw(page)
    assert len(stored["queue"]) == 1
    assert_sealed(stored, "Achieng", "Odhiambo", "1979-05-21", "Lokiru", "lokiru")
    assert Registration.objects.count() == 0

    page.unroute("**/api/v1/registrations")
    page.get_by_role("button", name="Send now").click()
    expect(records(page, "sent")).to_have_count(1)
    page.get_by_role("button", name="Send now").click()
    expect(page.locator("#offline-status")).to_contain_text("Every registration")
    registration = Registration.objects.get()
    assert str(registration.public_id) == kept
    assert registration.group.members.get().person.date_of_birth == "1979-05-21"
    assert raw(page)["queue"] == []
    assert page.crashes == []


def test_another_user_on_the_device_neither_sees_nor_sends_nor_loses_the_queue(
    live_server, tablet, officer
):
    page = tablet
    UserFactory(
        username="bakari",
        agency=officer.agency,
        roles=["registration_officer"],
        crossing_points=[BorderCrossingPoint.objects.get(code="mahagi-goli")],
    )
    # Amina's session ends with the tablet offline; Bakari logs in on the same browser.
    session_ends_offline(
        page, live_server.url, {"given_name": "Akello", "family_name": "Apio", "sex": "F"}
    )
    log_in(page, live_server.url, "bakari", PASSWORD, DESK)
    expect(page.locator("[data-offline-desk][data-unlocked]")).to_be_attached()
    expect(page.locator("#unsent-count")).to_have_text("0")
    expect(page.locator("[data-offline-desk]")).to_contain_text(
        "1 registrations of another user wait on this device"
    )
    expect(page.locator("[data-offline-desk]")).not_to_contain_text("Akello")
    amina_db = PREFIX + _user_key(officer)
    assert [r["db"] for r in raw(page)["queue"]] == [amina_db]

    # Even in Bakari's own storage (a copy, a mix-up), Amina's record is not his to open:
    # counted, shown locked with the reason, not sent, and kept.
    page.evaluate(
        """async ([from, to]) => {
            const ask = (r) => new Promise((ok, ko) => {
                r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error);
            });
            const source = await ask(indexedDB.open(from));
            const rows = await ask(source.transaction("queue").objectStore("queue").getAll());
            source.close();
            const target = await ask(indexedDB.open(to));
            const put = target.transaction("queue", "readwrite");
            rows.forEach((row) => put.objectStore("queue").put(row));
            await new Promise((ok) => { put.oncomplete = ok; });
            target.close();
        }""",
        [amina_db, PREFIX + _user_key(UserFactory(username="bakari"))],
    )
    page.reload()
    expect(page.locator("[data-offline-desk][data-unlocked]")).to_be_attached()
    expect(page.locator("#unsent-count")).to_have_text("1")
    expect(records(page)).to_contain_text("Locked on this device")
    expect(page.locator("#offline-locked")).to_contain_text(
        "locked with a key your account does not hold"
    )
    page.get_by_role("button", name="Send now").click()
    expect(page.locator("#unsent-count")).to_have_text("1")
    assert Registration.objects.count() == 0
    assert len(raw(page)["queue"]) == 2

    # Amina logs in again: hers is sent, once.
    log_in(page, live_server.url, "amina", PASSWORD, DESK)
    expect(records(page, "sent")).to_have_count(1)
    assert Registration.objects.get().group.members.get().person.given_name == "Akello"
    assert page.crashes == []
