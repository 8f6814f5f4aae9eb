"""The tallies list (``GET /api/v1/flow-counts``, ``/flows/counts/``) reads a page through
indexes. An enumerator's points are read by (crossing_point, window_start) and their share
sorted (one point given: that point's range, in order). National roles read every tally: the
window_start index is walked newest first and the walk stops after a page."""

import pytest

from hbm.flows import selectors
from hbm.flows.views import COUNTS_PER_PAGE
from tests.plans import api_page, full_scans, sorts, walks_in_order, web_page

API_ORDER = ("-window_start", "-id")  # flows/api.py's CursorPagination
LATER = "2026-11-09T00:00:00+00:00"  # a cursor's position: the windows before


def _pages(user, point=""):
    counts = selectors.flow_count_list(user=user, point=point)
    return [
        api_page(counts, API_ORDER),
        api_page(counts, API_ORDER, after=LATER),
        web_page(counts, COUNTS_PER_PAGE),
        web_page(counts, COUNTS_PER_PAGE, number=3),
    ]


@pytest.mark.parametrize("point", ["", "point-a"])
def test_an_enumerators_list_reads_their_points(enumerator_esther, point):
    for page in _pages(enumerator_esther, point):
        assert full_scans(page) == []
        if point:
            assert sorts(page) == []


def test_a_national_list_of_one_point_reads_its_range_in_order(coordinator_patrick):
    for page in _pages(coordinator_patrick, "point-a"):
        assert full_scans(page) == []
        assert sorts(page) == []


def test_a_national_unfiltered_list_walks_newest_first_and_stops(coordinator_patrick):
    for page in _pages(coordinator_patrick):
        assert walks_in_order(page, "flows_flowcount")
