import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import Agency
from hbm.lib.encrypted_fields import EncryptedJSONField, EncryptedTextField
from hbm.lib.runs import Run
from hbm.registry.models import Person


class Watchlist(models.Model):
    # The same list on the national server and on field stations (ADR 0130).
    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=150, unique=True)
    owner = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="watchlists")
    legal_basis = models.CharField(max_length=300)
    retention_days = models.PositiveIntegerField(default=365)
    active = models.BooleanField(default=True)
    # The owner's decision that field stations may hold this list's entries to screen their
    # arrivals (ADR 0130); off, its entries never leave the national server.
    field_screening = models.BooleanField(default=False, verbose_name=_("Screen at field stations"))
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class WatchlistLoad(models.Model):
    """Who loaded what into a watchlist, when."""

    watchlist = models.ForeignKey(Watchlist, on_delete=models.PROTECT, related_name="loads")
    filename = models.CharField(max_length=200)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    loaded_at = models.DateTimeField(auto_now_add=True)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.watchlist} · {self.filename}"


class WatchlistEntry(models.Model):
    class Action(models.TextChoices):
        INFORM = "inform", _("Inform")
        REFER = "refer", _("Refer to security")
        HOLD = "hold", _("Hold")

    watchlist = models.ForeignKey(Watchlist, on_delete=models.PROTECT, related_name="entries")
    # The same entry on the national server and on field stations (ADR 0130).
    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    external_id = models.CharField(max_length=100)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    father_name = models.CharField(max_length=100, blank=True)
    other_names = models.CharField(max_length=1000, blank=True)
    date_of_birth = models.CharField(max_length=10, blank=True)
    nationality = models.CharField(max_length=3, blank=True)
    document_number = models.CharField(max_length=50, blank=True)
    reason_category = models.CharField(max_length=100, blank=True)
    required_action = models.CharField(max_length=10, choices=Action.choices, default=Action.REFER)
    active = models.BooleanField(default=True)
    load = models.ForeignKey(WatchlistLoad, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["watchlist", "external_id"], name="entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.watchlist}:{self.external_id}"


class Hit(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        FALSE_POSITIVE = "false_positive", _("False positive")
        CONFIRMED = "confirmed", _("Confirmed")
        ESCALATED = "escalated", _("Escalated")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(WatchlistEntry, on_delete=models.PROTECT, related_name="hits")
    probability = models.FloatField()
    explanation = EncryptedJSONField(default=dict)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    reason = EncryptedTextField(max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    found_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-found_at"]
        constraints = [models.UniqueConstraint(fields=["person", "entry"], name="hit_once")]
        indexes = [
            # The review order (selectors.HIT_ORDER), within a status and over all hits: a
            # page is read in order and the read stops after it.
            models.Index(
                fields=["status", "-probability", "-found_at", "-id"], name="hit_review_idx"
            ),
            models.Index(fields=["-probability", "-found_at", "-id"], name="hit_likely_idx"),
        ]

    def __str__(self) -> str:
        return f"hit {self.pk} ({self.status})"


class ScreeningRun(Run):
    """A background rescreen of every registration against the active lists."""

    reason = models.CharField(max_length=200, blank=True)
    hits_found = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    ADVICE = "Rescreen again: hits already found are kept."

    def __str__(self) -> str:
        return f"rescreen {self.pk} ({self.status})"
