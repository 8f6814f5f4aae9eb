from typing import Any

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "hbm.plans"
    verbose_name = "Contingency plans"

    def ready(self) -> None:
        from hbm.alerts import hooks

        hooks.on_alert_proposals(_proposals)


def _proposals(**kwargs: Any) -> dict[int, list[Any]]:
    from hbm.plans.proposals import proposals_for_alerts

    return dict(proposals_for_alerts(**kwargs))
