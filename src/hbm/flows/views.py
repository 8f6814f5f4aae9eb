from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hbm.accounts.models import User
from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.audit.paging import page_shown
from hbm.flows import charts, exports, geo, hooks, selectors, services
from hbm.flows import sitrep as report
from hbm.flows.forms import CountLineFormSet, CountSheetForm, FlowFilterForm, sheet_input
from hbm.flows.services import rebuilds
from hbm.lib.permissions import has_any_role, require_role
from hbm.places.selectors import country_choices, country_names, crossing_point_list

COUNTS_PER_PAGE = 50
SHEET_FIELDS = {"window_start": "start", "window_end": "end"}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def dashboard_context(user: User, filters: selectors.FlowFilters) -> dict[str, Any]:
    """The figures and charts of the dashboard; the situation report shows the same."""
    board = selectors.flow_dashboard(user=user, filters=filters)
    names = country_names([code for code, _n in board.nationalities])
    nationality_bars = [
        (
            _("Other") if code == "*" else names.get(code, code or _("Not known")),
            people,
        )
        for code, people in board.nationalities
    ]
    located = [
        geo.MapPoint(
            code=row["point"].code,
            name=row["point"].name,
            latitude=float(row["point"].latitude),
            longitude=float(row["point"].longitude),
            people=row["people"],
            official=row["point"].kind == "official_bcp",
        )
        for row in board.by_point
        if row["point"].latitude is not None and row["point"].longitude is not None
    ]
    direction = filters.direction or "entry"
    who = _("arrivals") if direction == "entry" else _("departures")
    return {
        "board": board,
        "timeline": charts.timeline(
            board.days,
            board.entries,
            board.exits,
            board.entries_average,
            title=_("Arrivals and departures per day"),
        ),
        "pyramid": charts.pyramid(board.pyramid, title=_("Sex and age of %(who)s") % {"who": who}),
        "nationality_chart": charts.bars(
            nationality_bars, title=_("Nationality of %(who)s") % {"who": who}
        ),
        "map": geo.point_map(located, title=_("Crossing points by %(who)s") % {"who": who}),
        "who": who,
    }


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    selectors.require_reader(request.user)
    points = crossing_point_list(user=request.user)
    form = FlowFilterForm(request.GET or None, points=points)
    filters = form.filters()
    context = dashboard_context(request.user, filters)
    context.update(
        form=form,
        filters=filters,
        query=request.GET.urlencode(),
        can_export=has_any_role(request.user, *exports.EXPORTERS),
        can_count=has_any_role(request.user, *services.COUNTING_ROLES),
        can_sitrep=has_any_role(request.user, *report.READERS),
        countries=country_choices(),
        point_sections=hooks.point_sections(user=request.user, code=filters.point)
        if filters.point
        else [],
    )
    if rebuilds.may_rebuild(request.user):
        context["rebuild"] = rebuilds.flow_rebuild_latest(user=request.user)
        context["can_rebuild"] = True
    return render(request, "flows/dashboard.html", context)


@login_required
def rebuild(request: AuthenticatedHttpRequest) -> HttpResponse:
    """POST: start a rebuild of the series, or resume the last one; GET: its progress (the
    part of the dashboard that htmx polls)."""
    if request.method == "POST":
        try:
            run = rebuilds.flow_rebuild_request(actor=request.user)
        except rebuilds.RebuildRunning as running:
            messages.error(request, str(running))
        else:
            messages.success(
                request,
                _("The last rebuild had stopped; it goes on from there.")
                if run.started_at
                else _("Rebuild queued; progress shows below."),
            )
        return redirect(reverse("flows:dashboard") + "#rebuild")
    latest = rebuilds.flow_rebuild_latest(user=request.user)
    return render(request, "flows/_rebuild.html", {"rebuild": latest})


