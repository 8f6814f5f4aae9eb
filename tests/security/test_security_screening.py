import io
import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hbm.audit.models import AuditEvent
from hbm.lib.rejected import Rejected
from hbm.security import services
from hbm.security.models import Hit, Watchlist

CSV = (
    "external_id,given_name,family_name,other_names,date_of_birth,nationality,reason_category,"
    "required_action\n"
    "W-1,,,محمد حسن,1984,SSD,armed group,refer\n"
    "W-2,Joseph,Kony,,1961,UGA,wanted,hold\n"
)


@pytest.fixture
def watchlist(security_joseph):
    owner = security_joseph.agency
    watchlist = services.watchlist_create(
        actor=security_joseph, owner=owner, name="National", legal_basis="Law 04/2016 art. 12"
    )
    services.watchlist_load(
        actor=security_joseph, watchlist=watchlist, content=CSV.encode(), filename="national.csv"
    )
    return watchlist


KONY = {
    "given_name": "Joseph",
    "family_name": "Kony",
    "date_of_birth": "1961",
    "nationality": "UGA",
}


def register(client, **member):
    body = {
        "id": str(uuid.uuid4()),
        "crossing_point": "point-a",
        "direction": "entry",
        "group_kind": "individual",
        "consent_given": True,
        "members": [{"relationship": "head", **member}],
    }
    return client.post("/api/v1/registrations", json.dumps(body), content_type="application/json")


def cross_again(client, person, *others):
    """A new crossing (an exit) of a person registered before, with new members if any."""
    body = {
        "id": str(uuid.uuid4()),
        "crossing_point": "point-a",
        "direction": "exit",
        "consent_given": True,
        "members": [{"relationship": "head", "existing_person": person}, *others],
    }
    return client.post("/api/v1/registrations", json.dumps(body), content_type="application/json")


def test_a_match_in_another_script_gives_the_officer_only_a_neutral_prompt(
    client_for, watchlist, officer_amina, security_joseph
):
    response = register(
        client_for(officer_amina),
        given_name="Mohammed",
        family_name="Hassan",
        date_of_birth="1984-05-02",
        nationality="SSD",
    )
    person = response.json()["persons"][0]
    assert person["flags"] == ["refer_to_security_officer"]
    assert "armed group" not in response.content.decode()
    hit = Hit.objects.get()
    assert hit.entry.external_id == "W-1" and hit.status == "open"
    client = client_for(security_joseph)
    seen = client.get(f"/api/v1/hits/{hit.pk}").json()
    assert seen["reason_category"] == "armed group" and seen["explanation"]["fields"]


def test_a_false_positive_is_remembered_for_that_pair(
    client_for, watchlist, officer_amina, security_joseph
):
    first = register(
        client_for(officer_amina),
        given_name="Mohammed",
        family_name="Hassan",
        date_of_birth="1984",
        nationality="SSD",
    ).json()["persons"][0]
    hit = Hit.objects.get()
    client = client_for(security_joseph)
    refused = client.post(
        f"/api/v1/hits/{hit.pk}/decision",
        json.dumps({"decision": "false_positive"}),
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "body.reason", "message": services.REASON_REQUIRED}
    ]
    decided = client.post(
        f"/api/v1/hits/{hit.pk}/decision",
        json.dumps({"decision": "false_positive", "reason": "Different father, documents checked"}),
        content_type="application/json",
    )
    assert decided.json()["status"] == "false_positive"
    again = register(
        client_for(officer_amina),
        given_name="Mohammed",
        family_name="Hassan",
        date_of_birth="1984",
        nationality="SSD",
    )
    assert again.status_code == 201
    linked = cross_again(client_for(officer_amina), first["person"])
    assert linked.json()["persons"][0]["flags"] == []
    assert Hit.objects.filter(person__public_id=first["person"]).count() == 1


def test_other_roles_never_see_hits_and_asking_is_audited(
    client_for, watchlist, officer_amina, protection_bruno, coordinator_patrick
):
    register(client_for(officer_amina), **KONY)
    hit = Hit.objects.get()
    for user in (officer_amina, protection_bruno, coordinator_patrick):
        client = client_for(user)
        assert client.get(f"/api/v1/hits/{hit.pk}").status_code == 404
        assert client.get("/api/v1/hits").status_code == 404
        assert client.get("/api/v1/security/metrics").status_code == 404
    export = b"".join(client_for(officer_amina).get("/api/v1/crossings/export").streaming_content)
    assert b"Kony" in export and b"wanted" not in export and b"hold" not in export
    denied = AuditEvent.objects.filter(action="denied", object_type="security.hit")
    assert denied.count() == 9, "the hit, the list and the metrics, for each of the three"
    assert denied.filter(object_id=str(hit.pk)).count() == 3


