"""The remaining lists an officer or coordinator pages through, read through indexes: the
person page's lists (a person's crossings, groups and other registrations: each from the
person's own index), crossing points, assessments and device tokens. The person page's
tables and the tokens are watched with the big ones. A national role's assessments are read
whole, sorted by date: a few per crossing point and year, no index is worth its writes.
Person search, crossings and duplicates: tests/registry/test_query_plans.py; hits, referrals, audit,
tallies and children alone: each app's test_query_plans.py."""

import pytest

from hbm.accounts import selectors as accounts
from hbm.assessments import selectors as assessments
from hbm.assessments.views import PAGE_SIZE as ASSESSMENTS_PER_PAGE
from hbm.places.selectors import crossing_point_list
from hbm.registry import selectors as registry
from hbm.registry.views import PERSON_PAGE_LISTS
from tests.plans import BIG_TABLES, api_page, full_scans, walks_in_order, web_page
from tests.registry.helpers import register

WATCHED = (
    *BIG_TABLES,
    "registry_group",
    "registry_groupmember",
    "accounts_devicetoken",
)


@pytest.fixture
def person(officer_amina):
    head, _child = register(officer_amina, {"given_name": "Amani"}, {"given_name": "Baraka"})
    return head


@pytest.mark.parametrize("param", sorted(PERSON_PAGE_LISTS))
def test_the_person_pages_lists_read_the_persons_rows(person, param):
    select, per_page = PERSON_PAGE_LISTS[param]
    rows = select(person=person)
    for number in (1, 3):
        assert full_scans(web_page(rows, per_page, number), WATCHED) == []


@pytest.mark.parametrize("persona", ["officer_amina", "coordinator_patrick"])
def test_crossing_points_assessments_and_tokens_read_through_indexes(request, persona, db):
    user = request.getfixturevalue(persona)
    pages = [
        api_page(crossing_point_list(user=user), ("code",)),
        web_page(assessments.assessment_list(user=user), ASSESSMENTS_PER_PAGE),
        web_page(
            assessments.assessment_list(user=user, filters={"status": "approved"}),
            ASSESSMENTS_PER_PAGE,
        ),
        api_page(assessments.assessment_list(user=user), ("-assessed_on", "-id")),
        accounts.device_token_list(user=user),
    ]
    for page in pages:
        assert full_scans(page, WATCHED) == []


@pytest.mark.parametrize("persona", ["officer_amina", "coordinator_patrick"])
@pytest.mark.parametrize("kind", ["", "travel_group"])
def test_the_group_list_reads_through_indexes(request, persona, kind, person):
    user = request.getfixturevalue(persona)
    groups = registry.group_list(user=user, kind=kind)
    for after in (None, 10):
        page = api_page(groups, ("-id",), after)
        if persona == "coordinator_patrick" and not kind:  # everyone's: newest first
            assert walks_in_order(page, "registry_group")
        else:
            assert full_scans(page, WATCHED) == []
