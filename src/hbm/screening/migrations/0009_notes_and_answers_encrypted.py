"""The most sensitive free text and JSON of this app are stored encrypted (hbm.lib.fieldcrypt,
docs/decisions/0124): the columns become text, to hold ``hbm1:<token>``. The next migration
encrypts the values written before, in a transaction of its own: on PostgreSQL, rows updated
and a table altered in one transaction fail ("pending trigger events")."""

import hbm.lib.encrypted_fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('screening', '0008_tracing_requests'),
    ]

    operations = [
        migrations.AlterField(
            model_name='healthscreening',
            name='notes',
            field=hbm.lib.encrypted_fields.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name='healthscreening',
            name='symptoms',
            field=hbm.lib.encrypted_fields.EncryptedJSONField(default=dict),
        ),
        migrations.AlterField(
            model_name='protectionscreening',
            name='answers',
            field=hbm.lib.encrypted_fields.EncryptedJSONField(default=dict),
        ),
        migrations.AlterField(
            model_name='protectionscreening',
            name='notes',
            field=hbm.lib.encrypted_fields.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name='tracingevent',
            name='note',
            field=hbm.lib.encrypted_fields.EncryptedTextField(blank=True, max_length=500),
        ),
        migrations.AlterField(
            model_name='tracingmatch',
            name='decision_note',
            field=hbm.lib.encrypted_fields.EncryptedTextField(blank=True, max_length=500),
        ),
        migrations.AlterField(
            model_name='tracingrequest',
            name='closing_note',
            field=hbm.lib.encrypted_fields.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name='tracingrequest',
            name='description',
            field=hbm.lib.encrypted_fields.EncryptedTextField(blank=True, verbose_name='description'),
        ),
    ]
