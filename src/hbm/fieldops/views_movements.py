"""The movement pages: the list, a new movement, and its manifest with the check-in at
departure and arrival. Thin: every rule is in services.movements."""

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
from hbm.audit.paging import page_shown, record_shown
from hbm.audit.services import audit_record
from hbm.fieldops import forms
from hbm.fieldops import selectors_movements as selectors
from hbm.fieldops.access import require_manager
from hbm.fieldops.models import Movement
from hbm.fieldops.services import movements as services
from hbm.lib.filters import InvalidFilters
from hbm.registry import search
from hbm.registry.selectors import (
    person_filters,
    person_get_for_user,
    person_groups,
    visible_persons,
)

PAGE_SIZE = 50
FOUND = 10


@login_required
def movement_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in selectors.STATUSES else ""
    movements = selectors.movement_list(user=request.user, status=status)
    context = {
        "page": page_shown(request, movements, per_page=PAGE_SIZE),
        "status": status,
        "statuses": Movement.Status.choices,
    }
    return render(request, "fieldops/movement_list.html", context)


@login_required
def movement_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_manager(request.user)
    form = forms.MovementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            movement = services.movement_create(actor=request.user, data=form.to_input())
        except ValidationError as error:
            forms.show_problems(form, error)
        else:
            messages.success(request, _("Movement planned: add the people who travel."))
            return redirect("fieldops:movement-detail", public_id=movement.public_id)
    status = 422 if form.errors else 200
    return render(request, "fieldops/movement_form.html", {"form": form}, status=status)


def _detail(
    request: AuthenticatedHttpRequest,
    movement: Movement,
    *,
    add_form: forms.ManifestForm | None = None,
    problems: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    entries = selectors.manifest_shown(user=request.user, movement=movement)
    context: dict[str, Any] = {
        "movement": movement,
        "entries": entries,
        "counts": selectors.manifest_counts(movement=movement, entries=entries),
        "add_form": add_form or forms.ManifestForm(),
        "problems": problems or {},
        "planned": movement.status == Movement.Status.PLANNED,
        "under_way": movement.status == Movement.Status.DEPARTED,
    }
    template = "fieldops/_manifest.html" if request.htmx else "fieldops/movement_detail.html"
    # htmx swaps only a 2xx answer into the page: its fragment shows the problem at 200.
    return render(request, template, context, status=200 if request.htmx else status)


@login_required
def movement_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    movement = selectors.movement_get_for_user(user=request.user, public_id=public_id)
    return _detail(request, movement)


@login_required
def movement_find(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """Registered persons by name, each with the groups they travel with, to add to the
    manifest (an htmx fragment)."""
    movement = selectors.movement_get_for_user(user=request.user, public_id=public_id)
    query = request.GET.get("q", "").strip()
    found: list[Any] = []
    problem = ""
    if query:
        try:
            filters = person_filters(name=query)
        except InvalidFilters as error:
            problem = " ".join(error.messages)
        else:
            ranking = search.person_ranking(user=request.user, filters=filters)[:FOUND]
            persons = visible_persons(user=request.user).in_bulk([pk for pk, _ in ranking])
            found = [
                (persons[pk], list(person_groups(person=persons[pk])[:3]))
                for pk, _ in ranking
                if pk in persons
            ]
        record_shown(
            actor=request.user,
            rows=found,
            detail=f"movement search: {len(found)} shown",
            shown=lambda row: [row[0]],
            object_type="registry.person",
        )
    context = {"movement": movement, "found": found, "query": query, "problem": problem}
    return render(request, "fieldops/_found.html", context)


@login_required
@require_POST
def manifest_add(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    movement = selectors.movement_get_for_user(user=request.user, public_id=public_id)
    form = forms.ManifestForm(request.POST)
    problems: dict[str, list[str]] = {}
    if form.is_valid():
        try:
            entries = services.manifest_add(
                actor=request.user, movement=movement, data=form.to_input()
            )
        except ValidationError as error:
            problems = error.message_dict
        else:
            messages.success(request, _("%(n)d added to the manifest.") % {"n": len(entries)})
            return redirect("fieldops:movement-detail", public_id=movement.public_id)
    for key, found in problems.items():
        form.add_error("split_reason" if key == "split_reason" else None, found)
    return _detail(request, movement, add_form=form, status=422)


@login_required
@require_POST
def manifest_remove(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    movement = selectors.movement_get_for_user(user=request.user, public_id=public_id)
    try:
        services.manifest_remove(
            actor=request.user, movement=movement, person_id=request.POST.get("person", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("fieldops:movement-detail", public_id=movement.public_id)


def _check_in(request: AuthenticatedHttpRequest, public_id: str, arriving: bool) -> HttpResponse:
    movement = selectors.movement_get_for_user(user=request.user, public_id=public_id)
    try:
        services.check_in(
            actor=request.user,
            movement=movement,
            arriving=arriving,
            person_id=request.POST.get("person", ""),
            code=request.POST.get("code", ""),
        )
    except ValidationError as error:
        return _detail(request, movement, problems=error.message_dict, status=422)
    if request.htmx:
        return _detail(request, movement)
    return redirect("fieldops:movement-detail", public_id=movement.public_id)


@login_required
@require_POST
def board(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    return _check_in(request, public_id, arriving=False)


@login_required
@require_POST
def arrive(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    return _check_in(request, public_id, arriving=True)


def _step(
    request: AuthenticatedHttpRequest, public_id: str, step: Callable[..., Movement], done: str
) -> HttpResponse:
    """The vehicle leaves or arrives (now); a refusal is shown on the movement's page."""
    movement = selectors.movement_get_for_user(user=request.user, public_id=public_id)
    try:
        step(actor=request.user, movement=movement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("fieldops:movement-detail", public_id=movement.public_id)


@login_required
@require_POST
def depart(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    return _step(request, public_id, services.movement_depart, _("The vehicle has left."))


@login_required
@require_POST
def close(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    return _step(request, public_id, services.movement_close, _("The vehicle has arrived."))


@login_required
def person_section(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """The person page's movements: departures and arrivals at transit centres, the latest
    first (a fragment; never counted as crossings)."""
    person = person_get_for_user(user=request.user, public_id=public_id)
    entries = list(selectors.person_movements(person=person)[:PAGE_SIZE])
    audit_record(
        actor=request.user, action=AuditEvent.Action.VIEW, target=person, detail="movements"
    )
    return render(request, "fieldops/person_movements.html", {"entries": entries})
