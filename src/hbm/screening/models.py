from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hbm.registry.models import Person


class NeedsTaxonomy(models.Model):
    """A version of the specific-needs codes. Screenings keep the version they used."""

    version = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=150)
    published = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.title} {self.version}"


class NeedCategory(models.Model):
    taxonomy = models.ForeignKey(NeedsTaxonomy, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(max_length=4)
    label = models.CharField(max_length=150)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="need_category_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class NeedCode(models.Model):
    category = models.ForeignKey(NeedCategory, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=8)
    label = models.CharField(max_length=200)
    verified = models.BooleanField(
        default=True, help_text=_("False where the public sources did not show this label.")
    )
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="need_code_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")


class ProtectionScreening(models.Model):
    """A protection officer's screening of one person. Its answers and notes belong to the
    protection compartment: only protection roles read them."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="screenings")
    taxonomy = models.ForeignKey(NeedsTaxonomy, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)
    proposed_codes = models.JSONField(default=list)
    codes = models.ManyToManyField(NeedCode, blank=True, related_name="screenings")
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    unaccompanied_or_separated = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    screened_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-screened_at"]
        indexes = [models.Index(fields=["person", "-screened_at"])]

    def __str__(self) -> str:
        return f"screening of {self.person} ({self.urgency})"


class PublicHealthEvent(models.Model):
    """An outbreak or public-health event that sets the symptom checklist at the border."""

    name = models.CharField(max_length=150, unique=True)
    symptoms = models.JSONField(
        default=list, help_text=_("Symptom keys and labels: [[key, label], ...]")
    )
    fever_threshold_celsius = models.DecimalField(max_digits=3, decimal_places=1, default=38.0)
    active = models.BooleanField(default=True)
    started_on = models.DateField()

    class Meta:
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return self.name


class HealthScreening(models.Model):
    """Health details at the point of entry. Health officers only read them."""

    class Vaccination(models.TextChoices):
        UP_TO_DATE = "up_to_date", _("Up to date (card seen)")
        PARTIAL = "partial", _("Partial")
        NONE = "none", _("None")
        UNKNOWN = "unknown", _("Unknown / no card")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="health_screenings")
    crossing_point = models.ForeignKey(
        "places.BorderCrossingPoint", on_delete=models.PROTECT, related_name="+"
    )
    event = models.ForeignKey(
        PublicHealthEvent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    symptoms = models.JSONField(default=dict)
    temperature_celsius = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    vaccination = models.CharField(
        max_length=12, choices=Vaccination.choices, default=Vaccination.UNKNOWN
    )
    has_symptoms = models.BooleanField(default=False)
    referred_for_care = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    screened_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-screened_at"]
        indexes = [models.Index(fields=["crossing_point", "screened_at"])]

    def __str__(self) -> str:
        return f"health screening of {self.person}"
