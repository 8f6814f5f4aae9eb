from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hbm.alerts import detectors
from hbm.alerts.models import Alert, Detector, Level
from hbm.alerts.services.alerts import ConfigInput, ManualAlertInput


class AlertFilterForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All")), *Level.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("Not closed")), ("", _("All")), *Alert.Status.choices],
    )
    point = forms.ChoiceField(label=_("Crossing point"), required=False)

    def __init__(self, *args: Any, points: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["point"]).choices = [
            ("", _("All")),
            *((p.code, p.name) for p in points),
        ]

    def values(self) -> dict[str, str]:
        if not self.is_bound:
            return {"level": "", "status": "active", "point": ""}
        if not self.is_valid():
            return {"level": "", "status": "active", "point": ""}
        return {name: self.cleaned_data[name] for name in ("level", "status", "point")}


class ManualAlertForm(forms.Form):
    # checked by the service with the rest, so that every problem shows at once
    crossing_point = forms.ChoiceField(label=_("Crossing point"), required=False)
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[(value, label) for value, label in Level.choices if value != Level.NORMAL],
    )
    nationality = forms.CharField(
        label=_("Nationality (ISO 3166 alpha-3)"), required=False, max_length=3
    )
    day = forms.DateField(label=_("Day reported"), required=False)
    reason = forms.CharField(
        label=_("What was reported, and by whom"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        strip=False,
    )

    def __init__(self, *args: Any, points: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["crossing_point"]).choices = [
            ("", "—"),
            *((p.code, p.name) for p in points),
        ]

    def to_input(self) -> ManualAlertInput:
        data = self.cleaned_data
        return ManualAlertInput(
            crossing_point=data["crossing_point"],
            level=data["level"],
            reason=data["reason"],
            nationality=data["nationality"],
            day=data["day"],
        )


class DetectorConfigForm(forms.Form):
    detectors = forms.MultipleChoiceField(
        label=_("Detectors"),
        choices=[(v, label) for v, label in Detector.choices if v in detectors.DETECTORS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    watch_share = forms.FloatField(label=_("Watch at this share of daily capacity"))
    warning_share = forms.FloatField(label=_("Warning at this share of daily capacity"))
    emergency_share = forms.FloatField(label=_("Emergency at this share of daily capacity"))
    warning_ratio = forms.FloatField(
        label=_("A statistical alarm is a warning at this many times the expected")
    )
    by_nationality = forms.BooleanField(label=_("Watch each nationality too"), required=False)

    def to_input(self) -> ConfigInput:
        data = self.cleaned_data
        return ConfigInput(
            detectors=tuple(data["detectors"]),
            watch_share=data["watch_share"],
            warning_share=data["warning_share"],
            emergency_share=data["emergency_share"],
            warning_ratio=data["warning_ratio"],
            by_nationality=data["by_nationality"],
        )


class CapImportForm(forms.Form):
    file = forms.FileField(
        label=_("CAP 1.2 file"), help_text=_("An alert from a partner's system, as XML.")
    )
    # checked by the service: empty means the point named like the alert's area
    crossing_point = forms.ChoiceField(
        label=_("Crossing point"),
        required=False,
        help_text=_("Empty: the point named like the alert's area."),
    )

    def __init__(self, *args: Any, points: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["crossing_point"]).choices = [
            ("", _("Matched by the alert's area")),
            *((p.code, p.name) for p in points),
        ]
