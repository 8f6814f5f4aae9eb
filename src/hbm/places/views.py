import base64
import binascii

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hbm.lib.permissions import require_role
from hbm.places import selectors, services
from hbm.places.forms import CrossingPointFilterForm, CrossingPointImportForm

PAGE_SIZE = 50


@login_required
def crossing_point_list(request: HttpRequest) -> HttpResponse:
    form = CrossingPointFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    points = selectors.crossing_point_list(user=request.user, filters=filters)
    page = Paginator(points, PAGE_SIZE).get_page(request.GET.get("page"))
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
    form = CrossingPointImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form}
    if request.method != "POST":
        return render(request, "places/crossing_point_import.html", context)
    if "confirm" in request.POST:
        try:
            content = base64.b64decode(request.POST.get("content", ""), validate=True)
        except (binascii.Error, ValueError):
            content = b""
        filename = request.POST.get("filename", "upload.csv")
        dry_run = False
    elif form.is_valid():
        upload = form.cleaned_data["file"]
        content, filename, dry_run = upload.read(), upload.name, True
    else:
        return render(request, "places/crossing_point_import.html", context, status=422)
    try:
        preview = services.crossing_point_import(
            actor=request.user, content=content, filename=filename, dry_run=dry_run
        )
    except services.ImportRejected as exc:
        context["problems"] = exc.problems
        return render(request, "places/crossing_point_import.html", context, status=422)
    except PermissionDenied:
        raise
    if not dry_run:
        messages.success(request, _("Imported %(n)d crossing points.") % {"n": preview.total})
        return redirect("places:crossing-point-list")
    context.update(
        preview=preview, filename=filename, content=base64.b64encode(content).decode("ascii")
    )
    return render(request, "places/crossing_point_import.html", context)
