"""Ship the default HBM template (data/hbm-default-template-v1.json), published."""

from django.db import migrations


def load(apps, schema_editor):
    from hbm.assessments.services.defaults import load_default_template

    load_default_template(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
