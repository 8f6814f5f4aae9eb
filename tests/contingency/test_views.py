"""The pages: an alert proposes the plan and the coordinator activates it from there; each
agency's officers see and report on their tasks; the edit page names a bad line."""

from django.test import Client
from django.urls import reverse

from hbm.plans.models import Task
from hbm.plans.services.activation import plan_activate
from tests.contingency.conftest import raise_alert


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_alert_proposes_the_plan_and_the_coordinator_activates_it(
    plan, point_a, coordinator_patrick, officer_amina
):
    alert = raise_alert(point_a)
    page = _as(coordinator_patrick).get(reverse("alerts:detail", args=[alert.public_id]))
    text = page.content.decode()
    assert "Plan Mass arrival at Point A proposed" in text
    assert reverse("plans:activate", args=[plan.public_id]) in text
    listed = _as(coordinator_patrick).get(reverse("alerts:list")).content.decode()
    assert "Plan Mass arrival at Point A proposed" in listed
    # an officer sees the proposal, not the button
    officer = _as(officer_amina).get(reverse("alerts:detail", args=[alert.public_id]))
    assert "proposed" in officer.content.decode()
    assert reverse("plans:activate", args=[plan.public_id]) not in officer.content.decode()

    done = _as(coordinator_patrick).post(
        reverse("plans:activate", args=[plan.public_id]), {"alert": str(alert.public_id)}
    )
    assert done.status_code == 302
    assert Task.objects.count() == 2
    shown = _as(coordinator_patrick).get(reverse("plans:detail", args=[plan.public_id]))
    assert "0 of 2 tasks done" in shown.content.decode()


def test_an_officer_reports_a_task_from_the_tasks_page(plan, coordinator_patrick, officer_amina):
    plan_activate(actor=coordinator_patrick, plan=plan, reason="A report")
    amina = _as(officer_amina)
    home = amina.get("/").content.decode()
    assert "Open the second lane" in home and "Cholera screening" not in home
    tasks = amina.get(reverse("plans:tasks")).content.decode()
    assert "Open the second lane" in tasks and "Cholera screening" not in tasks
    lane = Task.objects.get(agency__code="immigration")
    amina.post(reverse("plans:task-update", args=[lane.public_id]), {"status": "blocked"})
    lane.refresh_from_db()
    assert lane.status == "open"
    amina.post(
        reverse("plans:task-update", args=[lane.public_id]), {"status": "done", "note": "ok"}
    )
    lane.refresh_from_db()
    assert lane.status == "done"


def test_the_edit_page_names_the_bad_line_and_saves_nothing(plan, coordinator_patrick):
    url = reverse("plans:edit", args=[plan.public_id])
    form = {
        "name": "Renamed",
        "scenario": "Same",
        "crossing_points": ["point-a"],
        "standby_level": "watch",
        "activation_level": "warning",
        "tasks": "immigration | 4 | Open the lane\nwizards | 3 | Magic\npnhf | soon | Screen",
    }
    refused = _as(coordinator_patrick).post(url, form)
    assert refused.status_code == 422
    assert "Line 3: the hours are a whole number" in refused.content.decode()
    form["tasks"] = "immigration | 4 | Open the lane\nwizards | 3 | Magic"
    refused = _as(coordinator_patrick).post(url, form)
    assert refused.status_code == 422
    assert "Line 2: No agency has the code" in refused.content.decode()
    plan.refresh_from_db()
    assert plan.name == "Mass arrival at Point A" and plan.tasks.count() == 2
    form["tasks"] = "immigration | 4 | Open the lane | Barriers"
    assert _as(coordinator_patrick).post(url, form).status_code == 302
    assert list(plan.tasks.values_list("details", flat=True)) == ["Barriers"]
