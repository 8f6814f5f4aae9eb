"""The (actor, occurred_at) index serves look-ups by actor: the actor's own index goes."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from hbm.lib.migrations import drop_field_indexes


INDEXED_OTHERWISE = [('auditevent', 'actor')]


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_triggers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[drop_field_indexes('audit', INDEXED_OTHERWISE)],
            state_operations=[
                migrations.AlterField(
                    model_name='auditevent',
                    name='actor',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
            ],
        ),
    ]
