"""Pages for coordinators and administrators (forms, mapping, recent submissions) and for
officers (their devices' Collect credentials). Thin: selectors read, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.collect import selectors
from hbm.collect.forms import CredentialForm, FormEditForm, FormUploadForm
from hbm.collect.mapping import GROUP_TARGETS, MEMBER_TARGETS
from hbm.collect.services import credentials, forms
from hbm.collect.xforms import xform_structure


@login_required
def form_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    form_list = selectors.form_list(user=request.user)
    upload = FormUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if upload.is_valid():
            file = upload.cleaned_data["file"]
            try:
                made = forms.collect_form_upload(
                    actor=request.user,
                    content=file.read(),
                    filename=file.name,
                    crossing_points=list(upload.cleaned_data["crossing_points"]),
                    mapping=upload.cleaned_data["mapping"],
                )
            except ValidationError as error:
                upload.add_error(None, error)
            else:
                messages.success(request, _("Form %(id)s is served.") % {"id": made.form_id})
                return redirect("collect:form-edit", pk=made.pk)
        status = 422
    context = {
        "forms": form_list,
        "upload": upload,
        "submissions": selectors.submission_list(user=request.user),
        "server_url": request.build_absolute_uri(reverse("collect:index")),
    }
    return render(request, "collect/index.html", context, status=status)


@login_required
def form_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = selectors.form_get_for_user(user=request.user, pk=pk)
    initial = {
        "mapping": form.mapping,
        "crossing_points": list(form.crossing_points.all()),
        "active": form.active,
    }
    edit = FormEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if edit.is_valid():
            try:
                forms.collect_form_update(
                    actor=request.user,
                    form=form,
                    mapping=edit.cleaned_data["mapping"],
                    crossing_points=list(edit.cleaned_data["crossing_points"]),
                    active=edit.cleaned_data["active"],
                )
            except ValidationError as error:
                edit.add_error(None, error)
            else:
                messages.success(request, _("Form %(id)s saved.") % {"id": form.form_id})
                return redirect("collect:form-edit", pk=form.pk)
        status = 422
    structure = xform_structure(form.xform)
    context = {
        "form_obj": form,
        "edit": edit,
        "paths": sorted(structure.paths),
        "repeats": structure.repeats,
        "group_targets": GROUP_TARGETS,
        "member_targets": MEMBER_TARGETS,
    }
    return render(request, "collect/form_edit.html", context, status=status)


@login_required
def credential_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    held = selectors.credential_list(user=request.user)
    form = CredentialForm(request.POST or None)
    new = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                new = credentials.collect_credential_create(
                    actor=request.user, name=form.cleaned_data["name"]
                )
            except ValidationError as error:
                form.add_error(None, error)
                status = 422
            else:
                form = CredentialForm()
        else:
            status = 422
    context = {
        "form": form,
        "credentials": held,
        "new": new,
        "server_url": request.build_absolute_uri(reverse("collect:index")),
    }
    return render(request, "collect/credential_list.html", context, status=status)


@login_required
@require_POST
def credential_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    credential = selectors.credential_get_for_user(user=request.user, pk=pk)
    credentials.collect_credential_revoke(actor=request.user, credential=credential)
    messages.success(request, _("Credential %(name)s revoked.") % {"name": credential.name})
    return redirect("collect:credential-list")
