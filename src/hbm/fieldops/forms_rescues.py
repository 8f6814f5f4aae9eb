"""The rescue pages' forms. They take text as typed; services.rescues checks every field."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hbm.fieldops.models import RescuedPerson, RescueIncident
from hbm.fieldops.services.rescues import FoundInput, NewPersonInput, RescueInput
from hbm.registry.models import Sex

LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"})


class RescueForm(forms.Form):
    occurred_at = forms.DateTimeField(label=_("When"), widget=LOCAL)
    latitude = forms.CharField(label=_("Latitude (decimal degrees)"), required=False)
    longitude = forms.CharField(label=_("Longitude (decimal degrees)"), required=False)
    hazard = forms.ChoiceField(label=_("Hazard"), choices=RescueIncident.Hazard.choices)
    crossing_point = forms.ChoiceField(label=_("Nearest crossing point"), required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, points: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["crossing_point"]).choices = [
            ("", "—"),
            *((p.code, p.name) for p in points),
        ]
        cast(forms.ChoiceField, self.fields["team"]).choices = [
            ("", "—"),
            *((str(t.public_id), t.name) for t in teams),
        ]

    def to_input(self) -> RescueInput:
        return RescueInput(**self.cleaned_data)


class FoundForm(forms.Form):
    """A person found: their record's id (linked), or their details (registered here)."""

    person = forms.CharField(label=_("Number of the person's record"), required=False)
    given_name = forms.CharField(label=_("Given name"), required=False)
    family_name = forms.CharField(label=_("Family name"), required=False)
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", "—"), *Sex.choices],
    )
    age_estimate = forms.IntegerField(label=_("Age (estimated)"), required=False, min_value=0)
    nationality = forms.CharField(label=_("Nationality (ISO code)"), required=False)
    consent_given = forms.BooleanField(label=_("Consented to registration"), required=False)
    injury = forms.ChoiceField(label=_("Injury"), choices=RescuedPerson.Injury.choices)
    condition = forms.CharField(label=_("Condition"), max_length=500, required=False)

    REGISTER = ("given_name", "family_name", "sex", "age_estimate", "nationality")

    def to_input(self) -> FoundInput:
        data = self.cleaned_data
        registering = any(data[name] not in ("", None) for name in self.REGISTER)
        register = (
            NewPersonInput(
                consent_given=data["consent_given"],
                **{name: data[name] for name in self.REGISTER},
            )
            if registering
            else None
        )
        return FoundInput(
            person=data["person"],
            new_person=register,
            injury=data["injury"],
            condition=data["condition"],
        )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=RescueIncident.Outcome.choices)


class RescueFilterForm(forms.Form):
    hazard = forms.ChoiceField(
        label=_("Hazard"), required=False, choices=[("", _("All")), *RescueIncident.Hazard.choices]
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("All")), *RescueIncident.Outcome.choices],
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
