"""Consent becomes a record: who gave it (a kind, and a name when not the person), how, what it
covers, until when, and its withdrawal. The new columns first; 0010 moves the rows written
before, 0011 narrows ``given_by`` to its kinds (three migrations: PostgreSQL cannot alter a
table in the transaction that updated its rows)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


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
    ]
