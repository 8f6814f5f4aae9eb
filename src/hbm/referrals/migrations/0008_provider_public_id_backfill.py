"""Existing providers get a random global id (ADR 0130)."""

import uuid

from django.db import migrations


def backfill(apps, schema_editor):
    Provider = apps.get_model("referrals", "Provider")
    rows = list(Provider.objects.filter(public_id__isnull=True).only("pk"))
    for row in rows:
        row.public_id = uuid.uuid4()
    Provider.objects.bulk_update(rows, ["public_id"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0007_provider_public_id")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
