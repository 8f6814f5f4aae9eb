from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "hbm.retention"
    verbose_name = "Retention"

    def ready(self) -> None:
        from hbm.registry.sections import PersonAction, register_person_action
        from hbm.retention.subject_access import may_request

        register_person_action(
            PersonAction(
                key="subject-access",
                label=_("Subject access export (PDF)"),
                url_name="retention:subject-access-pdf",
                visible_to=may_request,
            )
        )
