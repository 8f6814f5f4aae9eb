"""Referrals and their transitions get a global id (ADR 0137): existing ones a random one,
filled in before the columns become unique."""

import uuid

from django.db import migrations, models


def backfill(apps, schema_editor):
    for name in ("Referral", "ReferralEvent"):
        model = apps.get_model("referrals", name)
        rows = list(model.objects.filter(public_id__isnull=True).only("pk"))
        for row in rows:
            row.public_id = uuid.uuid4()
        model.objects.bulk_update(rows, ["public_id"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0010_pathway_active")]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="referralevent",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="referral",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="referralevent",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
