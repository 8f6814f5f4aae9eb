"""The team and deployment pages' forms. Lists (members, skills, languages) are typed as
text, separated by commas; the services check every item."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hbm.fieldops.services import DeploymentInput, TeamInput
from hbm.fieldops.services.equipment import CheckInput
from hbm.fieldops.services.movements import ManifestInput, MovementInput


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name of the team"), required=False)
    agencies = forms.MultipleChoiceField(
        label=_("Agencies"), widget=forms.CheckboxSelectMultiple, required=False
    )
    members = forms.CharField(label=_("Members (usernames, separated by commas)"), required=False)
    skills = forms.CharField(label=_("Skills (separated by commas)"), required=False)
    languages = forms.CharField(label=_("Languages (separated by commas)"), required=False)
    equipment = forms.CharField(
        label=_("Equipment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(a.code, a.name) for a in agencies]
        cast(forms.ChoiceField, self.fields["agencies"]).choices = choices

    def to_input(self) -> TeamInput:
        data = self.cleaned_data
        return TeamInput(
            name=data["name"],
            agencies=list(data["agencies"]),
            members=_items(data["members"]),
            skills=_items(data["skills"]),
            languages=_items(data["languages"]),
            equipment=data["equipment"],
        )


class DeploymentForm(forms.Form):
    team = forms.ChoiceField(label=_("Team"))
    crossing_point = forms.ChoiceField(label=_("Crossing point"), required=False)
    area = forms.ChoiceField(label=_("Or an area (every crossing point in it)"), required=False)
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300, required=False)

    def __init__(self, *args: Any, teams: Any, points: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        cast(forms.ChoiceField, fields["team"]).choices = [
            (str(t.public_id), t.name) for t in teams
        ]
        cast(forms.ChoiceField, fields["crossing_point"]).choices = [
            ("", "—"),
            *((p.code, p.name) for p in points),
        ]
        cast(forms.ChoiceField, fields["area"]).choices = [
            ("", "—"),
            *((a.pcode, f"{a.name} ({a.pcode})") for a in areas),
        ]

    def to_input(self) -> DeploymentInput:
        data = self.cleaned_data
        return DeploymentInput(
            team=data["team"],
            crossing_point=data["crossing_point"],
            area=data["area"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            purpose=data["purpose"],
        )


def show_problems(form: forms.Form, error: ValidationError) -> None:
    """The service's problems on the form's fields (``members.2`` on members)."""
    for key, problems in error.message_dict.items():
        field = key.partition(".")[0]
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


class MovementForm(forms.Form):
    convoy = forms.CharField(
        label=_("Convoy (the same name on each of its vehicles)"), required=False
    )
    from_place = forms.CharField(label=_("From"), required=False)
    to_place = forms.CharField(label=_("To (a transit centre, a town)"), required=False)
    vehicle = forms.CharField(label=_("Vehicle"), required=False)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1)
    planned_departure = forms.DateTimeField(
        label=_("Departure"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    planned_arrival = forms.DateTimeField(
        label=_("Arrival"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def to_input(self) -> MovementInput:
        return MovementInput(**self.cleaned_data)


class ManifestForm(forms.Form):
    """Add a person, or their whole group, found by the search."""

    persons = forms.CharField(required=False, widget=forms.HiddenInput)
    group = forms.CharField(required=False, widget=forms.HiddenInput)
    split_reason = forms.CharField(
        label=_("Reason for separating the family"), max_length=300, required=False
    )

    def to_input(self) -> ManifestInput:
        data = self.cleaned_data
        return ManifestInput(
            persons=_items(data["persons"]), group=data["group"], split_reason=data["split_reason"]
        )


class EquipmentCheckForm(forms.Form):
    """One row of a holder's readiness check (prefixed by the type's code): the counts seen
    now. The service checks them (a negative count is its problem, shown on the field)."""

    item_type = forms.CharField(widget=forms.HiddenInput)
    working = forms.IntegerField(label=_("Working"), initial=0)
    broken = forms.IntegerField(label=_("Broken"), initial=0)
    missing = forms.IntegerField(label=_("Missing"), initial=0)
    required = forms.IntegerField(label=_("Required"), initial=0)
    notes = forms.CharField(label=_("Notes"), required=False)

    def to_input(self, *, crossing_point: str = "", team: str = "") -> CheckInput:
        data = self.cleaned_data
        return CheckInput(
            crossing_point=crossing_point,
            team=team,
            item_type=data["item_type"],
            working=data["working"],
            broken=data["broken"],
            missing=data["missing"],
            required=data["required"],
            notes=data["notes"],
        )
