"""/api/v1/plans: scoped lists, the coordinators' actions, 422 with field paths, 409 when the
plan's state forbids the action, and each agency's tasks."""

import pytest
from django.test import Client

from hbm.plans.models import ContingencyPlan, Task
from hbm.plans.services.activation import plan_activate
from tests.contingency.conftest import raise_alert

URL = "/api/v1/plans"
BODY = {
    "name": "Mass arrival at Point A",
    "scenario": "More arrivals than the point receives.",
    "crossing_points": ["point-a"],
    "standby_level": "watch",
    "activation_level": "warning",
    "tasks": [
        {"title": "Open the second lane", "agency": "immigration", "due_hours": 4},
        {"title": "Cholera screening", "agency": "pnhf", "due_hours": 6},
    ],
}


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def _fields(response):
    assert response.status_code == 422, response.content
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def test_a_coordinator_makes_a_plan_and_reads_it(coordinator_patrick, immigration, health):
    made = _post(_as(coordinator_patrick), URL, BODY)
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["crossing_points"] == ["point-a"] and body["active"] is False
    assert [t["agency"] for t in body["tasks"]] == ["immigration", "pnhf"]
    assert body["activation"] is None
    listed = _as(coordinator_patrick).get(URL).json()
    assert [p["id"] for p in listed["items"]] == [body["id"]]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"tasks": []}, "body.tasks"),
        (
            {"tasks": [{"title": "Water", "agency": "wizards", "due_hours": 2}]},
            "body.tasks.0.agency",
        ),
        ({"standby_level": "emergency"}, "body.standby_level"),
        (
            {"tasks": [{"title": "Water", "agency": "pnhf", "due_hours": -2}]},
            "body.tasks.0.due_hours",
        ),
        ({"activation_level": "loud"}, "body.payload.activation_level"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_nothing_is_made(
    coordinator_patrick, immigration, health, changes, field
):
    response = _post(_as(coordinator_patrick), URL, {**BODY, **changes})
    assert field in _fields(response)
    assert not ContingencyPlan.objects.exists()


def test_a_plan_from_the_template_names_the_task_without_an_agency(
    coordinator_patrick, immigration
):
    from hbm.plans.services.templates import sop_template_default

    sop_template_default(actor="test")
    response = _post(
        _as(coordinator_patrick),
        f"{URL}/from-template",
        {"name": "Ituri", "crossing_points": ["point-a"]},
    )
    assert "body.tasks.2.agency" in _fields(response)
    templates = _as(coordinator_patrick).get(f"{URL}/templates").json()
    assert [t["code"] for t in templates["items"]] == ["mass-arrival"]


def test_activation_on_an_alert_then_tasks_reported_and_progress_shown(
    plan, point_a, coordinator_patrick, officer_amina, health_grace
):
    alert = raise_alert(point_a)
    coordinator = _as(coordinator_patrick)
    activated = _post(
        coordinator, f"{URL}/{plan.public_id}/activate", {"alert": str(alert.public_id)}
    )
    assert activated.status_code == 200, activated.content
    assert activated.json()["activation"]["alert"] == str(alert.public_id)
    again = _post(coordinator, f"{URL}/{plan.public_id}/activate", {"reason": "again"})
    assert again.status_code == 409

    amina = _as(officer_amina)
    mine = amina.get(f"{URL}/tasks").json()["items"]
    assert [t["title"] for t in mine] == ["Open the second lane"]
    done = _post(amina, f"{URL}/tasks/{mine[0]['id']}", {"status": "done", "note": "Open"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    theirs = Task.objects.get(agency__code="pnhf")
    assert _post(amina, f"{URL}/tasks/{theirs.public_id}", {"status": "done"}).status_code == 404
    blocked = _post(_as(health_grace), f"{URL}/tasks/{theirs.public_id}", {"status": "blocked"})
    assert _fields(blocked) == {"body.note": "Say what blocks the task."}

    progress = coordinator.get(f"{URL}/{plan.public_id}").json()["activation"]["progress"]
    assert progress == {"total": 2, "done": 1, "overdue": 0, "blocked": 0}
    closed = _post(coordinator, f"{URL}/{plan.public_id}/close", {"after_action": ""})
    assert "body.after_action" in _fields(closed)
    closed = _post(coordinator, f"{URL}/{plan.public_id}/close", {"after_action": "Went well."})
    assert closed.json()["activation"]["after_action"] == "Went well."
    late = _post(amina, f"{URL}/tasks/{mine[0]['id']}", {"status": "open"})
    assert late.status_code == 409


def test_an_alert_that_does_not_propose_the_plan_is_a_422_on_alert(
    plan, point_b, coordinator_patrick
):
    alert = raise_alert(point_b)
    response = _post(
        _as(coordinator_patrick),
        f"{URL}/{plan.public_id}/activate",
        {"alert": str(alert.public_id)},
    )
    assert _fields(response) == {
        "body.alert": "This alert does not propose this plan (its point, its level or its status)."
    }


def test_scope_by_role_agency_and_point(
    plan, coordinator_patrick, officer_bintu, outsider_chen, officer_amina
):
    plan_activate(actor=coordinator_patrick, plan=plan, reason="A report")
    assert _as(outsider_chen).get(URL).status_code == 403
    assert _as(officer_bintu).get(URL).json()["items"] == []
    assert _as(officer_bintu).get(f"{URL}/{plan.public_id}").status_code == 404
    assert _as(officer_bintu).get(f"{URL}/tasks").json()["items"] == []
    assert (
        _post(_as(officer_amina), f"{URL}/{plan.public_id}/activate", {"reason": "x"}).status_code
        == 403
    )
