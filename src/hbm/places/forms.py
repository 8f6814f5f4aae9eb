from django import forms
from django.utils.translation import gettext_lazy as _

from hbm.places.models import BorderCrossingPoint


class CrossingPointFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("any")), *list(BorderCrossingPoint.Status.choices)],
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("any")), *list(BorderCrossingPoint.Kind.choices)],
    )
