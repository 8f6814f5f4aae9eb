import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hbm.audit.models import AuditEvent
from hbm.lib.postgresql.compiler import VALUES_UP_TO

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the backend for PostgreSQL only"),
]


def _insert_sql(count: int) -> str:
    events = [AuditEvent(action="view", detail=f'"quoted" {n}') for n in range(count)]
    with CaptureQueriesContext(connection) as queries:
        AuditEvent.objects.bulk_create(events)
    (insert,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    return insert


def test_a_small_bulk_insert_is_one_values_list_and_a_large_one_unnests_columns():
    columns = len([f for f in AuditEvent._meta.concrete_fields if not f.primary_key])
    small = VALUES_UP_TO // columns
    assert "UNNEST" not in _insert_sql(small)
    assert "UNNEST" in _insert_sql(small + 1)
    stored = AuditEvent.objects.filter(detail__startswith='"quoted"').count()
    assert stored == 2 * small + 1
