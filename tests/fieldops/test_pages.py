"""The status board and the team and deployment forms."""

import re
from datetime import timedelta

from django.utils import timezone

from hbm.fieldops.models import Deployment, Team
from hbm.fieldops.services import ENDS_BEFORE_START, MEMBER_TWICE
from tests.fieldops.conftest import deploy

HOUR = timedelta(hours=1)


def _section(html, table_id):
    return re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S).group(1)


def test_the_board_shows_who_is_where(client_for, coordinator_patrick, team_bintu):
    now_here = deploy(coordinator_patrick, team_bintu, start=-HOUR, end=HOUR, point="point-a")
    later = deploy(coordinator_patrick, team_bintu, start=2 * HOUR, end=3 * HOUR, point="point-b")
    done = deploy(coordinator_patrick, team_bintu, start=-3 * HOUR, end=-2 * HOUR)
    html = client_for(coordinator_patrick).get("/fieldops/").content.decode()
    current = _section(html, "current")
    assert str(now_here.public_id) in current and "Point A" in current and "End now" in current
    assert str(later.public_id) in _section(html, "upcoming")
    assert str(done.public_id) in _section(html, "ended")
    assert "Rapid team 1" in _section(html, "teams") and "Swahili" in html


def test_a_member_sees_the_deployments_of_the_team_only(
    client_for, coordinator_patrick, officer_bintu, officer_amina, team_bintu
):
    deployment = deploy(coordinator_patrick, team_bintu, start=-HOUR, end=HOUR)
    html = client_for(officer_bintu).get("/fieldops/").content.decode()
    assert str(deployment.public_id) in html
    assert 'id="teams"' not in html and "End now" not in html
    html = client_for(officer_amina).get("/fieldops/").content.decode()
    assert str(deployment.public_id) not in html and "No team is deployed now." in html


def test_the_forms_make_a_team_and_deploy_it(client_for, coordinator_patrick, officer_bintu):
    client = client_for(coordinator_patrick)
    response = client.post(
        "/fieldops/teams/new/",
        {
            "name": "Team B",
            "agencies": ["immigration"],
            "members": "bintu",
            "skills": "first aid, registration",
            "languages": "French",
        },
    )
    assert response.status_code == 302
    team = Team.objects.get()
    assert team.skills == ["first aid", "registration"]
    start = timezone.now() + HOUR
    response = client.post(
        "/fieldops/deployments/new/",
        {
            "team": str(team.public_id),
            "crossing_point": "point-a",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + HOUR).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    assert Deployment.objects.get().crossing_point.code == "point-a"


def test_bad_input_is_shown_on_its_field_and_nothing_is_saved(
    client_for, coordinator_patrick, officer_bintu, team_bintu
):
    client = client_for(coordinator_patrick)
    start = timezone.now() + HOUR
    response = client.post(
        "/fieldops/deployments/new/",
        {
            "team": str(team_bintu.public_id),
            "crossing_point": "point-a",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start - HOUR).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {"ends_at": [ENDS_BEFORE_START]}
    assert 'id="id_ends_at-errors"' in response.content.decode()
    assert not Deployment.objects.exists()
    response = client.post(
        f"/fieldops/teams/{team_bintu.public_id}/",
        {"name": "Rapid team 1", "members": "bintu, bintu"},
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {"members": [MEMBER_TWICE.format("bintu")]}
    assert list(Team.objects.get().members.values_list("username", flat=True)) == ["bintu"]


def test_end_now_ends_the_access(client_for, coordinator_patrick, officer_bintu, team_bintu):
    from hbm.places.selectors import crossing_point_with_scope

    deployment = deploy(coordinator_patrick, team_bintu, start=-HOUR, end=HOUR)
    assert crossing_point_with_scope(user=officer_bintu, code="point-a")[1]
    response = client_for(coordinator_patrick).post(
        f"/fieldops/deployments/{deployment.public_id}/end/"
    )
    assert response.status_code == 302
    assert not crossing_point_with_scope(user=officer_bintu, code="point-a")[1]


def test_only_coordinators_manage(client_for, officer_bintu, team_bintu):
    client = client_for(officer_bintu)
    for url in (
        "/fieldops/teams/new/",
        "/fieldops/deployments/new/",
        f"/fieldops/teams/{team_bintu.public_id}/",
    ):
        assert client.get(url).status_code == 403, url
