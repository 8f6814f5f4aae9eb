"""Contingency plans: SOP templates shipped as data, plans made from them (a scenario, an
area and its crossing points, triggers tied to alert levels, an SOP checklist of tasks per
agency), their activations and the task instances each activation puts before an agency."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import Agency
from hbm.alerts.models import Alert, Level
from hbm.lib.translations import Translated, TranslatedText, TranslationRow
from hbm.places.models import AdminArea, BorderCrossingPoint


class SopTemplate(Translated):
    """A standard checklist a plan starts from (loaded from a JSON file: `hbm plans
    load-template`). Its tasks name a kind of agency; a plan's tasks name the agency. Its
    name, scenario and task texts have translations (docs/decisions/0141)."""

    translated_fields = ("name", "scenario")
    display_name = TranslatedText("name")
    display_scenario = TranslatedText("scenario")

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    scenario = models.TextField(blank=True)
    source = models.TextField(blank=True, help_text=_("Where the tasks come from."))
    standby_level = models.CharField(max_length=9, choices=Level.choices, blank=True)
    activation_level = models.CharField(max_length=9, choices=Level.choices)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def translated_by_source(self, language: str | None) -> dict[str, str]:
        """Each of the template's texts (its own and its tasks') → its translation in
        ``language``, for the texts that have one. Kept on the instance per language: prefetch
        ``tasks__translations`` and ``translations``."""
        cache: dict[str | None, dict[str, str]] = self.__dict__.setdefault("_by_source", {})
        if language not in cache:
            found: dict[str, str] = {}
            for row in [self, *self.tasks.all()]:
                for field in row.translated_fields:
                    source, text = getattr(row, field), row.text_for(field, language)
                    if source and text != source:
                        found.setdefault(source, text)
            cache[language] = found
        return cache[language]


def as_template_text(template: SopTemplate | None, text: str) -> str:
    """A plan's text in the reader's language when it is still its template's text (the
    plan copied it and nobody rewrote it), else as written (docs/decisions/0141)."""
    if template is None or not text:
        return text
    return template.translated_by_source(get_language()).get(text, text)


class SopTemplateTask(Translated):
    translated_fields = ("title", "details", "lead")
    display_title = TranslatedText("title")
    display_details = TranslatedText("details")
    display_lead = TranslatedText("lead")

    template = models.ForeignKey(SopTemplate, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    details = models.TextField(blank=True)
    agency_kind = models.CharField(max_length=20, choices=Agency.Kind.choices)
    lead = models.CharField(max_length=100, help_text=_("Who leads, in words (WASH partner)."))
    due_hours = models.PositiveIntegerField(help_text=_("Hours after activation."))

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="sop_task_position")
        ]

    def __str__(self) -> str:
        return self.title


class SopTemplateTranslation(TranslationRow):
    """A template's name and scenario in another language, edited by administrators."""

    template = models.ForeignKey(SopTemplate, on_delete=models.CASCADE, related_name="translations")
    name = models.CharField(_("name"), max_length=200, blank=True)
    scenario = models.TextField(_("scenario"), blank=True)

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "language"], name="sop_template_language_once"
            )
        ]


class SopTemplateTaskTranslation(TranslationRow):
    """A template task's texts in another language, edited by administrators."""

    task = models.ForeignKey(SopTemplateTask, on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(_("title"), max_length=200, blank=True)
    details = models.TextField(_("details"), blank=True)
    lead = models.CharField(_("lead"), max_length=100, blank=True)

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["task", "language"], name="sop_task_language_once")
        ]


class ContingencyPlan(models.Model):
    """One scenario's plan for an area and its crossing points. An alert at one of the points
    at the standby level or above asks the agencies to stand by; at the activation level or
    above it proposes activation, which a coordinator then decides."""

    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    scenario = models.TextField()
    area = models.ForeignKey(
        AdminArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    crossing_points = models.ManyToManyField(BorderCrossingPoint, related_name="+")
    standby_level = models.CharField(max_length=9, choices=Level.choices, blank=True)
    activation_level = models.CharField(max_length=9, choices=Level.choices)
    template = models.ForeignKey(
        SopTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return as_template_text(self.template, self.name)

    @property
    def display_scenario(self) -> str:
        return as_template_text(self.template, self.scenario)


class PlanTask(models.Model):
    """A line of the plan's SOP checklist: what, by which agency, how many hours after
    activation."""

    plan = models.ForeignKey(ContingencyPlan, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    details = models.TextField(blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_hours = models.PositiveIntegerField()

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="plan_task_position")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return as_template_text(self.plan.template, self.title)

    @property
    def display_details(self) -> str:
        return as_template_text(self.plan.template, self.details)


class Activation(models.Model):
    """A plan switched on by a coordinator (by hand, or on an alert's proposal) until closed
    with after-action notes. One open activation per plan."""

    plan = models.ForeignKey(ContingencyPlan, on_delete=models.PROTECT, related_name="activations")
    alert = models.ForeignKey(
        Alert,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The alert whose proposal was accepted; empty when activated by hand."),
    )
    reason = models.TextField(blank=True)
    activated_at = models.DateTimeField()
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    after_action = models.TextField(blank=True, help_text=_("What worked, what did not."))

    class Meta:
        ordering = ["-activated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(closed_at__isnull=True),
                name="plan_one_open_activation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} activated {self.activated_at:%Y-%m-%d %H:%M}"


class Task(models.Model):
    """One SOP task put before an agency by an activation, with its due time and status."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        BLOCKED = "blocked", _("Blocked")

    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    activation = models.ForeignKey(Activation, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    details = models.TextField(blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField()
    status = models.CharField(max_length=11, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "position", "pk"]
        indexes = [models.Index(fields=["agency", "status", "due_at"], name="task_agency_open")]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"

    @property
    def display_title(self) -> str:
        return as_template_text(self.activation.plan.template, self.title)

    @property
    def display_details(self) -> str:
        return as_template_text(self.activation.plan.template, self.details)
