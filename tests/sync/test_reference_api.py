"""The national side in process: which watchlist entries and providers a field station may
pull (ADR 0130), who decides that a list is screened at stations, and the cursor's pages."""

import uuid

import pytest
from django.test import override_settings

from hbm.audit.models import AuditEvent
from hbm.referrals.models import Provider
from hbm.security import services
from hbm.security.models import Hit, Watchlist, WatchlistEntry
from hbm.sync.services.watchlists import (
    BAD_CURSOR,
    ENTRY_FIELDS,
    NOT_A_STATION,
    entries_apply,
    entries_cursor,
    lists_apply,
)
from tests.factories import AgencyFactory, UserFactory
from tests.registry.helpers import register

ENTRIES = "/api/v1/sync/watchlist-entries"
HEADER = "external_id,given_name,family_name,date_of_birth,nationality,document_number\n"


@pytest.fixture
def station(immigration, point_a):
    return UserFactory(
        username="station-a",
        agency=immigration,
        roles=["field_station", "registration_officer"],
        crossing_points=[point_a],
    )


def make_list(officer, name: str, rows: int, *, marked: bool) -> Watchlist:
    watchlist = services.watchlist_create(
        actor=officer, owner=officer.agency, name=name, legal_basis="Law", field_screening=marked
    )
    lines = "".join(
        f"{name[0]}-{n},Given{n},Family{n},1980-01-0{n % 9 + 1},SSD,P{n}\n" for n in range(rows)
    )
    services.watchlist_load(
        actor=officer, watchlist=watchlist, content=(HEADER + lines).encode(), filename="l.csv"
    )
    return watchlist


@pytest.fixture
def lists(security_joseph):
    return make_list(security_joseph, "Shared", 5, marked=True), make_list(
        security_joseph, "Secret", 3, marked=False
    )


def walk(client, limit: int) -> tuple[list[dict], list[dict]]:
    """Every page from the start: (entries, answers)."""
    entries, answers, after, more = [], [], "", True
    while more:
        answer = client.get(ENTRIES, {"after": after, "limit": limit}).json()
        answers.append(answer)
        entries += answer["entries"]
        after, more = answer["cursor"], answer["more"]
    return entries, answers


@override_settings(SYNC_SETTLE_SECONDS=0)
def test_a_station_gets_the_marked_lists_entries_page_by_page(client_for, station, lists):
    shared, _secret = lists
    client = client_for(station)
    entries, answers = walk(client, limit=2)
    assert [len(a["entries"]) for a in answers] == [2, 2, 1]
    assert sorted(e["external_id"] for e in entries) == [f"S-{n}" for n in range(5)]
    assert set(entries[0]) == {"id", "watchlist", *ENTRY_FIELDS}  # nothing else of the entry
    assert {e["watchlist"] for e in entries} == {str(shared.public_id)}
    (listed,) = answers[0]["watchlists"]
    assert listed["name"] == "Shared" and "legal_basis" not in listed
    assert AuditEvent.objects.filter(object_type="sync.watchlist_entries").count() == 3

    cursor = answers[-1]["cursor"]
    nothing = client.get(ENTRIES, {"after": cursor}).json()
    assert nothing == {"watchlists": [], "entries": [], "cursor": cursor, "more": False}

    services.entry_remove(
        actor=lists[0].owner.users.get(), entry=shared.entries.get(external_id="S-3")
    )
    (removed,) = client.get(ENTRIES, {"after": cursor}).json()["entries"]
    assert removed["external_id"] == "S-3" and removed["active"] is False
    assert removed["given_name"] == removed["document_number"] == ""  # only that it is gone


def test_entries_stamped_moments_ago_wait_for_the_next_pull(client_for, station, lists):
    with override_settings(SYNC_SETTLE_SECONDS=3600):
        assert client_for(station).get(ENTRIES).json()["entries"] == []


@override_settings(SYNC_SETTLE_SECONDS=0)
def test_un_marking_a_list_stops_sending_it(client_for, station, security_joseph, lists):
    shared, secret = lists
    services.watchlist_field_screening_set(actor=security_joseph, watchlist=shared, on=False)
    services.watchlist_field_screening_set(actor=security_joseph, watchlist=secret, on=True)
    client = client_for(station)
    entries, _ = walk(client, limit=100)
    assert sorted(e["external_id"] for e in entries) == ["S-0", "S-1", "S-2"]
    snapshot = client.get("/api/v1/sync/reference").json()
    assert [w["id"] for w in snapshot["watchlists"]] == [str(secret.public_id)]
    event = AuditEvent.objects.get(detail="no longer screened at field stations")
    assert event.actor == security_joseph and event.object_id == str(shared.public_id)


