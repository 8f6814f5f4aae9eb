"""Ship the specific-needs codes (2009 standardized codes, as far as public material shows) as
data. Sources per code are in screening/data/specific_needs_2009.csv; unverified labels are
marked so."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "specific_needs_2009.csv"


def load(apps, schema_editor):
    taxonomy_model = apps.get_model("screening", "NeedsTaxonomy")
    category_model = apps.get_model("screening", "NeedCategory")
    code_model = apps.get_model("screening", "NeedCode")
    taxonomy, _ = taxonomy_model.objects.get_or_create(
        version="2009.1", defaults={"title": "Standardized specific needs codes", "published": True}
    )
    with DATA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            category, _ = category_model.objects.get_or_create(
                taxonomy=taxonomy, code=row["category"], defaults={"label": row["category_label"]}
            )
            code_model.objects.get_or_create(
                category=category, code=row["code"],
                defaults={"label": row["label"], "verified": row["verified"] == "yes",
                          "source": row["source"]},
            )


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
