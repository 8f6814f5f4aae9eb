import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("security", "0008_public_ids_backfill")]

    operations = [
        migrations.AlterField(
            model_name=model,
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        )
        for model in ("watchlist", "watchlistentry")
    ]
