from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hbm.lib.filters import InvalidFilters
from hbm.registry.models import DuplicateCandidate, Sex
from hbm.registry.selectors import PersonFilters, person_filters


class PersonSearchForm(forms.Form):
    name = forms.CharField(label=_("Name (any spelling or script)"), required=False)
    document_number = forms.CharField(label=_("Document number"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False)
    crossing_point = forms.CharField(label=_("Crossing point code"), required=False)
    nationality = forms.CharField(
        label=_("Nationality (ISO alpha-3)"), required=False, max_length=3
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("any")), *Sex.choices])
    crossed_since = forms.DateField(
        label=_("Crossed from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    crossed_until = forms.DateField(
        label=_("Crossed until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    filters: PersonFilters

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors:
            try:
                self.filters = person_filters(**cleaned)
            except InvalidFilters as invalid:
                self.add_error(None, invalid)
        return cleaned

    def is_empty(self) -> bool:
        return not any(self.cleaned_data.values())


class DuplicateDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (DuplicateCandidate.Status.SAME, _("Same person")),
            (DuplicateCandidate.Status.DIFFERENT, _("Different people")),
            (DuplicateCandidate.Status.UNSURE, _("Not sure")),
            ("undo", _("Undo the decision")),
        ]
    )
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=300)
