"""The hit lists (``GET /api/v1/hits``, ``/security/hits/``) read a page through indexes.

Both lists run in the review order, most likely first (``selectors.HIT_ORDER``). A security
officer at a small point must not walk every hit in the country to find their own: the hits
are found from the crossings at the officer's points (crossing_point_time_idx) and the hits of
those persons (hit_once), then the officer's share is sorted. A national security officer's
list walks an index in the review order and stops after a page: within a status (the page's
default, "waiting for review") hit_review_idx, over all hits hit_likely_idx."""

import pytest

from hbm.security import selectors
from hbm.security.views import PAGE_SIZE
from tests.factories import AgencyFactory, UserFactory
from tests.plans import api_page, full_scans, plan, sorts, walks_in_order, web_page

API_ORDER = selectors.HIT_ORDER  # security/api.py's CursorPagination
LESS_LIKELY = "0.75"  # a cursor's position: the hits at most this likely


@pytest.fixture
def security_chief(db, point_a, point_b):
    agency = AgencyFactory(code="police", name="Police", kind="police")
    return UserFactory(username="chief", agency=agency, roles=["security_officer", "coordinator"])


def _pages(user, status):
    return [
        api_page(selectors.hit_list(user=user, status=status), API_ORDER),
        api_page(selectors.hit_list(user=user, status=status), API_ORDER, after=LESS_LIKELY),
        web_page(selectors.hit_review_list(user=user, status=status), PAGE_SIZE),
        web_page(selectors.hit_review_list(user=user, status=status), PAGE_SIZE, number=3),
    ]


def _reads_through(page, index):
    return any(index in line for line in plan(page))


@pytest.mark.parametrize("status", ["", "open", "confirmed"])
def test_a_point_officers_hit_lists_read_only_their_points(security_joseph, status):
    for page in _pages(security_joseph, status):
        assert full_scans(page) == []


@pytest.mark.parametrize("status", ["open", "false_positive"])
def test_a_national_hit_list_by_status_walks_the_review_index_and_stops(security_chief, status):
    for page in _pages(security_chief, status):
        assert full_scans(page) == [], "only the hits of that status are read"
        assert sorts(page) == [], "in the review order: nothing is sorted"
        # PostgreSQL may walk the unfiltered order and skip other statuses when its statistics
        # (left by earlier tests) say the table is small; either walk stops after a page.
        assert _reads_through(page, "hit_review_idx") or _reads_through(page, "hit_likely_idx")


def test_a_national_unfiltered_hit_list_walks_most_likely_first_and_stops(security_chief):
    for page in _pages(security_chief, ""):
        assert walks_in_order(page, "security_hit")
        assert _reads_through(page, "hit_likely_idx")


def test_a_lists_entries_are_paged_through_its_own_index(security_chief):
    from hbm.security import services

    watchlist = services.watchlist_create(
        actor=security_chief, owner=security_chief.agency, name="National", legal_basis="Law"
    )
    entries = selectors.watchlist_entries(watchlist=watchlist)
    for number in (1, 3):
        page = web_page(entries, PAGE_SIZE, number)
        assert full_scans(page, ("security_watchlistentry",)) == []
        assert sorts(page) == []
    lists = selectors.watchlist_list(user=security_chief)
    assert full_scans(api_page(lists, ("name", "id")), ("security_watchlistentry",)) == []
