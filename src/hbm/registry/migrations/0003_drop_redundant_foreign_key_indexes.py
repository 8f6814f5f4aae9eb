"""Foreign keys that another index or constraint already starts with lose their own index:
every registration wrote them for nothing. Only the indexes are dropped (SQLite would
otherwise copy each table to alter the field, minutes at a million persons)."""

import django.db.models.deletion
from django.db import migrations, models

from hbm.lib.migrations import drop_field_indexes

# (model, field): the index on the field's column alone, named by Django, goes.
REDUNDANT = [
    ("consent", "person"),
    ("crossing", "crossing_point"),
    ("crossing", "person"),
    ("crossing", "registration"),
    ("duplicatecandidate", "person_a"),
    ("duplicatecandidate", "person_b"),
    ("groupmember", "group"),
    ("person", "first_crossing_point"),
]


class Migration(migrations.Migration):

    dependencies = [
        ('places', '0002_load_countries'),
        ('registry', '0002_duplicate_person_b_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[drop_field_indexes("registry", REDUNDANT)],
            state_operations=[
                migrations.AlterField(
                    model_name='consent',
                    name='person',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='consents', to='registry.person'),
                ),
                migrations.AlterField(
                    model_name='crossing',
                    name='crossing_point',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='crossings', to='places.bordercrossingpoint'),
                ),
                migrations.AlterField(
                    model_name='crossing',
                    name='person',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='crossings', to='registry.person'),
                ),
                migrations.AlterField(
                    model_name='crossing',
                    name='registration',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='crossings', to='registry.registration'),
                ),
                migrations.AlterField(
                    model_name='duplicatecandidate',
                    name='person_a',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.person'),
                ),
                migrations.AlterField(
                    model_name='duplicatecandidate',
                    name='person_b',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.person'),
                ),
                migrations.AlterField(
                    model_name='groupmember',
                    name='group',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='members', to='registry.group'),
                ),
                migrations.AlterField(
                    model_name='person',
                    name='first_crossing_point',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='places.bordercrossingpoint'),
                ),
            ],
        ),
    ]
