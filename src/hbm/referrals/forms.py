from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hbm.referrals.models import Provider, Referral, ServiceType
from hbm.screening.models import NeedCode, Urgency


class ReferralForm(forms.Form):
    crossing_point = forms.ModelChoiceField(queryset=None, label=_("Crossing point"))
    service_type = forms.ModelChoiceField(queryset=ServiceType.objects.all(), label=_("Service"))
    provider = forms.ModelChoiceField(
        queryset=Provider.objects.filter(active=True), label=_("Provider")
    )
    urgency = forms.ChoiceField(choices=Urgency.choices, label=_("Urgency"))
    need_code = forms.ModelChoiceField(
        queryset=NeedCode.objects.filter(category__taxonomy__published=True).prefetch_related(
            "translations"
        ),
        required=False,
        label=_("Specific need"),
        to_field_name="code",
    )
    consent_given = forms.BooleanField(
        required=False, label=_("The person consents to this referral")
    )
    consent_override_reason = forms.CharField(
        required=False,
        label=_("Reason to refer without consent (protection officers only)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notes = forms.CharField(
        required=False, label=_("Notes for the provider"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, points: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["crossing_point"].queryset = points  # type: ignore[attr-defined]
        if points.count() == 1:
            self.fields["crossing_point"].initial = points.first()

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class TransitionForm(forms.Form):
    status = forms.ChoiceField(choices=Referral.Status.choices)
    reason = forms.CharField(required=False, max_length=500)
    outcome = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
