"""Encrypt the values written before this app's sensitive fields were encrypted, in batches
(hbm.lib.reencrypt); the reverse decrypts them, before the previous migration gives the
columns back their old types."""

from django.db import migrations

from hbm.lib.reencrypt import encrypt_existing


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0009_notes_and_answers_encrypted"),
    ]

    operations = [
        encrypt_existing("screening", ['HealthScreening', 'ProtectionScreening', 'TracingEvent', 'TracingMatch', 'TracingRequest']),
    ]
