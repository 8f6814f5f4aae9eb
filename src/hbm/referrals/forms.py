from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from hbm.places.models import BorderCrossingPoint
from hbm.referrals.models import Pathway, Provider, Referral, ServiceType
from hbm.referrals.selectors import pathway_providers
from hbm.referrals.services import providers
from hbm.registry.models import Consent
from hbm.screening.models import NeedCode, Urgency


class ReferralForm(forms.Form):
    crossing_point: "forms.ModelChoiceField[BorderCrossingPoint]" = forms.ModelChoiceField(
        queryset=None, label=_("Crossing point")
    )
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
    consent_given_by = forms.ChoiceField(
        label=_("Consent given by"),
        choices=Consent.GivenBy.choices,
        initial=Consent.GivenBy.SELF,
        required=False,
    )
    consent_given_by_name = forms.CharField(
        label=_("Name of who gave consent, when not the person"), required=False, max_length=150
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
        cast(forms.ModelChoiceField, self.fields["crossing_point"]).queryset = points
        if points.count() == 1:
            self.fields["crossing_point"].initial = points.first()
        self._offer_providers()

    def clean_consent_given_by(self) -> str:
        return self.cleaned_data.get("consent_given_by") or Consent.GivenBy.SELF

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
        field = cast(forms.ModelChoiceField, self.fields["provider"])
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
            data = cast(QueryDict, self.data).copy()
            data[self.add_prefix("provider")] = ""
            self.data = data

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class TransitionForm(forms.Form):
    status = forms.ChoiceField(choices=Referral.Status.choices)
    reason = forms.CharField(required=False, max_length=500)
    outcome = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _add_rule_problems(form: forms.ModelForm, problems: dict[str, list[str]]) -> None:
    """The directory's rules (services/providers.py) on top of the form's own checks: a field
    the form already refused keeps its own message."""
    for name, messages in problems.items():
        if name == "__all__" or (name in form.fields and name not in form.errors):
            form.add_error(None if name == "__all__" else name, messages)


class ProviderAdminForm(forms.ModelForm):
    """The Django admin's provider form, held to providers.provider_clean's rules."""

    class Meta:
        model = Provider
        fields = list(providers.PROVIDER_FIELDS)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        data = {name: cleaned.get(name) for name in providers.PROVIDER_FIELDS}
        agency, area = cleaned.get("agency"), cleaned.get("admin_area")
        data["agency"] = agency.code if agency else ""
        data["admin_area"] = area.pcode if area else ""
        data["service_types"] = [t.code for t in cleaned.get("service_types") or []]
        instance = self.instance if self.instance.pk else None
        _values, problems = providers.provider_clean(data, instance=instance)
        _add_rule_problems(self, problems)
        return cleaned


class PathwayAdminForm(forms.ModelForm):
    """The Django admin's pathway form, held to providers.pathway_clean's rules."""

    class Meta:
        model = Pathway
        fields = ["crossing_point", "service_type", "urgency", "provider"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        point, service, provider = (
            cleaned.get("crossing_point"),
            cleaned.get("service_type"),
            cleaned.get("provider"),
        )
        if point and service and provider:
            _values, problems = providers.pathway_clean(
                {
                    "crossing_point": point.code,
                    "service_type": service.code,
                    "urgency": cleaned.get("urgency", ""),
                    "provider": provider.pk,
                },
                must_be_new=False,  # the model form checks the pathway_once constraint
            )
            _add_rule_problems(self, problems)
        return cleaned
