"""Protection and health screenings get a global id (ADR 0137): existing ones a random one,
filled in before the column becomes unique."""

import uuid

from django.db import migrations, models

MODELS = ("protectionscreening", "healthscreening")


def backfill(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("screening", name)
        rows = list(model.objects.filter(public_id__isnull=True).only("pk"))
        for row in rows:
            row.public_id = uuid.uuid4()
        model.objects.bulk_update(rows, ["public_id"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("screening", "0010_notes_and_answers_encrypt_existing")]

    operations = [
        *(
            migrations.AddField(
                model_name=name, name="public_id", field=models.UUIDField(editable=False, null=True)
            )
            for name in MODELS
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        *(
            migrations.AlterField(
                model_name=name,
                name="public_id",
                field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
            )
            for name in MODELS
        ),
    ]