def test_a_removed_entry_stops_matching_at_once(
    client_for, watchlist, officer_amina, security_joseph
):
    client = client_for(security_joseph)
    assert client.post(f"/api/v1/watchlists/{watchlist.pk}/entries/W-2/remove").status_code == 200
    register(client_for(officer_amina), **KONY)
    assert not Hit.objects.exists()


def test_followthemoney_lines_load_and_bad_files_load_nothing(security_joseph, watchlist):
    lines = "\n".join(
        [
            json.dumps(
                {
                    "id": "os-1",
                    "schema": "Person",
                    "properties": {
                        "name": ["Abdul Rahman Al-Tayeb"],
                        "birthDate": ["1979-03-02"],
                        "nationality": ["sd"],
                        "topics": ["sanction"],
                    },
                }
            ),
            json.dumps({"id": "os-2", "schema": "Company", "properties": {"name": ["Acme"]}}),
        ]
    )
    summary = services.watchlist_load(
        actor=security_joseph,
        watchlist=watchlist,
        content=lines.encode(),
        filename="os.jsonl",
        replace=False,
    )
    assert (summary.added, summary.removed) == (1, 0)
    with pytest.raises(Rejected) as caught:
        services.watchlist_load(
            actor=security_joseph,
            watchlist=watchlist,
            content=b'{"id": "x"\nnot json\n',
            filename="bad.jsonl",
        )
    assert caught.value.problems[0].startswith("line 1: not a JSON object")
    bad_csv = (
        "external_id,given_name,date_of_birth,required_action\n"
        "A,,1990,refer\nA,Ali,1990-13,arrest\n"
    )
    with pytest.raises(Rejected) as caught:
        services.watchlist_load(
            actor=security_joseph, watchlist=watchlist, content=bad_csv.encode(), filename="bad.csv"
        )
    assert caught.value.problems == [
        services.NO_NAME.format(2),
        services.DUPLICATE_ID.format(3, "A", 2),
        services.BAD_ACTION.format(3, "arrest"),
        "line 3: date_of_birth '1990-13' is not a calendar date",
    ]
    assert watchlist.entries.filter(active=True).count() == 3
    assert watchlist.loads.count() == 2


def test_the_api_loads_files_and_reports_metrics(
    client_for, security_joseph, watchlist, officer_amina
):
    client = client_for(security_joseph)
    upload = io.BytesIO(CSV.encode())
    upload.name = "again.csv"
    response = client.post(f"/api/v1/watchlists/{watchlist.pk}/load", {"file": upload})
    assert response.json() == {"added": 0, "updated": 2, "removed": 0}
    register(client_for(officer_amina), **KONY)
    metrics = client_for(security_joseph).get("/api/v1/security/metrics").json()
    assert metrics["by_list"] == [{"watchlist": "National", "n": 1}]
    assert Watchlist.objects.count() == 1


