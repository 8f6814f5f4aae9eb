"""Correcting a person's record from the person page. Every rule is in services/corrections.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.places.selectors import country_list
from hbm.registry import selectors
from hbm.registry.forms import PersonCorrectionForm
from hbm.registry.services import PERSON_WRITERS, corrections


@login_required
def person_correct(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    person = selectors.person_get_for_user(user=request.user, public_id=public_id)
    require_role(request.user, *PERSON_WRITERS)
    countries = dict(country_list().values_list("code", "name"))
    form = PersonCorrectionForm(request.POST or None, person=person, countries=countries)
    if request.method == "POST" and form.is_valid():
        try:
            result = corrections.person_correct(
                actor=request.user,
                person=person,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_problems(error.message_dict)
        else:
            _tell(request, result)
            return redirect("registry:person-detail", public_id=person.public_id)
    audit_record(
        actor=request.user, action=AuditEvent.Action.VIEW, target=person, detail="correction form"
    )
    return render(
        request,
        "registry/person_correct.html",
        {"person": person, "form": form, "countries": countries},
        status=422 if form.errors else 200,
    )


def _tell(request: AuthenticatedHttpRequest, result: corrections.CorrectionResult) -> None:
    messages.success(request, _("The record is corrected."))
    found = result.new_duplicate_pairs
    if found:
        messages.info(
            request,
            ngettext(
                "As corrected, the record looks like %(n)d other record: the pair waits for "
                "review.",
                "As corrected, the record looks like %(n)d other records: the pairs wait for "
                "review.",
                found,
            )
            % {"n": found},
        )
