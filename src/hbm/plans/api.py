"""/api/v1/plans: contingency plans at the caller's crossing points, their activation and
closing (coordinators, administrators), and the tasks of the caller's agency."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.lib.paging import BoundedPageInput
from hbm.plans import selectors
from hbm.plans.access import require_manager
from hbm.plans.models import ContingencyPlan, SopTemplate, SopTemplateTask, Task
from hbm.plans.services import activation as activations
from hbm.plans.services import equipment as equipment_services
from hbm.plans.services import plans as services
from hbm.plans.services import tasks as task_services
from hbm.plans.services import templates as template_services

router = Router(tags=["plans"])

TriggerLevel = Literal["watch", "warning", "emergency"]
TaskStatus = Literal["open", "in_progress", "done", "blocked"]
TaskFilter = Literal["", "active", "open", "in_progress", "done", "blocked"]


class PlanTaskIn(Schema):
    title: str
    agency: str = Field(description="the responsible agency's code")
    due_hours: int = Field(description="hours after activation")
    details: str = ""


class PlanIn(Schema):
    name: str
    scenario: str
    crossing_points: list[str] = Field(description="crossing point codes")
    area: str = Field("", description="an administrative area's p-code")
    standby_level: Literal["", "watch", "warning", "emergency"] = ""
    activation_level: TriggerLevel
    tasks: list[PlanTaskIn]


class PlanFromTemplateIn(Schema):
    template: str = Field("mass-arrival", description="an SOP template's code")
    name: str
    crossing_points: list[str]
    area: str = ""


class PlanTaskOut(Schema):
    position: int
    title: str
    details: str
    display_title: str = Field(description="The title in the caller's language (ADR 0141)")
    display_details: str
    agency: str
    due_hours: int

    @staticmethod
    def resolve_agency(task: Any) -> str:
        return str(task.agency.code)


class PlanProgressOut(Schema):
    total: int
    done: int
    overdue: int
    blocked: int


class PlanActivationOut(Schema):
    activated_at: datetime
    activated_by: str
    alert: UUID | None
    reason: str
    closed_at: datetime | None
    after_action: str
    progress: PlanProgressOut


class PlanOut(Schema):
    id: UUID = Field(alias="public_id")
    name: str
    scenario: str
    display_name: str = Field(description="The name in the caller's language (ADR 0141)")
    display_scenario: str
    area: str
    crossing_points: list[str]
    standby_level: str
    activation_level: str
    active: bool

    @staticmethod
    def resolve_area(plan: ContingencyPlan) -> str:
        return plan.area.pcode if plan.area else ""

    @staticmethod
    def resolve_crossing_points(plan: ContingencyPlan) -> list[str]:
        return [point.code for point in plan.crossing_points.order_by("code")]

    @staticmethod
    def resolve_active(plan: ContingencyPlan) -> bool:
        return plan.activations.filter(closed_at__isnull=True).exists()


class PlanDetailOut(PlanOut):
    tasks: list[PlanTaskOut]
    activation: PlanActivationOut | None

    @staticmethod
    def resolve_tasks(plan: ContingencyPlan) -> list[Any]:
        return list(plan.tasks.select_related("agency"))

    @staticmethod
    def resolve_activation(plan: ContingencyPlan) -> dict[str, Any] | None:
        current = selectors.activation_current(plan=plan)
        if current is None:
            return None
        return {
            "activated_at": current.activated_at,
            "activated_by": current.activated_by.get_username(),
            "alert": current.alert.public_id if current.alert else None,
            "reason": current.reason,
            "closed_at": current.closed_at,
            "after_action": current.after_action,
            "progress": selectors.progress_of(activation=current).__dict__,
        }


class SopTemplateTaskOut(Schema):
    position: int
    title: str = Field(description="In the caller's language, else the source text")
    details: str
    lead: str
    agency_kind: str
    due_hours: int
    translations: dict[str, dict[str, str]] = Field(
        description="Every language's texts, the source ('en') included"
    )

    @staticmethod
    def resolve_title(task: SopTemplateTask) -> str:
        return task.display_title

    @staticmethod
    def resolve_details(task: SopTemplateTask) -> str:
        return task.display_details

    @staticmethod
    def resolve_lead(task: SopTemplateTask) -> str:
        return task.display_lead

    @staticmethod
    def resolve_translations(task: SopTemplateTask) -> dict[str, dict[str, str]]:
        return task.texts()


class SopTemplateOut(Schema):
    code: str
    name: str = Field(description="In the caller's language, else the source text")
    scenario: str
    standby_level: str
    activation_level: str
    translations: dict[str, dict[str, str]] = Field(
        description="Every language's texts, the source ('en') included"
    )
    tasks: list[SopTemplateTaskOut]

    @staticmethod
    def resolve_name(template: SopTemplate) -> str:
        return template.display_name

    @staticmethod
    def resolve_scenario(template: SopTemplate) -> str:
        return template.display_scenario

    @staticmethod
    def resolve_translations(template: SopTemplate) -> dict[str, dict[str, str]]:
        return template.texts()

    @staticmethod
    def resolve_tasks(template: SopTemplate) -> list[SopTemplateTask]:
        return list(template.tasks.all())


class SopTemplateTranslationsIn(Schema):
    translations: dict[str, Any] = Field(
        description="language → {name, scenario, tasks: [{title, details, lead}, ...]}, the "
        "tasks in the template's order; a blank text falls back to the source"
    )


class PlanTaskInstanceOut(Schema):
    id: UUID = Field(alias="public_id")
    plan: UUID
    plan_name: str
    title: str
    details: str
    display_title: str = Field(description="The title in the caller's language (ADR 0141)")
    display_details: str
    agency: str
    due_at: datetime
    status: str
    note: str
    updated_at: datetime | None

    @staticmethod
    def resolve_plan(task: Task) -> UUID:
        return task.activation.plan.public_id

    @staticmethod
    def resolve_plan_name(task: Task) -> str:
        return task.activation.plan.display_name

    @staticmethod
    def resolve_agency(task: Task) -> str:
        return task.agency.code


class PlanActivateIn(Schema):
    alert: UUID | None = Field(None, description="the alert whose proposal is accepted")
    reason: str = Field("", description="why, when activated by hand")


class PlanCloseIn(Schema):
    after_action: str = Field(description="after-action notes")


class PlanTaskUpdateIn(Schema):
    status: TaskStatus
    note: str = ""


class PlanPageInput(BoundedPageInput):
    """The pages' parameters under a name of their own."""


