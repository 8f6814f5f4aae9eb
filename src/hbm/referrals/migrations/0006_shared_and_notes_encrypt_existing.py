"""Encrypt the values written before this app's sensitive fields were encrypted, in batches
(hbm.lib.reencrypt); the reverse decrypts them, before the previous migration gives the
columns back their old types."""

from django.db import migrations

from hbm.lib.reencrypt import encrypt_existing


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0005_shared_and_notes_encrypted"),
    ]

    operations = [
        encrypt_existing("referrals", ['Referral', 'ReferralEvent']),
    ]
