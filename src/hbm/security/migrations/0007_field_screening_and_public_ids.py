"""Watchlists and their entries get a global id, and lists a mark that lets field stations
screen against them (ADR 0130). Three steps, so that on PostgreSQL the rows are filled and
the columns made unique in separate transactions."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("security", "0006_hit_details_encrypt_existing")]

    operations = [
        migrations.AddField(
            model_name="watchlist",
            name="field_screening",
            field=models.BooleanField(default=False, verbose_name="Screen at field stations"),
        ),
        migrations.AddField(
            model_name="watchlist",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="watchlistentry",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
    ]
