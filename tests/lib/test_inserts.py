import uuid

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


def test_the_statement_does_not_grow_with_the_rows(officer_amina):
    """On PostgreSQL the rows travel as one array per column: the same text and as many
    parameters as columns whatever the row count, so that the driver parses the statement
    once (psycopg parses again every statement of more than 50 parameters)."""
    where = {"created_by": officer_amina, "first_crossing_point": CrossingPointFactory()}
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((sql, len(params)))
        return execute(sql, params, many, context)

    written = []
    with connection.execute_wrapper(record):
        for size in (3, 7):
            clusters = insert([IdentityCluster() for _ in range(size)])
            written += insert([Person(cluster=c, given_name=f"P{c.pk}", **where) for c in clusters])
    persons = [(sql, n) for sql, n in sent if "registry_person" in sql]
    columns = len([f for f in Person._meta.concrete_fields if not f.primary_key])
    if connection.vendor == "postgresql":
        assert persons[0] == persons[1] and persons[0][1] == columns
        assert "UNNEST(" in persons[0][0]
    else:
        assert [n for _, n in persons] == [3 * columns, 7 * columns]
    stored = dict(Person.objects.values_list("pk", "given_name"))
    assert {p.pk: p.given_name for p in written} == stored and len(stored) == 10
