from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "hbm.sync"
    verbose_name = "Field station ↔ national replication"

    def ready(self) -> None:
        from hbm.referrals import hooks as referral_hooks
        from hbm.registry import hooks
        from hbm.screening import hooks as screening_hooks
        from hbm.sync.services import outbox

        hooks.on_registration_recorded(outbox.registration_logged)
        hooks.on_person_corrected(outbox.correction_logged)
        hooks.on_consent_recorded(outbox.consent_logged)
        hooks.on_consent_withdrawn(outbox.consent_withdrawal_logged)
        hooks.on_photo_set(outbox.photo_logged)
        screening_hooks.on_screening_recorded(outbox.screening_logged)
        referral_hooks.on_referral_sent(outbox.referral_logged)
        referral_hooks.on_referral_moved(outbox.referral_transition_logged)
