"""A point's or a team's equipment shortfalls added to a plan's checklist (ADR 0147): one task
per shortfall, through plan_update; a second run adds nothing."""

import json

import pytest
from django.core.exceptions import ValidationError

from hbm.plans.models import PlanTask
from hbm.plans.services import equipment
from hbm.plans.services.equipment import NO_SHORTFALL, UNKNOWN_AGENCY
from tests.fieldops.test_equipment import check

pytestmark = pytest.mark.django_db


def holder(user, **named):
    return equipment.holder_named(user=user, **named)


def test_shortfalls_become_tasks_once(coordinator_patrick, plan):
    check(coordinator_patrick)  # two satellite phones short at point A
    point = holder(coordinator_patrick, crossing_point="point-a")
    first = equipment.plan_tasks_from_equipment(
        actor=coordinator_patrick, plan=plan, holder=point, agency="immigration", due_hours=12
    )
    assert first.added == ["Equipment: Satellite phone at Point A"]
    task = PlanTask.objects.get(plan=plan, title=first.added[0])
    assert (task.agency.code, task.due_hours) == ("immigration", 12)
    assert task.details.startswith("2 of 3 needed are not working")
    assert plan.tasks.count() == 3  # the two tasks it had are kept
    again = equipment.plan_tasks_from_equipment(
        actor=coordinator_patrick, plan=plan, holder=point, agency="immigration", due_hours=12
    )
    assert (again.added, again.updated, again.unchanged) == ([], [], 1)
    check(coordinator_patrick, working=0, broken=2)
    point = holder(coordinator_patrick, crossing_point="point-a")
    changed = equipment.plan_tasks_from_equipment(
        actor=coordinator_patrick, plan=plan, holder=point, agency="immigration", due_hours=12
    )
    assert changed.updated == [task.title] and plan.tasks.count() == 3
    assert PlanTask.objects.get(plan=plan, title=task.title).details.startswith("3 of 3")


def test_bad_input_adds_no_task(coordinator_patrick, plan):
    check(coordinator_patrick, working=3, broken=0, missing=0)  # nothing short
    point = holder(coordinator_patrick, crossing_point="point-a")
    with pytest.raises(ValidationError) as error:
        equipment.plan_tasks_from_equipment(
            actor=coordinator_patrick, plan=plan, holder=point, agency="nobody", due_hours=-1
        )
    assert error.value.message_dict == {
        "agency": [UNKNOWN_AGENCY.format("nobody")],
        "due_hours": ["The deadline is hours after activation: 0 or more."],
        "crossing_point": [NO_SHORTFALL],
    }
    assert plan.tasks.count() == 2
    with pytest.raises(ValidationError):
        holder(coordinator_patrick)


def test_api_and_page(client_for, coordinator_patrick, officer_amina, plan):
    check(coordinator_patrick)
    body = {"crossing_point": "point-a", "agency": "immigration", "due_hours": 6}
    path = f"/api/v1/plans/{plan.public_id}/equipment-tasks"
    client = client_for(coordinator_patrick)
    response = client.post(path, json.dumps(body), content_type="application/json")
    assert response.status_code == 200 and len(response.json()["added"]) == 1
    neither = client.post(path, json.dumps({**body, "crossing_point": ""}), "application/json")
    assert neither.status_code == 422
    refused = client_for(officer_amina).post(path, json.dumps(body), "application/json")
    assert refused.status_code == 403
    client = client_for(coordinator_patrick)
    page = client.get("/plans/equipment-tasks/?crossing_point=point-a")
    assert page.status_code == 200 and "Satellite phone" in page.content.decode()
    form = {
        "crossing_point": "point-a",
        "plan": str(plan.public_id),
        "agency": "immigration",
        "due_hours": "-5",
    }
    bad = client.post("/plans/equipment-tasks/", form)
    assert bad.status_code == 422 and plan.tasks.count() == 3
    done = client.post("/plans/equipment-tasks/", {**form, "due_hours": "6"})
    assert done.status_code == 302 and plan.tasks.count() == 3
