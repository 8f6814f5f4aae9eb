from django import forms
from django.utils.translation import gettext_lazy as _


class DeviceTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Device name"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Tablet 3 at Mahagi")}),
    )
