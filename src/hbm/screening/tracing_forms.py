from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hbm.places.models import BorderCrossingPoint
from hbm.registry.models import Sex
from hbm.screening.models import TracingMatch, TracingRequest
from hbm.screening.services.tracing_requests import Sought, tracing_request_problems

R = TracingRequest
SOUGHT_FIELDS = [name for name in Sought.__dataclass_fields__]


class TracingRequestForm(forms.Form):
    """The request as the officer types it: the form parses types (a year, a date), the
    service's rules say the rest; every problem is shown at once, beside its field."""

    crossing_point: "forms.ModelChoiceField[BorderCrossingPoint]" = forms.ModelChoiceField(
        queryset=None, label=_("Crossing point")
    )
    enquirer_name = forms.CharField(
        required=False,
        label=_("Who is looking (name), if not registered"),
        help_text=_("Open the request from the person page when the enquirer is registered."),
    )
    relationship = forms.ChoiceField(
        choices=R.Relationship.choices, label=_("The person looked for is the enquirer's")
    )
    relationship_detail = forms.CharField(
        required=False, label=_("Relationship in words (e.g. maternal aunt)")
    )
    given_name = forms.CharField(required=False, label=_("Given name"))
    family_name = forms.CharField(required=False, label=_("Family name"))
    father_name = forms.CharField(required=False, label=_("Father's name"))
    sex = forms.ChoiceField(
        required=False, choices=[("", _("Not known")), *Sex.choices], label=_("Sex")
    )
    birth_year = forms.IntegerField(required=False, label=_("Year of birth"))
    approximate_age = forms.IntegerField(
        required=False, label=_("Or approximate age, if the year is not known")
    )
    last_seen_place = forms.CharField(required=False, label=_("Last seen at (place)"))
    last_seen_on = forms.DateField(
        required=False,
        label=_("Last seen on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    description = forms.CharField(
        required=False,
        label=_("Description (clothes, marks, languages, anything that helps)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, points: Any, enquirer: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enquirer = enquirer
        field = cast("forms.ModelChoiceField[BorderCrossingPoint]", self.fields["crossing_point"])
        field.queryset = points
        if points.count() == 1:
            self.fields["crossing_point"].initial = points.first()
        if enquirer is not None:
            del self.fields["enquirer_name"]

    def sought(self) -> Sought:
        data = getattr(self, "cleaned_data", {})
        return Sought(**{name: data[name] for name in SOUGHT_FIELDS if name in data})

    def check_rules(self) -> bool:
        """Validate, then add the service's problems for the fields that parsed; True when
        the request can be opened."""
        valid = self.is_valid()
        data = self.cleaned_data
        problems = tracing_request_problems(
            sought=self.sought(),
            relationship=data.get("relationship", ""),
            enquirer=self.enquirer,
            enquirer_name=data.get("enquirer_name", ""),
            relationship_detail=data.get("relationship_detail", ""),
        )
        remaining = {k: v for k, v in problems.items() if k not in self.errors}
        if remaining:
            self.add_service_errors(ValidationError(remaining))
        return valid and not problems

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (TracingMatch.Decision.CONFIRMED, _("Confirm")),
            (TracingMatch.Decision.REJECTED, _("Not the person")),
        ]
    )
    note = forms.CharField(required=False, max_length=500)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(choices=R.ClosingReason.choices, label=_("Reason for closing"))
    note = forms.CharField(
        required=False, label=_("Note"), widget=forms.Textarea(attrs={"rows": 2})
    )
