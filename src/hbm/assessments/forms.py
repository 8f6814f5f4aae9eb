from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import Agency, User
from hbm.places.models import BorderCrossingPoint

from .models import Assessment, Recommendation, Template


class AssessmentFilterForm(forms.Form):
    crossing_point = forms.CharField(label=_("Crossing point code"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("any")), *Assessment.Status.choices],
    )


class TeamField(forms.ModelMultipleChoiceField):
    """The assessment team's members who have a login, by name."""

    def __init__(self) -> None:
        super().__init__(
            label=_("Team members with a login"),
            queryset=User.objects.filter(is_active=True).order_by("first_name", "last_name"),
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 5}),
        )

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class AssessmentForm(forms.Form):
    crossing_point: "forms.ModelChoiceField[BorderCrossingPoint]" = forms.ModelChoiceField(
        label=_("Crossing point"), queryset=None
    )
    template: "forms.ModelChoiceField[Template]" = forms.ModelChoiceField(
        label=_("Template"), queryset=None
    )
    assessed_on = forms.DateField(
        label=_("Date of the assessment"), widget=forms.DateInput(attrs={"type": "date"})
    )
    team = TeamField()
    team_notes = forms.CharField(
        label=_("Other team members (names, agencies)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, points: Any, templates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["crossing_point"]).queryset = points
        cast(forms.ModelChoiceField, self.fields["template"]).queryset = templates
        if not self.is_bound:
            self.initial.setdefault("assessed_on", timezone.localdate())
            first = templates.first()
            if first is not None:
                self.initial.setdefault("template", first.pk)


class AssessmentEditForm(forms.Form):
    assessed_on = forms.DateField(
        label=_("Date of the assessment"), widget=forms.DateInput(attrs={"type": "date"})
    )
    team = TeamField()
    team_notes = forms.CharField(
        label=_("Other team members (names, agencies)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    summary = forms.CharField(
        label=_("Summary of findings"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class RecommendationForm(forms.Form):
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2}))
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    agency = forms.ModelChoiceField(
        label=_("Responsible agency"), queryset=Agency.objects.order_by("name"), required=False
    )
    due_on = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, indicator_codes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["indicator"]).choices = [("", "—"), *indicator_codes]


class RecommendationStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Recommendation.Status.choices)


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Review note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class IndicatorEditForm(forms.Form):
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    guidance = forms.CharField(
        label=_("Guidance"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_expected = forms.CharField(
        label=_("Evidence expected"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    source_ref = forms.CharField(
        label=_("Source"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    verified = forms.BooleanField(label=_("Source verified"), required=False)
    weight = forms.CharField(label=_("Weight"))
    level_0 = forms.CharField(label=_("Level 0"), widget=forms.Textarea(attrs={"rows": 2}))
    level_1 = forms.CharField(label=_("Level 1"), widget=forms.Textarea(attrs={"rows": 2}))
    level_2 = forms.CharField(label=_("Level 2"), widget=forms.Textarea(attrs={"rows": 2}))
    level_3 = forms.CharField(label=_("Level 3"), widget=forms.Textarea(attrs={"rows": 2}))
    level_4 = forms.CharField(label=_("Level 4"), widget=forms.Textarea(attrs={"rows": 2}))


class TemplateCopyForm(forms.Form):
    name = forms.CharField(label=_("Name of the new version"), required=False, max_length=200)
