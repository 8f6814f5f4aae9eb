"""A crossing point's or a team's equipment shortfalls (hbm.fieldops, ADR 0147) added to a
contingency plan's SOP checklist, one task per shortfall, through plan_update. It lives here,
not in fieldops, because plans stand above fieldops (apps depend downward): plans read
fieldops, never the reverse.

A task is known by its title ("Equipment: <type> at <holder>"): a second run updates the
details of the task an earlier run added (the counts may have changed) and adds none, and
leaves the plan as it is when nothing changed."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from hbm.accounts.models import Agency, User
from hbm.fieldops.models import EquipmentLine
from hbm.fieldops.selectors_equipment import Holder, holder_get_for_user
from hbm.fieldops.services.equipment import HOLDER_NEEDED, POINT_OR_TEAM
from hbm.plans.access import require_manager
from hbm.plans.models import ContingencyPlan
from hbm.plans.rules import DEADLINE_TOO_FAR, MAX_HOURS, NEGATIVE_DEADLINE
from hbm.plans.services.plans import PlanInput, TaskInput, plan_update

UNKNOWN_AGENCY = "No agency has the code {!r}."
NO_SHORTFALL = "Nothing is short here: every item has as many working as required."
TITLE = "Equipment: {item} at {holder}"


@dataclass
class TasksResult:
    added: list[str] = field(default_factory=list)  # titles
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def task_title(line: EquipmentLine, holder: Holder) -> str:
    return TITLE.format(item=line.item_type.name, holder=holder.name)[:200]


def task_details(line: EquipmentLine) -> str:
    checked = f"{line.last_checked_at:%Y-%m-%d}" if line.last_checked_at else "never"
    return (
        f"{line.shortfall} of {line.required} needed are not working ({line.working} working,"
        f" {line.broken} broken, {line.missing} missing; checked {checked}):"
        " repair or replace them."
    )


def holder_named(*, user: User, crossing_point: str = "", team: str = "") -> Holder:
    """The point (by code) or the team (by id) named, as the user reads it: one of the two
    must be given (422), an unknown or unseen one is a 404."""
    if crossing_point and team:
        raise ValidationError({"crossing_point": [POINT_OR_TEAM]})
    if not crossing_point and not team:
        raise ValidationError({"crossing_point": [HOLDER_NEEDED]})
    return holder_get_for_user(user=user, crossing_point=crossing_point, team=team or None)


def _plan_input(plan: ContingencyPlan) -> PlanInput:
    """The plan as it stands, as plan_update takes it."""
    return PlanInput(
        name=plan.name,
        scenario=plan.scenario,
        crossing_points=list(plan.crossing_points.values_list("code", flat=True)),
        standby_level=plan.standby_level,
        activation_level=plan.activation_level,
        area=plan.area.pcode if plan.area else "",
        tasks=[
            TaskInput(
                title=task.title,
                agency=task.agency.code,
                due_hours=task.due_hours,
                details=task.details,
            )
            for task in plan.tasks.select_related("agency").order_by("position")
        ],
    )


def _check(holder: Holder, agency: str, due_hours: int) -> None:
    problems: dict[str, list[str]] = {}
    if not Agency.objects.filter(code=agency).exists():
        problems["agency"] = [UNKNOWN_AGENCY.format(agency)]
    if due_hours < 0:
        problems["due_hours"] = [NEGATIVE_DEADLINE]
    elif due_hours > MAX_HOURS:
        problems["due_hours"] = [DEADLINE_TOO_FAR.format(MAX_HOURS)]
    if not holder.shortfalls:
        problems["crossing_point" if holder.crossing_point else "team"] = [NO_SHORTFALL]
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def plan_tasks_from_equipment(
    *, actor: User, plan: ContingencyPlan, holder: Holder, agency: str, due_hours: int
) -> TasksResult:
    """Each of the holder's shortfalls as a task of the plan's checklist for ``agency``,
    due ``due_hours`` after activation (a task added earlier keeps its agency and due time;
    its details follow the counts). An activation under way keeps the tasks it gave out,
    as with any edit of the checklist."""
    require_manager(actor)
    _check(holder, agency, due_hours)
    data = _plan_input(plan)
    by_title = {task.title: task for task in data.tasks}
    result = TasksResult()
    for line in holder.shortfalls:
        title, details = task_title(line, holder), task_details(line)
        task = by_title.get(title)
        if task is None:
            data.tasks.append(
                TaskInput(title=title, agency=agency, due_hours=due_hours, details=details)
            )
            result.added.append(title)
        elif task.details != details:
            task.details = details
            result.updated.append(title)
        else:
            result.unchanged += 1
    if result.added or result.updated:
        plan_update(actor=actor, plan=plan, data=data)
    return result
