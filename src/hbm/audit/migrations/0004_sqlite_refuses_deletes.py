"""SQLite refuses DELETE of audit events too, as PostgreSQL does since 0002.

The test suite's flush of SQLite empties tables with DELETE: tests/conftest.py lifts this
trigger for that flush only (``audit_deletes_refused``)."""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_event_no_delete;"


def _on_sqlite(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_actor_indexed_with_time")]
    operations = [migrations.RunPython(_on_sqlite(SQLITE_UP), _on_sqlite(SQLITE_DOWN))]
