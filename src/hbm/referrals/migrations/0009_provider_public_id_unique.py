import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("referrals", "0008_provider_public_id_backfill")]

    operations = [
        migrations.AlterField(
            model_name="provider",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
