from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hbm.accounts.models import User
from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.alerts import cap, charts, forecasting, forecasts, hooks, selectors
from hbm.alerts.forms import AlertFilterForm, CapImportForm, DetectorConfigForm, ManualAlertForm
from hbm.alerts.services import alerts as services
from hbm.alerts.services import cap_exchange
from hbm.audit.paging import page_shown
from hbm.flows.selectors import require_reader
from hbm.places.selectors import crossing_point_list

ALERTS_PER_PAGE = 25


@login_required
def alert_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_reader(request.user)
    points = crossing_point_list(user=request.user)
    form = AlertFilterForm(request.GET or None, points=points)
    chosen = form.values()
    alerts = selectors.alert_list(user=request.user, **chosen)
    page = page_shown(request, alerts, per_page=ALERTS_PER_PAGE)
    hooks.attach(user=request.user, alerts=page.object_list)
    query = "&".join(f"{k}={v}" for k, v in chosen.items())
    return render(
        request,
        "alerts/alert_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_manage": selectors.may_manage(request.user),
        },
    )


@login_required
def alert_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    alert = selectors.alert_get_for_user(user=request.user, public_id=public_id)
    hooks.attach(user=request.user, alerts=[alert])
    title = _("Arrivals at %(point)s") % {"point": alert.crossing_point.name}
    return render(
        request,
        "alerts/alert_detail.html",
        {
            "alert": alert,
            "chart": charts.evidence_chart(alert.evidence, title=title),
            "can_manage": selectors.may_manage(request.user),
            "deliveries": alert.deliveries.all() if selectors.may_manage(request.user) else [],
        },
    )


@login_required
@require_POST
def alert_act(request: AuthenticatedHttpRequest, public_id: str, action: str) -> HttpResponse:
    alert = selectors.alert_get_for_user(user=request.user, public_id=public_id)
    try:
        if action == "acknowledge":
            services.alert_acknowledge(actor=request.user, alert=alert)
            messages.success(request, _("Alert acknowledged."))
        elif action == "escalate":
            services.alert_escalate(
                actor=request.user, alert=alert, note=request.POST.get("note", "")
            )
            messages.success(request, _("Alert escalated; the notices go out again."))
        elif action == "close":
            services.alert_close(actor=request.user, alert=alert)
            messages.success(request, _("Alert closed."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("alerts:detail", public_id=alert.public_id)


def _show_problems(error: ValidationError, form: Form) -> None:
    for field, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


@login_required
def alert_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.may_manage(request.user):
        raise PermissionDenied(services.NOT_A_MANAGER)
    points = crossing_point_list(user=request.user)
    form = ManualAlertForm(request.POST or None, points=points)
    if request.method == "POST" and form.is_valid():
        try:
            alert = services.alert_raise_manual(actor=request.user, data=form.to_input())
        except ValidationError as error:
            _show_problems(error, form)
        else:
            messages.success(request, _("Alert raised; the notices are on their way."))
            return redirect("alerts:detail", public_id=alert.public_id)
    status = 422 if form.errors else 200
    return render(request, "alerts/alert_form.html", {"form": form}, status=status)


@login_required
def cap_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.may_manage(request.user):
        raise PermissionDenied(services.NOT_A_MANAGER)
    points = crossing_point_list(user=request.user)
    form = CapImportForm(request.POST or None, request.FILES or None, points=points)
    if request.method == "POST" and form.is_valid():
        try:
            done = cap_exchange.cap_import(
                actor=request.user,
                data=form.cleaned_data["file"].read(cap.MAX_DOCUMENT + 1),
                crossing_point=form.cleaned_data["crossing_point"],
            )
        except ValidationError as error:
            _show_problems(error, form)
        else:
            if done.created:
                messages.success(request, _("CAP alert imported."))
            elif done.changed:
                messages.success(request, _("This CAP alert was imported before; it is updated."))
            else:
                messages.info(request, _("This CAP alert was imported before; nothing changed."))
            return redirect("alerts:detail", public_id=done.alert.public_id)
    status = 422 if form.errors else 200
    return render(request, "alerts/cap_import.html", {"form": form}, status=status)


@login_required
def detector_config(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    if not selectors.may_manage(request.user):
        raise PermissionDenied(services.NOT_A_MANAGER)
    point = crossing_point_list(user=request.user).filter(code=code).first()
    if point is None:
        raise Http404(services.UNKNOWN_POINT)
    config = selectors.detector_config_for(point=point)
    initial = {
        "detectors": config.detectors,
        "watch_share": config.watch_share,
        "warning_share": config.warning_share,
        "emergency_share": config.emergency_share,
        "warning_ratio": config.warning_ratio,
        "by_nationality": config.by_nationality,
    }
    form = DetectorConfigForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.detector_config_save(actor=request.user, point=point, data=form.to_input())
        except ValidationError as error:
            _show_problems(error, form)
        else:
            messages.success(request, _("Detectors saved for %(point)s.") % {"point": point.name})
            return redirect("alerts:list")
    status = 422 if form.errors else 200
    return render(
        request, "alerts/detector_config.html", {"form": form, "point": point}, status=status
    )


def forecast_section(*, user: User, code: str) -> str:
    """The flow dashboard's section for one point: its forecast beside its capacity."""
    try:
        point = forecasts.forecast_point_for_user(user=user, code=code)
    except (Http404, PermissionDenied):
        return ""
    found = forecasts.point_forecast(point=point)
    title = _("Arrivals, forecast and reception capacity at %(point)s") % {"point": point.name}
    return render_to_string(
        "alerts/_forecast.html",
        {
            "found": found,
            "chart": charts.forecast_chart(found, title=title) if found.available else None,
            "horizon": forecasting.HORIZON,
            "minimum": forecasting.MIN_DAYS,
        },
    )
