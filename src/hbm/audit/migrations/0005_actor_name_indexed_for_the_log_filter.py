"""The log's filter by user name reads the (actor_label, -occurred_at) index, which also
finds the failed logins under that name; it replaces the (actor, -occurred_at) index, which
no list read: one index write per event, as before."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_sqlite_refuses_deletes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='auditevent',
            name='audit_audit_actor_i_322ce5_idx',
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['actor_label', '-occurred_at'], name='audit_actor_label_idx'),
        ),
    ]
