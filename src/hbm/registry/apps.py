from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "hbm.registry"
    verbose_name = "Registry"
