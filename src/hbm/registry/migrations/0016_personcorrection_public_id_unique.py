import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0015_personcorrection_public_id_backfill")]

    operations = [
        migrations.AlterField(
            model_name="personcorrection",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
