"""The person page's consent forms: record a consent, withdraw one. The rules are the
service's (services/consents.py); these only carry the officer's input to it."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hbm.registry.models import Consent
from hbm.registry.services.consents import ConsentInput


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Consent.Purpose.choices)
    given = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Consents")), ("no", _("Refuses"))],
        coerce=lambda value: value == "yes",
        initial="yes",
    )
    scope = forms.CharField(
        label=_("Covers only (service type or agency code)"),
        required=False,
        max_length=40,
        help_text=_("Empty: every service or agency of the purpose."),
    )
    given_by = forms.ChoiceField(
        label=_("Who gave it"), choices=Consent.GivenBy.choices, initial=Consent.GivenBy.SELF
    )
    given_by_name = forms.CharField(label=_("Name of who gave it"), required=False, max_length=150)
    method = forms.ChoiceField(
        label=_("How"),
        choices=[("", _("Not recorded")), *Consent.Method.choices],
        required=False,
    )
    expires_on = forms.DateField(
        label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def consent_input(self) -> ConsentInput:
        return ConsentInput(**self.cleaned_data)

    def add_problems(self, problems: dict[str, Any]) -> None:
        for name, messages in problems.items():
            self.add_error(name if name in self.fields else None, messages)


class WithdrawalForm(forms.Form):
    # Not required here: the service says why an empty reason is refused.
    reason = forms.CharField(
        label=_("Reason for the withdrawal"), required=False, widget=forms.Textarea({"rows": 2})
    )
