"""The most sensitive free text and JSON of this app are stored encrypted (hbm.lib.fieldcrypt,
docs/decisions/0124): the columns become text, to hold ``hbm1:<token>``. The next migration
encrypts the values written before, in a transaction of its own: on PostgreSQL, rows updated
and a table altered in one transaction fail ("pending trigger events")."""

import hbm.lib.encrypted_fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0004_referral_consent_record'),
    ]

    operations = [
        migrations.AlterField(
            model_name='referral',
            name='consent_override_reason',
            field=hbm.lib.encrypted_fields.EncryptedTextField(blank=True, max_length=300),
        ),
        migrations.AlterField(
            model_name='referral',
            name='notes',
            field=hbm.lib.encrypted_fields.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name='referral',
            name='outcome',
            field=hbm.lib.encrypted_fields.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name='referral',
            name='shared',
            field=hbm.lib.encrypted_fields.EncryptedJSONField(default=dict, help_text='Exactly what the provider sees.'),
        ),
        migrations.AlterField(
            model_name='referralevent',
            name='reason',
            field=hbm.lib.encrypted_fields.EncryptedTextField(blank=True, max_length=500),
        ),
    ]
