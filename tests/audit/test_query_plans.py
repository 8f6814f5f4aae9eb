"""The audit log's pages (``/audit/``, ``GET /api/v1/audit/events``) read through indexes for
every filter: the log is the biggest table (every read of a record writes a row).

Pages run newest first by (occurred_at, id). Unfiltered, the occurred_at index is walked
from the newest and the walk stops after a page (as it does from an older page's position).
A user name is looked up by the (actor_label, -occurred_at) index (which finds the failed
logins under that name too); an action by
(action, -occurred_at); a record by (object_type, object_id, -occurred_at); days by a range of
occurred_at, each giving the page in order. A record type alone is read by its range of
(object_type, object_id, -occurred_at) and sorted: bounded by that type's events, not by the
page (a type of most of the log, registry.person, sorts most of the log: remains to do)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hbm.accounts.services import login_record
from hbm.audit import selectors
from hbm.audit.services import audit_record
from hbm.audit.views import PAGE_SIZE
from tests.plans import api_page, full_scans, sorts, walks_in_order, web_page

API_ORDER = ("-occurred_at", "-id")  # audit/api.py's CursorPagination
LATER = "2026-11-09T00:00:00+00:00"  # a cursor's position: the events before
FILTERS = [
    {"actor": "amina"},
    {"actor": "someone-unknown"},  # a failed login's name
    {"action": "view"},
    {"object_type": "registry.person", "object_id": "5"},
    {"object_type": "registry.person", "action": "view"},
    {"since": date(2026, 11, 1)},
    {"until": date(2026, 11, 9)},
    {"since": date(2026, 11, 1), "until": date(2026, 11, 9)},
    {"actor": "amina", "since": date(2026, 11, 1)},
]


def _pages(admin, filters):
    events = selectors.audit_event_list(user=admin, filters=filters)
    return [
        api_page(events, API_ORDER),
        api_page(events, API_ORDER, after=LATER),
        web_page(events, PAGE_SIZE + 1),
        web_page(selectors.audit_events_before(events, 1000), PAGE_SIZE + 1),
    ]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f))
def test_each_audit_filter_reads_through_an_index(admin_samuel, officer_amina, filters):
    for page in _pages(admin_samuel, filters):
        assert full_scans(page) == []
        assert sorts(page) == []


def test_the_unfiltered_log_walks_newest_first_and_stops(admin_samuel):
    for page in _pages(admin_samuel, {}):
        assert walks_in_order(page, "audit_auditevent")


def test_a_record_type_alone_reads_that_types_range(admin_samuel):
    for page in _pages(admin_samuel, {"object_type": "registry.person"}):
        assert full_scans(page) == []


def test_the_indexed_filters_find_the_same_events(admin_samuel, officer_amina):
    audit_record(actor=officer_amina, action="view", object_type="registry.person")
    login_record(user=None, succeeded=False, username="amina")

    def found(**filters):
        events = selectors.audit_event_list(user=admin_samuel, filters=filters)
        return [(e.actor_label, e.action) for e in events.exclude(object_type="audit.auditevent")]

    assert found(actor="amina") == [("amina", "login_failed"), ("amina", "view")]
    today = timezone.localdate()
    assert len(found(since=today, until=today)) == 2
    assert found(until=today - timedelta(days=1)) == []
    assert found(since=today + timedelta(days=1)) == []


def test_an_older_page_follows_on_from_the_last_event_shown(admin_samuel, officer_amina):
    for n in range(5):
        audit_record(actor=officer_amina, action="view", object_type="x", object_id=str(n))
    first = selectors.audit_event_list(user=admin_samuel, filters={"object_type": "x"})
    ids = [e.object_id for e in first]
    after = [e.object_id for e in selectors.audit_events_before(first, first[1].pk)]
    assert ids == ["4", "3", "2", "1", "0"] and after == ids[2:]
