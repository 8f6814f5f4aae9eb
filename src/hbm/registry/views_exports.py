"""Exports of registrations from the web: sent at once when small, else prepared by the
worker while the page shows the progress, then a download link (registry/exports.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.registry import export
from hbm.registry.forms import ExportForm
from hbm.registry.services import exports


@login_required
@require_POST
def export_start(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    form = ExportForm(request.POST)
    if not form.is_valid():
        return render(request, "registry/export.html", {"form": form}, status=422)
    answer = exports.crossings_export_request(
        actor=request.user, filters=form.filters, file_format=form.cleaned_data["format"]
    )
    if answer.run is not None:
        return redirect("registry:export-detail", pk=answer.run.pk)
    return export.export_response(answer.crossings, form.cleaned_data["format"])


@login_required
def export_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = exports.export_file_get_for_user(user=request.user, pk=pk)
    context = {"run": run, "expires_at": exports.export_expires_at(run)}
    if request.htmx:  # the progress, polled while the worker writes the file
        return render(request, "registry/export_progress.html", context)
    return render(request, "registry/export.html", context)


@login_required
def export_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    run = exports.export_file_get_for_user(user=request.user, pk=pk)
    try:
        opened = exports.export_file_open(actor=request.user, run=run)
    except ValidationError as error:
        context = {"run": run, "problem": error.message_dict["export"][0]}
        return render(request, "registry/export.html", context, status=409)
    return FileResponse(opened, as_attachment=True, filename=export.file_name(run.file_format))
