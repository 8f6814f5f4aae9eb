"""The offline desk's server side (ADR 0127): the recent registrations it keeps for namesake
hints, its page, service worker and manifest. The browser half is tests/e2e/test_offline_desk.py."""

from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from hbm.audit.models import AuditEvent
from hbm.registry.models import Person
from tests.registry.test_registration_api import family, post

RECENT = "/api/v1/registrations/recent"
PAGE = "/registry/offline/"
WORKER = "/registry/offline/sw.js"
MANIFEST = "/registry/offline/manifest.webmanifest"


@pytest.fixture
def registered(client_for, officer_amina):
    """A family of four registered today at point A, and a man 20 days ago."""
    client = client_for(officer_amina)
    assert post(client, family()).status_code == 201
    earlier = (timezone.now() - timedelta(days=20)).isoformat()
    old = family(
        crossed_at=earlier,
        members=[{"relationship": "head", "given_name": "Okello", "family_name": "Ojok"}],
    )
    assert post(client, old).status_code == 201
    client.logout()


def test_an_officer_gets_the_minimum_of_the_last_two_weeks_at_their_point(
    client_for, officer_amina, registered
):
    response = client_for(officer_amina).get(RECENT, {"crossing_point": "point-a"})
    assert response.status_code == 200, response.json()
    rows = response.json()["results"]
    today = timezone.localdate().isoformat()
    assert {row["name"] for row in rows} == {
        "Mohammed Ali Hassan",
        "Amina Deng",
        "Yusuf Mohammed Hassan",
        "Mariam Mohammed Hassan",
    }
    head = next(row for row in rows if row["name"] == "Mohammed Ali Hassan")
    assert head == {
        "name": "Mohammed Ali Hassan",
        "year_of_birth": "1984",
        "sex": "M",
        "registered_on": today,
    }
    yusuf = next(row for row in rows if row["name"].startswith("Yusuf"))
    assert yusuf["year_of_birth"] == f"~{timezone.localdate().year - 7}"
    # Each person shown is on record as viewed by the officer.
    viewed = AuditEvent.objects.filter(action="view", actor=officer_amina)
    shown = set(
        Person.objects.filter(given_name__in=["Mohammed", "Amina", "Yusuf", "Mariam"]).values_list(
            "public_id", flat=True
        )
    )
    assert {e.object_id for e in viewed.filter(object_type="registry.person")} == {
        str(public_id) for public_id in shown
    }


def test_a_longer_window_reaches_further_back_and_pages_are_capped(
    client_for, officer_amina, registered
):
    client = client_for(officer_amina)
    rows = client.get(RECENT, {"crossing_point": "point-a", "days": 31}).json()["results"]
    assert "Okello Ojok" in {row["name"] for row in rows}
    first = client.get(RECENT, {"crossing_point": "point-a", "page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    rest = client.get(first["next"]).json()
    assert len(rest["results"]) == 2 and not rest["next"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"crossing_point": "point-a", "days": 0}, "query.days"),
        ({"crossing_point": "point-a", "days": 32}, "query.days"),
        ({"crossing_point": "point-a", "days": "two"}, "query.days"),
        ({}, "query.crossing_point"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client_for, officer_amina, query, field):
    response = client_for(officer_amina).get(RECENT, query)
    assert response.status_code == 422
    assert field in {error["field"] for error in response.json()["errors"]}


def test_another_points_officer_and_outsiders_are_refused(
    client, client_for, officer_bintu, protection_bruno, outsider_chen, registered
):
    assert client.get(RECENT, {"crossing_point": "point-a"}).status_code == 401
    # An officer of point B learns nothing of point A, not even that it exists.
    answer = client_for(officer_bintu).get(RECENT, {"crossing_point": "point-a"})
    assert answer.status_code == 404
    unknown = client_for(officer_bintu).get(RECENT, {"crossing_point": "nowhere"})
    assert unknown.status_code == 404 and unknown.json() == answer.json()
    # Reading people at point A is not registering there.
    assert (
        client_for(protection_bruno).get(RECENT, {"crossing_point": "point-a"}).status_code == 403
    )
    assert client_for(outsider_chen).get(RECENT, {"crossing_point": "point-a"}).status_code == 403
    assert not AuditEvent.objects.filter(action="view", object_type="registry.person").exists()


def test_the_page_is_a_registering_officers_with_their_points_only(
    client, client_for, officer_amina, officer_bintu, protection_bruno
):
    assert client.get(PAGE).status_code == 302
    page = client_for(officer_amina).get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="point-a"' in html and 'value="point-b"' not in html
    assert MANIFEST in html and "offline-desk.js" in html
    assert page["Cache-Control"].startswith("private")
    assert client_for(protection_bruno).get(PAGE).status_code == 403
    # Each user's device storage has a name of their own, which is not their id.
    config_amina = page.context["config"]
    config_bintu = client_for(officer_bintu).get(PAGE).context["config"]
    assert config_amina["user"] != config_bintu["user"]
    assert str(officer_amina.pk) != config_amina["user"]


def test_the_registering_roles_find_the_offline_desk_in_the_menu(
    client_for, officer_amina, protection_bruno
):
    assert PAGE in client_for(officer_amina).get("/").content.decode()
    assert PAGE not in client_for(protection_bruno).get("/").content.decode()


def test_the_worker_covers_the_page_and_lists_the_files_it_keeps(client):
    response = client.get(WORKER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == PAGE
    source = response.content.decode()
    assert source.startswith("const SHELL = {")
    for name in (
        "/static/hbm/offline-desk.js",
        "/static/hbm/app.css",
        MANIFEST,
        '"page": "/registry/offline/"',
    ):
        assert name in source


def test_the_manifest_makes_the_desk_installable(client):
    manifest = client.get(MANIFEST).json()
    assert manifest["start_url"] == PAGE and manifest["scope"] == PAGE
    assert manifest["display"] == "standalone" and manifest["name"]
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512", "any"} <= sizes
    for icon in manifest["icons"]:
        found = finders.find(icon["src"].removeprefix("/static/"))
        assert found is not None
        with open(found, "rb") as file:
            head = file.read(8)
        assert (
            head == b"\x89PNG\r\n\x1a\n"
            if icon["type"] == "image/png"
            else head.startswith(b"<svg")
        )
