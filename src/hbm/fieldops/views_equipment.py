"""The equipment readiness pages (ADR 0147): the readiness list across points and teams, and
one page per point or team where a coordinator records the check of each item. Thin: the
rules are in services.equipment and selectors_equipment."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.audit.paging import page_shown
from hbm.fieldops import forms
from hbm.fieldops import selectors_equipment as selectors
from hbm.fieldops.access import NOT_A_MANAGER, may_manage
from hbm.fieldops.models import EquipmentLine, EquipmentType, Team
from hbm.fieldops.services import equipment as services
from hbm.places.selectors import crossing_point_list

PAGE_SIZE = 50


def _filters(request: AuthenticatedHttpRequest) -> selectors.EquipmentFilters:
    team = request.GET.get("team", "")
    try:
        team_id = UUID(team) if team else None
    except ValueError:
        team_id = None
    return selectors.EquipmentFilters(
        crossing_point=request.GET.get("crossing_point", ""),
        team=team_id,
        item_type=request.GET.get("item_type", ""),
        short=bool(request.GET.get("short")),
        stale=bool(request.GET.get("stale")),
    )


@login_required
def readiness(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every line the user reads, the largest shortfalls first, with the filters."""
    filters = _filters(request)
    lines = selectors.equipment_line_list(user=request.user, filters=filters)
    reads_all = selectors.reads_all(request.user)
    teams = Team.objects.all() if reads_all else request.user.teams.all()
    context = {
        "page": page_shown(request, lines, per_page=PAGE_SIZE),
        "filters": filters,
        "points": crossing_point_list(user=request.user),
        "teams": teams.order_by("name"),
        "types": selectors.equipment_type_list(),
        "stale_before": selectors.stale_before(),
        "stale_days": selectors.STALE_DAYS,
    }
    return render(request, "fieldops/equipment_list.html", context)


def _rows(
    holder: selectors.Holder, types: list[EquipmentType], manager: bool, bound: Any = None
) -> list[dict[str, Any]]:
    """One row per type: the holder's line (if any) and, for a coordinator, its check form
    (the posted one, with its problems, for the row just sent)."""
    by_type = {line.item_type_id: line for line in holder.lines}
    rows = []
    for item_type in types:
        line: EquipmentLine | None = by_type.get(item_type.pk)
        if line is None and not manager:
            continue
        form = None
        if manager:
            if bound is not None and bound.prefix == item_type.code:
                form = bound
            else:
                initial: dict[str, Any] = {"item_type": item_type.code}
                if line is not None:
                    initial.update(
                        working=line.working,
                        broken=line.broken,
                        missing=line.missing,
                        required=line.required,
                        notes=line.notes,
                    )
                form = forms.EquipmentCheckForm(prefix=item_type.code, initial=initial)
        rows.append({"type": item_type, "line": line, "form": form})
    return rows


def _holder_page(
    request: AuthenticatedHttpRequest, *, crossing_point: str = "", team: str = ""
) -> HttpResponse:
    holder = selectors.holder_get_for_user(
        user=request.user, crossing_point=crossing_point, team=team or None
    )
    manager = may_manage(request.user)
    bound = None
    if request.method == "POST":
        if not manager:
            raise PermissionDenied(NOT_A_MANAGER)
        bound = forms.EquipmentCheckForm(request.POST, prefix=request.POST.get("row", ""))
        if bound.is_valid():
            try:
                line = services.equipment_check(
                    actor=request.user,
                    data=bound.to_input(crossing_point=crossing_point, team=team),
                )
            except ValidationError as error:
                forms.show_problems(bound, error)
            else:
                messages.success(
                    request,
                    _("%(item)s checked: %(n)d working.")
                    % {"item": line.item_type.display_name, "n": line.working},
                )
                return redirect(request.path)
    types = list(selectors.equipment_type_list())
    context = {
        "holder": holder,
        "rows": _rows(holder, types, manager, bound),
        "can_manage": manager,
        "bound": bound,
        "stale_days": selectors.STALE_DAYS,
        "stale_before": selectors.stale_before(),
    }
    status = 422 if bound is not None and bound.errors else 200
    return render(request, "fieldops/equipment_holder.html", context, status=status)


@login_required
def point_inventory(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _holder_page(request, crossing_point=code)


@login_required
def team_inventory(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    return _holder_page(request, team=str(public_id))


@login_required
@require_POST
def point_gaps(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The point's shortfalls as recommendations on its latest capacity assessment."""
    holder = selectors.holder_get_for_user(user=request.user, crossing_point=code)
    assert holder.crossing_point is not None
    try:
        result = services.equipment_gaps_to_assessment(
            actor=request.user, crossing_point=holder.crossing_point
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "%(created)d recommendation(s) written on the assessment of %(date)s; "
                "%(already)d shortfall(s) already had one."
            )
            % {
                "created": len(result.created),
                "already": result.already,
                "date": result.assessment.assessed_on.isoformat(),
            },
        )
    return redirect("fieldops:equipment-point", code=code)
