"""A deployment gives the team's members the points of its place while it lasts, and no
longer: before, during and after, through the real API and pages (ADR 0142)."""

import json
import time
from datetime import timedelta

from django.test import Client

from hbm.places.models import AdminArea
from hbm.places.selectors import crossing_point_list, crossing_point_with_scope, scope_points
from hbm.registry.models import Person
from tests.fieldops.conftest import deploy, iso, send
from tests.registry.helpers import register
from tests.registry.test_registration_api import family

HASSAN = {"given_name": "Mohammed", "family_name": "Hassan", "sex": "M", "nationality": "SSD"}
HOUR = timedelta(hours=1)


def _login(user):
    client = Client()
    client.force_login(user)
    return client


def _codes(user):
    return sorted(crossing_point_list(user=user).values_list("code", flat=True))


def _registers(client):
    body = family()
    return client.post("/api/v1/registrations", json.dumps(body), content_type="application/json")


def _sees(client, person):
    """What the member reads of a person registered at point A: list, API and page."""
    listed = client.get("/api/v1/persons").json()["results"]
    return (
        [p["id"] for p in listed],
        client.get(f"/api/v1/persons/{person.public_id}").status_code,
        client.get(f"/registry/people/{person.public_id}/").status_code,
    )


def test_a_member_works_at_the_point_only_while_the_deployment_lasts(
    officer_amina, officer_bintu, coordinator_patrick, team_bintu
):
    (head,) = register(officer_amina, HASSAN)
    manager = _login(coordinator_patrick)
    body = {"team": str(team_bintu.public_id), "crossing_point": "point-a"}
    created = send(
        manager, "POST", "/deployments", {**body, "starts_at": iso(HOUR), "ends_at": iso(2 * HOUR)}
    )
    assert created.status_code == 201 and created.json()["status"] == "upcoming"
    deployment = created.json()["id"]
    member = _login(officer_bintu)

    # before: point A is not hers
    assert _codes(officer_bintu) == ["point-b"]
    assert _sees(member, head) == ([], 404, 404)
    assert _registers(member).status_code == 403

    # during
    during = {**body, "starts_at": iso(-HOUR), "ends_at": iso(HOUR)}
    edited = send(manager, "PUT", f"/deployments/{deployment}", during)
    assert edited.status_code == 200, edited.content
    assert edited.json()["status"] == "current"
    assert _codes(officer_bintu) == ["point-a", "point-b"]
    assert _sees(member, head) == ([str(head.public_id)], 200, 200)
    assert _registers(member).status_code == 201
    assert Person.objects.count() == 5

    # after: ended by the coordinator, the access with it
    ended = send(manager, "POST", f"/deployments/{deployment}/end")
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert _codes(officer_bintu) == ["point-b"]
    assert _sees(member, head) == ([], 404, 404)
    assert _registers(member).status_code == 403
    assert Person.objects.count() == 5


def test_the_access_ends_by_itself(officer_bintu, coordinator_patrick, team_bintu):
    deploy(coordinator_patrick, team_bintu, start=-HOUR, end=timedelta(seconds=1.5))
    assert crossing_point_with_scope(user=officer_bintu, code="point-a")[1]
    assert "point-a" in set(scope_points(user=officer_bintu).values_list("code", flat=True))
    time.sleep(1.6)
    assert not crossing_point_with_scope(user=officer_bintu, code="point-a")[1]
    assert _codes(officer_bintu) == ["point-b"]


def test_an_area_gives_the_points_in_it_and_in_the_areas_below(
    officer_bintu, coordinator_patrick, team_bintu, point_a, point_b
):
    province = AdminArea.objects.create(pcode="XX1", name="Province", level=1, country_id="COD")
    territory = AdminArea.objects.create(
        pcode="XX101", name="Territory", level=2, country_id="COD", parent=province
    )
    elsewhere = AdminArea.objects.create(pcode="YY1", name="Elsewhere", level=1, country_id="COD")
    point_a.admin_area = territory
    point_a.save()
    point_b.admin_area = elsewhere
    point_b.save()
    deploy(coordinator_patrick, team_bintu, start=-HOUR, end=HOUR, area="XX1")
    assert _codes(officer_bintu) == ["point-a", "point-b"]
    assert crossing_point_with_scope(user=officer_bintu, code="point-a")[1]


def test_only_the_team_members_gain_the_point(
    officer_amina, officer_bintu, coordinator_patrick, team_bintu, outsider_chen
):
    deploy(coordinator_patrick, team_bintu, start=-HOUR, end=HOUR, point="point-a")
    assert not crossing_point_with_scope(user=outsider_chen, code="point-a")[1]
    assert _codes(outsider_chen) == []
    # a member taken off the team loses it at once
    from hbm.fieldops.services import team_member_remove

    team_member_remove(actor=coordinator_patrick, team=team_bintu, username="bintu")
    assert not crossing_point_with_scope(user=officer_bintu, code="point-a")[1]


def test_the_scope_of_a_point_is_still_one_statement(
    django_assert_num_queries, officer_bintu, coordinator_patrick, team_bintu
):
    deploy(coordinator_patrick, team_bintu, start=-HOUR, end=HOUR, point="point-a")
    crossing_point_with_scope(user=officer_bintu, code="point-b")  # statements cached
    for code in ("point-a", "point-b"):
        with django_assert_num_queries(2):  # the point, then its scope
            assert crossing_point_with_scope(user=officer_bintu, code=code)[1]


def test_the_desk_keeps_the_home_point_chosen_during_a_deployment(
    officer_bintu, coordinator_patrick, team_bintu
):
    desk = _login(officer_bintu)
    deploy(coordinator_patrick, team_bintu, start=-HOUR, end=HOUR)
    page = desk.get("/registry/desk/").content.decode()
    assert _codes(officer_bintu) == ["point-a", "point-b"]
    assert '<option value="point-b" selected>' in page
    assert '<option value="point-a" selected>' not in page
