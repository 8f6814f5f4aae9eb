"""Assessment pages: list, create, score as you go (htmx, one indicator per request),
review, results with charts, report (HTML, PDF, XLSX), comparison across crossing points."""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.audit.paging import page_shown
from hbm.lib.permissions import require_role

from . import exports, report, scoring, selectors, services
from .forms import (
    AssessmentEditForm,
    AssessmentFilterForm,
    AssessmentForm,
    RecommendationForm,
    RecommendationStatusForm,
    ReviewForm,
)
from .models import Assessment

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"__all__": exc.messages}


def _flash(request: AuthenticatedHttpRequest, exc: ValidationError) -> None:
    for field_messages in _errors(exc).values():
        for message in field_messages:
            messages.error(request, message)


def _detail(assessment: Assessment) -> str:
    return reverse("assessments:detail", args=[assessment.public_id])


@login_required
def assessment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AssessmentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    assessments = selectors.assessment_list(user=request.user, filters=filters)
    page = page_shown(request, assessments, per_page=PAGE_SIZE)
    return render(
        request,
        "assessments/assessment_list.html",
        {
            "form": form,
            "page": page,
            "can_write": selectors.can_write(request.user),
            "can_edit_templates": selectors.can_edit_templates(request.user),
        },
    )


@login_required
def assessment_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, *services.WRITERS)
    form = AssessmentForm(
        request.POST or None,
        points=selectors.assessable_points(user=request.user),
        templates=selectors.template_list(user=request.user, published_only=True),
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for name, field_messages in _errors(exc).items():
                for message in field_messages:
                    form.add_error(name if name in form.fields else None, message)
        else:
            return redirect(_detail(assessment))
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "assessments/assessment_form.html", {"form": form}, status=status)


def _sheet_context(request: AuthenticatedHttpRequest, assessment: Assessment) -> dict[str, Any]:
    sheet = selectors.assessment_sheet(assessment)
    editable = selectors.can_write(request.user) and assessment.status == Assessment.Status.DRAFT
    return {
        "assessment": assessment,
        "sheet": sheet,
        "editable": editable,
        "can_write": selectors.can_write(request.user),
        "can_approve": selectors.can_approve(request.user),
        "total": sum(len(s.items) for s in sheet),
        "done": sum(s.done for s in sheet),
        "review_form": ReviewForm(),
    }


@login_required
def assessment_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    assessment = selectors.assessment_get_for_user(user=request.user, public_id=public_id)
    return render(
        request, "assessments/assessment_detail.html", _sheet_context(request, assessment)
    )


