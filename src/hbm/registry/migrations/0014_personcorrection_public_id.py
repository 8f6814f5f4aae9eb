"""Corrections get a global id: a person's version is its last correction's id, the same on a
field station and on the national server (ADR 0128). Three steps, so that on PostgreSQL the
rows are filled and the column made unique in separate transactions."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0013_person_anonymised")]

    operations = [
        migrations.AddField(
            model_name="personcorrection",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
    ]
