from django import forms
from django.utils.translation import gettext_lazy as _

from hbm.sync.models import SyncConflict


class ConflictFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (SyncConflict.Status.OPEN, _("Open")),
            ("", _("All")),
            *[(SyncConflict.Status.RESOLVED, _("Resolved"))],
        ],
    )

    def status_chosen(self) -> str:
        if not self.is_bound:
            return SyncConflict.Status.OPEN
        return self.cleaned_data["status"] if self.is_valid() else SyncConflict.Status.OPEN


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("Resolution"),
        widget=forms.RadioSelect,
        choices=[
            ("apply", _("Apply the station's edit")),
            ("keep", _("Keep the current record")),
        ],
    )
    note = forms.CharField(label=_("Note (why)"), max_length=300, required=False)
    version = forms.UUIDField(required=False, widget=forms.HiddenInput)
