from django.db import migrations


def load_countries(apps, schema_editor):
    import pycountry

    country_model = apps.get_model("places", "Country")
    country_model.objects.bulk_create(
        [
            country_model(code=c.alpha_3, alpha2=c.alpha_2, name=getattr(c, "common_name", c.name))
            for c in pycountry.countries
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
