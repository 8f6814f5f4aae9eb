from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "hbm.alerts"
    verbose_name = "Early warning"

    def ready(self) -> None:
        from hbm.alerts.queue import detection_queue_for_crossings, detection_queue_on_commit
        from hbm.flows import hooks as flow_hooks
        from hbm.flows import sitrep
        from hbm.registry import hooks

        hooks.on_crossings_recorded(detection_queue_for_crossings)
        flow_hooks.on_tally_changed(detection_queue_on_commit)
        sitrep.on_alerts_section(_open_alerts_for_sitrep)
        flow_hooks.on_point_section(_forecast_section)


def _open_alerts_for_sitrep(**kwargs: object) -> object:
    from hbm.alerts.selectors import alerts_for_sitrep

    return alerts_for_sitrep(**kwargs)  # type: ignore[arg-type]


def _forecast_section(**kwargs: object) -> str:
    from hbm.alerts.views import forecast_section

    return forecast_section(**kwargs)  # type: ignore[arg-type]
