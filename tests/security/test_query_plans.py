"""The hit lists (``GET /api/v1/hits``, ``/security/hits/``) read a page through indexes.

A security officer at a small point must not walk every hit in the country to find their
own: the hits are found from the crossings at the officer's points (crossing_point_time_idx)
and the hits of those persons (hit_once), then the officer's share is sorted. A national
security officer's unfiltered list walks the found_at index newest first and stops after a
page, every hit matching; with a status, the (status, -found_at) index gives the page."""

import pytest

from hbm.security import selectors
from hbm.security.views import PAGE_SIZE
from tests.factories import AgencyFactory, UserFactory
from tests.plans import api_page, full_scans, walks_in_order, web_page

API_ORDER = ("-found_at", "-id")  # security/api.py's CursorPagination
LATER = "2026-11-09T00:00:00+00:00"  # a cursor's position: the hits found before


@pytest.fixture
def security_chief(db, point_a, point_b):
    agency = AgencyFactory(code="police", name="Police", kind="police")
    return UserFactory(username="chief", agency=agency, roles=["security_officer", "coordinator"])


def _pages(user, status):
    return [
        api_page(selectors.hit_list(user=user, status=status), API_ORDER),
        api_page(selectors.hit_list(user=user, status=status), API_ORDER, after=LATER),
        web_page(selectors.hit_review_list(user=user, status=status), PAGE_SIZE),
        web_page(selectors.hit_review_list(user=user, status=status), PAGE_SIZE, number=3),
    ]


@pytest.mark.parametrize("status", ["", "open", "confirmed"])
def test_a_point_officers_hit_lists_read_only_their_points(security_joseph, status):
    for page in _pages(security_joseph, status):
        assert full_scans(page) == []


@pytest.mark.parametrize("status", ["open", "false_positive"])
def test_a_national_hit_list_by_status_reads_through_the_status_index(security_chief, status):
    for page in _pages(security_chief, status):
        assert full_scans(page) == []


def test_a_national_unfiltered_hit_list_walks_newest_first_and_stops(security_chief):
    for page in _pages(security_chief, ""):
        assert walks_in_order(page, "security_hit")
