"""Reading plans and tasks, scoped to the viewer: the national roles see every plan; the
others the plans that cover one of their crossing points, and their own agency's tasks."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hbm.accounts.models import User
from hbm.places.selectors import crossing_point_list
from hbm.plans.access import NO_AGENCY, may_manage, require_manager, require_reader
from hbm.plans.models import Activation, ContingencyPlan, SopTemplate, Task

NO_SUCH_PLAN = "No such plan at your crossing points."
NO_SUCH_TASK = "No such task for your agency."
OPEN_TASKS = (Task.Status.OPEN, Task.Status.IN_PROGRESS, Task.Status.BLOCKED)
TEMPLATE_TEXTS = ("template__translations", "template__tasks__translations")


def plan_list(*, user: User, active: bool | None = None) -> QuerySet[ContingencyPlan]:
    require_reader(user)
    plans = ContingencyPlan.objects.annotate(
        is_active=Exists(Activation.objects.filter(plan=OuterRef("pk"), closed_at__isnull=True))
    )
    if not user.has_national_scope:
        plans = plans.filter(crossing_points__in=crossing_point_list(user=user)).distinct()
    if active is not None:
        plans = plans.filter(is_active=active)
    # the template's texts, to show a plan's copied texts in the reader's language
    return plans.prefetch_related(*TEMPLATE_TEXTS).order_by("name", "pk")


def plan_get_for_user(*, user: User, public_id: UUID | str) -> ContingencyPlan:
    plan = plan_list(user=user).filter(public_id=public_id).first()
    if plan is None:
        raise Http404(NO_SUCH_PLAN)
    return plan


NO_SUCH_TEMPLATE = "No SOP template has this code."


def template_list() -> QuerySet[SopTemplate]:
    return SopTemplate.objects.prefetch_related("translations", "tasks__translations").order_by(
        "name"
    )


def template_get_for_user(*, user: User, code: str) -> SopTemplate:
    """A template, for those who manage plans (the coordinators and administrators)."""
    require_manager(user)
    template = template_list().filter(code=code).first()
    if template is None:
        raise Http404(NO_SUCH_TEMPLATE)
    return template


def activation_current(*, plan: ContingencyPlan) -> Activation | None:
    """The open activation, or else the latest closed one (its after-action notes)."""
    return plan.activations.select_related("alert", "activated_by", "closed_by").first()


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    overdue: int
    blocked: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress_of(*, activation: Activation) -> Progress:
    figures = activation.tasks.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=Task.Status.DONE)),
        overdue=Count("pk", filter=Q(status__in=OPEN_TASKS, due_at__lt=timezone.now())),
        blocked=Count("pk", filter=Q(status=Task.Status.BLOCKED)),
    )
    return Progress(**figures)


def progress_by_agency(*, activation: Activation) -> list[dict[str, Any]]:
    rows: Any = (
        activation.tasks.values("agency__name")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=Task.Status.DONE)),
            overdue=Count("pk", filter=Q(status__in=OPEN_TASKS, due_at__lt=timezone.now())),
        )
        .order_by("agency__name")
    )
    return list(rows)


def task_list(*, user: User, status: str = "active") -> QuerySet[Task]:
    """The tasks of the user's agency in the plans the user reads, soonest due first;
    ``status`` "active" means not done (open, in progress or blocked) in an activation under
    way; "" every task."""
    require_reader(user)
    if user.agency_id is None:
        return Task.objects.none()
    tasks = Task.objects.filter(
        agency_id=user.agency_id, activation__plan__in=plan_list(user=user).values("pk")
    ).select_related("activation__plan", "agency", "updated_by")
    tasks = tasks.prefetch_related(*(f"activation__plan__{path}" for path in TEMPLATE_TEXTS))
    if status == "active":
        tasks = tasks.filter(status__in=OPEN_TASKS, activation__closed_at__isnull=True)
    elif status:
        tasks = tasks.filter(status=status)
    overdue = Q(status__in=OPEN_TASKS, due_at__lt=timezone.now())
    tasks = tasks.annotate(is_overdue=ExpressionWrapper(overdue, output_field=BooleanField()))
    return tasks.order_by("due_at", "position", "pk")


def task_get_for_user(*, user: User, public_id: UUID | str) -> Task:
    """A task the user may work on: their agency's, or any task of a plan they read when they
    manage plans."""
    tasks = (
        Task.objects.filter(activation__plan__in=plan_list(user=user).values("pk"))
        if may_manage(user)
        else task_list(user=user, status="")
    )
    task = (
        tasks.select_related("activation__plan", "agency")
        .prefetch_related(*(f"activation__plan__{path}" for path in TEMPLATE_TEXTS))
        .filter(public_id=public_id)
        .first()
    )
    if task is None:
        raise Http404(NO_SUCH_TASK if user.agency_id else NO_AGENCY)
    return task
