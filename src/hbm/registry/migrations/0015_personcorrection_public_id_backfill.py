"""Existing corrections get a random global id (ADR 0128)."""

import uuid

from django.db import migrations


def backfill(apps, schema_editor):
    PersonCorrection = apps.get_model("registry", "PersonCorrection")
    rows = list(PersonCorrection.objects.filter(public_id__isnull=True).only("pk"))
    for row in rows:
        row.public_id = uuid.uuid4()
    PersonCorrection.objects.bulk_update(rows, ["public_id"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("registry", "0014_personcorrection_public_id")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
