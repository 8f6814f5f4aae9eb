from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.retention import selectors, services, subject_access
from hbm.retention.models import RetentionRun
from hbm.retention.policies import POLICIES


@login_required
@require_http_methods(["GET"])
def run_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    runs = selectors.retention_run_list(user=request.user)
    rows = [(run, [(policy, run.results.get(policy.code)) for policy in POLICIES]) for run in runs]
    context = {
        "rows": rows,
        "policies": POLICIES,
        "next_due": selectors.retention_next_due(),
        "daily": settings.RETENTION_DAILY,
    }
    return render(request, "retention/run_list.html", context)


@login_required
@require_POST
def dry_run(request: AuthenticatedHttpRequest) -> HttpResponse:
    run = services.retention_run(
        actor=request.user, kind=RetentionRun.Kind.REPORT, trigger=RetentionRun.Trigger.WEB
    )
    eligible = sum(result["eligible"] for result in run.results.values())
    messages.success(
        request,
        _("Dry run %(run)s: %(n)s records would be purged; nothing changed.")
        % {"run": run.pk, "n": eligible},
    )
    return redirect("retention:run-list")


@login_required
@require_http_methods(["GET"])
def subject_access_pdf(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    person = subject_access.subject_access_person(
        user=request.user, public_id=str(public_id), channel="pdf"
    )
    data = subject_access.subject_access_export(user=request.user, person=person, channel="pdf")
    response = HttpResponse(subject_access.subject_access_pdf(data=data), "application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{person.public_id}.pdf"'
    )
    return response
