"""Recording and withdrawing consents from the person page. Every rule is in
services/consents.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.registry import selectors
from hbm.registry.forms_consents import ConsentForm, WithdrawalForm
from hbm.registry.models import Person
from hbm.registry.services.consents import (
    CONSENT_WRITERS,
    NOT_A_CONSENT_WRITER,
    consent_record,
    consent_withdraw,
)


def _back_to_consents(person: Person) -> HttpResponse:
    url = reverse("registry:person-detail", kwargs={"public_id": person.public_id})
    return redirect(f"{url}#consents-h")


@login_required
def consent_new(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    person = selectors.person_get_for_user(user=request.user, public_id=public_id)
    require_role(request.user, *CONSENT_WRITERS, message=NOT_A_CONSENT_WRITER)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent_record(actor=request.user, person=person, data=form.consent_input())
        except ValidationError as error:
            form.add_problems(error.message_dict)
        else:
            messages.success(request, _("Consent recorded."))
            return _back_to_consents(person)
    audit_record(
        actor=request.user, action=AuditEvent.Action.VIEW, target=person, detail="consent form"
    )
    return render(
        request,
        "registry/consent_form.html",
        {"person": person, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def consent_withdrawal(request: AuthenticatedHttpRequest, public_id: str, pk: int) -> HttpResponse:
    consent = selectors.consent_get_for_user(user=request.user, public_id=public_id, pk=pk)
    require_role(request.user, *CONSENT_WRITERS, message=NOT_A_CONSENT_WRITER)
    form = WithdrawalForm(request.POST)
    form.is_valid()
    try:
        consent_withdraw(actor=request.user, consent=consent, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        messages.success(request, _("Consent withdrawn."))
        return _back_to_consents(consent.person)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        target=consent.person,
        detail="consent withdrawal form",
    )
    return render(
        request,
        "registry/consent_withdraw.html",
        {"person": consent.person, "consent": consent, "form": form},
        status=422,
    )
