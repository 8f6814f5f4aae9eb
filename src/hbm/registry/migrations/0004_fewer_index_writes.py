"""Fewer index writes per registration: foreign keys that are empty until a pair is decided
are indexed where set only; nationality and origin lose PostgreSQL's LIKE index (never
searched with LIKE)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from hbm.lib.migrations import drop_field_indexes


INDEXED_OTHERWISE = [('crossing', 'origin_country'), ('duplicatecandidate', 'decided_by'), ('duplicatecandidate', 'merged_from_cluster'), ('duplicatecandidate', 'merged_into_cluster'), ('person', 'nationality')]


class Migration(migrations.Migration):

    dependencies = [
        ('places', '0002_load_countries'),
        ('registry', '0003_drop_redundant_foreign_key_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[drop_field_indexes('registry', INDEXED_OTHERWISE)],
            state_operations=[
                migrations.AlterField(
                    model_name='crossing',
                    name='origin_country',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='places.country'),
                ),
                migrations.AlterField(
                    model_name='duplicatecandidate',
                    name='decided_by',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='duplicatecandidate',
                    name='merged_from_cluster',
                    field=models.ForeignKey(blank=True, db_index=False, help_text='The cluster the moved persons left when merged.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.identitycluster'),
                ),
                migrations.AlterField(
                    model_name='duplicatecandidate',
                    name='merged_into_cluster',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.identitycluster'),
                ),
                migrations.AlterField(
                    model_name='person',
                    name='nationality',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='places.country'),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name='crossing',
            index=models.Index(condition=models.Q(('origin_country__isnull', False)), fields=['origin_country'], name='crossing_origin_idx'),
        ),
        migrations.AddIndex(
            model_name='duplicatecandidate',
            index=models.Index(condition=models.Q(('decided_by__isnull', False)), fields=['decided_by'], name='duplicate_decided_by_idx'),
        ),
        migrations.AddIndex(
            model_name='duplicatecandidate',
            index=models.Index(condition=models.Q(('merged_from_cluster__isnull', False)), fields=['merged_from_cluster'], name='duplicate_merged_from_idx'),
        ),
        migrations.AddIndex(
            model_name='duplicatecandidate',
            index=models.Index(condition=models.Q(('merged_into_cluster__isnull', False)), fields=['merged_into_cluster'], name='duplicate_merged_into_idx'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['nationality'], name='person_nationality_idx'),
        ),
    ]
