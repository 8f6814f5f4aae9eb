from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.audit.models import AuditEvent
from hbm.audit.paging import page_shown, record_shown
from hbm.audit.services import audit_record
from hbm.lib.permissions import has_any_role, require_role
from hbm.lib.uploads import two_step_import
from hbm.registry import hooks, presenters, search, selectors
from hbm.registry.forms import PersonSearchForm
from hbm.registry.sections import person_actions_for, person_sections_for
from hbm.registry.services import EXPORTERS, REGISTERING_ROLES, corrections, imports
from hbm.registry.services.consents import CONSENT_WRITERS

PAGE_SIZE = 50


@login_required
def person_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "results": None}
    if form.is_valid() and not form.is_empty():
        if form.filters.name:
            context.update(_ranked_page(request, form))
        else:
            context.update(_newest_page(request, form))
        used = sorted(k for k, v in form.cleaned_data.items() if v)
        record_shown(
            actor=request.user,
            rows=context["results"],
            detail=f"search by {', '.join(used)}: {len(context['results'])} shown",
            shown=lambda person: [person],
            object_type="registry.person",
        )
    template = "registry/person_results.html" if request.htmx else "registry/person_search.html"
    context["can_export"] = has_any_role(request.user, *EXPORTERS)
    # htmx swaps only a 2xx answer into the page: its partial shows the errors at 200.
    status = 422 if form.errors and not request.htmx else 200
    return render(request, template, context, status=status)


def _ranked_page(request: AuthenticatedHttpRequest, form: PersonSearchForm) -> dict[str, Any]:
    """A page of a name search, most alike first, paged by number like the other lists."""
    ranking = search.person_ranking(user=request.user, filters=form.filters)
    page = page_shown(request, search.RankedPersons(ranking), per_page=PAGE_SIZE)
    return {
        "results": list(page.object_list),
        "page": page,
        "ranked": True,
        "capped": len(ranking) >= search.MAX_RESULTS,
        "max_results": search.MAX_RESULTS,
    }


def _newest_page(request: AuthenticatedHttpRequest, form: PersonSearchForm) -> dict[str, Any]:
    """A page of a search without a name, newest first, read on from the last person of the
    page before (no count of a registry-wide list)."""
    before = request.GET.get("before", "")
    persons = selectors.person_list(
        user=request.user, filters=form.filters, before=int(before) if before.isdigit() else None
    )
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
    "corrections": (selectors.person_corrections, 10),
    "consents": (selectors.person_consents, 10),
}


@login_required
def person_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    person = selectors.person_get_for_user(user=request.user, public_id=public_id)
    pages = {
        param: page_shown(request, select(person=person), param=param, per_page=per_page)
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
            "actions": person_actions_for(request.user),
            "desk_result": selectors.registration_crossings(
                user=request.user, public_id=request.GET.get("registered", "")
            ),
            "flags": hooks.flags_for(person),
            "can_correct": corrections.may_correct(request.user),
            "can_write_consent": has_any_role(request.user, *CONSENT_WRITERS),
            "correction_rows": [
                (correction, presenters.correction_changes(correction))
                for correction in pages["corrections"]
            ],
        },
    )


@login_required
def registration_import(request: AuthenticatedHttpRequest) -> HttpResponse:
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
        on_done=done,
    )
