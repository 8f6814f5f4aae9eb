"""Template pages: list, read (with sources), copy to a new draft version, edit a draft's
indicators, publish, and XLSX import/export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.lib.permissions import NOT_ALLOWED, require_role
from hbm.lib.uploads import two_step_import

from . import selectors, services, template_io
from .forms import IndicatorEditForm, TemplateCopyForm
from .views import XLSX, _errors, _flash


def _detail(template_id: int) -> str:
    return reverse("assessments:template-detail", args=[template_id])


@login_required
def template_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.can_read_templates(request.user):
        raise PermissionDenied(NOT_ALLOWED)
    return render(
        request,
        "assessments/template_list.html",
        {
            "templates": selectors.template_list(user=request.user),
            "can_edit": selectors.can_edit_templates(request.user),
        },
    )


@login_required
def template_detail(request: AuthenticatedHttpRequest, template_id: int) -> HttpResponse:
    template = selectors.template_get_for_user(user=request.user, template_id=template_id)
    return render(
        request,
        "assessments/template_detail.html",
        {
            "template": template,
            "dimensions": selectors.template_dimensions(template),
            "can_edit": selectors.can_edit_templates(request.user),
            "copy_form": TemplateCopyForm(),
            "problems": services.template_problems(template) if not template.is_published else [],
        },
    )


@login_required
@require_POST
def template_copy(request: AuthenticatedHttpRequest, template_id: int) -> HttpResponse:
    template = selectors.template_get_for_user(user=request.user, template_id=template_id)
    form = TemplateCopyForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    copy = services.template_copy(actor=request.user, template=template, name=name)
    messages.success(request, _("Draft version %(v)d created.") % {"v": copy.version})
    return redirect(_detail(copy.pk))


@login_required
@require_POST
def template_publish(request: AuthenticatedHttpRequest, template_id: int) -> HttpResponse:
    template = selectors.template_get_for_user(user=request.user, template_id=template_id)
    try:
        services.template_publish(actor=request.user, template=template)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Published. This version can no longer be changed."))
    return redirect(_detail(template.pk))


@login_required
def indicator_edit(request: AuthenticatedHttpRequest, template_id: int, code: str) -> HttpResponse:
    require_role(request.user, *services.TEMPLATE_EDITORS)
    template = selectors.template_get_for_user(user=request.user, template_id=template_id)
    indicator = selectors.indicator_get(template=template, code=code)
    initial = {
        name: getattr(indicator, name)
        for name in ("question", "guidance", "evidence_expected", "source_ref", "verified")
    }
    initial.update(weight=str(indicator.weight))
    initial.update({f"level_{n}": text for n, text in enumerate(indicator.anchors)})
    form = IndicatorEditForm(request.POST or None, initial=initial)
    status = 200
    if template.is_published and form.is_bound:
        form.is_valid()
        form.add_error(None, services.TEMPLATE_PUBLISHED)
        status = 409
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.template_indicator_update(
                actor=request.user,
                indicator=indicator,
                question=data["question"],
                guidance=data["guidance"],
                evidence_expected=data["evidence_expected"],
                source_ref=data["source_ref"],
                verified=data["verified"],
                weight=data["weight"],
                levels=[data[f"level_{n}"] for n in range(5)],
            )
        except ValidationError as exc:
            for name, field_messages in _errors(exc).items():
                for message in field_messages:
                    form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, _("Indicator %(code)s saved.") % {"code": code})
            return redirect(_detail(template.pk) + f"#ind-{code}")
    if form.is_bound and form.errors and status == 200:
        status = 422
    return render(
        request,
        "assessments/indicator_edit.html",
        {"form": form, "template": template, "indicator": indicator},
        status=status,
    )


@login_required
def template_export(request: AuthenticatedHttpRequest, template_id: int) -> HttpResponse:
    template = selectors.template_get_for_user(user=request.user, template_id=template_id)
    response = HttpResponse(template_io.template_export(template), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{template.code}-v{template.version}.xlsx"'
    )
    return response


@login_required
def template_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, *services.TEMPLATE_EDITORS)

    def run(content: bytes, filename: str, dry_run: bool) -> template_io.TemplatePreview:
        return template_io.template_import(
            actor=request.user, content=content, filename=filename, dry_run=dry_run
        )

    def done(preview: template_io.TemplatePreview) -> HttpResponse:
        assert preview.template is not None
        messages.success(
            request,
            _("Imported as draft version %(v)d.") % {"v": preview.template.version},
        )
        return redirect(_detail(preview.template.pk))

    return two_step_import(
        request,
        template="assessments/template_import.html",
        run=run,
        on_done=done,
    )
