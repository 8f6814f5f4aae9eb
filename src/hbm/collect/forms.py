import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hbm.places.models import BorderCrossingPoint

MAX_XLSFORM_BYTES = 5 * 1024 * 1024
TOO_LARGE = _("The file is larger than 5 MB.")
WRONG_TYPE = _("Upload an XLSForm (.xlsx).")
NOT_JSON = _("Not valid JSON: %(error)s")


def _points() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=BorderCrossingPoint.objects.order_by("name"),
        label=_("Crossing points"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class MappingField(forms.CharField):
    """A JSON object typed in a text area."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(widget=forms.Textarea(attrs={"rows": 14, "class": "mono"}), **kwargs)

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(NOT_JSON, params={"error": error}) from error

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return json.dumps(value, indent=2, ensure_ascii=False)
        return value


class FormUploadForm(forms.Form):
    file = forms.FileField(label=_("XLSForm (.xlsx)"))
    crossing_points = _points()
    mapping = MappingField(label=_("Field mapping (JSON; empty: the default)"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_XLSFORM_BYTES:
            raise forms.ValidationError(TOO_LARGE)
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(WRONG_TYPE)
        return upload


class FormEditForm(forms.Form):
    mapping = MappingField(label=_("Field mapping (JSON)"))
    crossing_points = _points()
    active = forms.BooleanField(label=_("Served to Collect"), required=False)


class CredentialForm(forms.Form):
    name = forms.CharField(
        label=_("Device name"), max_length=100, help_text=_("e.g. 'Tablet 3 at Mahagi'")
    )