@login_required
def assessment_edit(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    require_role(request.user, *services.WRITERS)
    assessment = selectors.assessment_get_for_user(user=request.user, public_id=public_id)
    if assessment.status != Assessment.Status.DRAFT:
        messages.error(
            request,
            services.ASSESSMENT_APPROVED
            if assessment.status == Assessment.Status.APPROVED
            else services.ASSESSMENT_SUBMITTED,
        )
        return redirect(_detail(assessment))
    form = AssessmentEditForm(
        request.POST or None,
        initial={
            "assessed_on": assessment.assessed_on,
            "team": list(assessment.team.all()),
            "team_notes": assessment.team_notes,
            "summary": assessment.summary,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_update(
                actor=request.user, assessment=assessment, **form.cleaned_data
            )
        except ValidationError as exc:
            for name, field_messages in _errors(exc).items():
                for message in field_messages:
                    form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, _("Saved."))
            return redirect(_detail(assessment))
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "assessments/assessment_edit.html",
        {"form": form, "assessment": assessment},
        status=status,
    )


@login_required
@require_POST
def score_save(request: AuthenticatedHttpRequest, public_id: str, code: str) -> HttpResponse:
    """Save one indicator. htmx gets the indicator's save state (and field errors, out of
    band) so nothing the assessor is typing is replaced; a plain POST gets the page back."""
    assessment = selectors.assessment_get_for_user(user=request.user, public_id=public_id)
    indicator = selectors.indicator_get(template=assessment.template, code=code)
    errors: dict[str, list[str]] = {}
    score = None
    try:
        score = services.score_set(
            actor=request.user,
            assessment=assessment,
            indicator=indicator,
            level=request.POST.get("level", ""),
            not_applicable=request.POST.get("not_applicable") == "on",
            na_reason=request.POST.get("na_reason", ""),
            evidence=request.POST.get("evidence", ""),
        )
    except ValidationError as exc:
        errors = _errors(exc)
    status = 422 if errors else 200
    if request.htmx:
        return render(
            request,
            "assessments/_save_state.html",
            {"indicator": indicator, "score": score, "errors": errors},
            status=status,
        )
    if not errors:
        return redirect(f"{_detail(assessment)}#ind-{indicator.code}")
    context = _sheet_context(request, assessment)
    context.update(error_code=indicator.code, errors=errors, posted=request.POST)
    return render(request, "assessments/assessment_detail.html", context, status=status)


@login_required
@require_POST
def attachment_upload(request: AuthenticatedHttpRequest, public_id: str, code: str) -> HttpResponse:
    assessment = selectors.assessment_get_for_user(user=request.user, public_id=public_id)
    indicator = selectors.indicator_get(template=assessment.template, code=code)
    upload = request.FILES.get("file")
    errors: list[str] = []
    if upload is None:
        errors = [_("Choose a file to attach.")]
    else:
        try:
            services.attachment_add(
                actor=request.user,
                assessment=assessment,
                indicator=indicator,
                name=upload.name or "",
                content=upload.read(services.MAX_ATTACHMENT_BYTES + 1),
            )
        except ValidationError as exc:
            errors = [m for ms in _errors(exc).values() for m in ms]
    status = 422 if errors else 200
    if not request.htmx:
        for message in errors:
            messages.error(request, message)
        return redirect(f"{_detail(assessment)}#ind-{indicator.code}")
    sheet = {i.indicator.code: i for s in selectors.assessment_sheet(assessment) for i in s.items}
    return render(
        request,
        "assessments/_attachments.html",
        {
            "assessment": assessment,
            "item": sheet[indicator.code],
            "editable": True,
            "upload_errors": errors,
        },
        status=status,
    )


@login_required
def attachment_download(request: AuthenticatedHttpRequest, public_id: str) -> FileResponse:
    attachment = selectors.attachment_get_for_user(user=request.user, public_id=public_id)
    return FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.name,
    )


def _transition(request: AuthenticatedHttpRequest, public_id: str, action: str) -> HttpResponse:
    assessment = selectors.assessment_get_for_user(user=request.user, public_id=public_id)
    form = ReviewForm(request.POST)
    note = form.data.get("note", "")
    try:
        if action == "submit":
            services.assessment_submit(actor=request.user, assessment=assessment)
            messages.success(request, _("Submitted for review."))
        elif action == "approve":
            services.assessment_approve(actor=request.user, assessment=assessment, note=note)
            messages.success(request, _("Approved."))
        else:
            services.assessment_return(actor=request.user, assessment=assessment, note=note)
            messages.success(request, _("Returned to the team as a draft."))
    except ValidationError as exc:
        _flash(request, exc)
    return redirect(_detail(assessment))


