"""Tracing requests for separated relatives: the request, its proposed candidates and its
history (docs/decisions/0115)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_device_token_parent'),
        ('places', '0002_load_countries'),
        ('registry', '0008_export_files'),
        ('screening', '0007_crossing_to_screen_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='TracingRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('enquirer_name', models.CharField(blank=True, max_length=200, verbose_name="enquirer's name")),
                ('relationship', models.CharField(choices=[('parent', 'Parent'), ('child', 'Child'), ('sibling', 'Brother or sister'), ('spouse', 'Husband or wife'), ('other_relative', 'Other relative'), ('other', 'Other or not known')], max_length=20, verbose_name='relationship')),
                ('relationship_detail', models.CharField(blank=True, max_length=150, verbose_name='relationship in words')),
                ('given_name', models.CharField(blank=True, max_length=100, verbose_name='given name')),
                ('family_name', models.CharField(blank=True, max_length=100, verbose_name='family name')),
                ('father_name', models.CharField(blank=True, max_length=100, verbose_name="father's name")),
                ('sex', models.CharField(blank=True, choices=[('F', 'Female'), ('M', 'Male'), ('X', 'Other / not stated')], max_length=1, verbose_name='sex')),
                ('birth_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='year of birth')),
                ('approximate_age', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='approximate age')),
                ('last_seen_place', models.CharField(blank=True, max_length=200, verbose_name='last seen at')),
                ('last_seen_on', models.DateField(blank=True, null=True, verbose_name='last seen on')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('status', models.CharField(choices=[('open', 'Open'), ('matched', 'Match confirmed'), ('closed', 'Closed')], default='open', max_length=10)),
                ('closing_reason', models.CharField(blank=True, choices=[('reunited', 'Reunited'), ('found', 'Found, not reunited'), ('withdrawn', 'Withdrawn by the enquirer'), ('deceased', 'The person looked for has died'), ('not_found', 'Not found after searching'), ('duplicate', 'Same as another request')], max_length=20)),
                ('closing_note', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('closed_at', models.DateTimeField(blank=True, null=True)),
                ('agency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.agency')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('crossing_point', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='places.bordercrossingpoint')),
                ('enquirer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='tracing_requests', to='registry.person')),
                ('matched_person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.person')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='TracingMatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.FloatField()),
                ('relation', models.CharField(blank=True, max_length=20)),
                ('reasons', models.JSONField(default=list)),
                ('decision', models.CharField(choices=[('pending', 'To decide'), ('confirmed', 'Confirmed'), ('rejected', 'Not the person')], default='pending', max_length=10)),
                ('decision_note', models.CharField(blank=True, max_length=500)),
                ('proposed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.person')),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='matches', to='screening.tracingrequest')),
            ],
            options={
                'ordering': ['-score', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='TracingEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('opened', 'Opened'), ('proposed', 'Candidates proposed'), ('decided', 'Candidate decided'), ('closed', 'Closed')], max_length=10)),
                ('note', models.CharField(blank=True, max_length=500)),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('match', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='screening.tracingmatch')),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='screening.tracingrequest')),
            ],
            options={
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.AddIndex(
            model_name='tracingrequest',
            index=models.Index(fields=['crossing_point', 'status', '-created_at'], name='tracing_point_idx'),
        ),
        migrations.AddIndex(
            model_name='tracingrequest',
            index=models.Index(fields=['crossing_point', '-created_at'], name='tracing_point_new_idx'),
        ),
        migrations.AddIndex(
            model_name='tracingrequest',
            index=models.Index(fields=['status', '-created_at'], name='tracing_status_idx'),
        ),
        migrations.AddIndex(
            model_name='tracingrequest',
            index=models.Index(fields=['-created_at'], name='tracing_newest_idx'),
        ),
        migrations.AddConstraint(
            model_name='tracingrequest',
            constraint=models.CheckConstraint(condition=models.Q(('enquirer__isnull', False), models.Q(('enquirer_name', ''), _negated=True), _connector='OR'), name='tracing_enquirer_given'),
        ),
        migrations.AddConstraint(
            model_name='tracingrequest',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'closed'), _negated=True), models.Q(('closing_reason', ''), _negated=True), _connector='OR'), name='tracing_closed_with_reason'),
        ),
        migrations.AddConstraint(
            model_name='tracingrequest',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'matched'), _negated=True), ('matched_person__isnull', False), _connector='OR'), name='tracing_matched_with_person'),
        ),
        migrations.AddConstraint(
            model_name='tracingmatch',
            constraint=models.UniqueConstraint(fields=('request', 'person'), name='tracing_match_once'),
        ),
    ]
