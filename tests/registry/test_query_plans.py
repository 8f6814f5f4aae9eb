"""Every person search filter, the crossing list and the duplicate queue are read through
indexes: the plans never scan the person or crossing table whole. On PostgreSQL sequential
scans are priced out first (tiny test tables make them the cheapest plan); a scan that
remains is one no index can serve."""

from datetime import date

import pytest

from hbm.registry import selectors
from tests.plans import full_scans, walks_in_order
from tests.registry.helpers import register

BIG_TABLES = ("registry_person", "registry_crossing")
DAYS = {"crossed_since": date(2026, 11, 1), "crossed_until": date(2026, 11, 9)}


@pytest.fixture
def registry(officer_amina, officer_bintu):
    register(officer_amina, {"given_name": "Amani", "phone": "+243810000001"})
    register(officer_bintu, {"given_name": "Baraka", "document_number": "P1"}, point="point-b")


FILTERS = [
    {"crossing_point": "point-a", "crossed_until": date(2026, 11, 9)},
    {"crossing_point": "point-a", **DAYS},
    {"crossing_point": "point-a"},
    DAYS,
    {"crossed_since": date(2026, 11, 1)},
    {"phone": "+243 81 000 0001"},
    {"phone": "+243 81 000 0001", "crossing_point": "point-a", **DAYS},
    {"document_number": "p 1"},
    {"nationality": "COD"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(sorted(f)))
@pytest.mark.parametrize("persona", ["officer_amina", "coordinator_patrick"])
def test_person_search_filters_use_indexes(request, registry, persona, filters):
    user = request.getfixturevalue(persona)
    persons = selectors.person_list(user=user, filters=selectors.person_filters(**filters))
    assert full_scans(persons[:51], BIG_TABLES) == []


def test_a_point_officers_unfiltered_list_is_read_from_their_points(registry, officer_amina):
    persons = selectors.person_list(user=officer_amina, filters=selectors.person_filters())
    assert full_scans(persons[:51]) == []


def test_a_national_unfiltered_list_walks_the_registry_newest_first(registry, coordinator_patrick):
    """Every person is in a national role's scope: reading stops after one page."""
    persons = selectors.person_list(user=coordinator_patrick, filters=selectors.person_filters())
    assert walks_in_order(persons[:51], "registry_person")


@pytest.mark.parametrize(
    "filters",
    [
        {"crossing_point": "point-a", "since": date(2026, 11, 1), "until": date(2026, 11, 9)},
        {"crossing_point": "point-a", "until": date(2026, 11, 9)},
        {"since": date(2026, 11, 1)},
        {"until": date(2026, 11, 9)},
    ],
    ids=lambda f: ",".join(sorted(f)),
)
@pytest.mark.parametrize("persona", ["officer_amina", "coordinator_patrick"])
def test_the_crossing_list_uses_indexes(request, registry, persona, filters):
    user = request.getfixturevalue(persona)
    assert full_scans(selectors.crossing_list(user=user, **filters)[:51], BIG_TABLES) == []


def test_an_officers_crossing_list_reads_only_their_points(registry, officer_amina):
    assert full_scans(selectors.crossing_list(user=officer_amina)[:51], BIG_TABLES) == []


@pytest.mark.parametrize("show", ["open", "decided", "all"])
def test_an_officers_duplicate_queue_reads_no_table_whole(registry, officer_amina, show):
    """Both databases read the open pairs by the queue's index and keep those with a person
    in the officer's scope (one hash lookup per side): bounded by the open queue, not by the
    officer's share of it. The decided pairs and all pairs too."""
    queue = selectors.duplicate_queue(user=officer_amina, show=show)[:51]
    assert full_scans(queue, (*BIG_TABLES, "registry_duplicatecandidate")) == []


@pytest.mark.parametrize("show", ["open", "decided", "all"])
def test_the_national_duplicate_queue_is_read_most_likely_first(
    registry, coordinator_patrick, show
):
    queue = selectors.duplicate_queue(user=coordinator_patrick, show=show)[:51]
    assert full_scans(queue, (*BIG_TABLES, "registry_duplicatecandidate")) == []
