"""The field operations pages: thin; every rule is in the selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hbm.accounts.models import Agency
from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.fieldops import forms, selectors, services
from hbm.fieldops.access import may_manage, require_manager
from hbm.fieldops.selectors_equipment import may_read as may_read_equipment
from hbm.places.selectors import admin_area_list, crossing_point_list


@login_required
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who is where: every team for coordinators, the user's own teams for everyone else."""
    manager = may_manage(request.user)
    context = {
        "board": selectors.status_board(user=request.user),
        "can_manage": manager,
        "can_read_equipment": may_read_equipment(request.user),
        "teams": selectors.team_list(user=request.user) if manager else None,
    }
    return render(request, "fieldops/board.html", context)


@login_required
def team_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_manager(request.user)
    form = forms.TeamForm(request.POST or None, agencies=Agency.objects.all())
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(actor=request.user, data=form.to_input())
        except ValidationError as error:
            forms.show_problems(form, error)
        else:
            messages.success(request, _("Team %(name)s made.") % {"name": team.name})
            return redirect("fieldops:board")
    status = 422 if form.errors else 200
    return render(request, "fieldops/team_form.html", {"form": form}, status=status)


@login_required
def team_edit(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    team = selectors.team_get_for_user(user=request.user, public_id=public_id)
    initial = {
        "name": team.name,
        "agencies": [a.code for a in team.agencies.all()],
        "members": ", ".join(u.username for u in team.members.all()),
        "skills": ", ".join(team.skills),
        "languages": ", ".join(team.languages),
        "equipment": team.equipment,
    }
    form = forms.TeamForm(request.POST or None, initial=initial, agencies=Agency.objects.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(actor=request.user, team=team, data=form.to_input())
        except ValidationError as error:
            forms.show_problems(form, error)
        else:
            messages.success(request, _("Team saved."))
            return redirect("fieldops:board")
    status = 422 if form.errors else 200
    context = {"form": form, "team": team}
    return render(request, "fieldops/team_form.html", context, status=status)


@login_required
def deployment_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_manager(request.user)
    form = forms.DeploymentForm(
        request.POST or None,
        initial={"team": request.GET.get("team", "")},
        teams=selectors.team_list(user=request.user),
        points=crossing_point_list(user=request.user),
        areas=admin_area_list(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.deployment_create(actor=request.user, data=form.to_input())
        except ValidationError as error:
            forms.show_problems(form, error)
        else:
            messages.success(request, _("Team deployed."))
            return redirect("fieldops:board")
    status = 422 if form.errors else 200
    return render(request, "fieldops/deployment_form.html", {"form": form}, status=status)


@login_required
@require_POST
def deployment_end(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    require_manager(request.user)
    deployment = selectors.deployment_get_for_user(user=request.user, public_id=public_id)
    try:
        services.deployment_end(actor=request.user, deployment=deployment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Deployment ended: the team's access there has ended."))
    return redirect("fieldops:board")