@login_required
def export(request: AuthenticatedHttpRequest, file_format: str) -> HttpResponseBase:
    if file_format not in exports.FORMATS:
        raise Http404(_("Exports are CSV, XLSX or JSON."))
    points = crossing_point_list(user=request.user)
    form = FlowFilterForm(request.GET or None, points=points)
    if form.is_bound and not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("flows:dashboard")
    filters = form.filters()
    try:
        content = exports.flow_export(actor=request.user, filters=filters, file_format=file_format)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('flows:dashboard')}?{request.GET.urlencode()}")
    filename = f"hbm-flows-{filters.start}-{filters.end}.{file_format}"
    if file_format == "xlsx":
        return FileResponse(
            content, as_attachment=True, filename=filename, content_type=CONTENT_TYPES["xlsx"]
        )
    response = StreamingHttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def count_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    point = request.GET.get("point", "")
    counts = selectors.flow_count_list(user=request.user, point=point)
    page = page_shown(request, counts, per_page=COUNTS_PER_PAGE)
    return render(
        request,
        "flows/count_list.html",
        {
            "page": page,
            "points": crossing_point_list(user=request.user),
            "point": point,
            "can_count": has_any_role(request.user, *services.COUNTING_ROLES),
        },
    )


def _show_problems(error: ValidationError, sheet: CountSheetForm, lines: list[Any]) -> None:
    for path, problems in error.message_dict.items():
        if path.startswith("lines."):
            _lines, index, field = path.split(".", 2)
            form = lines[int(index)]
            target = field if field in form.fields else None
            for problem in problems:
                form.add_error(target, problem)
        else:
            field = SHEET_FIELDS.get(path, path)
            for problem in problems:
                sheet.add_error(field if field in sheet.fields else None, problem)


@login_required
def count_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, *services.COUNTING_ROLES)
    points = crossing_point_list(user=request.user)
    if request.method != "POST":
        sheet = CountSheetForm(points=points)
        formset = CountLineFormSet(prefix="lines")
        return _sheet_page(request, sheet, formset)
    sheet = CountSheetForm(request.POST, points=points)
    formset = CountLineFormSet(request.POST, prefix="lines")
    if "add_line" in request.POST:
        data = request.POST.copy()
        data["lines-TOTAL_FORMS"] = str(int(data.get("lines-TOTAL_FORMS", 1)) + 1)
        return _sheet_page(
            request, CountSheetForm(data, points=points), CountLineFormSet(data, prefix="lines")
        )
    if sheet.is_valid() and formset.is_valid():
        lines = [form for form in formset.forms if not form.is_blank()]
        try:
            result = services.flow_count_record(actor=request.user, data=sheet_input(sheet, lines))
        except ValidationError as error:
            _show_problems(error, sheet, lines)
        except services.CountConflict as conflict:
            sheet.add_error(None, str(conflict))
        else:
            messages.success(
                request,
                _("Tally saved: %(n)s people at %(point)s.")
                % {"n": result.count.total, "point": result.count.crossing_point.name},
            )
            return redirect("flows:count-detail", public_id=result.count.public_id)
    return _sheet_page(request, sheet, formset, status=422)


def _sheet_page(
    request: AuthenticatedHttpRequest, sheet: CountSheetForm, formset: Any, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "flows/count_form.html",
        {
            "sheet": sheet,
            "formset": formset,
            "countries": country_choices(),
            "has_errors": bool(sheet.errors or any(f.errors for f in formset.forms))
            or bool(formset.non_form_errors()),
        },
        status=status,
    )


@login_required
def count_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    count = selectors.flow_count_get_for_user(user=request.user, public_id=public_id)
    return render(
        request,
        "flows/count_detail.html",
        {
            "count": count,
            "lines": selectors.flow_count_lines(count=count),
            "can_void": count.voided_at is None
            and has_any_role(request.user, *services.COUNTING_ROLES),
        },
    )


@login_required
@require_POST
def count_void(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    count = selectors.flow_count_get_for_user(user=request.user, public_id=public_id)
    try:
        services.flow_count_void(
            actor=request.user, count=count, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Tally voided; it no longer counts in the figures."))
    return redirect("flows:count-detail", public_id=count.public_id)


@login_required
def sitrep(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, *report.READERS)
    points = crossing_point_list(user=request.user)
    form = FlowFilterForm(request.GET or None, points=points)
    filters = form.filters()
    context = report.sitrep_context(
        user=request.user, filters=filters, dashboard=dashboard_context(request.user, filters)
    )
    context.update(query=request.GET.urlencode(), form=form, countries=country_choices())
    if request.GET.get("format") == "pdf":
        response = HttpResponse(
            report.sitrep_pdf(context=context, request=request), content_type="application/pdf"
        )
        name = f"hbm-sitrep-{filters.start}-{filters.end}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "flows/sitrep.html", context)