class PlanPagination(LimitOffsetPagination):
    Input = PlanPageInput


@contextmanager
def _conflict_is_409() -> Iterator[None]:
    """The plan's state forbids the action: 409, not the 422 of bad input."""
    try:
        yield
    except activations.PlanConflict as conflict:
        raise HttpError(409, " ".join(conflict.messages)) from conflict


def _input(payload: PlanIn) -> services.PlanInput:
    data = payload.dict()
    data["tasks"] = [services.TaskInput(**task) for task in data["tasks"]]
    return services.PlanInput(**data)


@router.get(
    "/tasks", response=list[PlanTaskInstanceOut], summary="Your agency's tasks, soonest due first"
)
@paginate(PlanPagination)
def task_list(request: AuthenticatedHttpRequest, status: TaskFilter = "active") -> Any:
    """``status`` active (default): not done, in an activation under way; empty: all."""
    return selectors.task_list(user=request.user, status=status)


@router.post("/tasks/{task_id}", response={200: PlanTaskInstanceOut, 409: dict[str, str]})
def task_update(
    request: AuthenticatedHttpRequest, task_id: UUID, payload: PlanTaskUpdateIn
) -> Task:
    task = selectors.task_get_for_user(user=request.user, public_id=task_id)
    with _conflict_is_409():
        return task_services.task_update(
            actor=request.user, task=task, status=payload.status, note=payload.note
        )


@router.get("/templates", response=list[SopTemplateOut], summary="SOP templates to start a plan")
@paginate(PlanPagination)
def template_list(request: AuthenticatedHttpRequest) -> Any:
    require_manager(request.user)
    return selectors.template_list()


@router.put(
    "/templates/{code}/translations",
    response=SopTemplateOut,
    summary="Set an SOP template's texts in other languages (administrators)",
)
def template_translate(
    request: AuthenticatedHttpRequest, code: str, payload: SopTemplateTranslationsIn
) -> SopTemplate:
    template = selectors.template_get_for_user(user=request.user, code=code)
    template_services.sop_template_translate(
        actor=request.user, template=template, translations=payload.translations
    )
    return selectors.template_get_for_user(user=request.user, code=code)


