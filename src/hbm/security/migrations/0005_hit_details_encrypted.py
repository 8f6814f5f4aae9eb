"""The most sensitive free text and JSON of this app are stored encrypted (hbm.lib.fieldcrypt,
docs/decisions/0124): the columns become text, to hold ``hbm1:<token>``. The next migration
encrypts the values written before, in a transaction of its own: on PostgreSQL, rows updated
and a table altered in one transaction fail ("pending trigger events")."""

import hbm.lib.encrypted_fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('security', '0004_hits_in_review_order'),
    ]

    operations = [
        migrations.AlterField(
            model_name='hit',
            name='explanation',
            field=hbm.lib.encrypted_fields.EncryptedJSONField(default=dict),
        ),
        migrations.AlterField(
            model_name='hit',
            name='reason',
            field=hbm.lib.encrypted_fields.EncryptedTextField(blank=True, max_length=500),
        ),
    ]
