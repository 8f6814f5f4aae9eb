"""The protection worklist's "to screen" list reads the crossings flagged at the desk as a
child without a related adult through a partial index on the registry's crossing table.

The index is the screening app's: it serves this app's list only, and the registry's
migrations are not ours to add to (docs/decisions/0025-to-screen-worklist.md). It is made
with Django's own index SQL, so the planner matches it with the queries Django writes, on
SQLite and PostgreSQL alike."""

from typing import Any

from django.db import migrations, models

INDEX = models.Index(
    fields=["-crossed_at", "-id"],
    condition=models.Q(child_without_related_adult=True),
    name="crossing_to_screen_idx",
)


def create(apps: Any, schema_editor: Any) -> None:
    schema_editor.add_index(apps.get_model("registry", "Crossing"), INDEX)


def drop(apps: Any, schema_editor: Any) -> None:
    schema_editor.remove_index(apps.get_model("registry", "Crossing"), INDEX)


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0007_merge_corrections_and_group_kind"),
        ("screening", "0006_children_alone_indexed"),
    ]

    operations = [migrations.RunPython(create, drop)]
