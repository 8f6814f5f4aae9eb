from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import Agency
from hbm.lib.uploads import ImportFileForm


class WatchlistForm(forms.Form):
    name = forms.CharField(label=_("Name of the list"), max_length=150)
    owner: "forms.ModelChoiceField[Agency]" = forms.ModelChoiceField(
        label=_("Owner agency"), queryset=None, empty_label=None, to_field_name="code"
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The law or decision that allows this list, e.g. Law 04/2016 art. 12."),
    )
    retention_days = forms.IntegerField(
        label=_("Keep entries for (days)"), min_value=1, max_value=36_500, initial=365
    )
    field_screening = forms.BooleanField(
        label=_("Screen at field stations"),
        required=False,
        help_text=_(
            "Field stations receive the names, dates of birth, nationalities, documents and "
            "required actions of this list's entries to screen their arrivals."
        ),
    )

    def __init__(self, *args: Any, agencies: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Agency]", self.fields["owner"]).queryset = agencies


class WatchlistFileForm(ImportFileForm):
    file = forms.FileField(label=_("CSV, XLSX or FollowTheMoney JSON lines file"))
    replace = forms.BooleanField(
        label=_("Remove the entries this file no longer has"), required=False, initial=True
    )
    extensions = (".csv", ".xlsx", ".jsonl", ".json", ".ftm")
    too_large = _("The file is larger than 5 MB; load it through the API.")
    wrong_type = _("Upload a .csv, .xlsx or .jsonl (FollowTheMoney) file.")

    def carried(self) -> dict[str, str]:
        return {"replace": "on"} if self.cleaned_data.get("replace") else {}
