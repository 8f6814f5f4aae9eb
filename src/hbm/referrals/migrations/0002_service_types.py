from django.db import migrations

IDENTITY = ["given_name", "family_name", "sex", "date_of_birth", "age_estimate", "languages",
            "need_code", "urgency", "notes"]
SERVICE_TYPES = [
    ("health", "Health care", [*IDENTITY, "phone"]),
    ("mhpss", "Mental health and psychosocial support", [*IDENTITY, "phone"]),
    ("child-protection", "Child protection",
     [*IDENTITY, "father_name", "nationality", "place_of_origin"]),
    ("gbv", "Gender-based violence response", ["given_name", "sex", "age_estimate",
                                               "date_of_birth", "languages", "need_code",
                                               "urgency", "notes"]),
    ("legal-aid", "Legal aid and documentation", [*IDENTITY, "father_name", "nationality"]),
    ("shelter", "Shelter", [*IDENTITY, "phone"]),
    ("food-nfi", "Food and non-food items", ["given_name", "family_name", "need_code", "urgency"]),
    ("family-tracing", "Family tracing",
     [*IDENTITY, "father_name", "nationality", "place_of_origin", "phone"]),
    ("cash", "Cash assistance", ["given_name", "family_name", "phone", "need_code", "urgency"]),
    ("transport", "Transport", ["given_name", "family_name", "phone", "urgency", "notes"]),
]


def load(apps, schema_editor):
    service_type = apps.get_model("referrals", "ServiceType")
    for code, label, fields in SERVICE_TYPES:
        service_type.objects.get_or_create(code=code,
                                           defaults={"label": label, "shared_fields": fields})


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
