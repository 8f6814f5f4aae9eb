"""The plan pages' forms. The checklist is edited as text, one task a line:
``agency code | hours after activation | task | details`` (details optional)."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hbm.alerts.models import Level
from hbm.plans.models import ContingencyPlan, Task
from hbm.plans.rules import TRIGGER_LEVELS
from hbm.plans.services.plans import PlanInput, TaskInput

LINE_FORMAT = _("Line %(line)s: write agency code | hours | task (| details).")
LINE_HOURS = _("Line %(line)s: the hours are a whole number, e.g. 12.")
LINE_PROBLEM = _("Line %(line)s: %(problem)s")
LEVELS = [(value, label) for value, label in Level.choices if value in TRIGGER_LEVELS]


def _point_choices(points: Any) -> list[tuple[str, str]]:
    return [(p.code, p.name) for p in points]


def _area_choices(areas: Any) -> list[tuple[str, str]]:
    return [("", "—"), *((a.pcode, f"{a.name} ({a.pcode})") for a in areas)]


class PlanFromTemplateForm(forms.Form):
    template = forms.ChoiceField(label=_("SOP template"))
    name = forms.CharField(label=_("Name of the plan"), max_length=200, required=False)
    crossing_points = forms.MultipleChoiceField(
        label=_("Crossing points"), widget=forms.CheckboxSelectMultiple, required=False
    )
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args: Any, templates: Any, points: Any, areas: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields = self.fields
        cast(forms.ChoiceField, fields["template"]).choices = [
            (t.code, t.display_name) for t in templates
        ]
        cast(forms.ChoiceField, fields["crossing_points"]).choices = _point_choices(points)
        cast(forms.ChoiceField, fields["area"]).choices = _area_choices(areas)


def tasks_as_text(plan: ContingencyPlan) -> str:
    lines = []
    for task in plan.tasks.select_related("agency"):
        parts = [task.agency.code, str(task.due_hours), task.title]
        if task.details:
            parts.append(task.details.replace("\n", " "))
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def _task_from(line: str, number: int) -> TaskInput:
    parts = [part.strip() for part in line.split("|", 3)]
    if len(parts) < 3:
        raise ValidationError(LINE_FORMAT % {"line": number})
    try:
        hours = int(parts[1])
    except ValueError:
        raise ValidationError(LINE_HOURS % {"line": number}) from None
    return TaskInput(
        agency=parts[0], due_hours=hours, title=parts[2], details=parts[3] if len(parts) > 3 else ""
    )


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Name of the plan"), required=False)
    scenario = forms.CharField(
        label=_("Scenario"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    area = forms.ChoiceField(label=_("Area"), required=False)
    crossing_points = forms.MultipleChoiceField(
        label=_("Crossing points"), widget=forms.CheckboxSelectMultiple, required=False
    )
    standby_level = forms.ChoiceField(
        label=_("Stand by at"), choices=[("", "—"), *LEVELS], required=False
    )
    activation_level = forms.ChoiceField(label=_("Propose activation at"), choices=LEVELS)
    tasks = forms.CharField(
        label=_("Checklist: agency code | hours after activation | task | details"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        strip=False,
    )

    def __init__(self, *args: Any, points: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["crossing_points"]).choices = _point_choices(points)
        cast(forms.ChoiceField, self.fields["area"]).choices = _area_choices(areas)

    def clean_tasks(self) -> list[TaskInput]:
        lines = [line for line in self.cleaned_data["tasks"].splitlines() if line.strip()]
        problems, tasks = [], []
        for number, line in enumerate(lines, start=1):
            try:
                tasks.append(_task_from(line, number))
            except ValidationError as error:
                problems.extend(error.messages)
        if problems:
            raise ValidationError(problems)
        return tasks

    def to_input(self) -> PlanInput:
        data = self.cleaned_data
        return PlanInput(
            name=data["name"],
            scenario=data["scenario"],
            crossing_points=list(data["crossing_points"]),
            area=data["area"],
            standby_level=data["standby_level"],
            activation_level=data["activation_level"],
            tasks=data["tasks"],
        )


def show_problems(form: forms.Form, error: ValidationError) -> None:
    """The service's problems on the form's fields; a task's named by its line."""
    for key, problems in error.message_dict.items():
        field, _dot, rest = key.partition(".")
        for problem in problems:
            if field == "tasks" and rest:
                number = int(rest.split(".")[0]) + 1
                problem = LINE_PROBLEM % {"line": number, "problem": problem}
            form.add_error(field if field in form.fields else None, problem)


class TaskUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Task.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class TaskFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("To do")), ("", _("All")), *Task.Status.choices],
    )

    def value(self) -> str:
        if not self.is_bound or not self.is_valid():
            return "active"
        return str(self.cleaned_data["status"])


class EquipmentTasksForm(forms.Form):
    """A point's or a team's equipment shortfalls to add to a plan (ADR 0147)."""

    crossing_point = forms.CharField(required=False, widget=forms.HiddenInput)
    team = forms.CharField(required=False, widget=forms.HiddenInput)
    plan = forms.ChoiceField(label=_("Contingency plan"))
    agency = forms.ChoiceField(label=_("Agency the tasks go to"))
    due_hours = forms.IntegerField(label=_("Due, in hours after activation"), initial=24)

    def __init__(self, *args: Any, plans: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(plan.public_id), plan.display_name) for plan in plans]
        cast(forms.ChoiceField, self.fields["plan"]).choices = choices
        agency_choices = [(agency.code, agency.name) for agency in agencies]
        cast(forms.ChoiceField, self.fields["agency"]).choices = agency_choices