def test_only_a_station_pulls(client_for, officer_amina, security_joseph, lists):
    for user in (officer_amina, security_joseph):
        for url in (ENTRIES, "/api/v1/sync/reference"):
            answer = client_for(user).get(url)
            assert answer.status_code == 403 and answer.json()["message"] == NOT_A_STATION


@pytest.mark.parametrize(
    "query, field",
    [
        ({"after": "yesterday~3"}, "query.after"),
        ({"after": "2026-12-07T01:00:00~x"}, "query.after"),
        ({"after": "2026-12-07T01:00:00~3"}, "query.after"),  # no time zone: not ours
        ({"limit": 0}, "query.limit"),
        ({"limit": 5001}, "query.limit"),
    ],
)
def test_a_bad_cursor_is_422_with_its_field(client_for, station, query, field):
    answer = client_for(station).get(ENTRIES, query)
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    if field == "query.after":
        assert answer.json()["errors"][0]["message"] == BAD_CURSOR


def test_the_reference_data_carries_the_directory(client_for, station, admin_samuel):
    agency = AgencyFactory(code="msf", name="MSF", kind="ngo")
    provider = Provider.objects.create(name="Clinic", agency=agency, active=False)
    answer = client_for(station).get("/api/v1/sync/reference").json()
    (row,) = answer["providers"]
    assert row["id"] == str(provider.public_id) and row["active"] is False
    assert row["agency"] == {"code": "msf", "name": "MSF", "kind": "ngo"}


def test_the_owner_marks_a_list_through_the_api(client_for, security_joseph, lists, point_a):
    _shared, secret = lists
    url = f"/api/v1/watchlists/{secret.pk}"
    answer = client_for(security_joseph).patch(
        url, {"field_screening": True}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["field_screening"] is True
    secret.refresh_from_db()
    assert secret.field_screening

    customs = AgencyFactory(code="customs", name="Customs", kind="customs")
    other = UserFactory(username="ali", agency=customs, roles=["security_officer"])
    refused = client_for(other).patch(
        url, {"field_screening": False}, content_type="application/json"
    )
    assert refused.status_code == 403
    secret.refresh_from_db()
    assert secret.field_screening
    bad = client_for(security_joseph).patch(
        url, {"field_screening": "maybe"}, content_type="application/json"
    )
    assert (
        bad.status_code == 422
        and bad.json()["errors"][0]["field"] == "body.payload.field_screening"
    )


def test_a_list_is_created_marked_through_the_api(client_for, security_joseph):
    answer = client_for(security_joseph).post(
        "/api/v1/watchlists",
        {"name": "Field", "owner": "police", "legal_basis": "Law", "field_screening": True},
        content_type="application/json",
    )
    assert answer.status_code == 201 and answer.json()["field_screening"] is True
    assert Watchlist.objects.get(name="Field").field_screening


# -- the station's side, in process: what a page and a snapshot do to the copies -----------

LIST_ID, ENTRY_ID = str(uuid.uuid4()), str(uuid.uuid4())
LISTED = {"given_name": "Lado", "family_name": "Wani", "date_of_birth": "1984-03-09"}


def page(*, active: bool = True, list_active: bool = True) -> dict:
    owner = {"code": "national-police", "name": "National police", "kind": "police"}
    entry = dict.fromkeys(ENTRY_FIELDS, "") | LISTED | {"nationality": "SSD"}
    entry |= {"external_id": "X-1", "required_action": "hold", "active": active}
    return {
        "watchlists": [
            {
                "id": LIST_ID,
                "name": "Shared",
                "owner": owner,
                "retention_days": 30,
                "active": list_active,
            }
        ],
        "entries": [{"id": ENTRY_ID, "watchlist": LIST_ID, **entry}],
        "cursor": "2026-12-07T01:00:00+00:00~1",
        "more": False,
    }


def arrive(officer) -> list:
    (person,) = register(officer, {**LISTED, "sex": "M", "nationality": "SSD"})
    return list(Hit.objects.filter(person=person).values_list("entry__public_id", flat=True))


def test_a_station_screens_with_the_copies_and_stops_when_they_go(officer_amina):
    assert entries_apply(page=page()) == 1
    copy = Watchlist.objects.get(public_id=LIST_ID)
    assert copy.owner.code == "national-police" and copy.active
    assert entries_cursor() == "2026-12-07T01:00:00+00:00~1"
    assert [str(e) for e in arrive(officer_amina)] == [ENTRY_ID]

    entries_apply(page=page(list_active=False))  # the list switched off nationally
    assert arrive(officer_amina) == []
    entries_apply(page=page())
    assert arrive(officer_amina) != []

    lists_apply([], complete=True)  # no longer shared
    entry = WatchlistEntry.objects.get(public_id=ENTRY_ID)
    assert not entry.active and entry.given_name == entry.date_of_birth == ""
    assert arrive(officer_amina) == []
