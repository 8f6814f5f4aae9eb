from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record, audit_record_many
from hbm.lib.permissions import require_role
from hbm.lib.uploads import two_step_import
from hbm.registry import duplicates, explain, hooks, imports, search, selectors
from hbm.registry.forms import DuplicateDecisionForm, PersonSearchForm
from hbm.registry.sections import person_sections_for
from hbm.registry.services import EXPORTERS, REGISTERING_ROLES

PAGE_SIZE = 50


@login_required
def person_search(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "results": None}
    if form.is_valid() and not form.is_empty():
        if form.filters.name:
            context.update(_ranked_page(request, form))
        else:
            context.update(_newest_page(request, form))
        used = sorted(k for k, v in form.cleaned_data.items() if v)
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.VIEW,
            object_type="registry.person",
            detail=f"search by {', '.join(used)}: {len(context['results'])} shown",
        )
    template = "registry/person_results.html" if request.htmx else "registry/person_search.html"
    context["can_export"] = request.user.is_superuser or request.user.has_role(*EXPORTERS)
    # htmx swaps only a 2xx answer into the page: its partial shows the errors at 200.
    status = 422 if form.errors and not request.htmx else 200
    return render(request, template, context, status=status)


def _ranked_page(request: HttpRequest, form: PersonSearchForm) -> dict[str, Any]:
    """A page of a name search, most alike first, paged by number like the other lists."""
    ranking = search.person_ranking(user=request.user, filters=form.filters)
    page = Paginator(search.RankedPersons(ranking), PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "results": list(page.object_list),
        "page": page,
        "ranked": True,
        "capped": len(ranking) >= search.MAX_RESULTS,
        "max_results": search.MAX_RESULTS,
    }


def _newest_page(request: HttpRequest, form: PersonSearchForm) -> dict[str, Any]:
    """A page of a search without a name, newest first, read on from the last person of the
    page before (no count of a registry-wide list)."""
    persons = selectors.person_list(user=request.user, filters=form.filters)
    before = request.GET.get("before", "")
    if before.isdigit():
        persons = persons.filter(pk__lt=int(before))
    results = list(persons[: PAGE_SIZE + 1])
    older = None
    if len(results) > PAGE_SIZE:
        results = results[:PAGE_SIZE]
        query = request.GET.copy()
        query["before"] = str(results[-1].pk)
        older = query.urlencode()
    return {"results": results, "older": older}


# The person page's lists, each paged on its own query parameter (`?crossings=3`), so that
# paging one keeps the others on the page they were: (selector, rows per page).
PERSON_PAGE_LISTS: dict[str, tuple[Callable[..., QuerySet[Any]], int]] = {
    "crossings": (selectors.person_crossings, 25),
    "groups": (selectors.person_groups, 10),
    "registrations": (selectors.person_cluster_members, 10),
    "duplicates": (selectors.person_duplicate_candidates, 10),
}


@login_required
def person_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    person = selectors.person_get_for_user(user=request.user, public_id=public_id)
    pages = {
        param: Paginator(select(person=person), per_page).get_page(request.GET.get(param))
        for param, (select, per_page) in PERSON_PAGE_LISTS.items()
    }
    later = [f"{param} p. {page.number}" for param, page in pages.items() if page.number > 1]
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        target=person,
        detail=", ".join(["person page", *later]),
    )
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            **pages,
            "openable": selectors.persons_openable(
                user=request.user, persons=pages["registrations"]
            ),
            "sections": person_sections_for(request.user),
            "flags": hooks.flags_for(person),
        },
    )


@login_required
def duplicate_queue(request: HttpRequest) -> HttpResponse:
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
    scan = selectors.duplicate_scan_latest()
    context = {
        "scan": scan,
        "can_rescan": request.user.has_role("coordinator", "administrator"),
    }
    if request.htmx:  # the rescan's progress, polled: it shows no pair, so reads none
        return render(request, "registry/duplicate_scan.html", context)
    pairs = selectors.duplicate_queue(user=request.user)
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record_many(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        targets=[p for pair in page for p in (pair.person_a, pair.person_b)],
        detail="duplicate queue",
    )
    rows = [(pair, explain.why_phrase(pair.explanation)) for pair in page]
    return render(request, "registry/duplicate_queue.html", {**context, "page": page, "rows": rows})


@login_required
def duplicate_review(request: HttpRequest, pk: int) -> HttpResponse:
    pair = selectors.duplicate_get_for_user(user=request.user, pk=pk)
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
            messages.success(request, _("Decision recorded."))
            return redirect("registry:duplicate-queue")
    for person in (pair.person_a, pair.person_b):
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.VIEW,
            target=person,
            detail=f"duplicate review {pair.pk}",
        )
    return render(
        request,
        "registry/duplicate_review.html",
        {
            "pair": pair,
            "form": form,
            "why": explain.why_phrase(pair.explanation),
            "rows": explain.waterfall_rows(pair.explanation),
        },
        status=422 if form.errors else 200,
    )


@login_required
def registration_import(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *REGISTERING_ROLES)

    def run(content: bytes, filename: str, dry_run: bool) -> imports.ImportSummary:
        return imports.registrations_import(
            actor=request.user, content=content, filename=filename, dry_run=dry_run
        )

    def done(summary: imports.ImportSummary) -> HttpResponse:
        messages.success(
            request,
            _("Imported %(g)d groups (%(p)d people).")
            % {"g": summary.groups, "p": summary.persons},
        )
        return redirect("registry:person-search")

    return two_step_import(
        request,
        template="registry/registration_import.html",
        run=run,
        rejected=imports.ImportRejected,
        on_done=done,
    )
