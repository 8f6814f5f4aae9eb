"""The one-row-per-cell constraint starts with the crossing point: the point's own index goes."""

import django.db.models.deletion
from django.db import migrations, models

from hbm.lib.migrations import drop_field_indexes


INDEXED_OTHERWISE = [('flowdaily', 'crossing_point')]


class Migration(migrations.Migration):

    dependencies = [
        ('flows', '0001_initial'),
        ('places', '0002_load_countries'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[drop_field_indexes('flows', INDEXED_OTHERWISE)],
            state_operations=[
                migrations.AlterField(
                    model_name='flowdaily',
                    name='crossing_point',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='places.bordercrossingpoint'),
                ),
            ],
        ),
    ]
