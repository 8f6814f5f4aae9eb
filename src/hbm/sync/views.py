"""National: the conflicts field stations' changes raised, to compare and resolve."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.audit.models import AuditEvent
from hbm.audit.paging import page_shown
from hbm.audit.services import audit_record
from hbm.registry.services.corrections import may_correct
from hbm.sync import selectors
from hbm.sync.forms import ConflictFilterForm, ResolveForm
from hbm.sync.models import ChangeKind, SyncConflict
from hbm.sync.services.conflicts import sync_conflict_resolve

CONFLICTS_PER_PAGE = 25


@login_required
def conflict_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ConflictFilterForm(request.GET or None)
    status = form.status_chosen()
    conflicts = selectors.conflict_list(user=request.user, status=status).order_by("-id")
    page = page_shown(
        request,
        conflicts,
        per_page=CONFLICTS_PER_PAGE,
        shown=lambda conflict: [conflict.person] if conflict.person else [],
        object_type="sync.conflict",
        detail="sync conflicts",
    )
    return render(
        request,
        "sync/conflict_list.html",
        {"form": form, "page": page},
    )


@login_required
def conflict_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conflict = selectors.conflict_get_for_user(user=request.user, pk=pk)
    form = ResolveForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            sync_conflict_resolve(
                actor=request.user,
                conflict=conflict,
                note=form.cleaned_data["note"],
                apply=form.cleaned_data["resolution"] == "apply",
                seen_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Conflict resolved."))
            return redirect("sync:conflict-detail", pk=conflict.pk)
    if form.errors:
        status = 422
    _audit_view(request, conflict)
    versions = selectors.conflict_versions(conflict)
    return render(
        request,
        "sync/conflict_detail.html",
        {
            "conflict": conflict,
            "fields": selectors.conflict_comparison(conflict),
            "versions": versions,
            "form": form,
            "sent": selectors.conflict_record_sent(conflict),
            "may_apply": may_correct(request.user)
            and conflict.person is not None
            and conflict.change.kind == ChangeKind.PERSON_CORRECTION,
            "is_open": conflict.status == SyncConflict.Status.OPEN,
        },
        status=status,
    )


def _audit_view(request: AuthenticatedHttpRequest, conflict: SyncConflict) -> None:
    """The page shows the person's identity (now, as the station saw it, as it proposed)."""
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        target=conflict.person,
        object_type="" if conflict.person else "sync.conflict",
        object_id="" if conflict.person else str(conflict.pk),
        detail=f"sync conflict {conflict.pk}",
    )
