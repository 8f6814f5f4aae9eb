from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldopsConfig(AppConfig):
    name = "hbm.fieldops"
    verbose_name = "Field operations"

    def ready(self) -> None:
        from hbm.lib.permissions import has_any_role
        from hbm.registry.sections import PersonSection, register_person_section
        from hbm.registry.selectors import PERSON_READERS

        # Departures and arrivals at transit centres: on the person's timeline, never as
        # registry crossings (the flow series count those; ADR 0144).
        register_person_section(
            PersonSection(
                key="movements",
                title=_("Evacuations and transport"),
                url_name="fieldops:person-movements",
                visible_to=lambda user: has_any_role(user, *PERSON_READERS),
            )
        )
        # The incidents a person was found in, their injury and condition (ADR 0146).
        register_person_section(
            PersonSection(
                key="rescues",
                title=_("Rescue"),
                url_name="fieldops:person-rescues",
                visible_to=lambda user: has_any_role(user, *PERSON_READERS),
            )
        )
