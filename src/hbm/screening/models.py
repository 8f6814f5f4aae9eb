import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import Agency
from hbm.lib.encrypted_fields import EncryptedJSONField, EncryptedTextField
from hbm.lib.translations import BASE_LANGUAGE, translation_languages
from hbm.places.models import BorderCrossingPoint
from hbm.registry.models import Person, Sex, full_name

# The labels in the taxonomy's own rows are English; other languages are data beside them
# (see docs/decisions/0021-need-labels-translated-as-data.md and hbm.lib.translations).
label_languages = translation_languages  # named in migration 0004


class TranslatedLabel(models.Model):
    """A label with translations in ``translations`` (prefetch them when listing)."""

    # Declared by each concrete model: its English label and its rows of translations.
    label: str
    translations: Any  # a RelatedManager of the model's translation rows

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

    # The same on every server: a field station's push names the screening by it (ADR 0137).
    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="screenings")
    taxonomy = models.ForeignKey(NeedsTaxonomy, on_delete=models.PROTECT, related_name="+")
    answers = EncryptedJSONField(default=dict)
    proposed_codes = models.JSONField(default=list)
    codes = models.ManyToManyField(NeedCode, blank=True, related_name="screenings")
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    unaccompanied_or_separated = models.BooleanField(default=False)
    notes = EncryptedTextField(blank=True)
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

    # The same on every server: a field station's push names the screening by it (ADR 0137).
    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
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
    symptoms = EncryptedJSONField(default=dict)
    temperature_celsius = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    vaccination = models.CharField(
        max_length=12, choices=Vaccination.choices, default=Vaccination.UNKNOWN
    )
    has_symptoms = models.BooleanField(default=False)
    referred_for_care = models.BooleanField(default=False)
    notes = EncryptedTextField(blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    screened_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-screened_at"]
        indexes = [models.Index(fields=["crossing_point", "screened_at"])]

    def __str__(self) -> str:
        return f"health screening of {self.person}"


class TracingRequest(models.Model):
    """Someone looks for a relative they were separated from (a child for a parent, most
    often). The request describes the person looked for; candidates are proposed from the
    registry (TracingMatch) until one is confirmed or the request is closed. It belongs to
    the protection compartment of its crossing point."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MATCHED = "matched", _("Match confirmed")
        CLOSED = "closed", _("Closed")

    class Relationship(models.TextChoices):
        """Who the person looked for is to the enquirer."""

        PARENT = "parent", _("Parent")
        CHILD = "child", _("Child")
        SIBLING = "sibling", _("Brother or sister")
        SPOUSE = "spouse", _("Husband or wife")
        OTHER_RELATIVE = "other_relative", _("Other relative")
        OTHER = "other", _("Other or not known")

    class ClosingReason(models.TextChoices):
        REUNITED = "reunited", _("Reunited")
        FOUND = "found", _("Found, not reunited")
        WITHDRAWN = "withdrawn", _("Withdrawn by the enquirer")
        DECEASED = "deceased", _("The person looked for has died")
        NOT_FOUND = "not_found", _("Not found after searching")
        DUPLICATE = "duplicate", _("Same as another request")

    crossing_point = models.ForeignKey(
        BorderCrossingPoint,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # tracing_point_idx starts with it
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enquirer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="tracing_requests"
    )
    enquirer_name = models.CharField(_("enquirer's name"), max_length=200, blank=True)
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    relationship_detail = models.CharField(_("relationship in words"), max_length=150, blank=True)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    father_name = models.CharField(_("father's name"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    approximate_age = models.PositiveSmallIntegerField(_("approximate age"), null=True, blank=True)
    last_seen_place = models.CharField(_("last seen at"), max_length=200, blank=True)
    last_seen_on = models.DateField(_("last seen on"), null=True, blank=True)
    description = EncryptedTextField(_("description"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    matched_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closing_reason = models.CharField(max_length=20, choices=ClosingReason.choices, blank=True)
    closing_note = EncryptedTextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The list's pages, newest first: a point officer's points, by status or not;
            # every request (national scope), by status or not.
            models.Index(
                fields=["crossing_point", "status", "-created_at"], name="tracing_point_idx"
            ),
            models.Index(fields=["crossing_point", "-created_at"], name="tracing_point_new_idx"),
            models.Index(fields=["status", "-created_at"], name="tracing_status_idx"),
            models.Index(fields=["-created_at"], name="tracing_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(enquirer__isnull=False) | ~models.Q(enquirer_name=""),
                name="tracing_enquirer_given",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(closing_reason=""),
                name="tracing_closed_with_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="matched") | models.Q(matched_person__isnull=False),
                name="tracing_matched_with_person",
            ),
        ]

    def __str__(self) -> str:
        return f"tracing request {self.pk} ({self.status})"

    @property
    def sought_name(self) -> str:
        return full_name(self.given_name, self.father_name, self.family_name)


class TracingMatch(models.Model):
    """A registered person proposed as the one a tracing request looks for, with the score
    and the reasons (codes and values, worded by tracing_reasons), until a person decides."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("To decide")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Not the person")

    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="matches")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField()
    relation = models.CharField(max_length=20, blank=True)
    reasons = models.JSONField(default=list)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decision_note = EncryptedTextField(max_length=500, blank=True)
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="tracing_match_once")
        ]

    def __str__(self) -> str:
        return f"match {self.pk} of request {self.request_id} ({self.decision})"


class TracingEvent(models.Model):
    """The history of a tracing request: opened, candidates proposed, a match decided, closed."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opened")
        PROPOSED = "proposed", _("Candidates proposed")
        DECIDED = "decided", _("Candidate decided")
        CLOSED = "closed", _("Closed")

    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    match = models.ForeignKey(
        TracingMatch, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    note = EncryptedTextField(max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.request_id})"
