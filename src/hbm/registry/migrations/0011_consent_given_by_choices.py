"""``given_by`` holds a kind now (self, parent, guardian, other), the name in
``given_by_name``; a withdrawal is never without its reason."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0010_consent_given_by_kind")]

    operations = [
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
