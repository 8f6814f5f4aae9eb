from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "hbm.web"
    verbose_name = "Web shell"
