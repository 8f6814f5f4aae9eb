from django import forms
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import DeviceToken


class DeviceTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Device name"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Tablet 3 at Mahagi")}),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=DeviceToken.Scope.choices,
        initial=DeviceToken.Scope.READ_WRITE,
        required=False,  # read-write when not given, as before scopes
    )

    def clean_scope(self) -> str:
        return self.cleaned_data["scope"] or DeviceToken.Scope.READ_WRITE


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )
