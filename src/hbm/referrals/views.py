from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.audit.models import AuditEvent
from hbm.audit.paging import page_shown
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.lib.uploads import two_step_import
from hbm.referrals import presenters, selectors, services
from hbm.referrals.dashboard import protection_dashboard
from hbm.referrals.forms import ReferralForm, TransitionForm
from hbm.referrals.models import Referral
from hbm.referrals.services.directory import (
    DirectorySummary,
    directory_export,
    directory_import,
)
from hbm.registry.selectors import person_crossing_points, person_get_for_user

PAGE_SIZE = 50


@login_required
def person_section(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    if not selectors.can_refer(request.user):
        raise PermissionDenied(selectors.NO_ACCESS)
    return render(
        request,
        "referrals/person_section.html",
        {
            "person": person,
            "referrals": selectors.person_referrals(user=request.user, person=person)[:20],
            "latest_screening": selectors.latest_screening(user=request.user, person=person),
        },
    )


def _referral_form(
    request: AuthenticatedHttpRequest, person: Any, data: Any = None
) -> ReferralForm:
    points = person_crossing_points(user=request.user, person=person)
    if data is not None:
        return ReferralForm(data, points=points)
    initial = selectors.referral_prefill(
        user=request.user, person=person, need_code=request.GET.get("need_code", "")
    )
    return ReferralForm(points=points, initial={**initial, **request.GET.dict()})


def _form_page(
    request: AuthenticatedHttpRequest,
    person: Any,
    form: ReferralForm,
    template: str,
    shown: Any = None,
) -> HttpResponse:
    """The form, each field with its errors: every error once submitted; while the officer
    fills it in (``shown``), the errors of the fields given so far and what the referral
    rules say once every field needed is given."""
    rows = [(field, field.errors if shown is None or field.name in shown else []) for field in form]
    return render(
        request,
        template,
        {"person": person, "form": form, "rows": rows},
        status=422 if shown is None and form.errors else 200,
    )


@login_required
def referral_create(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    if not selectors.can_refer(request.user):
        raise PermissionDenied(selectors.NO_ACCESS)
    if request.method != "POST":
        form = _referral_form(request, person)
        return _form_page(request, person, form, "referrals/referral_form.html", shown=set())
    form = _referral_form(request, person, request.POST)
    if form.is_valid():
        try:
            services.referral_send(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Referral sent."))
            return redirect("registry:person-detail", public_id=person.public_id)
    return _form_page(request, person, form, "referrals/referral_form.html")


@login_required
@require_POST
def referral_check(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """The form's fields again as the officer fills them in (htmx, on each change): the
    providers of the chosen service, and the problems found so far, nothing sent."""
    person = person_get_for_user(user=request.user, public_id=public_id)
    if not selectors.can_refer(request.user):
        raise PermissionDenied(selectors.NO_ACCESS)
    form = _referral_form(request, person, request.POST)
    form.forget_unoffered_provider()
    shown = {name for name in form.fields if form.data.get(name)}
    if form.is_valid():
        problems = services.referral_problems(
            actor=request.user, person=person, **form.cleaned_data
        )
        if problems:
            form.add_service_errors(ValidationError(problems))
        shown |= set(problems)
    return _form_page(request, person, form, "referrals/referral_fields.html", shown=shown)


@login_required
def referral_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    referrals = selectors.referral_list(user=request.user, status=status, overdue=overdue)
    page = page_shown(
        request, referrals, detail="referral list", shown=lambda r: [r.person], per_page=PAGE_SIZE
    )
    return render(
        request,
        "referrals/referral_list.html",
        {
            "page": page,
            "rows": presenters.people_shown(request.user, page),
            "status": status,
            "overdue": overdue,
        },
    )


@login_required
def referral_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get_for_user(user=request.user, pk=pk)
    form = TransitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_transition(
                actor=request.user,
                referral=referral,
                to_status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                outcome=form.cleaned_data["outcome"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Referral updated."))
            return redirect("referrals:referral-detail", pk=referral.pk)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        target=referral.person,
        fields=sorted(referral.shared) if referral.personal_data else [],
        detail=f"referral {referral.pk}{'' if referral.personal_data else ' (metadata)'}",
    )
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "form": form,
            "person": presenters.person_shown(request.user, referral),
            "shared": presenters.shared_rows(referral) if referral.personal_data else [],
            "events": presenters.history(referral),
            "actions": presenters.actions(request.user, referral),
        },
        status=422 if form.errors else 200,
    )


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    figures = protection_dashboard(user=request.user, days=30)
    top = max([row["n"] for row in figures["needs"]] or [1])
    # The funnel's statuses are codes (the API gives them as such); the page shows their labels.
    funnel = [
        {"status": Referral.Status(row["status"]).label, "n": row["n"]} for row in figures["funnel"]
    ]
    return render(
        request, "referrals/dashboard.html", {"figures": figures, "funnel": funnel, "top": top}
    )


@login_required
def directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, "administrator")
    if request.GET.get("export") == "xlsx":
        response = HttpResponse(
            directory_export(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="hbm-service-directory.xlsx"'
        return response

    def run(content: bytes, filename: str, dry_run: bool) -> DirectorySummary:
        return directory_import(actor=request.user, content=content, dry_run=dry_run)

    def done(summary: DirectorySummary) -> HttpResponse:
        messages.success(
            request,
            _("Imported %(p)d providers and %(w)d pathways.")
            % {"p": summary.providers, "w": summary.pathways},
        )
        return redirect("referrals:directory")

    return two_step_import(
        request,
        template="referrals/directory.html",
        run=run,
        on_done=done,
    )
