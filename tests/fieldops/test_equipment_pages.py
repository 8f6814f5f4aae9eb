"""The equipment readiness pages (ADR 0147): the list with its filters, a point's check
screen, the "checked" action and its problems, the feed to the point's assessment."""

import pytest

from hbm.fieldops.models import EquipmentLine
from tests.fieldops.test_equipment import check

pytestmark = pytest.mark.django_db


def row(code, **changes):
    data = {
        "row": code,
        f"{code}-item_type": code,
        f"{code}-working": "2",
        f"{code}-broken": "1",
        f"{code}-missing": "0",
        f"{code}-required": "4",
        f"{code}-notes": "One battery dead",
    }
    data.update({f"{code}-{key}": value for key, value in changes.items()})
    return data


def test_a_coordinator_checks_an_item_at_a_point(client_for, coordinator_patrick):
    client = client_for(coordinator_patrick)
    page = client.get("/fieldops/equipment/points/point-a/")
    assert page.status_code == 200 and 'data-type="vhf-radio"' in page.content.decode()
    done = client.post("/fieldops/equipment/points/point-a/", row("vhf-radio"))
    assert done.status_code == 302
    line = EquipmentLine.objects.get()
    assert (line.working, line.broken, line.shortfall, line.notes) == (2, 1, 2, "One battery dead")


def test_a_bad_count_is_shown_on_its_field(client_for, coordinator_patrick):
    client = client_for(coordinator_patrick)
    page = client.post("/fieldops/equipment/points/point-a/", row("tent", working="-3"))
    assert page.status_code == 422
    assert 'id="id_tent-working-errors"' in page.content.decode()
    assert "Cannot be negative." in page.content.decode()
    assert "The check was not saved" in page.content.decode()
    assert not EquipmentLine.objects.exists()


def test_an_officer_reads_their_point_only(client_for, coordinator_patrick, officer_amina):
    check(coordinator_patrick)
    client = client_for(officer_amina)
    page = client.get("/fieldops/equipment/points/point-a/")
    assert page.status_code == 200 and "Checked" not in page.content.decode()
    assert client.get("/fieldops/equipment/points/point-b/").status_code == 404
    assert client.post("/fieldops/equipment/points/point-a/", row("tent")).status_code == 403


def test_the_list_filters(client_for, coordinator_patrick, point_b):
    check(coordinator_patrick)
    check(
        coordinator_patrick,
        crossing_point="point-b",
        item_type="tent",
        working=1,
        broken=0,
        missing=0,
        required=1,
    )
    client = client_for(coordinator_patrick)
    every = client.get("/fieldops/equipment/").content.decode()
    assert every.count("data-line=") == 2
    short = client.get("/fieldops/equipment/?short=1").content.decode()
    assert short.count("data-line=") == 1 and "Satellite phone" in short
    at_b = client.get("/fieldops/equipment/?crossing_point=point-b").content.decode()
    assert at_b.count("data-line=") == 1 and "Tent" in at_b


def test_gaps_page_action_says_what_it_did(client_for, coordinator_patrick):
    check(coordinator_patrick)
    response = client_for(coordinator_patrick).post(
        "/fieldops/equipment/points/point-a/gaps/", follow=True
    )
    assert "no capacity assessment" in response.content.decode()


def test_pages_in_french_and_arabic(client_for, coordinator_patrick):
    check(coordinator_patrick)
    client = client_for(coordinator_patrick)
    french = client.get("/fieldops/equipment/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Téléphone satellite" in french
    arabic = client.get("/fieldops/equipment/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "هاتف" in arabic
