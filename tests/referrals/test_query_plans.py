"""The referral lists (``GET /api/v1/referrals``, ``/referrals/``) read a page through
indexes, for each reader's scope and filter.

- A sender (protection or health officer) reads the referrals of their points: the
  (crossing_point, status, -sent_at) index, with or without a status; their share is sorted.
- A provider's users read their agency's providers' inbox: (provider, status, -sent_at).
- Coordinators and administrators read every referral: unfiltered, the -sent_at index (the
  web page) or the primary key (the API) is walked newest first and the walk stops after a
  page; by status, (status, -sent_at) gives the page in order.
- Overdue (open and past due, any scope): the (status, due_at) index reads the overdue
  referrals of the country, a share that work keeps small, then the reader's are sorted."""

import pytest

from hbm.referrals import selectors
from hbm.referrals.models import Provider
from hbm.referrals.views import PAGE_SIZE
from tests.factories import AgencyFactory, UserFactory
from tests.plans import api_page, full_scans, sorts, walks_in_order, web_page

API_ORDER = ("-sent_at", "-id")  # referrals/api.py's CursorPagination
LATER = "2026-11-09T00:00:00+00:00"  # a cursor's position: the referrals sent before
FILTERS = [{"status": "pending"}, {"status": "completed"}, {"overdue": True}]


@pytest.fixture
def provider_ruth(db):
    agency = AgencyFactory(code="icpn", name="Ituri Child Protection Network", kind="ngo")
    Provider.objects.create(name="ICPN Mahagi", agency=agency)
    Provider.objects.create(name="ICPN Aru", agency=agency)
    return UserFactory(username="ruth", agency=agency, roles=["service_provider"])


def _pages(user, **filters):
    referrals = selectors.referral_list(user=user, **filters)
    return [
        api_page(referrals, API_ORDER),
        api_page(referrals, API_ORDER, after=LATER),
        web_page(referrals, PAGE_SIZE),
        web_page(referrals, PAGE_SIZE, number=3),
    ]


@pytest.mark.parametrize("filters", [{}, *FILTERS], ids=lambda f: ",".join(f) or "all")
@pytest.mark.parametrize("persona", ["protection_bruno", "provider_ruth"])
def test_a_senders_and_a_providers_lists_read_their_share(db, request, persona, filters):
    user = request.getfixturevalue(persona)
    for page in _pages(user, **filters):
        assert full_scans(page) == []


@pytest.mark.parametrize(
    "filters", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items())
)
@pytest.mark.parametrize("persona", ["coordinator_patrick", "admin_samuel"])
def test_a_national_list_by_status_reads_the_status_in_order(db, request, persona, filters):
    user = request.getfixturevalue(persona)
    for page in _pages(user, **filters):
        assert full_scans(page) == []
        if "status" in filters:
            assert sorts(page) == []


@pytest.mark.parametrize("persona", ["coordinator_patrick", "admin_samuel"])
def test_a_national_unfiltered_list_walks_newest_first_and_stops(db, request, persona):
    for page in _pages(request.getfixturevalue(persona)):
        assert walks_in_order(page, "referrals_referral")
