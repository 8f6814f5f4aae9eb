from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hbm.audit.paging import page_shown
from hbm.lib.htmx import HtmxHttpRequest
from hbm.lib.permissions import require_role
from hbm.lib.uploads import two_step_import
from hbm.places import selectors, services
from hbm.places.forms import CrossingPointFilterForm

PAGE_SIZE = 50


@login_required
def crossing_point_list(request: HtmxHttpRequest) -> HttpResponse:
    form = CrossingPointFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    points = selectors.crossing_point_list(user=request.user, filters=filters)
    page = page_shown(request, points, per_page=PAGE_SIZE)
    template = (
        "places/crossing_point_results.html" if request.htmx else "places/crossing_point_list.html"
    )
    return render(request, template, {"form": form, "page": page})


@login_required
def crossing_point_detail(request: HttpRequest, code: str) -> HttpResponse:
    point = selectors.crossing_point_get_for_user(user=request.user, code=code)
    return render(request, "places/crossing_point_detail.html", {"point": point})


@login_required
def crossing_point_import(request: HttpRequest) -> HttpResponse:
    require_role(request.user, "administrator")

    def run(content: bytes, filename: str, dry_run: bool) -> services.ImportPreview:
        return services.crossing_point_import(
            actor=request.user, content=content, filename=filename, dry_run=dry_run
        )

    def done(preview: services.ImportPreview) -> HttpResponse:
        messages.success(request, _("Imported %(n)d crossing points.") % {"n": preview.total})
        return redirect("places:crossing-point-list")

    return two_step_import(
        request,
        template="places/crossing_point_import.html",
        run=run,
        on_done=done,
    )
