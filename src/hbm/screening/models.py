from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hbm.registry.models import Person

# The labels in the taxonomy's own rows are English; other languages are data beside them
# (see docs/decisions/0021-need-labels-translated-as-data.md).
BASE_LANGUAGE = "en"


def label_languages() -> list[tuple[str, str]]:
    """The languages a label can be translated into: the interface's, English aside."""
    return [(code, name) for code, name in settings.LANGUAGES if code != BASE_LANGUAGE]


class TranslatedLabel(models.Model):
    """A label with translations in ``translations`` (prefetch them when listing)."""

    class Meta:
        abstract = True

    def label_for(self, language: str | None) -> str:
        """The label in ``language`` ("fr", "ar", "fr-ca"...), else the English one."""
        if not language:
            return self.label
        language = language.lower()
        base = language.split("-")[0]
        if base == BASE_LANGUAGE:
            return self.label
        labels = {t.language: t.label for t in self.translations.all()}
        return labels.get(language) or labels.get(base) or self.label

    @property
    def display_label(self) -> str:
        """The label in the language of the current request."""
        return self.label_for(get_language())

    def labels(self) -> dict[str, str]:
        """Every known label by language code, English included."""
        return {
            BASE_LANGUAGE: self.label,
            **{t.language: t.label for t in self.translations.all()},
        }


class NeedsTaxonomy(models.Model):
    """A version of the specific-needs codes. Screenings keep the version they used."""

    version = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=150)
    published = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.title} {self.version}"


class NeedCategory(TranslatedLabel):
    taxonomy = models.ForeignKey(NeedsTaxonomy, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(max_length=4)
    label = models.CharField(max_length=150)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="need_category_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_label}"


class NeedCode(TranslatedLabel):
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
        return f"{self.code} {self.display_label}"


class LabelTranslation(models.Model):
    language = models.CharField(_("language"), max_length=10, choices=label_languages)
    label = models.CharField(_("label"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.language}: {self.label}"


class NeedCategoryTranslation(LabelTranslation):
    """The label of a needs category in another language, edited by administrators."""

    category = models.ForeignKey(
        NeedCategory, on_delete=models.CASCADE, related_name="translations"
    )

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "language"], name="need_category_label_once"
            )
        ]


class NeedCodeTranslation(LabelTranslation):
    """The label of a specific-needs code in another language, edited by administrators."""

    code = models.ForeignKey(NeedCode, on_delete=models.CASCADE, related_name="translations")

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["code", "language"], name="need_code_label_once")
        ]


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
        indexes = [
            models.Index(fields=["person", "-screened_at"]),
            # The children alone list: the few screenings that flag a child.
            models.Index(
                fields=["person"],
                condition=models.Q(unaccompanied_or_separated=True),
                name="screening_child_alone_idx",
            ),
        ]

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
