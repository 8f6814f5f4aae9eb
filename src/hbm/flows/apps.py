from django.apps import AppConfig


class FlowsConfig(AppConfig):
    name = "hbm.flows"
    verbose_name = "Flow monitoring"

    def ready(self) -> None:
        from hbm.flows.services.rollup import add_registered_crossings
        from hbm.registry import hooks

        hooks.on_crossings_recorded(add_registered_crossings)
