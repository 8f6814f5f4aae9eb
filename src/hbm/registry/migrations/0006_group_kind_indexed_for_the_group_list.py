"""The group list filtered by kind (GET /api/v1/groups?kind=) reads its page from an index,
newest first."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_background_run_cursor_and_heartbeat"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="group",
            index=models.Index(fields=["kind", "-id"], name="group_kind_idx"),
        ),
    ]
