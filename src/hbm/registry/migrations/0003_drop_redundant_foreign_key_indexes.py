"""Foreign keys that another index or constraint already starts with lose their own index:
every registration wrote them for nothing. Only the indexes are dropped (SQLite would
otherwise copy each table to alter the field, minutes at a million persons)."""

import django.db.models.deletion
from django.db import migrations, models

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


def drop_indexes(apps, schema_editor):
    connection = schema_editor.connection
    for model_name, field_name in REDUNDANT:
        model = apps.get_model("registry", model_name)
        table = model._meta.db_table
        column = model._meta.get_field(field_name).column
        named = {index.name for index in model._meta.indexes}
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, table)
        for name, info in constraints.items():
            single = info["index"] and info["columns"] == [column]
            if single and not info["unique"] and not info["primary_key"] and name not in named:
                schema_editor.execute(
                    schema_editor.sql_delete_index
                    % {"table": schema_editor.quote_name(table), "name": schema_editor.quote_name(name)}
                )


def restore_indexes(apps, schema_editor):
    for model_name, field_name in REDUNDANT:
        model = apps.get_model("registry", model_name)
        field = model._meta.get_field(field_name)
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):

    dependencies = [
        ('places', '0002_load_countries'),
        ('registry', '0002_duplicate_person_b_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_indexes, restore_indexes)],
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
