from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.audit.models import AuditEvent
from hbm.audit.paging import page_shown
from hbm.audit.services import audit_record
from hbm.places.selectors import crossing_point_list
from hbm.registry.selectors import person_get_for_user
from hbm.screening import selectors, services, tracing
from hbm.screening.models import HealthScreening, Urgency
from hbm.screening.questions import applicable, proposal
from hbm.screening.services import health

PAGE_SIZE = 50


def _answers(request: AuthenticatedHttpRequest, keys: list[str]) -> dict[str, bool]:
    return {
        key: request.POST[f"q_{key}"] == "yes"
        for key in keys
        if request.POST.get(f"q_{key}") in ("yes", "no")
    }


@login_required
def person_section(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    screenings = selectors.screening_list(user=request.user, person=person)
    audit_record(
        actor=request.user, action=AuditEvent.Action.VIEW, target=person, fields=["screenings"]
    )
    return render(
        request, "screening/person_section.html", {"person": person, "screenings": screenings}
    )


@login_required
def screening_proposal(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
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
def screening_create(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
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


@login_required
def health_section(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """The health compartment of the person page: past screenings and a quick form."""
    person = person_get_for_user(user=request.user, public_id=public_id)
    if not health.can_read_health(request.user):
        raise PermissionDenied(health.COMPARTMENT)
    event = health.active_event()
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        keys = [key for key, _label in (event.symptoms if event else [])]
        try:
            health.health_screening_record(
                actor=request.user,
                person=person,
                crossing_point=health.health_screening_point(
                    user=request.user, person=person, code=request.POST.get("point", "")
                ),
                symptoms={key: request.POST.get(f"s_{key}") == "on" for key in keys},
                temperature_celsius=request.POST.get("temperature_celsius") or None,
                vaccination=request.POST.get("vaccination", "unknown"),
                referred_for_care=request.POST.get("referred_for_care") == "on",
                notes=request.POST.get("notes", ""),
            )
        except ValidationError as error:
            errors = error.message_dict
    screenings = health.health_screening_list(user=request.user, person=person)
    audit_record(
        actor=request.user, action=AuditEvent.Action.VIEW, target=person, fields=["health"]
    )
    return render(
        request,
        "screening/health_section.html",
        {
            "person": person,
            "screenings": screenings,
            "event": event,
            "errors": errors,
            "vaccinations": HealthScreening.Vaccination.choices,
            "points": crossing_point_list(user=request.user),
        },
        status=422 if errors else 200,
    )


@login_required
def daily_health(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = health.daily_health_counts(user=request.user)
    return render(request, "screening/daily_health.html", {"rows": rows[-200:]})


@login_required
def children_alone(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The protection worklist: children flagged at the desk still to screen, then children
    a screening found unaccompanied or separated; each list pages on its own."""
    to_screen = page_shown(
        request,
        tracing.to_screen_list(user=request.user),
        detail="children to screen list",
        shown=lambda crossing: [crossing.person],
        param="to_screen",
        per_page=PAGE_SIZE,
    )
    page = page_shown(
        request,
        tracing.children_list(user=request.user),
        detail="children alone list",
        shown=lambda child: [child],
        per_page=PAGE_SIZE,
    )
    return render(request, "screening/children_alone.html", {"page": page, "to_screen": to_screen})


@login_required
def family_tracing(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    relatives = tracing.relatives_of(user=request.user, person=person)
    return render(
        request, "screening/family_tracing.html", {"person": person, "relatives": relatives}
    )