def test_the_api_refuses_a_bad_file_whole_with_its_problems(client_for, security_joseph, watchlist):
    before = list(watchlist.entries.values_list("external_id", "given_name", "active"))
    upload = io.BytesIO(b"external_id,given_name,family_name,date_of_birth\nW-9,Ali,Musa,1990-13\n")
    upload.name = "bad.csv"
    response = client_for(security_joseph).post(
        f"/api/v1/watchlists/{watchlist.pk}/load", {"file": upload}
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors and all(error["field"] == "body.file" for error in errors)
    assert any("1990-13" in error["message"] for error in errors)
    assert list(watchlist.entries.values_list("external_id", "given_name", "active")) == before
    assert watchlist.loads.count() == 1


def test_the_desk_and_person_page_show_only_the_neutral_prompt(
    client_for, watchlist, officer_amina
):
    response = register(client_for(officer_amina), **KONY)
    person = response.json()["persons"][0]["person"]
    page = client_for(officer_amina).get(f"/registry/people/{person}/").content.decode()
    assert "Refer this person to the security officer" in page
    assert "wanted" not in page and "W-2" not in page and "Law 04/2016" not in page


def test_loading_a_list_rescreens_everyone_in_the_worker(
    transactional_db,
    client_for,
    officer_amina,
    security_joseph,
    django_capture_on_commit_callbacks,
):
    # transactional: the worker closes its database connection when it finishes
    from django.core.management import call_command

    from hbm.security.models import ScreeningRun

    register(client_for(officer_amina), **KONY)
    assert not Hit.objects.exists(), "no list yet"
    watchlist = services.watchlist_create(
        actor=security_joseph,
        owner=security_joseph.agency,
        name="National",
        legal_basis="Law 04/2016",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.watchlist_load(
            actor=security_joseph,
            watchlist=watchlist,
            content=CSV.encode(),
            filename="national.csv",
        )
    assert ScreeningRun.objects.get().status == "queued"
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    progress = client_for(security_joseph).get("/api/v1/security/rescreen/latest").json()
    assert (progress["status"], progress["done"], progress["hits_found"]) == ("done", 1, 1)
    assert Hit.objects.get().entry.external_id == "W-2"


def test_entries_of_a_long_load_reach_other_processes_once_committed(
    security_joseph, watchlist, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from hbm.security.models import WatchlistEntry
    from hbm.security.screening import WatchlistIndex

    other = WatchlistIndex()
    before = len(other.current())  # this process has looked at everything up to now
    late = services.watchlist_create(
        actor=security_joseph, owner=security_joseph.agency, name="Late", legal_basis="test"
    )
    content = "external_id,given_name,family_name\nL-1,Kamal,Idris\n"
    with django_capture_on_commit_callbacks(execute=True):
        services.watchlist_load(
            actor=security_joseph, watchlist=late, content=content.encode(), filename="l.csv"
        )
        # as if the load had run for an hour before committing
        WatchlistEntry.objects.filter(watchlist=late).update(
            updated_at=timezone.now() - timedelta(hours=1)
        )
    assert len(other.current()) == before + 1


def test_entries_already_indexed_are_not_indexed_again(watchlist, security_joseph):
    """Right after a list is loaded its entries sit inside the catch-up overlap; screenings
    in those seconds must not index the whole list again."""
    from hbm.security.screening import watchlist_index

    entry = watchlist.entries.get(external_id="W-2")
    indexed = watchlist_index.current().get(f"{entry.pk}:0")
    assert indexed is not None and indexed.family_name == "Kony"
    assert watchlist_index.current().get(f"{entry.pk}:0") is indexed
    services.entry_remove(actor=security_joseph, entry=entry)
    assert watchlist_index.current().get(f"{entry.pk}:0") is None  # a change still counts


def test_a_screening_in_steady_state_reads_only_the_stamps(watchlist):
    from hbm.security.screening import watchlist_index

    watchlist_index.current()
    with CaptureQueriesContext(connection) as queries:
        watchlist_index.current()
    assert len(queries) == 1  # the (id, stamp) look, nothing to load


def test_a_person_linked_again_keeps_the_prompt_after_the_entry_is_removed(
    client_for, watchlist, officer_amina, security_joseph
):
    first = register(client_for(officer_amina), **KONY).json()["persons"][0]
    assert first["flags"] == ["refer_to_security_officer"]
    removed = client_for(security_joseph).post(
        f"/api/v1/watchlists/{watchlist.pk}/entries/W-2/remove"
    )
    assert removed.status_code == 200
    child = {"relationship": "child", "given_name": "Ann", "age_estimate": 9}
    linked = cross_again(client_for(officer_amina), first["person"], child)
    persons = linked.json()["persons"]
    assert [p["flags"] for p in persons] == [["refer_to_security_officer"], []]


def test_a_registration_no_check_wrote_about_asks_for_no_flags(client_for, officer_amina):
    with CaptureQueriesContext(connection) as queries:
        response = register(client_for(officer_amina), given_name="Grace", sex="F")
    assert response.json()["persons"][0]["flags"] == []
    assert not [q for q in queries.captured_queries if "security_hit" in q["sql"]]


@pytest.mark.parametrize(
    ("full_name", "parts"),
    [
        ("Mohammad Ahmad Khan", ("mohammad", "khan", "ahmad")),
        ("Abd al-Qadir Omer", ("abdqadir", "omer", "")),
        ("Abdel Wahab Mohamed Omar", ("abdwahab", "omar", "mohamed")),
        ("Gul Latif Omar Stanekzai", ("gul", "latif omar stanekzai", "")),
        ("Hekmatullah", ("hekmatullah", "", "")),
        ("  ", ("", "", "")),
    ],
)
def test_a_full_name_is_split_into_its_parts(full_name, parts):
    from hbm.security.screening import split_full_name

    assert split_full_name(full_name) == parts


def test_a_full_name_entry_finds_the_person_written_with_other_particles(
    security_joseph, watchlist, officer_amina
):
    from hbm.registry.identity import person_record
    from hbm.registry.models import Person
    from hbm.security.screening import entries_like, watchlist_index

    services.watchlist_load(
        actor=security_joseph,
        watchlist=watchlist,
        content=b"external_id,other_names,date_of_birth,nationality,reason_category,"
        b"required_action\nW-9,Abdel Wahab Omar,1969,SDN,wanted,refer\n",
        filename="more.csv",
    )
    arrival = Person(given_name="Abd-Wahab", father_name="Mohamed", family_name="Omer")
    arrival.date_of_birth, arrival.nationality_id = "1969-01-01", "SDN"
    found = entries_like(watchlist_index.current(), person_record(arrival))
    assert [watchlist.entries.get(external_id="W-9").pk] == [pk for pk, _ in found]


def test_a_loaded_list_is_not_read_again_once_its_overlap_has_passed(
    watchlist, security_joseph, monkeypatch
):
    """After a list is loaded, its stamps sit at the newest change until the next one; the
    screenings after the overlap must not read all of them again each time."""
    from datetime import timedelta

    from django.utils import timezone

    from hbm.lib import index_follower
    from hbm.security import screening
    from hbm.security.models import WatchlistEntry

    WatchlistEntry.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    rows_read = []

    def counted(model, since):  # the real read, counted
        stamps = stamps_since(model, since)
        rows_read.append(len(stamps))
        return stamps

    stamps_since = index_follower.stamps_since
    monkeypatch.setattr(index_follower, "stamps_since", counted)
    index = screening.WatchlistIndex()
    listed = len(index.current())  # the first look reads the entries themselves
    assert listed and rows_read == []
    index.current()
    assert rows_read[-1] == 0
    entry = watchlist.entries.get(external_id="W-2")
    services.entry_remove(actor=security_joseph, entry=entry)
    assert index.current().get(f"{entry.pk}:0") is None  # a change still counts
    assert rows_read[-1] == 1


def test_an_alias_without_a_fathers_name_keeps_the_entrys(security_joseph, watchlist):
    """A namesake whose father is another man must not match the entry unopposed through an
    alias that does not repeat the father's name."""
    from hbm.registry.identity import person_record
    from hbm.registry.models import Person
    from hbm.security.screening import entries_like, watchlist_index

    services.watchlist_load(
        actor=security_joseph,
        watchlist=watchlist,
        content=b"external_id,given_name,father_name,family_name,other_names,date_of_birth,"
        b"nationality,reason_category,required_action\n"
        b"W-10,Ahmad,Karim,Noori,Ahmad Noori,1980,AFG,wanted,refer\n",
        filename="more.csv",
    )
    listed = watchlist.entries.get(external_id="W-10").pk

    def best_match(father_name):
        arrival = Person(given_name="Ahmad", father_name=father_name, family_name="Noori")
        arrival.date_of_birth, arrival.nationality_id = "1980-03-04", "AFG"
        [(pk, match)] = entries_like(watchlist_index.current(), person_record(arrival))
        assert pk == listed
        return match

    def father_level(match):
        return {c.field: c.level for c in match.explanation.contributions}["father_name"]

    same_father, other_father = best_match("Karim"), best_match("Jawad")
    assert father_level(same_father) == "exact" and same_father.probability > 0.99
    assert father_level(other_father) == "different" and other_father.probability < 0.9


def test_only_an_open_or_upheld_hit_of_a_refer_or_hold_entry_prompts(
    client_for, watchlist, officer_amina, security_joseph
):
    from hbm.registry.models import Person
    from hbm.security.screening import neutral_flags

    informing = services.watchlist_create(
        actor=security_joseph, owner=security_joseph.agency, name="Notes", legal_basis="Law 1"
    )
    content = CSV.splitlines()[0] + "\nW-3,Joseph,Kony,,1961,UGA,wanted,inform\n"
    services.watchlist_load(
        actor=security_joseph, watchlist=informing, content=content.encode(), filename="n.csv"
    )
    answer = register(client_for(officer_amina), **KONY).json()["persons"][0]
    person = Person.objects.get(public_id=answer["person"])
    actions = Hit.objects.filter(person=person).values_list("entry__required_action", flat=True)
    assert sorted(actions) == ["hold", "inform"]
    assert answer["flags"] == ["refer_to_security_officer"]
    hold = Hit.objects.get(person=person, entry__required_action="hold")
    services.hit_decide(
        actor=security_joseph, hit=hold, decision="false_positive", reason="Born elsewhere"
    )
    assert neutral_flags([person]) == {}  # the open hit is of an entry that only informs
