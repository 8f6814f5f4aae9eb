"""Encrypt the TOTP secrets written before the column was encrypted, in batches
(hbm.lib.reencrypt); the reverse decrypts them."""

from django.db import migrations

from hbm.lib.reencrypt import encrypt_existing


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_totp_secret_encrypted"),
    ]

    operations = [
        encrypt_existing("accounts", ["TotpDevice"]),
    ]
