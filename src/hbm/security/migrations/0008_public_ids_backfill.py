"""Existing watchlists and entries get a random global id (ADR 0130)."""

import uuid

from django.db import migrations


def backfill(apps, schema_editor):
    for name in ("Watchlist", "WatchlistEntry"):
        model = apps.get_model("security", name)
        rows = list(model.objects.filter(public_id__isnull=True).only("pk"))
        for row in rows:
            row.public_id = uuid.uuid4()
        model.objects.bulk_update(rows, ["public_id"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("security", "0007_field_screening_and_public_ids")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
