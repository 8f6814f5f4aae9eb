"""National roles' list of tallies reads the window_start index newest first."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('flows', '0002_point_indexed_by_cell'),
        ('places', '0002_load_countries'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='flowcount',
            index=models.Index(fields=['-window_start'], name='flowcount_newest_idx'),
        ),
    ]
