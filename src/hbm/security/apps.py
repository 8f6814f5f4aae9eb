from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "hbm.security"
    verbose_name = "Security screening"

    def ready(self) -> None:
        from hbm.registry.hooks import on_person_flags, on_registered
        from hbm.security.screening import neutral_flags, screen_persons

        on_registered(screen_persons)
        on_person_flags(neutral_flags)
