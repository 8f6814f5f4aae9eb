"""The children alone list reads the flagged screenings through a partial index."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0005_background_run_cursor_and_heartbeat'),
        ('screening', '0005_need_labels_fr_ar'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='protectionscreening',
            index=models.Index(condition=models.Q(('unaccompanied_or_separated', True)), fields=['person'], name='screening_child_alone_idx'),
        ),
    ]
