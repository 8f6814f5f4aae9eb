from django.db import migrations


def display_name(country):
    """'Democratic Republic of the Congo' rather than 'Congo, The Democratic Republic of the'."""
    common = getattr(country, "common_name", None)
    if common:
        return common
    head, _, tail = country.name.partition(", ")
    if tail.endswith((" of", " of the")) or tail.startswith("The "):
        return f"{tail.removeprefix('The ')} {head}"
    return country.name


def load_countries(apps, schema_editor):
    import pycountry

    country_model = apps.get_model("places", "Country")
    country_model.objects.bulk_create(
        [
            country_model(code=c.alpha_3, alpha2=c.alpha_2, name=display_name(c))
            for c in pycountry.countries
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
