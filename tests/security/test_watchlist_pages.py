"""Security officers create watchlists and load them from the web pages and the API: the owner
is one of the officer's own agencies, a file is checked before anything is written, a bad file
writes nothing, and no one outside the compartment reaches any of it."""

import base64
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hbm.audit.models import AuditEvent
from hbm.lib.rejected import Rejected
from hbm.security import services
from hbm.security.models import Hit, ScreeningRun, Watchlist, WatchlistLoad
from tests.factories import AgencyFactory, UserFactory
from tests.registry.helpers import register

CSV = (
    "external_id,given_name,family_name,date_of_birth,nationality,reason_category,required_action\n"
    "W-1,Joseph,Kony,1961,UGA,wanted,hold\n"
    "W-2,Mohamed,Hasan,1984-05-02,SSD,armed group,refer\n"
)
BAD_CSV = "external_id,given_name,date_of_birth\nA,,1990\nB,Ali,1990-13\n"


@pytest.fixture
def customs(db):
    return AgencyFactory(code="customs", name="Customs", kind="customs")


@pytest.fixture
def watchlist(security_joseph):
    return services.watchlist_create(
        actor=security_joseph, owner=security_joseph.agency, name="National", legal_basis="Law 1"
    )


def upload(text, name="list.csv"):
    return SimpleUploadedFile(name, text.encode())


# -- services ------------------------------------------------------------------------------


def test_a_list_is_owned_by_one_of_the_officers_own_agencies(security_joseph, customs):
    with pytest.raises(ValidationError) as caught:
        services.watchlist_create(
            actor=security_joseph, owner=customs, name="Theirs", legal_basis="Law"
        )
    assert caught.value.message_dict == {"owner": [services.NOT_YOUR_AGENCY]}
    with pytest.raises(ValidationError):
        services.watchlist_create(actor=security_joseph, owner=None, name="No one", legal_basis="x")
    assert not Watchlist.objects.exists()


def test_a_national_security_officer_may_choose_any_agency(customs):
    chief = UserFactory(username="chief", roles=["security_officer", "coordinator"])
    watchlist = services.watchlist_create(
        actor=chief, owner=customs, name="Customs list", legal_basis="Customs code art. 3"
    )
    assert watchlist.owner == customs


def test_checking_a_file_tells_what_the_load_will_do_and_writes_nothing(security_joseph, watchlist):
    services.watchlist_load(
        actor=security_joseph,
        watchlist=watchlist,
        content=b"external_id,given_name\nW-1,Joseph\nW-9,Gone\n",
        filename="first.csv",
    )
    check = services.watchlist_load_check(
        actor=security_joseph, watchlist=watchlist, content=CSV.encode(), filename="list.csv"
    )
    assert (check.added, check.updated, check.removed) == (1, 1, 1)
    assert [row["external_id"] for row in check.sample] == ["W-1", "W-2"]
    assert watchlist.loads.count() == 1 and watchlist.entries.count() == 2
    loaded = services.watchlist_load(
        actor=security_joseph, watchlist=watchlist, content=CSV.encode(), filename="list.csv"
    )
    assert (loaded.added, loaded.updated, loaded.removed) == (1, 1, 1)
    with pytest.raises(Rejected) as caught:
        services.watchlist_load_check(
            actor=security_joseph, watchlist=watchlist, content=BAD_CSV.encode(), filename="b.csv"
        )
    assert caught.value.problems[0] == services.NO_NAME.format(2)


# -- web pages -----------------------------------------------------------------------------


def test_an_officer_creates_a_list_choosing_among_his_agencies(
    client_for, security_joseph, customs
):
    client = client_for(security_joseph)
    page = client.get("/security/watchlists/").content.decode()
    assert 'value="police"' in page and 'value="customs"' not in page
    response = client.post(
        "/security/watchlists/",
        {"name": "National", "owner": "police", "legal_basis": "Law 1", "retention_days": "365"},
    )
    watchlist = Watchlist.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/security/watchlists/{watchlist.pk}/load/"
    assert watchlist.owner == security_joseph.agency
    assert AuditEvent.objects.filter(action="create", object_type="security.watchlist").exists()


