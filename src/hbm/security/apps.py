from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "hbm.security"
    verbose_name = "Security screening"

    def ready(self) -> None:
        from hbm.registry.hooks import on_person_flags, on_screening
        from hbm.security.screening import neutral_flags, screen_registration

        on_screening(screen_registration)
        on_person_flags(neutral_flags)
