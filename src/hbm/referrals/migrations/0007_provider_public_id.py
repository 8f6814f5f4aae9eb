"""Providers get a global id: field stations copy the directory and upsert by it (ADR 0130).
Three steps in one file would share a transaction on PostgreSQL; see 0008, 0009."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("referrals", "0006_shared_and_notes_encrypt_existing")]

    operations = [
        migrations.AddField(
            model_name="provider",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
    ]
