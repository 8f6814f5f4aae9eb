"""The rescue pages: the list, a new incident, and the incident with the people found, their
injuries and the referrals raised for them. Thin: every rule is in services.rescues."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.audit.models import AuditEvent
from hbm.audit.paging import page_shown
from hbm.audit.services import audit_record
from hbm.fieldops import forms_rescues as forms
from hbm.fieldops import selectors
from hbm.fieldops import selectors_rescues as rescues
from hbm.fieldops.access import require_manager
from hbm.fieldops.models import RescueIncident
from hbm.fieldops.services import rescues as services
from hbm.lib.permissions import has_any_role
from hbm.places.selectors import crossing_point_list
from hbm.referrals.selectors import can_refer
from hbm.registry.selectors import person_get_for_user
from hbm.registry.services import REGISTERING_ROLES

PAGE_SIZE = 50
# Who reads the condition notes of a person found (health details) on the person page; the
# other readers of the person see the injury level only (ADR 0146).
CONDITION_READERS = ("health_officer", "protection_officer", "coordinator", "administrator")


@login_required
def rescue_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_manager(request.user)
    filters = forms.RescueFilterForm(request.GET)
    valid = filters.is_valid()
    incidents = (
        rescues.rescue_list(user=request.user, **filters.cleaned_data)
        if valid
        else RescueIncident.objects.none()
    )
    context = {"page": page_shown(request, incidents, per_page=PAGE_SIZE), "filters": filters}
    return render(request, "fieldops/rescue_list.html", context, status=200 if valid else 422)


def _show_problems(form: Any, error: ValidationError) -> None:
    """The service's problems on the form's fields (``new_person.sex`` on sex)."""
    for key, problems in error.message_dict.items():
        field = key.removeprefix("new_person.").partition(".")[0]
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


@login_required
def rescue_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_manager(request.user)
    form = forms.RescueForm(
        request.POST or None,
        points=crossing_point_list(user=request.user),
        teams=selectors.team_list(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.rescue_create(actor=request.user, data=form.to_input())
        except ValidationError as error:
            _show_problems(form, error)
        else:
            messages.success(request, _("Rescue incident recorded: add the people found."))
            return redirect("fieldops:rescue-detail", public_id=incident.public_id)
    status = 422 if form.errors else 200
    return render(request, "fieldops/rescue_form.html", {"form": form}, status=status)


def _detail(
    request: AuthenticatedHttpRequest,
    incident: RescueIncident,
    *,
    found_form: forms.FoundForm | None = None,
    outcome_form: forms.OutcomeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    found = rescues.rescued_shown(user=request.user, incident=incident)
    referrals = rescues.rescue_referrals(user=request.user, incident=incident, found=found)
    context: dict[str, Any] = {
        "incident": incident,
        "found": [(row, referrals.get(row.person_id, [])) for row in found],
        "found_form": found_form or forms.FoundForm(),
        "outcome_form": outcome_form or forms.OutcomeForm(initial={"outcome": incident.outcome}),
        "open": incident.outcome != RescueIncident.Outcome.CLOSED,
        "may_register": has_any_role(request.user, *REGISTERING_ROLES),
        "may_refer": can_refer(request.user),
    }
    return render(request, "fieldops/rescue_detail.html", context, status=status)


@login_required
def rescue_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    incident = rescues.rescue_get_for_user(user=request.user, public_id=public_id)
    return _detail(request, incident)


def _write(
    request: AuthenticatedHttpRequest,
    public_id: str,
    form_class: type[forms.FoundForm] | type[forms.OutcomeForm],
    write: Callable[[RescueIncident, Any], object],
    done: str,
) -> HttpResponse:
    """Check the form, then write through the service; a refusal shows the incident's page
    with the problems on the form's fields (422), nothing written."""
    incident = rescues.rescue_get_for_user(user=request.user, public_id=public_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            write(incident, form)
        except ValidationError as error:
            _show_problems(form, error)
        else:
            messages.success(request, done)
            return redirect("fieldops:rescue-detail", public_id=incident.public_id)
    if isinstance(form, forms.FoundForm):
        return _detail(request, incident, found_form=form, status=422)
    return _detail(request, incident, outcome_form=form, status=422)


@login_required
@require_POST
def rescued_add(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    def add(incident: RescueIncident, form: forms.FoundForm) -> object:
        return services.rescued_add(actor=request.user, incident=incident, data=form.to_input())

    return _write(request, public_id, forms.FoundForm, add, _("Person found added."))


@login_required
@require_POST
def rescue_outcome(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    def set_outcome(incident: RescueIncident, form: forms.OutcomeForm) -> object:
        outcome = form.cleaned_data["outcome"]
        return services.rescue_set_outcome(actor=request.user, incident=incident, outcome=outcome)

    return _write(request, public_id, forms.OutcomeForm, set_outcome, _("Outcome saved."))


@login_required
def person_section(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """The person page's rescues: the incidents they were found in, the latest first (a
    fragment)."""
    person = person_get_for_user(user=request.user, public_id=public_id)
    rows = list(rescues.person_rescues(person=person)[:PAGE_SIZE])
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW, target=person, detail="rescues")
    context = {"rows": rows, "condition": has_any_role(request.user, *CONDITION_READERS)}
    return render(request, "fieldops/person_rescues.html", context)
