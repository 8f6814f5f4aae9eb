"""Plans made, edited, activated (by hand or on an alert's proposal) and closed; tasks
reported on by their agency. Bad input changes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from hbm.audit.models import AuditEvent
from hbm.plans import rules
from hbm.plans.models import Activation, ContingencyPlan, PlanTask, Task
from hbm.plans.proposals import proposed_plans
from hbm.plans.services import activation as activations
from hbm.plans.services import plans as services
from hbm.plans.services.tasks import BLOCKED_NEEDS_NOTE, PLAN_CLOSED, task_update
from hbm.plans.services.templates import sop_template_default
from tests.contingency.conftest import plan_input, raise_alert
from tests.factories import AgencyFactory


def _problems(call):
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"tasks": []}, "tasks", rules.NO_TASKS),
        (
            {"tasks": [services.TaskInput(title="Water", agency="wizards", due_hours=2)]},
            "tasks.0.agency",
            services.UNKNOWN_AGENCY.format("wizards"),
        ),
        ({"standby_level": "emergency"}, "standby_level", rules.LEVELS_OUT_OF_ORDER),
        ({"standby_level": "warning"}, "standby_level", rules.LEVELS_OUT_OF_ORDER),
        (
            {"tasks": [services.TaskInput(title="Water", agency="immigration", due_hours=-1)]},
            "tasks.0.due_hours",
            rules.NEGATIVE_DEADLINE,
        ),
        (
            {"crossing_points": ["nowhere"]},
            "crossing_points",
            services.UNKNOWN_POINT.format("nowhere"),
        ),
        ({"name": " "}, "name", rules.NAME_NEEDED),
    ],
)
def test_a_bad_plan_is_refused_by_field_and_nothing_is_written(
    coordinator_patrick, immigration, health, changes, field, message
):
    problems = _problems(
        lambda: services.plan_create(actor=coordinator_patrick, data=plan_input(**changes))
    )
    assert problems[field] == [message]
    assert not ContingencyPlan.objects.exists() and not PlanTask.objects.exists()
    assert not AuditEvent.objects.filter(object_type="plans.contingencyplan").exists()


def test_a_plan_is_made_with_its_checklist_and_audited(plan, immigration, health):
    assert list(plan.tasks.values_list("title", "agency__code", "due_hours")) == [
        ("Open the second lane", "immigration", 4),
        ("Cholera screening", "pnhf", 6),
    ]
    assert list(plan.crossing_points.values_list("code", flat=True)) == ["point-a"]
    assert AuditEvent.objects.filter(action="create", object_id=str(plan.public_id)).exists()


def test_only_coordinators_and_administrators_make_plans(officer_amina, immigration, health):
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=officer_amina, data=plan_input())


def test_a_bad_edit_leaves_the_plan_as_it_was(plan, coordinator_patrick):
    tasks = [services.TaskInput(title="Only this", agency="immigration", due_hours=-5)]
    _problems(
        lambda: services.plan_update(
            actor=coordinator_patrick, plan=plan, data=plan_input(name="New", tasks=tasks)
        )
    )
    plan.refresh_from_db()
    assert plan.name == "Mass arrival at Point A" and plan.tasks.count() == 2


def test_an_edit_replaces_the_checklist(plan, coordinator_patrick):
    tasks = [services.TaskInput(title="Only this", agency="pnhf", due_hours=1)]
    services.plan_update(actor=coordinator_patrick, plan=plan, data=plan_input(tasks=tasks))
    assert list(plan.tasks.values_list("title", flat=True)) == ["Only this"]


def test_a_plan_from_the_template_gives_each_task_to_an_agency_of_its_kind(
    coordinator_patrick, immigration, health, security_joseph, protection_bruno
):
    for code, kind in [("dgda", "customs"), ("wash", "ngo"), ("civil", "civil_protection")]:
        AgencyFactory(code=code, kind=kind)
    sop_template_default(actor="test")
    plan = services.plan_create_from_template(
        actor=coordinator_patrick,
        template="mass-arrival",
        name="Ituri",
        crossing_points=["point-a"],
    )
    agencies = dict(plan.tasks.values_list("title", "agency__code"))
    assert (
        agencies["Open the second reception lane and channel arrivals by caseload"] == "immigration"
    )
    assert agencies["Set up cholera and health screening at reception"] == "pnhf"
    assert agencies["Water, sanitation and handwashing at the waiting area"] == "wash"
    assert plan.activation_level == "warning" and plan.standby_level == "watch"


def test_a_template_task_with_no_agency_of_its_kind_is_refused(coordinator_patrick, immigration):
    sop_template_default(actor="test")
    problems = _problems(
        lambda: services.plan_create_from_template(
            actor=coordinator_patrick,
            template="mass-arrival",
            name="X",
            crossing_points=["point-a"],
        )
    )
    assert problems["tasks.2.agency"][0].startswith("No agency of the kind 'Health / quarantine'")
    assert not ContingencyPlan.objects.exists()


def test_an_unknown_template_is_refused(coordinator_patrick):
    problems = _problems(
        lambda: services.plan_create_from_template(
            actor=coordinator_patrick, template="nope", name="X", crossing_points=["point-a"]
        )
    )
    assert problems == {"template": [services.UNKNOWN_TEMPLATE.format("nope")]}


def test_a_warning_at_a_plan_point_proposes_it_and_a_watch_asks_to_stand_by(plan, point_a, point_b):
    assert proposed_plans(raise_alert(point_a, "warning")) == [(plan, True)]
    assert proposed_plans(raise_alert(point_a, "watch", status="acknowledged")) == [(plan, False)]
    assert proposed_plans(raise_alert(point_b, "emergency")) == []
    assert proposed_plans(raise_alert(point_a, "emergency", status="closed")) == []


def test_activation_on_a_proposal_gives_each_agency_its_tasks_due_from_now(
    plan, point_a, coordinator_patrick
):
    alert = raise_alert(point_a)
    activation = activations.plan_activate(
        actor=coordinator_patrick, plan=plan, alert=alert.public_id
    )
    assert activation.alert == alert
    tasks = list(activation.tasks.order_by("position"))
    assert [(t.agency.code, t.status) for t in tasks] == [("immigration", "open"), ("pnhf", "open")]
    assert tasks[1].due_at - activation.activated_at == timedelta(hours=6)
    assert AuditEvent.objects.filter(detail=f"activated on alert {alert.public_id}").exists()
    # active: proposed no more, and not twice
    assert proposed_plans(alert) == []
    with pytest.raises(activations.PlanConflict):
        activations.plan_activate(actor=coordinator_patrick, plan=plan, reason="again")


def test_an_alert_that_does_not_propose_the_plan_cannot_activate_it(
    plan, point_a, point_b, coordinator_patrick
):
    for alert in (raise_alert(point_b, "emergency"), raise_alert(point_a, "watch")):
        problems = _problems(
            lambda alert=alert: activations.plan_activate(
                actor=coordinator_patrick, plan=plan, alert=alert.public_id
            )
        )
        assert problems == {"alert": [activations.NOT_PROPOSED]}
    assert not Activation.objects.exists() and not Task.objects.exists()


def test_activating_by_hand_needs_a_reason_and_a_coordinator(
    plan, coordinator_patrick, officer_amina
):
    problems = _problems(lambda: activations.plan_activate(actor=coordinator_patrick, plan=plan))
    assert problems == {"reason": [activations.REASON_NEEDED]}
    with pytest.raises(PermissionDenied):
        activations.plan_activate(actor=officer_amina, plan=plan, reason="I think so")
    assert not Activation.objects.exists()
    activations.plan_activate(actor=coordinator_patrick, plan=plan, reason="Report from UNHCR")
    assert Activation.objects.get().alert is None


@pytest.fixture
def activation(plan, coordinator_patrick):
    return activations.plan_activate(actor=coordinator_patrick, plan=plan, reason="A report")


def test_each_agency_reports_on_its_own_tasks_only(activation, officer_amina, health_grace):
    lane, screening = activation.tasks.order_by("position")
    task_update(actor=officer_amina, task=lane, status="done", note="Open since 07:00")
    task_update(actor=health_grace, task=screening, status="in_progress")
    lane.refresh_from_db()
    assert (lane.status, lane.note, lane.updated_by) == ("done", "Open since 07:00", officer_amina)
    with pytest.raises(Http404):
        task_update(actor=officer_amina, task=screening, status="done")
    screening.refresh_from_db()
    assert screening.status == "in_progress"


def test_a_bad_task_report_changes_nothing(activation, officer_amina):
    lane = activation.tasks.get(position=0)
    assert _problems(lambda: task_update(actor=officer_amina, task=lane, status="blocked")) == {
        "note": [BLOCKED_NEEDS_NOTE]
    }
    assert "status" in _problems(lambda: task_update(actor=officer_amina, task=lane, status="gone"))
    lane.refresh_from_db()
    assert lane.status == "open" and lane.updated_at is None


def test_closing_needs_after_action_notes_and_freezes_the_tasks(
    activation, plan, coordinator_patrick, officer_amina
):
    problems = _problems(
        lambda: activations.plan_close(actor=coordinator_patrick, plan=plan, after_action="")
    )
    assert problems == {"after_action": [activations.AFTER_ACTION_NEEDED]}
    activations.plan_close(actor=coordinator_patrick, plan=plan, after_action="Lane opened late.")
    activation.refresh_from_db()
    assert activation.closed_at and activation.after_action == "Lane opened late."
    with pytest.raises(activations.PlanConflict) as refused:
        task_update(actor=officer_amina, task=activation.tasks.first(), status="done")
    assert refused.value.messages == [PLAN_CLOSED]
    with pytest.raises(activations.PlanConflict):
        activations.plan_close(actor=coordinator_patrick, plan=plan, after_action="again")
