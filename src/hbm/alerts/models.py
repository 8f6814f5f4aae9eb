"""Early warning: each crossing point's detector settings, the alerts the detectors (or
coordinators) raise, and the notices sent about them."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hbm.alerts import detectors as engine
from hbm.places.models import BorderCrossingPoint

# chosen from the back-test (docs/benchmarks.md, ADR 0129)
DEFAULT_DETECTORS = [engine.CAPACITY, engine.POISSON_DOW]
DEFAULTS = engine.Settings()


class Level(models.TextChoices):
    NORMAL = engine.NORMAL, _("Normal")
    WATCH = engine.WATCH, _("Watch")
    WARNING = engine.WARNING, _("Warning")
    EMERGENCY = engine.EMERGENCY, _("Emergency")


class Detector(models.TextChoices):
    CAPACITY = engine.CAPACITY, _("Reception capacity")
    EARS_C1 = engine.EARS_C1, _("EARS C1")
    EARS_C2 = engine.EARS_C2, _("EARS C2")
    EARS_C3 = engine.EARS_C3, _("EARS C3")
    POISSON_DOW = engine.POISSON_DOW, _("Poisson, day of week")
    CUSUM = engine.CUSUM, _("CUSUM")
    MANUAL = "manual", _("Reported by a coordinator")
    CAP = "cap", _("CAP alert from a partner's system")


# raised by people or by another system, not by a detector on our own series
NOT_DETECTED = (Detector.MANUAL, Detector.CAP)


class DetectorConfig(models.Model):
    """Which detectors watch a point's arrivals, and their thresholds. A point without a row
    uses the defaults (DEFAULT_DETECTORS, engine.Settings())."""

    crossing_point = models.OneToOneField(
        BorderCrossingPoint, on_delete=models.CASCADE, related_name="+"
    )
    detectors = models.JSONField(default=list, help_text=_("Names of the detectors in use."))
    watch_share = models.FloatField(
        default=DEFAULTS.watch_share, help_text=_("Share of daily capacity: watch.")
    )
    warning_share = models.FloatField(
        default=DEFAULTS.warning_share, help_text=_("Share of daily capacity: warning.")
    )
    emergency_share = models.FloatField(
        default=DEFAULTS.emergency_share, help_text=_("Share of daily capacity: emergency.")
    )
    warning_ratio = models.FloatField(
        default=DEFAULTS.warning_ratio,
        help_text=_("A statistical alarm is a warning at this many times the expected."),
    )
    by_nationality = models.BooleanField(
        default=True, help_text=_("Also watch each nationality's arrivals.")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"detectors at {self.crossing_point_id}"

    def engine_settings(self) -> engine.Settings:
        return engine.Settings(
            watch_share=self.watch_share,
            warning_share=self.warning_share,
            emergency_share=self.emergency_share,
            warning_ratio=self.warning_ratio,
        )


class Alert(models.Model):
    """A surge signal at a point (for one nationality, or all): one open alert per point,
    detector and nationality, raised once and then kept up to date while the signal lasts."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ESCALATED = "escalated", _("Escalated")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    crossing_point = models.ForeignKey(
        BorderCrossingPoint, on_delete=models.PROTECT, related_name="+"
    )
    nationality = models.CharField(max_length=3, blank=True, help_text=_("ISO 3166 alpha-3"))
    detector = models.CharField(max_length=12, choices=Detector.choices)
    level = models.CharField(max_length=9, choices=Level.choices)
    raised_level = models.CharField(
        max_length=9,
        choices=Level.choices,
        blank=True,
        help_text=_("The level when raised; a CAP Update is sent once the level differs."),
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    cap_sender = models.CharField(
        max_length=255, blank=True, help_text=_("Imported CAP alert: its sender.")
    )
    cap_identifier = models.CharField(
        max_length=255, blank=True, help_text=_("Imported CAP alert: its first identifier.")
    )
    first_day = models.DateField(help_text=_("First local day of the signal."))
    last_day = models.DateField(help_text=_("Latest local day of the signal."))
    observed = models.IntegerField(null=True, blank=True)
    expected = models.FloatField(null=True, blank=True)
    threshold = models.FloatField(null=True, blank=True)
    evidence = models.JSONField(
        default=dict, blank=True, help_text=_("The series: days, observed, expected, threshold.")
    )
    reason = models.TextField(blank=True, help_text=_("Why a coordinator raised it."))
    raised_at = models.DateTimeField(auto_now_add=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalation_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-last_day", "-pk"]
        indexes = [
            models.Index(fields=["status", "-last_day"], name="alert_status_latest"),
            models.Index(fields=["crossing_point", "status"], name="alert_point_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["crossing_point", "detector", "nationality"],
                condition=~Q(status="closed") & ~Q(detector__in=NOT_DETECTED),
                name="alert_one_open_per_signal",
            ),
            models.UniqueConstraint(
                fields=["cap_sender", "cap_identifier"],
                condition=~Q(cap_identifier=""),
                name="alert_cap_imported_once",
            ),
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")), name="alert_days_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.detector} at {self.crossing_point_id} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.raised_level:
            self.raised_level = self.level
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "raised_level"}
        super().save(*args, **kwargs)


class AlertDelivery(models.Model):
    """A notice about an alert, sent by email or to a webhook; a failure is kept in words."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        WEBHOOK = "webhook", _("Webhook")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=7, choices=Channel.choices)
    target = models.CharField(max_length=500)
    level = models.CharField(max_length=9, choices=Level.choices)
    ok = models.BooleanField()
    error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["alert", "sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.channel} to {self.target}: {'sent' if self.ok else 'failed'}"
