from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "hbm.demo"
    verbose_name = "Demo scenario"
