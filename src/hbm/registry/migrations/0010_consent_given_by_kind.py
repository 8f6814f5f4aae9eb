"""Consents written before keep their meaning: the free-text ``given_by`` moves to
``given_by_name``; blank meant the person themself, a name someone else. How consent was given
was not recorded (``method`` stays blank)."""

from django.db import migrations, models


def given_by_to_kind_and_name(apps, schema_editor):
    Consent = apps.get_model("registry", "Consent")
    Consent.objects.update(given_by_name=models.F("given_by"))
    Consent.objects.filter(given_by_name="").update(given_by="self")
    Consent.objects.exclude(given_by_name="").update(given_by="other")


def kind_back_to_name(apps, schema_editor):
    Consent = apps.get_model("registry", "Consent")
    Consent.objects.update(given_by=models.F("given_by_name"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_consent_records")]

    operations = [migrations.RunPython(given_by_to_kind_and_name, kind_back_to_name)]
