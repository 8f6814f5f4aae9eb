from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "hbm.screening"
    verbose_name = "Screening"

    def ready(self) -> None:
        from hbm.registry.sections import (
            PersonAction,
            PersonSection,
            register_person_action,
            register_person_section,
        )
        from hbm.screening.selectors import can_read_protection
        from hbm.screening.services.health import can_read_health

        register_person_section(
            PersonSection(
                key="protection",
                title=_("Protection screening"),
                url_name="screening:person-section",
                visible_to=can_read_protection,
            )
        )
        register_person_section(
            PersonSection(
                key="health",
                title=_("Health screening"),
                url_name="screening:health-section",
                visible_to=can_read_health,
            )
        )
        register_person_action(
            PersonAction(
                key="trace",
                label=_("Open tracing request"),
                url_name="screening:tracing-new-for",
                visible_to=can_read_protection,
            )
        )
