"""Capacity assessments of crossing points: versioned templates (dimensions → indicators →
a 0–4 scale with an anchor text per level) and assessments that score a crossing point
against one published template. The scoring formula lives in ``scoring.py``."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import Agency
from hbm.lib.translations import Translated, TranslatedText, TranslationRow
from hbm.places.models import BorderCrossingPoint

MAX_LEVEL = 4
LEVELS = range(MAX_LEVEL + 1)


class Template(Translated):
    """One version of an assessment template. A published version never changes: it is
    copied to a new draft version instead. Its texts, its dimensions' and its indicators' have
    translations, which may be edited on a published version too (docs/decisions/0141)."""

    translated_fields = ("name", "description")
    display_name = TranslatedText("name")
    display_description = TranslatedText("description")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    code = models.SlugField(max_length=40)
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="template_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.display_name} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Dimension(Translated):
    translated_fields = ("title", "description")
    display_title = TranslatedText("title")
    display_description = TranslatedText("description")

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="dimensions")
    order = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="dimension_code_once")
        ]

    def __str__(self) -> str:
        return self.title


INDICATOR_TEXTS = ("question", "guidance", "evidence_expected", *(f"level_{n}" for n in LEVELS))


class Indicator(Translated):
    translated_fields = INDICATOR_TEXTS
    display_question = TranslatedText("question")
    display_guidance = TranslatedText("guidance")
    display_evidence_expected = TranslatedText("evidence_expected")

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=20)
    question = models.TextField()
    guidance = models.TextField(blank=True)
    evidence_expected = models.TextField(blank=True)
    source_ref = models.TextField(blank=True, help_text=_("Where the indicator comes from."))
    verified = models.BooleanField(
        default=True,
        help_text=_("False where the source was not confirmed; the UI marks it unverified."),
    )
    weight = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("10"))],
    )
    level_0 = models.TextField(_("level 0"))
    level_1 = models.TextField(_("level 1"))
    level_2 = models.TextField(_("level 2"))
    level_3 = models.TextField(_("level 3"))
    level_4 = models.TextField(_("level 4"))

    class Meta:
        ordering = ["dimension__order", "order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gt=0, weight__lte=10), name="indicator_weight_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.question[:60]}"

    @property
    def anchors(self) -> list[str]:
        return [getattr(self, f"level_{level}") for level in LEVELS]

    @property
    def display_anchors(self) -> list[str]:
        """The anchor of each level in the language of the current request."""
        language = get_language()
        return [self.text_for(f"level_{level}", language) for level in LEVELS]


class TemplateTranslation(TranslationRow):
    """A template's name and description in another language."""

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="translations")
    name = models.CharField(_("name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["template", "language"], name="template_language_once")
        ]


class DimensionTranslation(TranslationRow):
    """A dimension's title and description in another language."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(_("title"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "language"], name="dimension_language_once"
            )
        ]


class IndicatorTranslation(TranslationRow):
    """An indicator's question, guidance, evidence expected and level anchors in another
    language; its code, weight and source are the indicator's own."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="translations")
    question = models.TextField(_("question"), blank=True)
    guidance = models.TextField(_("guidance"), blank=True)
    evidence_expected = models.TextField(_("evidence expected"), blank=True)
    level_0 = models.TextField(_("level 0"), blank=True)
    level_1 = models.TextField(_("level 1"), blank=True)
    level_2 = models.TextField(_("level 2"), blank=True)
    level_3 = models.TextField(_("level 3"), blank=True)
    level_4 = models.TextField(_("level 4"), blank=True)

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "language"], name="indicator_language_once"
            )
        ]


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        APPROVED = "approved", _("Approved")

    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    crossing_point = models.ForeignKey(
        BorderCrossingPoint, on_delete=models.PROTECT, related_name="assessments"
    )
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField()
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    team_notes = models.TextField(
        blank=True, help_text=_("Other team members: names and agencies of people without a login.")
    )
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["crossing_point", "status", "-assessed_on"])]

    def __str__(self) -> str:
        return f"{self.crossing_point} {self.assessed_on}"


class Score(models.Model):
    """The team's score for one indicator: a level 0–4, or not applicable with a reason."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_LEVEL)]
    )
    not_applicable = models.BooleanField(default=False)
    na_reason = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="score_once"),
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) | models.Q(level__lte=MAX_LEVEL),
                name="score_level_0_to_4",
            ),
            models.CheckConstraint(
                condition=models.Q(not_applicable=False) | models.Q(level__isnull=True),
                name="score_na_has_no_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {'N/A' if self.not_applicable else self.level}"


class Attachment(models.Model):
    """Evidence file for a score, kept in private storage and read through an access check."""

    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="assessments/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name


class Recommendation(models.Model):
    """A recommendation tracked as an action: a responsible agency, a due date, a status."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="recommendations"
    )
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.text[:80]
