"""The flow series' counts are updated in place (ADR 0145): no index holds `people`, and on
PostgreSQL the two tables leave room in each page for the updated row versions."""

from django.db import migrations

TABLES = ("flows_flowdaily", "flows_flowrollup")
FILLFACTOR = 70


def leave_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {FILLFACTOR})")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("flows", "0004_rebuild_runs")]

    operations = [
        migrations.RemoveIndex(model_name="flowdaily", name="flowdaily_cover"),
        migrations.RemoveIndex(model_name="flowrollup", name="flowrollup_cover"),
        migrations.RunPython(leave_room, fill_pages),
    ]
