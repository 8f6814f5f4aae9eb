from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.registry.explain import waterfall_rows, why_phrase
from hbm.security import selectors, services
from hbm.security.models import Hit

PAGE_SIZE = 50


@login_required
def hit_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Hit.Status.OPEN)
    hits = selectors.hit_review_list(user=request.user, status=status)
    page = Paginator(hits, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type="security.hit",
        detail=f"hit list ({status})",
    )
    rows = [(hit, why_phrase(hit.explanation)) for hit in page]
    return render(
        request,
        "security/hit_list.html",
        {"page": page, "rows": rows, "status": status, "statuses": Hit.Status.choices},
    )


@login_required
def hit_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
def watchlist_list(request: HttpRequest) -> HttpResponse:
    watchlists = selectors.watchlist_list(user=request.user)
    problems: list[str] = []
    if request.method == "POST":
        watchlist = selectors.watchlist_get_for_user(
            user=request.user, pk=request.POST.get("watchlist")
        )
        upload = request.FILES.get("file")
        if upload is None:
            problems = [_("Choose a file.")]
        else:
            try:
                summary = services.watchlist_load(
                    actor=request.user,
                    watchlist=watchlist,
                    content=upload.read(),
                    filename=upload.name,
                    replace=request.POST.get("replace") == "on",
                )
            except services.WatchlistRejected as rejected:
                problems = rejected.problems
            else:
                messages.success(
                    request,
                    _("%(a)d added, %(u)d updated, %(r)d removed.")
                    % {"a": summary.added, "u": summary.updated, "r": summary.removed},
                )
                return redirect("security:watchlist-list")
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type="security.watchlist",
        detail="watchlist list",
    )
    return render(
        request,
        "security/watchlist_list.html",
        {"watchlists": watchlists, "problems": problems},
        status=422 if problems else 200,
    )
