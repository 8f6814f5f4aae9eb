"""The plan pages: thin; every rule is in the selectors and services."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hbm.accounts.models import Agency
from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.audit.paging import page_shown
from hbm.flows.selectors import READERS as ALERT_READERS
from hbm.lib.permissions import has_any_role
from hbm.places.models import AdminArea
from hbm.places.selectors import crossing_point_list
from hbm.plans import forms, selectors
from hbm.plans.access import NOT_A_MANAGER, may_manage, require_reader
from hbm.plans.models import Task
from hbm.plans.services import activation as activations
from hbm.plans.services import equipment
from hbm.plans.services import plans as services
from hbm.plans.services import tasks as task_services

PER_PAGE = 25


def _require_manager(request: AuthenticatedHttpRequest) -> None:
    if not may_manage(request.user):
        raise PermissionDenied(NOT_A_MANAGER)


@login_required
def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = page_shown(request, selectors.plan_list(user=request.user), per_page=PER_PAGE)
    context = {"page": page, "can_manage": may_manage(request.user)}
    return render(request, "plans/plan_list.html", context)


@login_required
def plan_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_manager(request)
    form = forms.PlanFromTemplateForm(
        request.POST or None,
        templates=selectors.template_list(),
        points=crossing_point_list(user=request.user),
        areas=AdminArea.objects.all(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create_from_template(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.show_problems(form, error)
        else:
            messages.success(request, _("Plan made from the template; adapt it to the area."))
            return redirect("plans:edit", public_id=plan.public_id)
    status = 422 if form.errors else 200
    return render(request, "plans/plan_create.html", {"form": form}, status=status)


@login_required
def plan_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, public_id=public_id)
    current = selectors.activation_current(plan=plan)
    context: dict[str, Any] = {
        "plan": plan,
        "checklist": plan.tasks.select_related("agency"),
        "activation": current,
        "can_manage": may_manage(request.user),
        "can_read_alerts": has_any_role(request.user, *ALERT_READERS),
        "statuses": Task.Status.choices,
    }
    if current is not None:
        context["progress"] = selectors.progress_of(activation=current)
        context["by_agency"] = selectors.progress_by_agency(activation=current)
        context["tasks"] = page_shown(
            request, current.tasks.select_related("agency", "updated_by"), per_page=50
        )
    return render(request, "plans/plan_detail.html", context)


@login_required
def plan_edit(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    _require_manager(request)
    plan = selectors.plan_get_for_user(user=request.user, public_id=public_id)
    initial = {
        "name": plan.name,
        "scenario": plan.scenario,
        "area": plan.area.pcode if plan.area else "",
        "crossing_points": [p.code for p in plan.crossing_points.all()],
        "standby_level": plan.standby_level,
        "activation_level": plan.activation_level,
        "tasks": forms.tasks_as_text(plan),
    }
    form = forms.PlanForm(
        request.POST or None,
        initial=initial,
        points=crossing_point_list(user=request.user),
        areas=AdminArea.objects.all(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=request.user, plan=plan, data=form.to_input())
        except ValidationError as error:
            forms.show_problems(form, error)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("plans:detail", public_id=plan.public_id)
    status = 422 if form.errors else 200
    context = {"form": form, "plan": plan}
    return render(request, "plans/plan_edit.html", context, status=status)


def _back(request: AuthenticatedHttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def _report(
    request: AuthenticatedHttpRequest, act: Callable[[], object], done: str, prefix: str = ""
) -> None:
    """Run a service's action; its refusal, or ``done``, as the next page's message."""
    try:
        act()
    except ValidationError as error:
        messages.error(request, prefix + " ".join(error.messages))
    else:
        messages.success(request, done)


@login_required
@require_POST
def plan_activate(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, public_id=public_id)
    post = request.POST
    _report(
        request,
        lambda: activations.plan_activate(
            actor=request.user,
            plan=plan,
            alert=post.get("alert") or None,
            reason=post.get("reason", ""),
        ),
        _("Plan activated: each agency has its tasks."),
    )
    return redirect("plans:detail", public_id=plan.public_id)


@login_required
@require_POST
def plan_close(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, public_id=public_id)
    after_action = request.POST.get("after_action", "")
    _report(
        request,
        lambda: activations.plan_close(actor=request.user, plan=plan, after_action=after_action),
        _("Plan closed; the after-action notes are kept."),
    )
    return redirect("plans:detail", public_id=plan.public_id)


@login_required
def task_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_reader(request.user)
    form = forms.TaskFilterForm(request.GET or None)
    status = form.value()
    tasks = selectors.task_list(user=request.user, status=status)
    page = page_shown(request, tasks, per_page=PER_PAGE)
    context = {
        "form": form,
        "page": page,
        "query": f"status={status}",
        "statuses": Task.Status.choices,
    }
    return render(request, "plans/task_list.html", context)


@login_required
@require_POST
def task_update(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    task = selectors.task_get_for_user(user=request.user, public_id=public_id)
    post = request.POST
    _report(
        request,
        lambda: task_services.task_update(
            actor=request.user, task=task, status=post.get("status", ""), note=post.get("note", "")
        ),
        _("%(task)s: saved.") % {"task": task.title},
        prefix=f"{task.title}: ",
    )
    return redirect(_back(request, "plans:tasks"))


@login_required
def equipment_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A point's or a team's equipment shortfalls added to a plan's checklist (ADR 0147)."""
    _require_manager(request)
    source = request.POST if request.method == "POST" else request.GET
    holder = equipment.holder_named(
        user=request.user,
        crossing_point=source.get("crossing_point", ""),
        team=source.get("team", ""),
    )
    form = forms.EquipmentTasksForm(
        request.POST or None,
        initial={
            "crossing_point": source.get("crossing_point", ""),
            "team": source.get("team", ""),
        },
        plans=selectors.plan_list(user=request.user),
        agencies=Agency.objects.order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        plan = selectors.plan_get_for_user(user=request.user, public_id=form.cleaned_data["plan"])
        try:
            result = equipment.plan_tasks_from_equipment(
                actor=request.user,
                plan=plan,
                holder=holder,
                agency=form.cleaned_data["agency"],
                due_hours=form.cleaned_data["due_hours"],
            )
        except ValidationError as error:
            forms.show_problems(form, error)
        else:
            messages.success(
                request,
                _("%(added)d task(s) added, %(updated)d updated, %(unchanged)d unchanged.")
                % {
                    "added": len(result.added),
                    "updated": len(result.updated),
                    "unchanged": result.unchanged,
                },
            )
            return redirect("plans:detail", public_id=plan.public_id)
    status = 422 if form.errors else 200
    context = {"form": form, "holder": holder}
    return render(request, "plans/equipment_tasks.html", context, status=status)
