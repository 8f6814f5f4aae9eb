"""Consents get a global id (ADR 0137): existing ones a random one, filled in before the
column becomes unique. A registration's consents recorded from now on derive theirs from the
registration's id, so the station and the national server give them the same."""

import uuid

from django.db import migrations, models


def backfill(apps, schema_editor):
    Consent = apps.get_model("registry", "Consent")
    rows = list(Consent.objects.filter(public_id__isnull=True).only("pk"))
    for row in rows:
        row.public_id = uuid.uuid4()
    Consent.objects.bulk_update(rows, ["public_id"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("registry", "0016_personcorrection_public_id_unique")]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="consent",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
