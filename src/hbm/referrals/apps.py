from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "hbm.referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        from hbm.referrals.models import ServiceType
        from hbm.referrals.selectors import can_refer
        from hbm.registry.hooks import on_consent_scope
        from hbm.registry.models import Consent
        from hbm.registry.sections import (
            PersonAction,
            PersonSection,
            register_person_action,
            register_person_section,
        )

        register_person_section(
            PersonSection(
                key="referrals",
                title=_("Referrals"),
                url_name="referrals:person-section",
                visible_to=can_refer,
            )
        )
        register_person_action(
            PersonAction(
                key="refer",
                label=_("Refer"),
                url_name="referrals:referral-create",
                visible_to=can_refer,
            )
        )
        on_consent_scope(
            Consent.Purpose.REFERRAL, lambda code: ServiceType.objects.filter(code=code).exists()
        )
