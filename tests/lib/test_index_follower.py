"""The base of the in-process indexes: a row changed by another process replaces its records
(and drops those it no longer has), a row that must not match leaves the index, and a look
reads again only the rows stamped inside its overlap."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hbm.lib.index_follower import IndexFollower
from hbm.matching import PersonRecord
from hbm.registry.models import Person
from tests.registry.helpers import register

MAX_NAMES = 3


class PersonNames(IndexFollower[Person]):
    """One record per name of a person (given name, then aliases); a person without a given
    name is not indexed."""

    model = Person
    overlap = timedelta(seconds=1)

    def rows(self, objects):
        return objects

    def stamp(self, row):
        return row.pk, row.updated_at

    def records(self, row):
        if not row.given_name:
            return []
        names = [row.given_name, *filter(None, row.other_names.split(";"))]
        return [PersonRecord(id=f"{row.pk}:{n}", given_name=name) for n, name in enumerate(names)]

    def record_ids(self, pk):
        return [f"{pk}:{n}" for n in range(MAX_NAMES)]


class PersonNamesFromLastLook(PersonNames):
    overlap_from_last_look = True


def names(index):
    return sorted((record.id.split(":")[1], record.given_name) for record in index.records())


def change(person, **fields):
    Person.objects.filter(pk=person.pk).update(**fields, updated_at=timezone.now())


def test_a_changed_row_replaces_its_records_and_drops_those_it_no_longer_has(officer_amina):
    follower = PersonNames()
    (achol,) = register(officer_amina, {"given_name": "Achol", "other_names": "Ajok;Akol"})
    assert names(follower.current()) == [("0", "Achol"), ("1", "Ajok"), ("2", "Akol")]
    change(achol, given_name="Acholl", other_names="Ajok")
    assert names(follower.current()) == [("0", "Acholl"), ("1", "Ajok")]


def test_a_row_that_must_not_match_leaves_the_index_and_comes_back(officer_amina):
    follower = PersonNames()
    (achol,) = register(officer_amina, {"given_name": "Achol", "other_names": "Ajok"})
    (deng,) = register(officer_amina, {"given_name": "Deng"})
    assert len(follower.current()) == 3
    change(achol, given_name="")
    assert [record.id for record in follower.current().records()] == [f"{deng.pk}:0"]
    change(achol, given_name="Achol")
    assert len(follower.current()) == 3


def test_a_look_reads_again_the_rows_stamped_inside_its_overlap_only(officer_amina):
    follower = PersonNames()
    (first,) = register(officer_amina, {"given_name": "First"})
    follower.current()
    (late, too_late) = register(officer_amina, {"given_name": "Late"}, {"given_name": "Lost"})
    # as if both had committed only now, stamped before the newest change this process saw
    stamped = Person.objects.get(pk=first.pk).updated_at
    Person.objects.filter(pk=late.pk).update(updated_at=stamped - timedelta(seconds=0.5))
    Person.objects.filter(pk=too_late.pk).update(updated_at=stamped - timedelta(seconds=5))
    seen = {name for _, name in names(follower.current())}
    assert seen == {"First", "Late"}, "a writer that commits later must stamp its rows again"


def test_rows_indexed_at_their_stamp_are_not_loaded_again(officer_amina):
    follower = PersonNames()
    register(officer_amina, {"given_name": "Once"})
    follower.current()
    with CaptureQueriesContext(connection) as queries:
        follower.current()
    assert len(queries) == 1  # the (id, stamp) look, nothing to load


@pytest.mark.parametrize(
    ("follower", "seen"), [(PersonNames, True), (PersonNamesFromLastLook, False)]
)
def test_the_overlap_may_count_back_from_the_last_look(officer_amina, follower, seen):
    """Rows stamped long after the newest change seen but before the last look's overlap
    began: read again by a follower that counts its overlap from the last change only."""
    (first, later) = register(officer_amina, {"given_name": "First"}, {"given_name": "Later"})
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Person.objects.filter(pk=first.pk).update(updated_at=an_hour_ago)
    Person.objects.filter(pk=later.pk).update(updated_at=an_hour_ago - timedelta(hours=1))
    index = follower()
    index.current()
    Person.objects.filter(pk=later.pk).update(
        given_name="Changed", updated_at=an_hour_ago + timedelta(minutes=30)
    )
    assert (("0", "Changed") in names(index.current())) is seen
