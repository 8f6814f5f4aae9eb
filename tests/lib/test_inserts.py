import uuid
from functools import lru_cache

import pytest
from django.db import IntegrityError, connection, transaction

from hbm.audit.models import AuditEvent
from hbm.lib.inserts import SMALL, insert
from hbm.registry.models import DuplicateCandidate, Group, IdentityCluster, Person
from tests.factories import CrossingPointFactory

pytestmark = pytest.mark.django_db


def test_new_rows_get_their_keys_defaults_and_stamps_in_order():
    groups = insert([Group(kind="household"), Group(kind="individual")])
    assert [g.pk for g in groups] == sorted(g.pk for g in groups)
    stored = {g.pk: g for g in Group.objects.filter(pk__in=[g.pk for g in groups])}
    for group in groups:
        assert not group._state.adding
        assert stored[group.pk].kind == group.kind
        assert stored[group.pk].public_id == group.public_id  # the default, kept
        assert stored[group.pk].created_at == group.created_at  # auto_now_add, set


def test_json_and_foreign_keys_are_stored_as_the_orm_would(officer_amina):
    a, b = insert([IdentityCluster(), IdentityCluster()])
    where = {"created_by": officer_amina, "first_crossing_point": CrossingPointFactory()}
    persons = insert(
        [
            Person(cluster=a, given_name="Achol", languages=["din", "en"], **where),
            Person(cluster=b, given_name="Deng", **where),
        ]
    )
    explanation = {"fields": [{"field": "given_name", "level": "exact", "weight": 3.1}]}
    (pair,) = insert(
        [
            DuplicateCandidate(
                person_a=persons[0],
                person_b=persons[1],
                probability=0.9,
                weight=3.2,
                explanation=explanation,
            )
        ]
    )
    stored = DuplicateCandidate.objects.select_related("person_a").get(pk=pair.pk)
    assert stored.explanation == explanation and stored.status == "open"
    assert stored.person_a.languages == ["din", "en"] and stored.person_a.cluster_id == a.pk


def test_a_failing_row_writes_none_of_the_statement():
    taken = uuid.uuid4()
    insert([Group(public_id=taken)])
    with pytest.raises(IntegrityError), transaction.atomic():
        insert([Group(kind="household"), Group(public_id=taken)])
    assert Group.objects.count() == 1


def test_many_rows_are_written_in_batches():
    count = SMALL // 10 * 3
    events = insert([AuditEvent(action="view", detail=str(n)) for n in range(count)])
    assert len({e.pk for e in events}) == count
    assert AuditEvent.objects.filter(action="view").count() == count


def test_rows_that_have_a_key_are_refused():
    (group,) = insert([Group(kind="household")])
    with pytest.raises(ValueError):
        insert([Group(kind="individual"), group])
    assert Group.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg's statement cache")
def test_a_multi_row_insert_is_parsed_once(officer_amina, monkeypatch):
    """psycopg keeps its parse of a statement only up to 50 parameters unless told more
    (hbm.lib.postgresql): three persons' rows are ~90, and were parsed on every registration."""
    from psycopg import _queries

    parsed = []
    parse = _queries._query2pg.__wrapped__
    monkeypatch.setattr(
        _queries, "_query2pg", lru_cache(64)(lambda *a: parsed.append(a[0]) or parse(*a))
    )
    where = {"created_by": officer_amina, "first_crossing_point": CrossingPointFactory()}
    for _ in range(3):
        clusters = insert([IdentityCluster() for _ in range(3)])
        persons = insert([Person(cluster=c, given_name=f"P{c.pk}", **where) for c in clusters])
    assert len(Person._meta.concrete_fields) * 3 > 50
    assert len([q for q in parsed if q.startswith(b'INSERT INTO "registry_person"')]) == 1
    assert dict(
        Person.objects.filter(pk__in=[p.pk for p in persons]).values_list("pk", "given_name")
    ) == {p.pk: p.given_name for p in persons}


def test_values_of_another_type_are_converted_as_the_orm_would(officer_amina):
    (cluster,) = insert([IdentityCluster()])
    where = {"created_by": officer_amina, "first_crossing_point": CrossingPointFactory()}
    (person,) = insert([Person(cluster=cluster, given_name="Achol", age_estimate="7", **where)])
    assert Person.objects.get(pk=person.pk).age_estimate == 7


def test_a_field_that_converts_its_values_is_never_sent_as_it_is():
    from hbm.lib.inserts import _fields, _plain_types
    from hbm.referrals.models import ReferralEvent

    plain = dict(zip(_fields(ReferralEvent), _plain_types(ReferralEvent), strict=True))
    assert plain[ReferralEvent._meta.get_field("reason")] == ()  # encrypted text
    assert plain[ReferralEvent._meta.get_field("at")] == ()  # auto_now_add
    assert plain[ReferralEvent._meta.get_field("to_status")] == (str,)
