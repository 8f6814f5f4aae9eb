from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionRun(models.Model):
    """One pass of the retention policies: a dry run (``report``) that only counts, or a
    purge. ``results`` holds, per policy, its cutoff, how many records were eligible, how
    many were acted on and a few sample ids; never the data purged."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Dry run")
        PURGE = "purge", _("Purge")

    class Trigger(models.TextChoices):
        COMMAND = "command", _("Command line")
        WEB = "web", _("Web page")
        SCHEDULE = "schedule", _("Daily schedule")

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    # {policy code: {"cutoff": ISO text or "", "eligible": n, "done": n, "sample": [ids]}}
    results = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"retention {self.kind} {self.pk} ({self.status})"