def test_the_owner_decides_whether_field_stations_screen_against_a_list(
    client_for, security_joseph, customs
):
    client = client_for(security_joseph)
    client.post(
        "/security/watchlists/",
        {
            "name": "Field",
            "owner": "police",
            "legal_basis": "Law 1",
            "retention_days": "365",
            "field_screening": "on",
        },
    )
    watchlist = Watchlist.objects.get()
    assert watchlist.field_screening
    url = f"/security/watchlists/{watchlist.pk}/field-screening/"
    page = client.get(f"/security/watchlists/{watchlist.pk}/").content.decode()
    assert "Stop screening at field stations" in page
    assert client.post(url).status_code == 302  # no field_screening: off
    watchlist.refresh_from_db()
    assert not watchlist.field_screening
    event = AuditEvent.objects.get(detail="no longer screened at field stations")
    assert event.actor == security_joseph

    other = UserFactory(username="ali", agency=customs, roles=["security_officer"])
    assert client_for(other).post(url, {"field_screening": "on"}).status_code == 403
    watchlist.refresh_from_db()
    assert not watchlist.field_screening
    assert client_for(security_joseph).get(url).status_code == 405


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"owner": "customs"}, "owner"),  # another agency's name, posted by hand
        ({"name": ""}, "name"),
        ({"name": "National"}, "name"),  # taken
        ({"legal_basis": "Law\u202e 1"}, "legal_basis"),  # a bidi override
        ({"retention_days": "0"}, "retention_days"),
    ],
)
def test_a_bad_list_is_refused_with_the_field_and_nothing_is_created(
    client_for, security_joseph, customs, watchlist, data, field
):
    form = {"name": "Regional", "owner": "police", "legal_basis": "Law 2", "retention_days": "30"}
    response = client_for(security_joseph).post("/security/watchlists/", {**form, **data})
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert list(Watchlist.objects.values_list("name", flat=True)) == ["National"]


def test_an_officer_of_no_agency_is_told_why_he_cannot_create_a_list(client_for, point_a):
    loner = UserFactory(username="loner", roles=["security_officer"], crossing_points=[point_a])
    page = client_for(loner).get("/security/watchlists/").content.decode()
    assert "belongs to no agency" in page and "Create the list" not in page


def test_loading_is_checked_first_then_confirmed(client_for, security_joseph, watchlist):
    client = client_for(security_joseph)
    url = f"/security/watchlists/{watchlist.pk}/load/"
    checked = client.post(url, {"file": upload(CSV), "replace": "on"})
    assert checked.status_code == 200
    html = checked.content.decode()
    assert "Check: 2 to add, 0 to update, 0 to remove" in html and "Mohamed" in html
    assert '<input type="hidden" name="replace" value="on">' in html
    assert not watchlist.entries.exists() and not WatchlistLoad.objects.exists()
    confirmed = client.post(
        url,
        {
            "confirm": "1",
            "filename": "list.csv",
            "content": base64.b64encode(CSV.encode()).decode(),
            "replace": "on",
        },
    )
    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"/security/watchlists/{watchlist.pk}/"
    assert watchlist.entries.filter(active=True).count() == 2
    detail = client.get(confirmed["Location"]).content.decode()
    assert "Loaded: 2 added, 0 updated, 0 removed." in detail
    assert "list.csv" in detail and "W-2" in detail and "Mohamed" in detail
    assert ScreeningRun.objects.get().status == "queued"
    assert AuditEvent.objects.filter(action="view", object_type="security.watchlist").exists()


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("bad.csv", BAD_CSV, "line 2: an entry needs a name"),
        ("bad.jsonl", '{"id": "x"\n', "line 1: not a JSON object"),
        ("empty.csv", "external_id,given_name\n", "empty.csv: no entries"),
    ],
)
def test_a_bad_file_is_reported_by_line_and_loads_nothing(
    client_for, security_joseph, watchlist, name, text, problem
):
    response = client_for(security_joseph).post(
        f"/security/watchlists/{watchlist.pk}/load/", {"file": upload(text, name)}
    )
    assert response.status_code == 422
    assert any(p.startswith(problem) for p in response.context["problems"])
    assert "nothing was imported" in response.content.decode()
    assert not watchlist.entries.exists() and not WatchlistLoad.objects.exists()


