from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hbm.referrals.models import Provider, Referral, ServiceType
from hbm.referrals.selectors import pathway_providers
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
        self._offer_providers()

    def chosen(self, name: str) -> Any:
        """The value of a field as given so far (bound data, else initial), or None."""
        field = self.fields[name]
        if self.is_bound:
            raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        else:
            raw = self.get_initial_for_field(field, name)
        try:
            return field.clean(raw)
        except ValidationError:
            return None

    def _offer_providers(self) -> None:
        """List only the providers offering the chosen service, on the pathway of the chosen
        point and urgency when those are chosen. Validation still takes any active provider:
        referral_send says why one not listed is refused."""
        service = self.chosen("service_type")
        field = self.fields["provider"]
        if service is None:
            offered = Provider.objects.none()
            field.empty_label = _("Choose a service first")
        else:
            offered = Provider.objects.filter(active=True, service_types=service)
            point, urgency = self.chosen("crossing_point"), self.chosen("urgency")
            if point is not None and urgency:
                on_pathway = pathway_providers(
                    crossing_point=point, service_type=service, urgency=urgency
                )
                offered = offered.filter(pk__in=on_pathway.values("pk"))
            field.empty_label = _("Choose a provider") if offered else _("No provider on file")
        self.offered = list(offered.order_by("name"))
        field.widget.choices = [("", field.empty_label)] + [(p.pk, p.name) for p in self.offered]

    def forget_unoffered_provider(self) -> None:
        """While the form is being filled in: a provider chosen for another service is
        dropped, as the list shown no longer holds it."""
        provider = self.chosen("provider")
        if provider is not None and provider not in self.offered:
            self.data = self.data.copy()
            self.data[self.add_prefix("provider")] = ""

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class TransitionForm(forms.Form):
    status = forms.ChoiceField(choices=Referral.Status.choices)
    reason = forms.CharField(required=False, max_length=500)
    outcome = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
