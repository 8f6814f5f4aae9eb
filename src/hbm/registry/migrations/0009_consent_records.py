"""Consent becomes a record: who gave it (a kind, and a name when not the person), how, what it
covers, until when, and its withdrawal. Rows written before keep their meaning: the free-text
``given_by`` moves to ``given_by_name``; blank means the person themself, a name someone
else; how it was given was not recorded (blank)."""

import django.db.models.deletion
from django.conf import settings
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
    dependencies = [
        ("registry", "0008_export_files"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="expires_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="consent",
            name="given_by_name",
            field=models.CharField(
                blank=True,
                help_text="Who gave consent when not the person (e.g. parent for a child).",
                max_length=150,
            ),
        ),
        migrations.RunPython(given_by_to_kind_and_name, kind_back_to_name),
        migrations.AddField(
            model_name="consent",
            name="legal_basis",
            field=models.CharField(
                blank=True,
                help_text="Registration without consent: the law it was recorded under.",
                max_length=200,
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="method",
            field=models.CharField(
                blank=True,
                choices=[
                    ("verbal", "Verbal"),
                    ("signed", "Signed"),
                    ("thumbprint", "Thumbprint"),
                    ("other", "Other"),
                ],
                help_text="Empty: not recorded.",
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="scope",
            field=models.CharField(
                blank=True,
                help_text="Referral: the service type code it covers; sharing: the agency code. Empty: every service or agency of the purpose.",
                max_length=40,
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="withdrawal_reason",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="consent",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="consent",
            name="withdrawn_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="consent",
            name="given_by",
            field=models.CharField(
                choices=[
                    ("self", "The person"),
                    ("parent", "Parent"),
                    ("guardian", "Guardian"),
                    ("other", "Someone else"),
                ],
                default="self",
                max_length=10,
            ),
        ),
        migrations.AddConstraint(
            model_name="consent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("withdrawn_at__isnull", True),
                    models.Q(("withdrawal_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="consent_withdrawal_has_reason",
            ),
        ),
    ]
