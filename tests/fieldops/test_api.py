"""/api/v1/fieldops: teams and deployments, their bad input (422 by field, nothing saved),
and who may do what."""

from datetime import timedelta

from hbm.audit.models import AuditEvent
from hbm.fieldops import services
from hbm.fieldops.models import Deployment, Team
from tests.fieldops.conftest import deploy, iso, send

HOUR = timedelta(hours=1)
TEAM = {
    "name": "Mobile team north",
    "agencies": ["immigration"],
    "members": ["amina", "bintu"],
    "skills": ["registration", " first aid ", ""],
    "languages": ["French", "Arabic"],
    "equipment": "Two kits\nOne satellite phone",
}


def _problems(response):
    assert response.status_code == 422, response.content
    return {
        error["field"].removeprefix("body."): error["message"]
        for error in response.json()["errors"]
    }


def test_a_coordinator_makes_reads_edits_and_deletes_a_team(
    client_for, coordinator_patrick, officer_amina, officer_bintu
):
    client = client_for(coordinator_patrick)
    created = send(client, "POST", "/teams", TEAM)
    assert created.status_code == 201, created.content
    team = created.json()
    assert team["members"] == ["amina", "bintu"] and team["agencies"] == ["immigration"]
    assert team["skills"] == ["registration", "first aid"]
    assert send(client, "GET", f"/teams/{team['id']}").json()["equipment"] == TEAM["equipment"]
    assert [t["name"] for t in send(client, "GET", "/teams?q=north").json()["items"]] == [
        "Mobile team north"
    ]
    edited = send(client, "PUT", f"/teams/{team['id']}", {**TEAM, "members": ["amina"]})
    assert edited.status_code == 200 and edited.json()["members"] == ["amina"]
    added = send(client, "POST", f"/teams/{team['id']}/members", {"username": "bintu"})
    assert added.status_code == 201 and added.json()["members"] == ["amina", "bintu"]
    removed = send(client, "DELETE", f"/teams/{team['id']}/members/amina")
    assert removed.json()["members"] == ["bintu"]
    assert send(client, "DELETE", f"/teams/{team['id']}").status_code == 204
    assert not Team.objects.exists()
    actions = list(
        AuditEvent.objects.filter(object_type="fieldops.team")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "update", "update", "delete"]


def test_bad_teams_get_field_errors_and_nothing_is_saved(
    client_for, coordinator_patrick, officer_amina
):
    client = client_for(coordinator_patrick)
    bad = {**TEAM, "name": " ", "agencies": ["nobody"], "members": ["amina", "ghost", "amina"]}
    problems = _problems(send(client, "POST", "/teams", bad))
    assert problems == {
        "name": services.NAME_NEEDED,
        "agencies.0": services.UNKNOWN_AGENCY.format("nobody"),
        "members.1": services.UNKNOWN_USER.format("ghost"),
        "members.2": services.MEMBER_TWICE.format("amina"),
    }
    assert not Team.objects.exists()
    team = send(client, "POST", "/teams", {**TEAM, "members": ["amina"]}).json()
    assert _problems(send(client, "POST", "/teams", {**TEAM, "members": []})) == {
        "name": services.NAME_TAKEN
    }
    twice = send(client, "POST", f"/teams/{team['id']}/members", {"username": "amina"})
    assert _problems(twice) == {"username": services.ALREADY_MEMBER.format("amina")}
    assert Team.objects.get().members.count() == 1


