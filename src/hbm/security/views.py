from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.accounts.selectors import agency_list
from hbm.audit.models import AuditEvent
from hbm.audit.paging import page_shown
from hbm.audit.services import audit_record
from hbm.lib.uploads import two_step_import
from hbm.registry.explain import waterfall_rows, why_phrase
from hbm.security import selectors, services
from hbm.security.forms import WatchlistFileForm, WatchlistForm
from hbm.security.models import Hit

PAGE_SIZE = 50
LOADS_SHOWN = 10


@login_required
def hit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", Hit.Status.OPEN)
    hits = selectors.hit_review_list(user=request.user, status=status)
    page = page_shown(
        request, hits, detail=f"hit list ({status})", object_type="security.hit", per_page=PAGE_SIZE
    )
    rows = [(hit, why_phrase(hit.explanation)) for hit in page]
    return render(
        request,
        "security/hit_list.html",
        {"page": page, "rows": rows, "status": status, "statuses": Hit.Status.choices},
    )


@login_required
def hit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    hit = selectors.hit_get_for_user(user=request.user, pk=pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            services.hit_decide(
                actor=request.user,
                hit=hit,
                decision=request.POST.get("decision", ""),
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("security:hit-list")
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW, target=hit)
    explained = {"why": why_phrase(hit.explanation), "rows": waterfall_rows(hit.explanation)}
    return render(
        request,
        "security/hit_detail.html",
        {"hit": hit, "errors": errors, **explained},
        status=422 if errors else 200,
    )


@login_required
def watchlist_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    watchlists = selectors.watchlist_list(user=request.user)
    run = selectors.rescreen_latest(user=request.user)
    if request.htmx and request.method == "GET":  # the rescreen's progress, polled
        poll_url = reverse("security:watchlist-list")
        return render(request, "security/_rescreen.html", {"run": run, "poll_url": poll_url})
    form = WatchlistForm(request.POST or None, agencies=agency_list(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            watchlist = services.watchlist_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("List created. Now load its entries."))
            return redirect("security:watchlist-load", pk=watchlist.pk)
    page = page_shown(
        request,
        watchlists,
        detail="watchlist list",
        object_type="security.watchlist",
        per_page=PAGE_SIZE,
    )
    return render(
        request,
        "security/watchlist_list.html",
        {"page": page, "form": form, "run": run},
        status=422 if form.errors else 200,
    )


@login_required
def watchlist_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    watchlist = selectors.watchlist_get_for_user(user=request.user, pk=pk)
    run = selectors.rescreen_latest(user=request.user)
    if request.htmx:  # the rescreen's progress, polled while it runs
        return render(request, "security/_rescreen.html", {"run": run, "watchlist": watchlist})
    page = page_shown(request, selectors.watchlist_entries(watchlist=watchlist), per_page=PAGE_SIZE)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        target=watchlist,
        detail=f"entries page {page.number}",
    )
    return render(
        request,
        "security/watchlist_detail.html",
        {
            "watchlist": watchlist,
            "loads": selectors.watchlist_loads(watchlist=watchlist)[:LOADS_SHOWN],
            "page": page,
            "run": run,
        },
    )


@login_required
@require_POST
def watchlist_field_screening(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Screen the list at field stations, or stop (the owner agency's officers only)."""
    watchlist = selectors.watchlist_get_for_user(user=request.user, pk=pk)
    on = request.POST.get("field_screening") == "on"
    services.watchlist_field_screening_set(actor=request.user, watchlist=watchlist, on=on)
    messages.success(
        request,
        _("Field stations screen against this list from their next pull.")
        if on
        else _("Field stations stop screening against this list at their next pull."),
    )
    return redirect("security:watchlist-detail", pk=watchlist.pk)


@login_required
def watchlist_load(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Check the file (nothing written), then load it on confirmation: all or nothing."""
    watchlist = selectors.watchlist_get_for_user(user=request.user, pk=pk)
    replace = request.POST.get("replace") == "on"

    def run(content: bytes, filename: str, dry_run: bool) -> services.LoadSummary:
        load = services.watchlist_load_check if dry_run else services.watchlist_load
        return load(
            actor=request.user,
            watchlist=watchlist,
            content=content,
            filename=filename,
            replace=replace,
        )

    def done(summary: services.LoadSummary) -> HttpResponse:
        messages.success(
            request,
            _("Loaded: %(a)d added, %(u)d updated, %(r)d removed.")
            % {"a": summary.added, "u": summary.updated, "r": summary.removed},
        )
        return redirect("security:watchlist-detail", pk=watchlist.pk)

    return two_step_import(
        request,
        template="security/watchlist_load.html",
        run=run,
        on_done=done,
        form_class=WatchlistFileForm,
        extra_context={"watchlist": watchlist},
    )
