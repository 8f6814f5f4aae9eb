from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.registry.selectors import person_get_for_user
from hbm.screening import selectors, services
from hbm.screening.models import Urgency
from hbm.screening.questions import applicable, proposal


def _answers(request: HttpRequest, keys: list[str]) -> dict[str, bool]:
    return {
        key: request.POST[f"q_{key}"] == "yes"
        for key in keys
        if request.POST.get(f"q_{key}") in ("yes", "no")
    }


@login_required
def person_section(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    screenings = selectors.screening_list(user=request.user, person=person)
    audit_record(
        actor=request.user, action=AuditEvent.Action.VIEW, target=person, fields=["screenings"]
    )
    return render(
        request, "screening/person_section.html", {"person": person, "screenings": screenings}
    )


@login_required
def screening_proposal(request: HttpRequest, public_id: str) -> HttpResponse:
    """The codes and urgency the answers given so far propose (htmx, as the officer answers)."""
    person = person_get_for_user(user=request.user, public_id=public_id)
    if not selectors.can_read_protection(request.user):
        raise PermissionDenied(selectors.COMPARTMENT)
    questions = applicable(services.subject_of(person))
    codes, urgency = proposal(_answers(request, [q.key for q in questions]))
    return render(
        request,
        "screening/proposal.html",
        {
            "proposed": set(codes),
            "urgency": urgency,
            "codes": selectors.need_codes(),
            "urgencies": Urgency.choices,
        },
    )


@login_required
def screening_create(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    if not selectors.can_read_protection(request.user):
        raise PermissionDenied(selectors.COMPARTMENT)
    subject = services.subject_of(person)
    questions = applicable(subject)
    context = {
        "person": person,
        "subject": subject,
        "questions": questions,
        "codes": selectors.need_codes(),
        "urgencies": Urgency.choices,
        "proposed": set(),
        "urgency": "normal",
        "errors": {},
    }
    if request.method == "POST":
        answers = _answers(request, [q.key for q in questions])
        try:
            services.screening_record(
                actor=request.user,
                person=person,
                answers=answers,
                codes=request.POST.getlist("codes"),
                urgency=request.POST.get("urgency"),
                notes=request.POST.get("notes", ""),
            )
        except ValidationError as error:
            context.update(
                errors=error.message_dict,
                answers=answers,
                proposed=set(request.POST.getlist("codes")),
                urgency=request.POST.get("urgency"),
            )
            return render(request, "screening/screening_form.html", context, status=422)
        messages.success(request, _("Screening recorded."))
        return redirect("registry:person-detail", public_id=person.public_id)
    audit_record(
        actor=request.user, action=AuditEvent.Action.VIEW, target=person, detail="screening form"
    )
    return render(request, "screening/screening_form.html", context)