@login_required
@require_POST
def assessment_submit(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    return _transition(request, public_id, "submit")


@login_required
@require_POST
def assessment_approve(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    return _transition(request, public_id, "approve")


@login_required
@require_POST
def assessment_return(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    return _transition(request, public_id, "return")


def _indicator_choices(assessment: Assessment) -> list[tuple[str, str]]:
    return [
        (i.indicator.code, f"{i.indicator.code} – {i.indicator.display_question[:70]}")
        for s in selectors.assessment_sheet(assessment)
        for i in s.items
    ]


@login_required
def assessment_results(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    assessment = selectors.assessment_get_for_user(user=request.user, public_id=public_id)
    context = report.report_context(user=request.user, assessment=assessment)
    others = selectors.assessments_of_point(user=request.user, assessment=assessment)
    compare_id = request.GET.get("compare")
    if compare_id:
        other = selectors.assessment_get_for_user(user=request.user, public_id=compare_id)
        other_results = selectors.assessment_results(other)
        context.update(
            previous=other,
            deltas=scoring.deltas(other_results, context["results"]),
            charts=report.chart_pair(
                context["results"],
                other_results,
                label=str(assessment.assessed_on),
                old=str(other.assessed_on),
            ),
        )
    context.update(
        others=others,
        can_write=selectors.can_write(request.user),
        recommendation_form=RecommendationForm(
            indicator_codes=_indicator_choices(assessment),
            initial={"indicator": context["gaps"][0].code if context["gaps"] else ""},
        ),
        status_choices=cast(
            forms.ChoiceField, RecommendationStatusForm.base_fields["status"]
        ).choices,
    )
    return render(request, "assessments/results.html", context)


@login_required
@require_POST
def recommendation_add(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    require_role(request.user, *services.WRITERS)
    assessment = selectors.assessment_get_for_user(user=request.user, public_id=public_id)
    form = RecommendationForm(request.POST, indicator_codes=_indicator_choices(assessment))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.recommendation_create(
                actor=request.user,
                assessment=assessment,
                text=data["text"],
                agency=data["agency"],
                due_on=data["due_on"],
                indicator=selectors.indicator_get(
                    template=assessment.template, code=data["indicator"]
                )
                if data["indicator"]
                else None,
            )
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, _("Recommendation added."))
    else:
        for field, field_errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in field_errors:
                messages.error(request, f"{label}: {message}" if label else str(message))
    return redirect(reverse("assessments:results", args=[assessment.public_id]) + "#actions")


@login_required
@require_POST
def recommendation_status(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    recommendation = selectors.recommendation_get_for_user(user=request.user, public_id=public_id)
    try:
        services.recommendation_set_status(
            actor=request.user,
            recommendation=recommendation,
            status=request.POST.get("status", ""),
        )
    except ValidationError as exc:
        _flash(request, exc)
    target = reverse("assessments:results", args=[recommendation.assessment.public_id])
    if request.htmx:
        return render(request, "assessments/_action_status.html", {"rec": recommendation})
    return redirect(target + "#actions")


@login_required
def assessment_report(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    assessment = selectors.assessment_get_for_user(user=request.user, public_id=public_id)
    context = report.report_context(user=request.user, assessment=assessment)
    return render(request, "assessments/report.html", context)


@login_required
def assessment_report_pdf(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    assessment = selectors.assessment_get_for_user(user=request.user, public_id=public_id)
    context = report.report_context(user=request.user, assessment=assessment)
    services.assessment_export_record(actor=request.user, assessment=assessment, file_format="pdf")
    response = HttpResponse(report.report_pdf(context=context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(assessment)}.pdf"'
    return response


@login_required
def assessment_xlsx(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    assessment = selectors.assessment_get_for_user(user=request.user, public_id=public_id)
    services.assessment_export_record(actor=request.user, assessment=assessment, file_format="xlsx")
    response = HttpResponse(exports.assessment_xlsx(assessment), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(assessment)}.xlsx"'
    return response


def _filename(assessment: Assessment) -> str:
    return f"assessment-{assessment.crossing_point.code}-{assessment.assessed_on}"


@login_required
def comparison(request: AuthenticatedHttpRequest) -> HttpResponse:
    columns, rows = selectors.comparison(user=request.user)
    table = [
        {
            "assessment": row.assessment,
            "overall": row.results.overall,
            "previous": row.previous,
            "change": row.change,
            "cells": [
                row.results.by_code()[code].percentage if code in row.results.by_code() else None
                for code, _title in columns
            ],
        }
        for row in rows
    ]
    return render(request, "assessments/comparison.html", {"columns": columns, "table": table})


@login_required
def action_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    actions = selectors.action_list(user=request.user, filters={"open": "all" not in request.GET})
    page = page_shown(request, actions, per_page=PAGE_SIZE)
    return render(
        request,
        "assessments/action_list.html",
        {
            "page": page,
            "can_write": selectors.can_write(request.user),
            "status_choices": cast(
                forms.ChoiceField, RecommendationStatusForm.base_fields["status"]
            ).choices,
            "show_all": "all" in request.GET,
        },
    )
