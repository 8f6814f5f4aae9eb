"""The children alone list (``/screening/children/``) is read from the screenings that flag a
child (a partial index holds only those), not by checking every person in the registry for
one: its cost follows the flagged children, a small share, then the protection officer's
scope (their points' crossings of each) and the sort by last screening apply to those."""

import pytest

from hbm.screening import tracing
from hbm.screening.views import PAGE_SIZE
from tests.factories import UserFactory
from tests.plans import full_scans, web_page


@pytest.fixture
def protection_lead(db, point_a, point_b):
    return UserFactory(username="lead", roles=["protection_officer", "coordinator"])


@pytest.mark.parametrize("persona", ["protection_bruno", "protection_lead"])
def test_the_children_alone_list_reads_the_flagged_screenings(db, request, persona):
    children = tracing.children_list(user=request.getfixturevalue(persona))
    for number in (1, 3):
        # SQLite says SCAN of the partial index: it holds the flagged screenings only.
        scans = full_scans(web_page(children, PAGE_SIZE, number))
        assert [line for line in scans if not line.endswith("screening_child_alone_idx")] == []
