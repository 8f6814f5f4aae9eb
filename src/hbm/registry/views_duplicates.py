"""The duplicate queue and the review of a pair. Every rule is in services/duplicates.py; the
queue's filter (``show``) and page travel with the officer to the review and back, so a
decision or its undo returns to the same place in the list."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.audit.models import AuditEvent
from hbm.audit.paging import page_shown
from hbm.audit.services import audit_record
from hbm.lib.permissions import has_any_role
from hbm.registry import explain, selectors
from hbm.registry.forms import DuplicateDecisionForm
from hbm.registry.models import DuplicateCandidate
from hbm.registry.services import duplicates
from hbm.registry.views import PAGE_SIZE

SHOWS = [
    ("open", gettext_lazy("Waiting for review")),
    ("decided", gettext_lazy("Decided")),
    ("all", gettext_lazy("All")),
]


def _place(request: AuthenticatedHttpRequest) -> dict[str, str]:
    """Where the officer is in the queue: its filter and page, as query parameters."""
    show = request.GET.get("show", "open")
    place = {"show": show if show in selectors.QUEUE_SHOWS else "open"}
    page = request.GET.get("page", "")
    if page.isdigit():
        place["page"] = page
    return place


def _queue_url(place: dict[str, str], **extra: str) -> str:
    return f"{reverse('registry:duplicate-queue')}?{urlencode({**place, **extra})}"


def _just_decided(request: AuthenticatedHttpRequest) -> DuplicateCandidate | None:
    """The pair the officer has just decided, for its Undo; None once undone."""
    pk = request.GET.get("decided", "")
    if not pk.isdigit():
        return None
    try:
        pair = selectors.duplicate_get_for_user(user=request.user, pk=int(pk))
    except Http404:
        return None
    return None if pair.status == DuplicateCandidate.Status.OPEN else pair


@login_required
def duplicate_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            scan = duplicates.duplicate_scan_request(actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if scan.started_at:
                messages.success(request, _("The last rescan had stopped; it goes on from there."))
            else:
                messages.success(request, _("Rescan queued; progress shows below."))
        return redirect("registry:duplicate-queue")
    context: dict[str, Any] = {
        "scan": selectors.duplicate_scan_latest(),
        "can_rescan": has_any_role(request.user, "coordinator", "administrator"),
        "can_review": duplicates.may_review(request.user),
    }
    if request.htmx:  # the rescan's progress, polled: it shows no pair, so reads none
        return render(request, "registry/duplicate_scan.html", context)
    place = _place(request)
    pairs = selectors.duplicate_queue(user=request.user, show=place["show"])
    page = page_shown(
        request,
        pairs,
        detail="duplicate queue",
        shown=lambda pair: [pair.person_a, pair.person_b],
        per_page=PAGE_SIZE,
    )
    rows = [(pair, explain.why_phrase(pair.explanation)) for pair in page]
    place["page"] = str(page.number)
    context |= {
        "page": page,
        "rows": rows,
        "show": place["show"],
        "shows": [(value, label, _queue_url({"show": value})) for value, label in SHOWS],
        "place": urlencode(place),
        "decided": _just_decided(request),
    }
    return render(request, "registry/duplicate_queue.html", context)


@login_required
def duplicate_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    pair = selectors.duplicate_get_for_user(user=request.user, pk=pk)
    place = _place(request)
    form = DuplicateDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            if decision == "undo":
                duplicates.duplicate_undo(actor=request.user, candidate=pair)
            else:
                duplicates.duplicate_decide(
                    actor=request.user,
                    candidate=pair,
                    decision=decision,
                    reason=form.cleaned_data["reason"],
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if decision == "undo":
                messages.success(request, _("Decision undone: the pair waits for review again."))
                return redirect(_queue_url(place))
            messages.success(request, _("Decision recorded."))
            return redirect(_queue_url(place, decided=str(pair.pk)))
    return render(
        request,
        "registry/duplicate_review.html",
        {
            "pair": pair,
            "form": form,
            "cards": _cards(request, pair),
            "figures": explain.explained(pair.explanation),
            "place": urlencode(place),
            "back": _queue_url(place),
            "can_review": duplicates.may_review(request.user),
        },
        status=422 if form.errors else 200,
    )


def _cards(
    request: AuthenticatedHttpRequest, pair: DuplicateCandidate
) -> list[tuple[str, object, str]]:
    """Each person of the pair with how much the reviewer sees: "open" (a person of their area
    of work: the whole record, linked), "revealed" (another point's person they took the
    "needed for this case" step for) or "minimum" (a short card: name, year of birth, sex,
    point and date registered). Either is a read of the person, audited."""
    persons = (pair.person_a, pair.person_b)
    openable = selectors.persons_openable(user=request.user, persons=persons)
    revealed = selectors.persons_revealed(user=request.user, person_ids=[p.pk for p in persons])
    shown = {
        p.pk: "open" if p.pk in openable else "revealed" if p.pk in revealed else "minimum"
        for p in persons
    }
    for person in persons:
        extra = {"open": "", "revealed": ", revealed for a case", "minimum": ", short card"}
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.VIEW,
            target=person,
            detail=f"duplicate review {pair.pk}{extra[shown[person.pk]]}",
        )
    labels = (_("Person A"), _("Person B"))
    return [
        (label, person, shown[person.pk]) for label, person in zip(labels, persons, strict=True)
    ]
