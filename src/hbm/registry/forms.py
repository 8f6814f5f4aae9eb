import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hbm.lib.filters import InvalidFilters
from hbm.registry.forms_desk import IdentityForm
from hbm.registry.models import DuplicateCandidate, Person, Sex
from hbm.registry.selectors import PersonFilters, person_filters
from hbm.registry.services.corrections import FIELDS, stored

LANGUAGE_SEPARATORS = re.compile(r"[,;\s]+")


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
        super().clean()
        cleaned = self.cleaned_data
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


class PersonCorrectionForm(IdentityForm):
    """A person's record as stored, to correct: only the fields the officer changes are
    sent to the service, with the reason."""

    other_names = forms.CharField(
        label=_("Other names / aliases"),
        required=False,
        max_length=300,
        help_text=_("Separated by ';'."),
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=200,
        help_text=_("ISO 639 codes separated by commas, e.g. ar, en."),
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        max_length=300,
        help_text=_("e.g. name copied from the passport; date of birth read wrongly."),
    )

    def __init__(self, *args: Any, person: Person, countries: Mapping[str, str], **kwargs: Any):
        initial = {field: stored(person, field) for field in FIELDS}
        initial["nationality"] = initial["nationality"] or ""
        initial["languages"] = ", ".join(initial["languages"])
        super().__init__(*args, countries=countries, initial=initial, **kwargs)
        self.order_fields(FIELDS)
        self.fields["other_names"].widget.attrs["dir"] = "auto"
        self.fields["languages"].widget.attrs["dir"] = "ltr"

    def changes(self) -> dict[str, Any]:
        """The fields the officer changed, as typed."""
        changes = {name: self.cleaned_data[name] for name in self.changed_data if name in FIELDS}
        if "languages" in changes:
            changes["languages"] = [
                code for code in LANGUAGE_SEPARATORS.split(changes["languages"]) if code
            ]
        return changes

    def add_problems(self, problems: Mapping[str, list[str]]) -> None:
        """The service's problems next to their fields (``languages.1`` is the languages
        field's); the others above the form."""
        for path, messages in problems.items():
            field: str | None = path.split(".")[0]
            if field not in self.fields:
                field = None
            for message in messages:
                self.add_error(field, message)


class ExportForm(forms.Form):
    """The registrations export's choices (the API's ExportFilterIn, for the web)."""

    format = forms.ChoiceField(label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")])
    crossing_point = forms.CharField(label=_("Crossing point code"), required=False, max_length=50)
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[("", _("Both")), ("entry", _("Entry")), ("exit", _("Exit"))],
    )
    since = forms.DateField(label=_("From (YYYY-MM-DD)"), required=False)
    until = forms.DateField(label=_("To (YYYY-MM-DD)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data

    @property
    def filters(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "format"}
