from django import forms
from django.utils.translation import gettext_lazy as _

from hbm.places.models import BorderCrossingPoint

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
TOO_LARGE = _("The file is larger than 5 MB; split it.")
WRONG_TYPE = _("Upload a .csv or .xlsx file.")


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


class CrossingPointImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_LARGE)
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(WRONG_TYPE)
        return upload
