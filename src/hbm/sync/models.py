"""Replication between field stations (SQLite, intermittent link) and the national server
(ADR 0128). On a station: the append-only change log and its cursors. On the national
server: what each station's changes became, and the conflicts waiting for review."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hbm.lib.encrypted_fields import EncryptedJSONField


class ChangeKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    PERSON_CORRECTION = "person_correction", _("Correction of a person")
    CONSENT = "consent", _("Consent recorded")
    CONSENT_WITHDRAWAL = "consent_withdrawal", _("Consent withdrawn")
    PROTECTION_SCREENING = "protection_screening", _("Protection screening")
    HEALTH_SCREENING = "health_screening", _("Health screening")
    REFERRAL = "referral", _("Referral sent")
    REFERRAL_TRANSITION = "referral_transition", _("Referral moved on")
    PERSON_PHOTO = "person_photo", _("Photo of a person")


class Change(models.Model):
    """Station: one change to push, written in the transaction of what it records. ``seq``
    is taken under a lock held until commit (SyncState "outbox"), so that changes commit in
    ``seq`` order and a cursor on it never skips one; ``created_at`` is for people only."""

    seq = models.BigIntegerField(unique=True)
    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=30, choices=ChangeKind.choices)
    # A photo's change: the photo's id, from the person's id and its SHA-256 (ADR 0139).
    object_id = models.UUIDField(
        help_text=_(
            "The registration, person, consent, screening, referral or transition the change "
            "is about."
        )
    )
    # A copy of personal data outside the person's record: encrypted at rest (ADR 0124).
    payload = EncryptedJSONField()
    # Corrections: the correction of the person this one was made over (None: as registered).
    # Photos: the photo id of the photo it replaced (None: the person had none).
    base_version = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField()
    # Set aside (ADR 0134): the national server refused this change for what it is (a rule
    # of the data or of scope), not for the link; the cursor moved past it. Cleared when a
    # retry is accepted.
    refused_at = models.DateTimeField(null=True, blank=True)
    refusal = models.TextField(blank=True)
    # When the national server acknowledged it (this server's clock): `hbm sync prune` and
    # the prune after each push delete acknowledged changes older than the retention.
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(
                fields=["seq"],
                name="sync_change_refused_idx",
                condition=models.Q(refused_at__isnull=False),
            ),
            models.Index(fields=["acknowledged_at"], name="sync_change_acknowledged_idx"),
        ]

    def __str__(self) -> str:
        return f"change {self.seq} ({self.kind})"


class SyncState(models.Model):
    """A named counter or cursor of this server: the last seq written to the outbox, the last
    acknowledged by the national server, the reference data's version."""

    OUTBOX = "outbox"
    PUSHED = "pushed"
    REFERENCE = "reference"
    WATCHLIST = "watchlist"  # the cursor of the watchlist entries received (ADR 0130)
    # The cursor of the national events of this station's referrals received (ADR 0140).
    REFERRAL_EVENTS = "referral_events"

    name = models.CharField(max_length=30, primary_key=True)
    number = models.BigIntegerField(default=0)
    text = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}={self.number}{self.text}"


class AppliedChange(models.Model):
    """National: a station's change, received once, and what it became."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Applied")
        REPLAYED = "replayed", _("Already there")
        CONFLICT = "conflict", _("Conflict, waiting for review")

    public_id = models.UUIDField(unique=True)
    station = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    seq = models.BigIntegerField()
    kind = models.CharField(max_length=30, choices=ChangeKind.choices)
    object_id = models.UUIDField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Not unique: a station reinstalled or restored from a backup numbers its new changes
        # from an old seq again; they are told apart by their ids.
        indexes = [models.Index(fields=["station", "seq"], name="applied_change_station_seq")]

    def __str__(self) -> str:
        return f"{self.station_id}:{self.seq} {self.outcome}"


class SyncConflict(models.Model):
    """National: a station's change that was not applied because the record had changed
    since the station's copy (or the id was used for other content). Kept whole for review;
    nothing is overwritten."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    class Resolution(models.TextChoices):
        APPLIED = "applied", _("The station's edit was applied")
        KEPT = "kept", _("The current record was kept")

    change = models.OneToOneField(AppliedChange, on_delete=models.PROTECT, related_name="conflict")
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    crossing_point = models.ForeignKey(
        "places.BorderCrossingPoint", null=True, on_delete=models.PROTECT, related_name="+"
    )
    base_version = models.UUIDField(null=True, blank=True)
    national_version = models.UUIDField(null=True, blank=True)
    payload = EncryptedJSONField()
    detail = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=10, choices=Resolution.choices, blank=True)
    resolution_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="sync_conflict_open_idx")]

    def __str__(self) -> str:
        return f"conflict {self.pk} ({self.status})"