def test_a_file_of_another_kind_is_refused_at_the_field(client_for, security_joseph, watchlist):
    response = client_for(security_joseph).post(
        f"/security/watchlists/{watchlist.pk}/load/", {"file": upload("x", "list.pdf")}
    )
    assert response.status_code == 422
    assert "Upload a .csv, .xlsx or .jsonl" in response.content.decode()


def test_the_rescreen_progress_is_a_fragment_for_htmx(client_for, security_joseph, watchlist):
    services.watchlist_load(
        actor=security_joseph, watchlist=watchlist, content=CSV.encode(), filename="list.csv"
    )
    response = client_for(security_joseph).get(
        f"/security/watchlists/{watchlist.pk}/", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.startswith('<section id="rescreen"') and 'hx-trigger="every 2s"' in html
    assert "Waiting for the worker" in html


@pytest.mark.parametrize("persona", ["officer_amina", "protection_bruno", "coordinator_patrick"])
def test_no_one_outside_the_compartment_reaches_the_list_pages(
    request, client_for, persona, watchlist, security_joseph
):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    urls = [
        "/security/watchlists/",
        f"/security/watchlists/{watchlist.pk}/",
        f"/security/watchlists/{watchlist.pk}/load/",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    created = client.post(
        "/security/watchlists/",
        {"name": "Mine", "owner": "police", "legal_basis": "x", "retention_days": "1"},
    )
    loaded = client.post(f"/security/watchlists/{watchlist.pk}/load/", {"file": upload(CSV)})
    assert created.status_code == loaded.status_code == 404
    assert list(Watchlist.objects.values_list("name", flat=True)) == ["National"]
    assert not watchlist.entries.exists()
    assert AuditEvent.objects.filter(actor=user, action="denied").count() == 5


# -- API -----------------------------------------------------------------------------------


def test_the_api_lists_watchlists_in_pages_to_security_officers_only(
    client_for, security_joseph, watchlist, officer_amina
):
    services.watchlist_load(
        actor=security_joseph, watchlist=watchlist, content=CSV.encode(), filename="list.csv"
    )
    for n in range(3):
        services.watchlist_create(
            actor=security_joseph, owner=security_joseph.agency, name=f"List {n}", legal_basis="x"
        )
    client = client_for(security_joseph)
    first = client.get("/api/v1/watchlists?page_size=2").json()
    assert [w["name"] for w in first["results"]] == ["List 0", "List 1"]
    second = client.get(first["next"]).json()
    assert [w["name"] for w in second["results"]] == ["List 2", "National"]
    assert second["results"][1] | {"id": 0, "created_at": ""} == {
        "id": 0,
        "public_id": str(watchlist.public_id),
        "name": "National",
        "owner": "police",
        "legal_basis": "Law 1",
        "retention_days": 365,
        "active": True,
        "field_screening": False,
        "active_entries": 2,
        "created_at": "",
    }
    assert AuditEvent.objects.filter(detail="watchlist list (api)").count() == 2
    assert client_for(officer_amina).get("/api/v1/watchlists").status_code == 404


@pytest.mark.parametrize(
    ("owner", "message"),
    [("customs", str(services.NOT_YOUR_AGENCY)), ("nowhere", "No agency with code 'nowhere'.")],
)
def test_the_api_refuses_an_owner_that_is_not_the_officers(
    client_for, security_joseph, customs, owner, message
):
    response = client_for(security_joseph).post(
        "/api/v1/watchlists",
        json.dumps({"name": "Theirs", "owner": owner, "legal_basis": "Law"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "body.owner", "message": message}]
    assert not Watchlist.objects.exists()


def test_a_list_loaded_in_the_page_raises_a_hit_at_the_next_registration(
    client_for, security_joseph, watchlist, officer_amina
):
    client = client_for(security_joseph)
    url = f"/security/watchlists/{watchlist.pk}/load/"
    content = base64.b64encode(CSV.encode()).decode()
    client.post(url, {"confirm": "1", "filename": "list.csv", "content": content})
    register(
        officer_amina,
        {
            "given_name": "Mohammed",
            "family_name": "Hassan",
            "date_of_birth": "1984-05-02",
            "nationality": "SSD",
        },
    )
    assert Hit.objects.get().entry.external_id == "W-2"
