from django.apps import AppConfig


class KeysConfig(AppConfig):
    name = "hbm.keys"
    verbose_name = "Field keys"

    def ready(self) -> None:
        from hbm.keys import checks  # noqa: F401  (registers the deploy check)
