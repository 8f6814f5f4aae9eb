"""Making and editing plans: every field checked first, then the plan and its whole
checklist written in one transaction with its audit event."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from hbm.accounts.models import Agency, User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.text import text_problems
from hbm.places.models import AdminArea, BorderCrossingPoint
from hbm.places.selectors import crossing_point_list
from hbm.plans import rules
from hbm.plans.access import require_manager
from hbm.plans.models import ContingencyPlan, PlanTask, SopTemplate

UNKNOWN_AGENCY = "No agency has the code {!r}."
UNKNOWN_POINT = "No crossing point with the code {!r} in your area of work."
POINTS_NEEDED = "Choose at least one crossing point."
UNKNOWN_AREA = "No administrative area has the p-code {!r}."
SCENARIO_NEEDED = "Describe the scenario the plan is for."
UNKNOWN_TEMPLATE = "No SOP template has the code {!r}."
NO_AGENCY_OF_KIND = "No agency of the kind {!r} for this task ({}): add one, or pick an agency."


@dataclass
class TaskInput:
    title: str
    agency: str  # the agency's code
    due_hours: int
    details: str = ""


@dataclass
class PlanInput:
    name: str
    scenario: str
    crossing_points: list[str]
    activation_level: str
    tasks: list[TaskInput]
    standby_level: str = ""
    area: str = ""  # a p-code
    template: str = ""  # the SOP template's code it came from
    problems: dict[str, list[str]] = field(default_factory=dict)


def _agency_for(kind: str, points: QuerySet[BorderCrossingPoint]) -> Agency | None:
    agencies = Agency.objects.filter(kind=kind).order_by("name")
    return agencies.filter(crossing_points__in=points).first() or agencies.first()


def plan_input_from_template(
    *,
    template: SopTemplate,
    name: str,
    crossing_points: list[str],
    area: str = "",
) -> PlanInput:
    """A plan's input from a template: each task goes to an agency of the task's kind that
    works at one of the points (or any of that kind); a kind with no agency is a problem on
    that task's ``agency`` for plan_create to report."""
    points = BorderCrossingPoint.objects.filter(code__in=crossing_points)
    data = PlanInput(
        name=name,
        scenario=template.scenario,
        crossing_points=crossing_points,
        standby_level=template.standby_level,
        activation_level=template.activation_level,
        area=area,
        template=template.code,
        tasks=[],
    )
    for index, task in enumerate(template.tasks.all()):
        agency = _agency_for(task.agency_kind, points)
        if agency is None:
            kind = Agency.Kind(task.agency_kind).label
            data.problems[f"tasks.{index}.agency"] = [NO_AGENCY_OF_KIND.format(kind, task.lead)]
        data.tasks.append(
            TaskInput(
                title=task.title,
                agency=agency.code if agency else "",
                due_hours=task.due_hours,
                details=task.details,
            )
        )
    return data


def _points(
    actor: User, codes: list[str], problems: dict[str, list[str]]
) -> list[BorderCrossingPoint]:
    found = {p.code: p for p in crossing_point_list(user=actor).filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        problems["crossing_points"] = [UNKNOWN_POINT.format(code) for code in unknown]
    elif not codes:
        problems["crossing_points"] = [POINTS_NEEDED]
    return list(found.values())


def _agencies(tasks: list[TaskInput], problems: dict[str, list[str]]) -> dict[str, Agency]:
    agencies = Agency.objects.in_bulk([t.agency for t in tasks], field_name="code")
    for index, task in enumerate(tasks):
        where = f"tasks.{index}.agency"
        if task.agency not in agencies and where not in problems:
            problems[where] = [UNKNOWN_AGENCY.format(task.agency)]
    return agencies


Checked = tuple[list[BorderCrossingPoint], dict[str, Agency], AdminArea | None]


def _check(actor: User, data: PlanInput) -> Checked:
    problems = {key: list(value) for key, value in data.problems.items()}
    if not data.name.strip():
        problems["name"] = [rules.NAME_NEEDED]
    elif len(data.name.strip()) > 200:
        problems["name"] = [rules.TOO_LONG.format(200)]
    if not data.scenario.strip():
        problems["scenario"] = [SCENARIO_NEEDED]
    text_problems(
        {"name": data.name, "scenario": data.scenario}, multiline={"scenario"}, into=problems
    )
    problems.update(
        rules.trigger_problems(
            standby_level=data.standby_level, activation_level=data.activation_level
        )
    )
    points = _points(actor, data.crossing_points, problems)
    area = AdminArea.objects.filter(pcode=data.area).first() if data.area else None
    if data.area and area is None:
        problems["area"] = [UNKNOWN_AREA.format(data.area)]
    for key, value in rules.task_problems(data.tasks).items():
        problems.setdefault(key, value)
    agencies = _agencies(data.tasks, problems)
    if problems:
        raise ValidationError(problems)
    return points, agencies, area


def _write(plan: ContingencyPlan, data: PlanInput, checked: Checked) -> None:
    points, agencies, area = checked
    plan.name, plan.scenario, plan.area = data.name.strip(), data.scenario.strip(), area
    plan.standby_level, plan.activation_level = data.standby_level, data.activation_level
    plan.save()
    plan.crossing_points.set(points)
    plan.tasks.all().delete()
    PlanTask.objects.bulk_create(
        PlanTask(
            plan=plan,
            position=position,
            title=task.title.strip(),
            details=task.details,
            agency=agencies[task.agency],
            due_hours=task.due_hours,
        )
        for position, task in enumerate(data.tasks)
    )


@transaction.atomic
def plan_create(*, actor: User, data: PlanInput) -> ContingencyPlan:
    require_manager(actor)
    checked = _check(actor, data)
    template = SopTemplate.objects.filter(code=data.template).first() if data.template else None
    plan = ContingencyPlan(created_by=actor, template=template)
    _write(plan, data, checked)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=plan, detail=plan.name)
    return plan


@transaction.atomic
def plan_update(*, actor: User, plan: ContingencyPlan, data: PlanInput) -> ContingencyPlan:
    """Replace the plan's fields and checklist. An activation under way keeps the tasks it
    gave out; the new checklist is for the next activation."""
    require_manager(actor)
    checked = _check(actor, data)
    plan = ContingencyPlan.objects.select_for_update().get(pk=plan.pk)
    _write(plan, data, checked)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=plan, detail=plan.name)
    return plan


def plan_create_from_template(
    *, actor: User, template: str, name: str, crossing_points: list[str], area: str = ""
) -> ContingencyPlan:
    """A new plan with the template's scenario, triggers and checklist (see
    plan_input_from_template); the coordinator edits it afterwards."""
    require_manager(actor)
    found = SopTemplate.objects.filter(code=template).first()
    if found is None:
        raise ValidationError({"template": [UNKNOWN_TEMPLATE.format(template)]})
    data = plan_input_from_template(
        template=found, name=name, crossing_points=crossing_points, area=area
    )
    return plan_create(actor=actor, data=data)