@router.get("", response=list[PlanOut], summary="Contingency plans at your crossing points")
@paginate(PlanPagination)
def plan_list(request: AuthenticatedHttpRequest, active: bool | None = None) -> Any:
    return selectors.plan_list(user=request.user, active=active)


@router.post("", response={201: PlanDetailOut}, summary="Make a plan (coordinators)")
def plan_create(request: AuthenticatedHttpRequest, payload: PlanIn) -> Status[ContingencyPlan]:
    plan = services.plan_create(actor=request.user, data=_input(payload))
    return Status(201, selectors.plan_get_for_user(user=request.user, public_id=plan.public_id))


@router.post(
    "/from-template",
    response={201: PlanDetailOut},
    summary="Make a plan from an SOP template (coordinators)",
)
def plan_from_template(
    request: AuthenticatedHttpRequest, payload: PlanFromTemplateIn
) -> Status[ContingencyPlan]:
    plan = services.plan_create_from_template(actor=request.user, **payload.dict())
    return Status(201, selectors.plan_get_for_user(user=request.user, public_id=plan.public_id))


@router.get("/{plan_id}", response=PlanDetailOut, summary="A plan, its checklist and progress")
def plan_detail(request: AuthenticatedHttpRequest, plan_id: UUID) -> ContingencyPlan:
    return selectors.plan_get_for_user(user=request.user, public_id=plan_id)


@router.put("/{plan_id}", response=PlanDetailOut, summary="Edit a plan (coordinators)")
def plan_update(request: AuthenticatedHttpRequest, plan_id: UUID, payload: PlanIn) -> Any:
    plan = selectors.plan_get_for_user(user=request.user, public_id=plan_id)
    services.plan_update(actor=request.user, plan=plan, data=_input(payload))
    return selectors.plan_get_for_user(user=request.user, public_id=plan_id)


@router.post("/{plan_id}/activate", response={200: PlanDetailOut, 409: dict[str, str]})
def plan_activate(request: AuthenticatedHttpRequest, plan_id: UUID, payload: PlanActivateIn) -> Any:
    """By hand with a ``reason``, or with the ``alert`` that proposes the plan."""
    plan = selectors.plan_get_for_user(user=request.user, public_id=plan_id)
    with _conflict_is_409():
        activations.plan_activate(
            actor=request.user, plan=plan, alert=payload.alert, reason=payload.reason
        )
    return selectors.plan_get_for_user(user=request.user, public_id=plan_id)


@router.post("/{plan_id}/close", response={200: PlanDetailOut, 409: dict[str, str]})
def plan_close(request: AuthenticatedHttpRequest, plan_id: UUID, payload: PlanCloseIn) -> Any:
    plan = selectors.plan_get_for_user(user=request.user, public_id=plan_id)
    with _conflict_is_409():
        activations.plan_close(actor=request.user, plan=plan, after_action=payload.after_action)
    return selectors.plan_get_for_user(user=request.user, public_id=plan_id)


class EquipmentTasksIn(Schema):
    crossing_point: str = Field("", description="a crossing point's code (or give a team)")
    team: str = Field("", description="a team's id (or give a crossing point)")
    agency: str = Field(description="the code of the agency the new tasks go to")
    due_hours: int = Field(24, description="hours after activation, for the new tasks")


class EquipmentTasksOut(Schema):
    added: list[str]
    updated: list[str]
    unchanged: int


@router.post(
    "/{plan_id}/equipment-tasks",
    response=EquipmentTasksOut,
    summary="Add a point's or a team's equipment shortfalls to the plan's checklist",
)
def plan_equipment_tasks(
    request: AuthenticatedHttpRequest, plan_id: UUID, payload: EquipmentTasksIn
) -> Any:
    """One task per shortfall, known by its title: a second run adds none (ADR 0147)."""
    require_manager(request.user)
    plan = selectors.plan_get_for_user(user=request.user, public_id=plan_id)
    holder = equipment_services.holder_named(
        user=request.user, crossing_point=payload.crossing_point, team=payload.team
    )
    return equipment_services.plan_tasks_from_equipment(
        actor=request.user,
        plan=plan,
        holder=holder,
        agency=payload.agency,
        due_hours=payload.due_hours,
    )
