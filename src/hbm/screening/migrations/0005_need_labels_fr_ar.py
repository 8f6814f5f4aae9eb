"""Ship French and Arabic labels for the specific-needs codes (2009.1) as data, beside the
English ones: screening/data/specific_needs_2009_translations.csv, one row per category
(empty ``code``) or code and language. Administrators edit them afterwards in the admin;
a label already there is never overwritten."""

import csv
import importlib
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "specific_needs_2009_translations.csv"
english = importlib.import_module("hbm.screening.migrations.0002_specific_needs_2009")


def load_translations(apps, schema_editor):
    category_model = apps.get_model("screening", "NeedCategory")
    code_model = apps.get_model("screening", "NeedCode")
    category_label = apps.get_model("screening", "NeedCategoryTranslation")
    code_label = apps.get_model("screening", "NeedCodeTranslation")
    categories = {c.code: c for c in category_model.objects.filter(taxonomy__version="2009.1")}
    codes = {c.code: c for c in code_model.objects.filter(category__taxonomy__version="2009.1")}
    with DATA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["code"] and row["category"] in categories:
                category_label.objects.get_or_create(
                    category=categories[row["category"]], language=row["language"],
                    defaults={"label": row["label"]},
                )
            elif row["code"] in codes:
                code_label.objects.get_or_create(
                    code=codes[row["code"]], language=row["language"],
                    defaults={"label": row["label"]},
                )


def load(apps, schema_editor):
    """The whole 2009.1 taxonomy: English codes and labels, then their translations."""
    english.load(apps, schema_editor)
    load_translations(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("screening", "0004_need_label_translations")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
