from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hbm.audit import selectors
from hbm.audit.forms import AuditFilterForm

PAGE_SIZE = 100


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    """Newest first, each page read on from the last event of the one before (not by an
    offset), so that deep pages stay fast on millions of events."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_event_list(user=request.user, filters=filters)
    before = request.GET.get("before", "")
    if before.isdigit():
        events = selectors.audit_events_before(events, int(before))
    page = list(events[: PAGE_SIZE + 1])
    query = request.GET.copy()
    query.pop("before", None)
    older = None
    if len(page) > PAGE_SIZE:
        page = page[:PAGE_SIZE]
        query["before"] = str(page[-1].id)
        older = query.urlencode()
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "events": page,
            "older": older,
            "is_first_page": not before,
        },
    )
