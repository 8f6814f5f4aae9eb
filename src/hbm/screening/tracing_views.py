"""Tracing request pages: the list, the new request form (from the list, or from the person
page of the enquirer), the request with its candidates, decisions and closing."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.audit.paging import page_shown
from hbm.lib.filters import InvalidFilters
from hbm.places.selectors import crossing_point_list
from hbm.registry.models import Person
from hbm.registry.selectors import person_crossing_points, person_get_for_user, persons_openable
from hbm.screening.models import TracingEvent, TracingMatch, TracingRequest
from hbm.screening.selectors import COMPARTMENT, can_read_protection
from hbm.screening.services import tracing_requests as tracing
from hbm.screening.tracing_forms import CloseForm, DecisionForm, TracingRequestForm
from hbm.screening.tracing_reasons import reason_texts

PAGE_SIZE = 50


@login_required
def tracing_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    errors: dict[str, list[str]] = {}
    try:
        requests = tracing.tracing_request_list(user=request.user, status=status)
    except InvalidFilters as error:
        errors = error.message_dict
        requests = tracing.tracing_request_list(user=request.user).none()
    page = page_shown(
        request,
        requests,
        detail="tracing request list",
        shown=lambda r: [r.enquirer] if r.enquirer else [],
        per_page=PAGE_SIZE,
    )
    return render(
        request,
        "screening/tracing_list.html",
        {
            "page": page,
            "status": status,
            "statuses": TracingRequest.Status.choices,
            "errors": errors,
        },
        status=422 if errors else 200,
    )


@login_required
def tracing_new(request: AuthenticatedHttpRequest, public_id: str | None = None) -> HttpResponse:
    """A new request; from a person page, that person is the enquirer."""
    enquirer = None
    if public_id is not None:
        enquirer = person_get_for_user(user=request.user, public_id=public_id)
    if not can_read_protection(request.user):
        raise PermissionDenied(COMPARTMENT)
    points = crossing_point_list(user=request.user)
    if enquirer is not None:
        # The points where the enquirer crossed come first: most often, where they are now.
        points = person_crossing_points(user=request.user, person=enquirer) or points
    form = TracingRequestForm(request.POST or None, points=points, enquirer=enquirer)
    if request.method == "POST" and form.check_rules():
        try:
            created = tracing.tracing_request_open(
                actor=request.user,
                crossing_point=form.cleaned_data["crossing_point"],
                sought=form.sought(),
                relationship=form.cleaned_data["relationship"],
                enquirer=enquirer,
                enquirer_name=form.cleaned_data.get("enquirer_name", ""),
                relationship_detail=form.cleaned_data["relationship_detail"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Tracing request opened. Look for candidates below."))
            return redirect("screening:tracing-detail", pk=created.pk)
    return render(
        request,
        "screening/tracing_form.html",
        {"form": form, "enquirer": enquirer},
        status=422 if form.errors else 200,
    )


def _person_card(person: Person, openable: set[int]) -> dict[str, Any]:
    """Name, sex, birth and first point; linked only when the viewer may open the person."""
    born = person.date_of_birth
    if not born and person.age_estimate is not None:
        born = _("about %(age)s years old") % {"age": person.age_estimate}
    return {
        "name": person.full_name,
        "public_id": person.public_id if person.pk in openable else None,
        "sex": person.get_sex_display(),
        "born": born,
        "point": person.first_crossing_point.name,
    }


def _match_rows(matches: list[TracingMatch], openable: set[int]) -> list[dict[str, Any]]:
    return [
        {
            "match": m,
            "person": _person_card(m.person, openable),
            "score": round(m.score * 100),
            "reasons": reason_texts(m.reasons),
        }
        for m in matches
    ]


def _history(events: list[TracingEvent], request: TracingRequest) -> list[dict[str, Any]]:
    rows = []
    for event in events:
        detail = event.note
        if event.kind == TracingEvent.Kind.PROPOSED:
            detail = _("%(n)s new candidates") % {"n": event.note or 0}
        elif event.kind == TracingEvent.Kind.DECIDED and event.match is not None:
            detail = f"{event.match.person.full_name}: {event.match.get_decision_display()}"
            detail += f" · {event.note}" if event.note else ""
        elif event.kind == TracingEvent.Kind.CLOSED:
            detail = request.get_closing_reason_display() + (
                f" · {event.note}" if event.note else ""
            )
        rows.append(
            {
                "at": event.at,
                "actor": event.actor.get_full_name() or event.actor.get_username(),
                "kind": event.get_kind_display(),
                "detail": detail,
            }
        )
    return rows


def _detail_page(
    request: AuthenticatedHttpRequest, found: TracingRequest, close_form: CloseForm | None = None
) -> HttpResponse:
    matches = list(tracing.tracing_matches(request=found))
    shown = [m.person for m in matches] + ([found.enquirer] if found.enquirer else [])
    openable = persons_openable(user=request.user, persons=shown)
    tracing.audit_request_read(user=request.user, request=found, persons=shown[: len(matches)])
    return render(
        request,
        "screening/tracing_detail.html",
        {
            "req": found,
            "enquirer": _person_card(found.enquirer, openable) if found.enquirer else None,
            "rows": _match_rows(matches, openable),
            "events": _history(list(tracing.tracing_events(request=found)), found),
            "close_form": close_form or CloseForm(),
            "is_open": found.status == TracingRequest.Status.OPEN,
        },
        status=422 if close_form is not None and close_form.errors else 200,
    )


@login_required
def tracing_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = tracing.tracing_request_get_for_user(user=request.user, pk=pk)
    return _detail_page(request, found)


def _refused(request: AuthenticatedHttpRequest, problems: Mapping[str, Iterable[object]]) -> None:
    """A refused action on the request page: each reason shown above the page."""
    for reasons in problems.values():
        for reason in reasons:
            messages.error(request, str(reason))


@login_required
@require_POST
def tracing_propose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = tracing.tracing_request_get_for_user(user=request.user, pk=pk)
    try:
        proposed = tracing.tracing_request_propose(actor=request.user, request=found)
    except ValidationError as error:
        _refused(request, error.message_dict)
    else:
        if proposed:
            messages.success(request, _("%(n)s new candidates proposed.") % {"n": len(proposed)})
        else:
            messages.info(request, _("No new candidate found. Search again later."))
    return redirect("screening:tracing-detail", pk=found.pk)


@login_required
@require_POST
def tracing_decide(request: AuthenticatedHttpRequest, pk: int, match_pk: int) -> HttpResponse:
    found = tracing.tracing_request_get_for_user(user=request.user, pk=pk)
    match = tracing.tracing_match_get(request=found, pk=match_pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        _refused(request, form.errors)
        return redirect("screening:tracing-detail", pk=found.pk)
    try:
        tracing.tracing_match_decide(
            actor=request.user,
            match=match,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        _refused(request, error.message_dict)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("screening:tracing-detail", pk=found.pk)


@login_required
@require_POST
def tracing_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = tracing.tracing_request_get_for_user(user=request.user, pk=pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            tracing.tracing_request_close(
                actor=request.user,
                request=found,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Tracing request closed."))
            return redirect("screening:tracing-detail", pk=found.pk)
    return _detail_page(request, found, close_form=form)