def test_deployments_and_their_status(client_for, coordinator_patrick, team_bintu):
    client = client_for(coordinator_patrick)
    team = str(team_bintu.public_id)
    bodies = [
        {
            "team": team,
            "crossing_point": "point-a",
            "starts_at": iso(-3 * HOUR),
            "ends_at": iso(-2 * HOUR),
        },
        {"team": team, "crossing_point": "point-b", "starts_at": iso(-HOUR), "ends_at": iso(HOUR)},
        {
            "team": team,
            "crossing_point": "point-a",
            "starts_at": iso(2 * HOUR),
            "ends_at": iso(3 * HOUR),
            "purpose": "Night shift",
        },
    ]
    made = [send(client, "POST", "/deployments", body) for body in bodies]
    assert [r.status_code for r in made] == [201, 201, 201]
    assert [r.json()["status"] for r in made] == ["ended", "current", "upcoming"]
    for status, expected in (("current", [1]), ("upcoming", [2]), ("ended", [0]), ("", [0, 1, 2])):
        listed = send(client, "GET", f"/deployments?status={status}").json()["items"]
        assert [d["id"] for d in listed] == [made[i].json()["id"] for i in expected], status
    upcoming = made[2].json()["id"]
    assert send(client, "GET", f"/deployments/{upcoming}").json()["purpose"] == "Night shift"
    # a deployment that has started is ended, not deleted
    started = _problems(send(client, "DELETE", f"/deployments/{made[1].json()['id']}"))
    assert started == {"starts_at": services.STARTED}
    assert send(client, "DELETE", f"/deployments/{upcoming}").status_code == 204
    assert Deployment.objects.count() == 2
    # a team with deployments is kept
    assert _problems(send(client, "DELETE", f"/teams/{team}")) == {"team": services.TEAM_DEPLOYED}


def test_bad_deployments_get_field_errors_and_nothing_is_saved(
    client_for, coordinator_patrick, team_bintu
):
    client = client_for(coordinator_patrick)
    team = str(team_bintu.public_id)
    when = {"starts_at": iso(HOUR), "ends_at": iso(2 * HOUR)}
    backwards = {
        "team": team,
        "crossing_point": "point-a",
        "starts_at": iso(2 * HOUR),
        "ends_at": iso(HOUR),
    }
    assert _problems(send(client, "POST", "/deployments", backwards)) == {
        "ends_at": services.ENDS_BEFORE_START
    }
    cases = [
        (
            {"team": team, "crossing_point": "nowhere", **when},
            {"crossing_point": services.UNKNOWN_POINT.format("nowhere")},
        ),
        ({"team": team, "area": "ZZ99", **when}, {"area": services.UNKNOWN_AREA.format("ZZ99")}),
        ({"team": team, **when}, {"crossing_point": services.PLACE_NEEDED}),
        (
            {"team": team, "crossing_point": "point-a", "area": "ZZ99", **when},
            {"crossing_point": services.POINT_OR_AREA},
        ),
        (
            {"team": "not-a-team", "crossing_point": "point-a", **when},
            {"team": services.UNKNOWN_TEAM},
        ),
    ]
    for body, expected in cases:
        assert _problems(send(client, "POST", "/deployments", body)) == expected, body
    missing = _problems(
        send(client, "POST", "/deployments", {"team": team, "crossing_point": "point-a"})
    )
    assert set(missing) == {"payload.starts_at", "payload.ends_at"}
    assert not Deployment.objects.exists()
    # a team is in one place at a time
    deploy(coordinator_patrick, team_bintu, start=HOUR, end=3 * HOUR, point="point-b")
    overlap = send(
        client,
        "POST",
        "/deployments",
        {
            "team": team,
            "crossing_point": "point-a",
            "starts_at": iso(2 * HOUR),
            "ends_at": iso(4 * HOUR),
        },
    )
    assert list(_problems(overlap)) == ["starts_at"]
    # editing keeps the rules: nothing changes
    deployment = Deployment.objects.get()
    edit = send(client, "PUT", f"/deployments/{deployment.public_id}", backwards)
    assert _problems(edit) == {"ends_at": services.ENDS_BEFORE_START}
    deployment.refresh_from_db()
    assert deployment.crossing_point.code == "point-b"


def test_members_read_their_teams_deployments_only(
    client_for, coordinator_patrick, officer_bintu, officer_amina, team_bintu
):
    deployment = deploy(coordinator_patrick, team_bintu, start=-HOUR, end=HOUR)
    member = client_for(officer_bintu)
    mine = send(member, "GET", "/deployments").json()["items"]
    assert [d["id"] for d in mine] == [str(deployment.public_id)]
    assert send(member, "GET", f"/deployments/{deployment.public_id}").status_code == 200
    # no management for members
    assert send(member, "GET", "/teams").status_code == 403
    assert send(member, "POST", f"/deployments/{deployment.public_id}/end").status_code == 403
    other = client_for(officer_amina)
    assert send(other, "GET", "/deployments").json()["items"] == []
    assert send(other, "GET", f"/deployments/{deployment.public_id}").status_code == 404
