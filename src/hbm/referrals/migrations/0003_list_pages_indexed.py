"""The referral lists' pages read through indexes: a sender's points by status, every
referral by status, every referral newest first. The (crossing_point, status, -sent_at)
index serves look-ups by point: the point's own index goes."""

import django.db.models.deletion
from django.db import migrations, models

from hbm.lib.migrations import drop_field_indexes

INDEXED_OTHERWISE = [('referral', 'crossing_point')]


class Migration(migrations.Migration):

    dependencies = [
        ('places', '0002_load_countries'),
        ('referrals', '0002_service_types'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(fields=['crossing_point', 'status', '-sent_at'], name='referral_point_idx'),
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(fields=['status', '-sent_at'], name='referral_status_newest_idx'),
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(fields=['-sent_at'], name='referral_newest_idx'),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[drop_field_indexes('referrals', INDEXED_OTHERWISE)],
            state_operations=[
                migrations.AlterField(
                    model_name='referral',
                    name='crossing_point',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='places.bordercrossingpoint'),
                ),
            ],
        ),
    ]
